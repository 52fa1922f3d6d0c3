// A Tron account address: 21 bytes, 0x41 followed by the last 20 bytes of the Keccak-256 of the
// uncompressed public key. Users see it as Base58Check ("T..." , 34 characters); the wire carries
// the 21 raw bytes.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace lanetorrent::tron {

class Address {
  public:
    static constexpr std::uint8_t prefix = 0x41;

    // "T..." Base58Check, or 42 hex digits starting with 41. Every failure (bad checksum, wrong
    // length, wrong prefix, stray characters) is one sentence saying which.
    static Result<Address> parse(std::string_view text);
    static Result<Address> from_base58(std::string_view text);
    static Result<Address> from_hex(std::string_view text);
    static Result<Address> from_bytes(std::span<std::uint8_t const> bytes);  // 21 bytes, 0x41...
    // From the 64-byte uncompressed public key without its 0x04 prefix.
    static Address from_public_key(std::span<std::uint8_t const, 64> public_key);

    std::string base58() const;
    std::string hex() const;  // "41..."
    std::array<std::uint8_t, 21> const& bytes() const { return bytes_; }
    std::string wire() const { return {bytes_.begin(), bytes_.end()}; }  // for protobuf fields

    friend bool operator==(Address const&, Address const&) = default;

  private:
    explicit Address(std::array<std::uint8_t, 21> bytes) : bytes_(bytes) {}
    std::array<std::uint8_t, 21> bytes_;
};

}  // namespace lanetorrent::tron

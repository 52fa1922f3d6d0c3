// Protobuf carries bytes in std::string; the tron helpers take spans of uint8_t.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "tron/address.hpp"
#include "tron/bytes.hpp"

namespace lanetorrent::devnet {

inline std::span<std::uint8_t const> as_span(std::string const& bytes) {
    return {reinterpret_cast<std::uint8_t const*>(bytes.data()), bytes.size()};
}

inline std::string sha256_string(std::string const& bytes) {
    auto const hash = tron::sha256(as_span(bytes));
    return {hash.begin(), hash.end()};
}

// Tron's address check: 21 bytes starting with 0x41.
inline bool valid_address(std::string const& bytes) {
    return bytes.size() == 21 && static_cast<std::uint8_t>(bytes[0]) == tron::Address::prefix;
}

// For messages; falls back to hex for something that is not an address.
inline std::string base58_or_hex(std::string const& bytes) {
    auto address = tron::Address::from_bytes(as_span(bytes));
    return address ? address->base58() : tron::to_hex(as_span(bytes));
}

}  // namespace lanetorrent::devnet

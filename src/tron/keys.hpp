// secp256k1 keys and recoverable signatures (libsecp256k1: RFC 6979 nonces, low-S).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "tron/address.hpp"
#include "tron/bytes.hpp"

namespace lanetorrent::tron {

// 65 bytes r || s || v. Transactions carry v as the recovery id (0/1), as java-tron and
// wallet-cli produce; TIP-191 message signatures carry v = 27/28, as TronWeb produces.
using Signature = std::array<std::uint8_t, 65>;

class PrivateKey {
  public:
    static PrivateKey generate();  // from the OS's CSPRNG
    // 64 hex digits (optional 0x); rejects zero and values >= the curve order.
    static Result<PrivateKey> from_hex(std::string_view hex);
    static Result<PrivateKey> from_bytes(std::span<std::uint8_t const> bytes);

    ~PrivateKey();  // wipes the secret
    PrivateKey(PrivateKey const&);
    PrivateKey& operator=(PrivateKey const&);

    std::array<std::uint8_t, 64> public_key() const;  // uncompressed, without the 0x04 prefix
    Address address() const;

    // Signs a 32-byte digest as it is (no further hashing); low-S, v = recovery id (0/1).
    Signature sign_digest(Hash32 const& digest) const;

    // Only for the keystore and an explicit, confirmed export. Never log it.
    std::array<std::uint8_t, 32> const& secret() const { return secret_; }

  private:
    explicit PrivateKey(std::array<std::uint8_t, 32> secret) : secret_(secret) {}
    std::array<std::uint8_t, 32> secret_;
};

// The address that produced `signature` over `digest`. Accepts v in {0, 1, 27, 28} and high-S
// signatures, as java-tron does.
Result<Address> recover_signer(Hash32 const& digest, std::span<std::uint8_t const> signature);

}  // namespace lanetorrent::tron

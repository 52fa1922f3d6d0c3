#include "tron/keys.hpp"

#include <botan/mem_ops.h>
#include <botan/system_rng.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <algorithm>
#include <stdexcept>

namespace lanetorrent::tron {

namespace {

// One context for the process. Randomizing it blinds the signing and key-generation
// multiplications against timing and power side channels; after that it is only read, which
// libsecp256k1 allows from several threads at once.
secp256k1_context const* context() {
    static secp256k1_context const* const ctx = [] {
        auto* c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
        std::array<std::uint8_t, 32> seed;
        Botan::system_rng().randomize(seed.data(), seed.size());
        if (!secp256k1_context_randomize(c, seed.data())) {
            throw std::runtime_error("cannot randomize the secp256k1 context");
        }
        Botan::secure_scrub_memory(seed.data(), seed.size());
        return c;
    }();
    return ctx;
}

bool valid_secret(std::array<std::uint8_t, 32> const& secret) {
    return secp256k1_ec_seckey_verify(context(), secret.data()) == 1;
}

}  // namespace

PrivateKey PrivateKey::generate() {
    std::array<std::uint8_t, 32> secret;
    // A uniform 256-bit value is zero or >= the curve order with probability about 2^-128, so the
    // loop is there for correctness, not because it ever runs twice.
    do {
        Botan::system_rng().randomize(secret.data(), secret.size());
    } while (!valid_secret(secret));
    PrivateKey key{secret};
    Botan::secure_scrub_memory(secret.data(), secret.size());
    return key;
}

Result<PrivateKey> PrivateKey::from_hex(std::string_view hex) {
    if (hex.starts_with("0x") || hex.starts_with("0X")) hex.remove_prefix(2);
    // The messages never quote the text: it is (nearly) a secret.
    if (hex.size() != 64) return Error{"a private key must be 64 hex digits"};
    auto bytes = tron::from_hex(hex);
    if (!bytes) return Error{"a private key must be 64 hex digits; " + bytes.error()};
    auto key = from_bytes(bytes.value());
    Botan::secure_scrub_memory(bytes.value().data(), bytes.value().size());
    return key;
}

Result<PrivateKey> PrivateKey::from_bytes(std::span<std::uint8_t const> bytes) {
    if (bytes.size() != 32) {
        return Error{"a private key is 32 bytes, not " + std::to_string(bytes.size())};
    }
    std::array<std::uint8_t, 32> secret;
    std::copy(bytes.begin(), bytes.end(), secret.begin());
    auto const valid = valid_secret(secret);
    PrivateKey key{secret};
    Botan::secure_scrub_memory(secret.data(), secret.size());
    if (!valid) return Error{"a private key must be between 1 and the secp256k1 curve order"};
    return key;
}

PrivateKey::~PrivateKey() {
    Botan::secure_scrub_memory(secret_.data(), secret_.size());
}

PrivateKey::PrivateKey(PrivateKey const& other) : secret_(other.secret_) {}

PrivateKey& PrivateKey::operator=(PrivateKey const& other) {
    secret_ = other.secret_;
    return *this;
}

std::array<std::uint8_t, 64> PrivateKey::public_key() const {
    secp256k1_pubkey pubkey;
    // Cannot fail: every PrivateKey was checked to be a valid secret when it was made.
    if (!secp256k1_ec_pubkey_create(context(), &pubkey, secret_.data())) {
        throw std::logic_error("secp256k1 rejected a validated private key");
    }
    std::array<std::uint8_t, 65> serialized;
    auto length = serialized.size();
    secp256k1_ec_pubkey_serialize(context(), serialized.data(), &length, &pubkey,
                                  SECP256K1_EC_UNCOMPRESSED);
    std::array<std::uint8_t, 64> out;
    std::copy(serialized.begin() + 1, serialized.end(), out.begin());
    return out;
}

Address PrivateKey::address() const {
    return Address::from_public_key(public_key());
}

Signature PrivateKey::sign_digest(Hash32 const& digest) const {
    secp256k1_ecdsa_recoverable_signature sig;
    // A null nonce function selects RFC 6979, so the same key and digest always give the same
    // signature, as java-tron and TronWeb produce; libsecp256k1 always emits low-S.
    if (!secp256k1_ecdsa_sign_recoverable(context(), &sig, digest.data(), secret_.data(), nullptr,
                                          nullptr)) {
        throw std::logic_error("secp256k1 could not sign with a validated private key");
    }
    Signature out;
    int recovery_id = 0;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(context(), out.data(), &recovery_id,
                                                            &sig);
    out[64] = static_cast<std::uint8_t>(recovery_id);
    return out;
}

Result<Address> recover_signer(Hash32 const& digest, std::span<std::uint8_t const> signature) {
    if (signature.size() != 65) {
        return Error{"a signature is 65 bytes (r, s, v), not " + std::to_string(signature.size())};
    }
    int v = signature[64];
    if (v >= 27) v -= 27;  // TronWeb and Ethereum style; java-tron does the same
    if (v != 0 && v != 1) {
        return Error{"the signature's recovery byte is " + std::to_string(signature[64]) +
                     ", expected 0, 1, 27 or 28"};
    }
    auto const* ctx = context();
    secp256k1_ecdsa_recoverable_signature sig;
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &sig, signature.data(), v)) {
        return Error{"the signature's r or s is not below the secp256k1 curve order"};
    }
    // java-tron accepts high-S signatures, so we must too. Replacing s by n - s reflects R's
    // partner point, which flips the recovery id; the library does the arithmetic.
    secp256k1_ecdsa_signature plain;
    secp256k1_ecdsa_recoverable_signature_convert(ctx, &plain, &sig);
    secp256k1_ecdsa_signature normalized;
    if (secp256k1_ecdsa_signature_normalize(ctx, &normalized, &plain)) {
        std::array<std::uint8_t, 64> compact;
        secp256k1_ecdsa_signature_serialize_compact(ctx, compact.data(), &normalized);
        if (!secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &sig, compact.data(),
                                                                 v ^ 1)) {
            return Error{"the signature's s could not be normalized"};
        }
    }
    secp256k1_pubkey pubkey;
    if (!secp256k1_ecdsa_recover(ctx, &pubkey, &sig, digest.data())) {
        return Error{"no public key matches the signature"};
    }
    std::array<std::uint8_t, 65> serialized;
    auto length = serialized.size();
    secp256k1_ec_pubkey_serialize(ctx, serialized.data(), &length, &pubkey,
                                  SECP256K1_EC_UNCOMPRESSED);
    std::array<std::uint8_t, 64> public_key;
    std::copy(serialized.begin() + 1, serialized.end(), public_key.begin());
    return Address::from_public_key(public_key);
}

}  // namespace lanetorrent::tron

#include "tron/bytes.hpp"

#include <botan/hash.h>
#include <botan/system_rng.h>

#include <memory>

namespace lanetorrent::tron {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Feeds `bytes` through a hash object the caller keeps per thread: creating one means a lookup
// and an allocation, which would dominate hashing the few hundred bytes of a transaction.
Hash32 digest(Botan::HashFunction& hash, std::span<std::uint8_t const> bytes) {
    hash.update(bytes.data(), bytes.size());
    Hash32 out;
    hash.final(out.data());
    return out;
}

}  // namespace

void random_bytes(std::span<std::uint8_t> out) {
    Botan::system_rng().randomize(out.data(), out.size());
}

std::string to_hex(std::span<std::uint8_t const> bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (auto b : bytes) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0x0f]);
    }
    return out;
}

Result<Bytes> from_hex(std::string_view hex) {
    if (hex.starts_with("0x") || hex.starts_with("0X")) hex.remove_prefix(2);
    if (hex.size() % 2 != 0) {
        return Error{"hex text has an odd number of digits (" + std::to_string(hex.size()) + ")"};
    }
    Bytes out;
    out.reserve(hex.size() / 2);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        auto const high = hex_value(hex[i]);
        auto const low = hex_value(hex[i + 1]);
        if (high < 0 || low < 0) {
            // The position, not the text: hex handed to us may be secret.
            return Error{"hex text has a non-hex character at position " +
                         std::to_string(high < 0 ? i : i + 1)};
        }
        out.push_back(static_cast<std::uint8_t>(high << 4 | low));
    }
    return out;
}

Hash32 sha256(std::span<std::uint8_t const> bytes) {
    thread_local auto const hash = Botan::HashFunction::create_or_throw("SHA-256");
    return digest(*hash, bytes);
}

Hash32 keccak256(std::span<std::uint8_t const> bytes) {
    thread_local auto const hash = Botan::HashFunction::create_or_throw("Keccak-1600(256)");
    return digest(*hash, bytes);
}

}  // namespace lanetorrent::tron

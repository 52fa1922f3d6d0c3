// Byte strings and hex, the currency of the Tron code.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace lanetorrent::tron {

using Bytes = std::vector<std::uint8_t>;
using Hash32 = std::array<std::uint8_t, 32>;

std::string to_hex(std::span<std::uint8_t const> bytes);  // lowercase, no 0x
// Accepts upper or lower case and an optional 0x prefix; rejects odd lengths and non-hex.
Result<Bytes> from_hex(std::string_view hex);

// From the operating system's CSPRNG (nonces, keys).
void random_bytes(std::span<std::uint8_t> out);

Hash32 sha256(std::span<std::uint8_t const> bytes);
// The original Keccak-256 (padding 0x01) that Tron and Ethereum use, not FIPS SHA3-256.
Hash32 keccak256(std::span<std::uint8_t const> bytes);

}  // namespace lanetorrent::tron

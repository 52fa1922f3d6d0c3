#include "tron/address.hpp"

#include <botan/base58.h>
#include <botan/exceptn.h>

#include <algorithm>
#include <cstring>

#include "tron/bytes.hpp"

namespace lanetorrent::tron {

namespace {

constexpr std::size_t base58_length = 34;
constexpr std::size_t hex_length = 42;

bool is_hex_digit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// A private key is 64 hex digits; pasted into an address field by mistake it must not end up in
// an error message, a log or a dialog.
bool looks_like_private_key(std::string_view text) {
    if (text.starts_with("0x") || text.starts_with("0X")) text.remove_prefix(2);
    return text.size() == 64 && std::all_of(text.begin(), text.end(), is_hex_digit);
}

// How an error names the text it rejects: quoted when it is short enough to read.
std::string quoted(std::string_view text) {
    if (text.empty()) return "an empty address";
    if (looks_like_private_key(text)) return "text that looks like a private key";
    if (text.size() > 2 * hex_length) return "a " + std::to_string(text.size()) + "-character text";
    return "\"" + std::string(text) + "\"";
}

}  // namespace

Result<Address> Address::parse(std::string_view text) {
    if (looks_like_private_key(text)) {
        return Error{"this is not a Tron address; it looks like a private key"};
    }
    if (text.starts_with('T')) return from_base58(text);
    if (text.starts_with("41") || text.starts_with("0x") || text.starts_with("0X") ||
        text.size() == hex_length) {
        return from_hex(text);
    }
    return Error{quoted(text) +
                 " is not a Tron address, which is 34 characters starting with T or 42 hex digits "
                 "starting with 41"};
}

Result<Address> Address::from_base58(std::string_view text) {
    if (text.size() != base58_length || !text.starts_with('T')) {
        return Error{quoted(text) +
                     " is not a Tron address: it must be 34 characters starting with T"};
    }
    static constexpr char alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    auto const stray = std::find_if(text.begin(), text.end(),
                                    [](char c) { return c == '\0' || !std::strchr(alphabet, c); });
    if (stray != text.end()) {
        return Error{quoted(text) + " is not a Tron address: '" + std::string(1, *stray) +
                     "' is not a Base58 character"};
    }
    std::vector<std::uint8_t> decoded;
    try {
        decoded = Botan::base58_check_decode(text.data(), text.size());
    } catch (Botan::Exception const&) {
        // Only the checksum can fail here: length and alphabet were checked above.
        return Error{quoted(text) + " has a bad checksum (mistyped or truncated)"};
    }
    if (decoded.size() != 21 || decoded[0] != prefix) {
        return Error{quoted(text) +
                     " is not a Tron address: it does not decode to 0x41 and 20 bytes"};
    }
    return from_bytes(decoded);
}

Result<Address> Address::from_hex(std::string_view text) {
    auto digits = text;
    if (digits.starts_with("0x") || digits.starts_with("0X")) digits.remove_prefix(2);
    if (digits.size() != hex_length) {
        return Error{quoted(text) + " is not a hex Tron address: it must be 42 hex digits"};
    }
    auto bytes = tron::from_hex(digits);
    if (!bytes)
        return Error{quoted(text) + " is not a hex Tron address: it has non-hex characters"};
    if (bytes.value()[0] != prefix) {
        return Error{quoted(text) + " is not a hex Tron address: it must start with 41"};
    }
    return from_bytes(bytes.value());
}

Result<Address> Address::from_bytes(std::span<std::uint8_t const> bytes) {
    if (bytes.size() != 21) {
        return Error{"a Tron address is 21 bytes, not " + std::to_string(bytes.size())};
    }
    if (bytes[0] != prefix) return Error{"a Tron address must start with the byte 0x41"};
    std::array<std::uint8_t, 21> raw;
    std::copy(bytes.begin(), bytes.end(), raw.begin());
    return Address{raw};
}

Address Address::from_public_key(std::span<std::uint8_t const, 64> public_key) {
    auto const hash = keccak256(public_key);
    std::array<std::uint8_t, 21> raw;
    raw[0] = prefix;
    std::copy(hash.begin() + 12, hash.end(), raw.begin() + 1);
    return Address{raw};
}

std::string Address::base58() const {
    return Botan::base58_check_encode(bytes_.data(), bytes_.size());
}

std::string Address::hex() const {
    return to_hex(bytes_);
}

}  // namespace lanetorrent::tron

#include "tron/message_signing.hpp"

#include <string>

namespace lanetorrent::tron {

namespace {

// TronWeb's header (utils/message.ts); the length is the message's byte count in decimal.
constexpr std::string_view header = "\x19TRON Signed Message:\n";
constexpr std::uint8_t ethereum_v_offset = 27;

}  // namespace

Hash32 tip191_digest(std::string_view message) {
    std::string prefixed;
    prefixed.reserve(header.size() + 20 + message.size());
    prefixed.append(header).append(std::to_string(message.size())).append(message);
    auto const* data = reinterpret_cast<std::uint8_t const*>(prefixed.data());
    return keccak256({data, prefixed.size()});
}

Signature sign_message(PrivateKey const& key, std::string_view message) {
    auto signature = key.sign_digest(tip191_digest(message));
    // TronWeb signs messages with v = 27/28 and some verifiers insist on it.
    signature[64] = static_cast<std::uint8_t>(signature[64] + ethereum_v_offset);
    return signature;
}

Result<Address> recover_message_signer(std::string_view message,
                                       std::span<std::uint8_t const> signature) {
    return recover_signer(tip191_digest(message), signature);
}

}  // namespace lanetorrent::tron

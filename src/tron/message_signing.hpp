// TIP-191 signed messages: Keccak-256 of "\x19TRON Signed Message:\n" + decimal length + message.
// Used to prove control of a Tron address to a peer; compatible with TronWeb's
// signMessage/verifyMessage (v = 27/28).
#pragma once

#include <string_view>

#include "base/result.hpp"
#include "tron/keys.hpp"

namespace lanetorrent::tron {

Hash32 tip191_digest(std::string_view message);
Signature sign_message(PrivateKey const& key, std::string_view message);
Result<Address> recover_message_signer(std::string_view message,
                                       std::span<std::uint8_t const> signature);

}  // namespace lanetorrent::tron

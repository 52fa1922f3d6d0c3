// Sending: sign against the node's head block, write the signed bytes to the profile, then
// broadcast. Nothing is broadcast that was not first recorded, so a crash or a lost answer never
// leaves a payment the wallet does not know about.
#pragma once

#include "base/result.hpp"
#include "tron/client.hpp"
#include "wallet/sent_store.hpp"
#include "wallet/transfer.hpp"

namespace lanetorrent::wallet {

// Checks that a TRC-10 asset exists, then builds and signs against the current head block.
tron::NodeResult<SignedTransfer> prepare_transfer(tron::TronClient& client,
                                                  tron::PrivateKey const& key,
                                                  TransferIntent const& intent);

// Records, then broadcasts. "Already known" (a re-broadcast) counts as sent.
Status record_and_broadcast(tron::TronClient& client, SentStore& store,
                            SignedTransfer const& transfer);

}  // namespace lanetorrent::wallet

#include "wallet/send.hpp"

#include "tron/clock.hpp"

namespace lanetorrent::wallet {

tron::NodeResult<SignedTransfer> prepare_transfer(tron::TronClient& client,
                                                  tron::PrivateKey const& key,
                                                  TransferIntent const& intent) {
    if (intent.asset != trx_asset) {
        auto asset = client.asset(intent.asset);
        if (!asset) return asset.failure();
    }
    auto head = client.head_block();
    if (!head) return head.failure();
    return sign_transfer(key, intent, head.value(), tron::now_ms());
}

Status record_and_broadcast(tron::TronClient& client, SentStore& store,
                            SignedTransfer const& transfer) {
    if (auto saved = store.save(transfer); !saved) return Error{"not sent: " + saved.error()};
    auto sent = client.broadcast(transfer.transaction);
    if (!sent) return Error{sent.error()};
    return Ok{};
}

}  // namespace lanetorrent::wallet

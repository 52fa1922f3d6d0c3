#include "wallet/tracking.hpp"

#include <algorithm>
#include <thread>

#include "tron/clock.hpp"

namespace lanetorrent::wallet {

char const* to_string(TransferState state) {
    switch (state) {
        case TransferState::pending:
            return "pending";
        case TransferState::confirmed:
            return "confirmed";
        case TransferState::solidified:
            return "solidified";
        case TransferState::failed:
            return "failed";
        case TransferState::expired:
            return "expired";
    }
    return "unknown";
}

namespace {

TransferProgress progress_of(tron::TransactionStatus const& status, bool solid) {
    return {status.failed ? TransferState::failed
                          : (solid ? TransferState::solidified : TransferState::confirmed),
            status.block_number, status.fee_sun};
}

bool expired(std::int64_t expiration_ms) {
    return tron::now_ms() > expiration_ms + expiry_grace_ms;
}

}  // namespace

tron::NodeResult<TransferProgress> check_transfer(tron::TronClient& client,
                                                  tron::Hash32 const& txid,
                                                  std::int64_t expiration_ms) {
    // A solidity node that is down should not hide what the full node knows.
    if (auto solid = client.transaction_status(txid, true); solid && solid.value()) {
        return progress_of(**solid, true);
    }
    auto head = client.transaction_status(txid, false);
    if (!head) return head.failure();
    if (head.value()) return progress_of(**head, false);
    return TransferProgress{expired(expiration_ms) ? TransferState::expired
                                                   : TransferState::pending};
}

tron::NodeResult<TransferProgress> wait_for_transfer(tron::TronClient& client,
                                                     tron::Hash32 const& txid,
                                                     std::int64_t expiration_ms,
                                                     TransferState target,
                                                     std::chrono::milliseconds poll) {
    TransferProgress progress;
    for (bool solid : {false, true}) {
        if (solid && target != TransferState::solidified) break;
        while (true) {
            auto status = client.transaction_status(txid, solid);
            if (!status) return status.failure();
            if (status.value()) {
                progress = progress_of(**status, solid);
                if (progress.state == TransferState::failed) return progress;
                break;
            }
            if (!solid && expired(expiration_ms)) return TransferProgress{TransferState::expired};
            std::this_thread::sleep_for(poll);
        }
    }
    return progress;
}

Result<tron::Hash32> parse_txid(std::string const& hex) {
    auto bytes = tron::from_hex(hex);
    if (!bytes || bytes->size() != 32) return Error{"not a transaction id: " + hex};
    tron::Hash32 txid{};
    std::copy(bytes->begin(), bytes->end(), txid.begin());
    return txid;
}

}  // namespace lanetorrent::wallet

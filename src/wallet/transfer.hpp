// One payment from this wallet, TRX or a TRC-10 token, built and signed in one step. The CLI and
// the desktop app both sign through here, so a transfer looks the same whichever of them made it.
#pragma once

#include <cstdint>
#include <string>

#include "core/Tron.pb.h"
#include "tron/address.hpp"
#include "tron/bytes.hpp"
#include "tron/keys.hpp"
#include "tron/transaction.hpp"

namespace lanetorrent::wallet {

// The asset name that means TRX itself rather than a TRC-10 token id.
inline constexpr char const* trx_asset = "TRX";

struct TransferIntent {
    tron::Address to;
    std::string asset;        // "TRX" or a TRC-10 id such as "1002000"
    std::int64_t amount = 0;  // base units (sun for TRX)
};

struct SignedTransfer {
    protocol::Transaction transaction;
    tron::Hash32 txid{};
    tron::Address from;
    tron::Address to;
    std::string asset;
    std::int64_t amount = 0;

    std::string txid_hex() const;
    std::string raw_data_hex() const;
    std::string signature_hex() const;
    std::string transaction_hex() const;  // the whole signed transaction, for re-broadcasting
    std::int64_t expiration_ms() const { return transaction.raw_data().expiration(); }
    std::int64_t timestamp_ms() const { return transaction.raw_data().timestamp(); }
};

// A TransferContract (plain TRX) with the same TAPOS and expiration rules as
// tron::build_asset_transfer.
protocol::Transaction build_trx_transfer(tron::Address const& owner, tron::Address const& to,
                                         std::int64_t amount_sun, tron::BlockReference const& ref,
                                         std::int64_t now_ms, std::int64_t expiration_ms = 60'000);

SignedTransfer sign_transfer(tron::PrivateKey const& key, TransferIntent const& intent,
                             tron::BlockReference const& ref, std::int64_t now_ms);

}  // namespace lanetorrent::wallet

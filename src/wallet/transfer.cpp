#include "wallet/transfer.hpp"

#include "core/contract/balance_contract.pb.h"

namespace lanetorrent::wallet {

namespace {

constexpr char const* transfer_type_url = "type.googleapis.com/protocol.TransferContract";

std::string hex_of(std::string const& bytes) {
    return tron::to_hex({reinterpret_cast<std::uint8_t const*>(bytes.data()), bytes.size()});
}

}  // namespace

std::string SignedTransfer::txid_hex() const {
    return tron::to_hex(txid);
}

std::string SignedTransfer::raw_data_hex() const {
    return hex_of(transaction.raw_data().SerializeAsString());
}

std::string SignedTransfer::signature_hex() const {
    return transaction.signature_size() == 0 ? std::string() : hex_of(transaction.signature(0));
}

std::string SignedTransfer::transaction_hex() const {
    return hex_of(transaction.SerializeAsString());
}

protocol::Transaction build_trx_transfer(tron::Address const& owner, tron::Address const& to,
                                         std::int64_t amount_sun, tron::BlockReference const& ref,
                                         std::int64_t now_ms, std::int64_t expiration_ms) {
    // The TRC-10 builder already gets TAPOS and expiration right; reuse its raw_data and swap
    // in a TransferContract.
    auto transaction =
        tron::build_asset_transfer({owner, to, "", amount_sun}, ref, now_ms, expiration_ms);
    protocol::TransferContract contract;
    contract.set_owner_address(owner.wire());
    contract.set_to_address(to.wire());
    contract.set_amount(amount_sun);
    auto& entry = *transaction.mutable_raw_data()->mutable_contract(0);
    entry.set_type(protocol::Transaction_Contract_ContractType_TransferContract);
    entry.mutable_parameter()->set_type_url(transfer_type_url);
    entry.mutable_parameter()->set_value(contract.SerializeAsString());
    return transaction;
}

SignedTransfer sign_transfer(tron::PrivateKey const& key, TransferIntent const& intent,
                             tron::BlockReference const& ref, std::int64_t now_ms) {
    auto const from = key.address();
    SignedTransfer signed_transfer{
        intent.asset == trx_asset
            ? build_trx_transfer(from, intent.to, intent.amount, ref, now_ms)
            : tron::build_asset_transfer({from, intent.to, intent.asset, intent.amount}, ref,
                                         now_ms),
        {},
        from,
        intent.to,
        intent.asset,
        intent.amount};
    tron::sign_transaction(signed_transfer.transaction, key);
    signed_transfer.txid = tron::transaction_id(signed_transfer.transaction);
    return signed_transfer;
}

}  // namespace lanetorrent::wallet

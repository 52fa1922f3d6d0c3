// BroadcastTransaction and TransferAsset2: java-tron's checks (Wallet.broadcastTransaction,
// Manager.processTransaction, BandwidthProcessor, TransferAssetActuator) in the same order with
// the same codes and messages, so a client tested here behaves the same against a real node.
#include <limits>

#include "devnet/chain.hpp"
#include "devnet/wire.hpp"
#include "tron/keys.hpp"

namespace lanetorrent::devnet {
namespace {

using Code = protocol::Return::response_code;

constexpr std::int64_t kMaxTransactionBytes = 500 * 1024;
constexpr std::int64_t kResultReserve = 64;  // MAX_RESULT_SIZE_IN_TX, charged per contract
constexpr std::int64_t kMaxExpirationMs = 24LL * 3600 * 1000;
constexpr std::int64_t kMaxPending = 2000;  // node.maxTransactionPendingSize
constexpr std::int64_t kExpirationMs = 60'000;
constexpr char const* kContractValidateError = "Contract validate error : ";
constexpr char const* kTransferAssetTypeUrl = "type.googleapis.com/protocol.TransferAssetContract";

protocol::Return reject(Code code, std::string message) {
    protocol::Return result;
    result.set_result(false);
    result.set_code(code);
    result.set_message(std::move(message));
    return result;
}

protocol::Return invalid(std::string const& reason) {
    return reject(protocol::Return::CONTRACT_VALIDATE_ERROR, kContractValidateError + reason);
}

std::optional<protocol::TransferAssetContract> transfer_of(
    protocol::Transaction::Contract const& contract) {
    protocol::TransferAssetContract transfer;
    if (contract.type() != protocol::Transaction::Contract::TransferAssetContract ||
        !contract.parameter().UnpackTo(&transfer)) {
        return std::nullopt;
    }
    return transfer;
}

}  // namespace

std::optional<std::string> Chain::validate_transfer(protocol::TransferAssetContract const& contract,
                                                    std::int64_t owner_trx_after_fees) {
    if (!valid_address(contract.owner_address())) return "Invalid ownerAddress";
    if (!valid_address(contract.to_address())) return "Invalid toAddress";
    if (contract.amount() <= 0) return "Amount must be greater than 0.";
    if (contract.owner_address() == contract.to_address()) {
        return "Cannot transfer asset to yourself.";
    }
    auto const owner = store_.account(contract.owner_address());
    if (!owner) return "No owner account!";
    if (!store_.asset(contract.asset_name())) return "No asset!";
    // The devnet has one asset, so the owner's balance of "asset_name" is its BTT balance.
    if (owner->btt_units <= 0) return "assetBalance must be greater than 0.";
    if (owner->btt_units < contract.amount()) return "assetBalance is not sufficient.";
    if (auto const to = store_.account(contract.to_address())) {
        if (to->btt_units > std::numeric_limits<std::int64_t>::max() - contract.amount()) {
            return "long overflow";
        }
    } else if (owner_trx_after_fees <
               config_.parameters.create_new_account_fee_in_system_contract) {
        return "Validate TransferAssetActuator error, insufficient fee.";
    }
    return std::nullopt;
}

protocol::TransactionExtention Chain::transfer_asset(
    protocol::TransferAssetContract const& contract, std::int64_t now_ms) {
    std::lock_guard lock(mutex_);
    protocol::TransactionExtention extention;
    auto const owner = store_.account(contract.owner_address());
    if (auto reason = validate_transfer(contract, owner ? owner->trx_sun : 0)) {
        auto& result = *extention.mutable_result();
        result.set_result(false);
        result.set_code(protocol::Return::CONTRACT_VALIDATE_ERROR);
        result.set_message(kContractValidateError + *reason);
        return extention;
    }
    // Built here rather than with the client's tron::build_asset_transfer: the devnet is the
    // oracle the client is tested against, so it must not share the code under test.
    auto& raw = *extention.mutable_transaction()->mutable_raw_data();
    auto const number = static_cast<std::uint64_t>(head_.number);
    raw.set_ref_block_bytes(std::string{static_cast<char>(number >> 8), static_cast<char>(number)});
    raw.set_ref_block_hash(head_.id.substr(8, 8));
    raw.set_expiration(head_.timestamp_ms + kExpirationMs);
    raw.set_timestamp(now_ms);
    auto& entry = *raw.add_contract();
    entry.set_type(protocol::Transaction::Contract::TransferAssetContract);
    entry.mutable_parameter()->PackFrom(contract);
    extention.set_txid(sha256_string(raw.SerializeAsString()));
    extention.mutable_result()->set_result(true);
    return extention;
}

protocol::Return Chain::broadcast(protocol::Transaction transaction) {
    std::lock_guard lock(mutex_);
    if (store_.pending_count() >= kMaxPending) {
        return reject(protocol::Return::SERVER_BUSY, "Server busy.");
    }
    transaction.clear_ret();
    auto const& raw = transaction.raw_data();
    if (raw.contract_size() == 0) return invalid("No contract!");
    std::int64_t const next_slot = head_.timestamp_ms + config_.block_interval_ms;
    if (raw.expiration() < next_slot) {
        return reject(protocol::Return::TRANSACTION_EXPIRATION_ERROR, "Transaction expired");
    }

    // Only TRC-10 transfers exist here; anything else cannot name its owner for the signature.
    auto const transfer = transfer_of(raw.contract(0));
    if (!transfer) {
        return invalid("contract type error, expected type [TransferAssetContract], real type[" +
                       std::to_string(raw.contract(0).type()) + "]");
    }
    std::string const txid_bytes = sha256_string(raw.SerializeAsString());
    tron::Hash32 txid;
    std::copy(txid_bytes.begin(), txid_bytes.end(), txid.begin());
    // validatePubSignature: the permission the contract names, its type and operations, then
    // every signature's weight in it; an owner with no account signs with the default permissions.
    auto const permissions = permissions_of(transfer->owner_address());
    if (auto reason = check_signatures(transaction, txid, transfer->owner_address(),
                                       permissions ? &*permissions : nullptr)) {
        return reject(protocol::Return::SIGERROR, "Validate signature error: " + *reason);
    }
    if (raw.contract_size() != 1) {
        // Manager.processTransaction's ContractSizeNotEqualToOneException (java-tron 4.7.7).
        return invalid("tx " + tron::to_hex(txid) + " contract size should be exactly 1, this is " +
                       "extend feature ,actual :" + std::to_string(raw.contract_size()));
    }

    auto const ref_bytes = raw.ref_block_bytes();
    if (ref_bytes.size() != 2 || raw.ref_block_hash().size() != 8 ||
        recent_[(static_cast<std::uint8_t>(ref_bytes[0]) << 8) |
                static_cast<std::uint8_t>(ref_bytes[1])] != raw.ref_block_hash()) {
        return reject(protocol::Return::TAPOS_ERROR, "Tapos check error.");
    }
    auto const bytes = static_cast<std::int64_t>(transaction.ByteSizeLong()) + kResultReserve;
    if (bytes + kResultReserve > kMaxTransactionBytes) {
        return reject(protocol::Return::TOO_BIG_TRANSACTION_ERROR, "Transaction size is too big.");
    }
    if (raw.expiration() <= head_.timestamp_ms ||
        raw.expiration() > head_.timestamp_ms + kMaxExpirationMs) {
        return reject(protocol::Return::TRANSACTION_EXPIRATION_ERROR, "Transaction expired");
    }
    if (store_.has_transaction(txid_bytes)) {
        return reject(protocol::Return::DUP_TRANSACTION_ERROR, "Dup transaction.");
    }

    auto owner = store_.account(transfer->owner_address());
    if (!owner) {
        return invalid("account [" + base58_or_hex(transfer->owner_address()) + "] does not exist");
    }
    auto const& p = config_.parameters;
    auto const insufficient = [] {
        return reject(protocol::Return::BANDWITH_ERROR, "Account resource insufficient error.");
    };
    TransactionRow row;
    row.txid = txid_bytes;
    row.bytes = transaction.SerializeAsString();
    bool const creates_recipient =
        valid_address(transfer->to_address()) && !store_.account(transfer->to_address());
    if (creates_recipient) {
        // Creating an account never uses the free allowance: it burns the creation fee instead.
        if (owner->trx_sun < p.create_account_fee) return insufficient();
        row.net_fee = p.create_account_fee;
    } else {
        std::int64_t const used = recovered_free_net(*owner);
        if (bytes <= p.free_net_limit - used) {
            owner->free_net_usage = used + bytes;
            owner->free_net_time_ms = head_.timestamp_ms;
            row.net_usage = bytes;
        } else if (owner->trx_sun >= bytes * p.transaction_fee) {
            row.net_fee = bytes * p.transaction_fee;
        } else {
            return insufficient();
        }
    }
    std::int64_t fee = row.net_fee;
    if (!raw.data().empty()) {
        if (owner->trx_sun - fee < p.memo_fee) return insufficient();
        fee += p.memo_fee;
    }
    if (auto reason = validate_transfer(*transfer, owner->trx_sun - fee)) return invalid(*reason);
    if (creates_recipient) fee += p.create_new_account_fee_in_system_contract;

    WriteTransaction tx(store_.db());
    owner->trx_sun -= fee;
    owner->btt_units -= transfer->amount();
    store_.put_account(*owner);
    auto recipient =
        store_.account(transfer->to_address())
            .value_or(AccountRow{transfer->to_address(), 0, 0, 0, 0, head_.timestamp_ms});
    recipient.btt_units += transfer->amount();
    store_.put_account(recipient);
    row.fee = fee;
    row.owner = transfer->owner_address();
    row.recipient = transfer->to_address();
    row.amount = transfer->amount();
    row.created_recipient = creates_recipient;
    store_.add_pending(row);
    tx.commit();

    protocol::Return result;
    result.set_result(true);
    result.set_code(protocol::Return::SUCCESS);
    return result;
}

}  // namespace lanetorrent::devnet

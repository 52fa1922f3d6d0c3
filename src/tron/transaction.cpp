#include "tron/transaction.hpp"

#include <algorithm>

namespace lanetorrent::tron {

namespace {

constexpr std::string_view transfer_asset_message = "protocol.TransferAssetContract";

std::span<std::uint8_t const> as_bytes(std::string const& s) {
    return {reinterpret_cast<std::uint8_t const*>(s.data()), s.size()};
}

}  // namespace

protocol::Transaction build_asset_transfer(AssetTransfer const& transfer, BlockReference const& ref,
                                           std::int64_t now_ms, std::int64_t expiration_ms) {
    protocol::TransferAssetContract contract;
    contract.set_asset_name(transfer.asset_id);  // the id's ASCII digits, as the V2 store keys it
    contract.set_owner_address(transfer.owner.wire());
    contract.set_to_address(transfer.to.wire());
    contract.set_amount(transfer.amount);

    protocol::Transaction transaction;
    auto& raw = *transaction.mutable_raw_data();
    // TAPOS: the node looks up the block whose number ends in these 16 bits and compares the
    // hash bytes, so a transaction built on a fork it does not know is rejected.
    auto const number = static_cast<std::uint64_t>(ref.number);
    char const ref_bytes[2] = {static_cast<char>(number >> 8 & 0xff),
                               static_cast<char>(number & 0xff)};
    raw.set_ref_block_bytes(ref_bytes, sizeof ref_bytes);
    raw.set_ref_block_hash(reinterpret_cast<char const*>(ref.id.data()) + 8, 8);
    raw.set_expiration(ref.timestamp_ms + expiration_ms);
    raw.set_timestamp(now_ms);

    auto& entry = *raw.add_contract();
    entry.set_type(protocol::Transaction_Contract_ContractType_TransferAssetContract);
    // Any::PackFrom would do the same; spelling the URL out keeps it visibly equal to what
    // java-tron's Any.pack and TronWeb write.
    entry.mutable_parameter()->set_type_url(transfer_asset_type_url);
    entry.mutable_parameter()->set_value(contract.SerializeAsString());
    return transaction;
}

Hash32 transaction_id(protocol::Transaction const& transaction) {
    // protobuf's C++ serializer writes fields in number order and omits proto3 defaults, which is
    // the canonical encoding the node hashes after re-serializing what it parsed.
    return sha256(as_bytes(transaction.raw_data().SerializeAsString()));
}

void sign_transaction(protocol::Transaction& transaction, PrivateKey const& key) {
    auto const signature = key.sign_digest(transaction_id(transaction));
    transaction.add_signature(reinterpret_cast<char const*>(signature.data()), signature.size());
}

Result<protocol::TransferAssetContract> asset_transfer_of(
    protocol::Transaction const& transaction) {
    auto const& raw = transaction.raw_data();
    if (raw.contract_size() != 1) {
        return Error{"the transaction has " + std::to_string(raw.contract_size()) +
                     " contracts; a TRC-10 transfer has exactly one"};
    }
    auto const& entry = raw.contract(0);
    if (entry.type() != protocol::Transaction_Contract_ContractType_TransferAssetContract) {
        return Error{"the transaction is a " +
                     protocol::Transaction_Contract_ContractType_Name(entry.type()) +
                     ", not a TRC-10 transfer"};
    }
    // The node compares only the part after the last '/', so any host prefix is acceptable.
    auto const& url = entry.parameter().type_url();
    auto const slash = url.rfind('/');
    if (slash == std::string::npos ||
        std::string_view(url).substr(slash + 1) != transfer_asset_message) {
        return Error{"the transaction's contract parameter is not a TransferAssetContract"};
    }
    protocol::TransferAssetContract contract;
    if (!contract.ParseFromString(entry.parameter().value())) {
        return Error{"the transaction's TransferAssetContract cannot be decoded"};
    }
    if (!Address::from_bytes(as_bytes(contract.owner_address())) ||
        !Address::from_bytes(as_bytes(contract.to_address()))) {
        return Error{"the TRC-10 transfer's owner or recipient is not a valid Tron address"};
    }
    return contract;
}

}  // namespace lanetorrent::tron

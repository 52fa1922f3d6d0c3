#include "tron/node_reply.hpp"

namespace lanetorrent::tron {

using Kind = NodeError::Kind;

char const* to_string(NodeError::Kind kind) {
    switch (kind) {
        case Kind::unreachable:
            return "unreachable";
        case Kind::timeout:
            return "timeout";
        case Kind::bad_reply:
            return "bad_reply";
        case Kind::not_found:
            return "not_found";
        case Kind::signature:
            return "signature";
        case Kind::contract_validate:
            return "contract_validate";
        case Kind::contract_execute:
            return "contract_execute";
        case Kind::bandwidth:
            return "bandwidth";
        case Kind::duplicate:
            return "duplicate";
        case Kind::tapos:
            return "tapos";
        case Kind::too_big:
            return "too_big";
        case Kind::expired:
            return "expired";
        case Kind::server_busy:
            return "server_busy";
        case Kind::no_connection:
            return "no_connection";
        case Kind::unsolidified:
            return "unsolidified";
        case Kind::other:
            return "other";
    }
    return "other";
}

std::optional<NodeError> error_of(protocol::Return const& ret) {
    using Code = protocol::Return;
    if (ret.code() == Code::SUCCESS) return std::nullopt;
    Kind kind = Kind::other;
    switch (ret.code()) {
        case Code::SIGERROR:
            kind = Kind::signature;
            break;
        case Code::CONTRACT_VALIDATE_ERROR:
            kind = Kind::contract_validate;
            break;
        case Code::CONTRACT_EXE_ERROR:
            kind = Kind::contract_execute;
            break;
        case Code::BANDWITH_ERROR:
            kind = Kind::bandwidth;
            break;
        case Code::DUP_TRANSACTION_ERROR:
            kind = Kind::duplicate;
            break;
        case Code::TAPOS_ERROR:
            kind = Kind::tapos;
            break;
        case Code::TOO_BIG_TRANSACTION_ERROR:
            kind = Kind::too_big;
            break;
        case Code::TRANSACTION_EXPIRATION_ERROR:
            kind = Kind::expired;
            break;
        case Code::SERVER_BUSY:
            kind = Kind::server_busy;
            break;
        case Code::NO_CONNECTION:
        case Code::NOT_ENOUGH_EFFECTIVE_CONNECTION:
            kind = Kind::no_connection;
            break;
        case Code::BLOCK_UNSOLIDIFIED:
            kind = Kind::unsolidified;
            break;
        default:
            break;
    }
    auto const message = ret.message().empty() ? std::string("no message") : ret.message();
    return NodeError{kind, "the Tron node refused the transaction (" +
                               std::string(Code::response_code_Name(ret.code())) + "): " + message};
}

NodeResult<std::optional<Balances>> decode_account(protocol::Account const& account,
                                                   Address const& asked, std::string const& node) {
    if (account.address().empty()) return std::optional<Balances>{};
    if (account.address() != asked.wire()) {
        return NodeError{Kind::bad_reply,
                         "the Tron node at " + node + " answered for a different account"};
    }
    if (account.balance() < 0) {
        return NodeError{Kind::bad_reply, "the Tron node at " + node + " sent a negative balance"};
    }
    Balances balances;
    balances.trx_sun = account.balance();
    for (auto const& [id, amount] : account.assetv2()) {
        if (amount < 0) {
            return NodeError{Kind::bad_reply,
                             "the Tron node at " + node + " sent a negative balance of " + id};
        }
        balances.assets[id] = amount;
    }
    return std::optional<Balances>(balances);
}

// Every Tron block id embeds its number in its first 8 bytes.
NodeResult<BlockReference> decode_block(protocol::BlockExtention const& block,
                                        std::string const& node) {
    auto const& id = block.blockid();
    auto const number = block.block_header().raw_data().number();
    if (id.size() != 32 || number <= 0) {
        return NodeError{Kind::bad_reply,
                         "the Tron node at " + node + " sent no usable head block"};
    }
    BlockReference ref;
    std::copy(id.begin(), id.end(), ref.id.begin());
    std::int64_t embedded = 0;
    for (int i = 0; i < 8; ++i) embedded = (embedded << 8) | ref.id[i];
    if (embedded != number) {
        return NodeError{Kind::bad_reply, "the Tron node at " + node +
                                              " sent a block id that does not match its number"};
    }
    ref.number = number;
    ref.timestamp_ms = block.block_header().raw_data().timestamp();
    return ref;
}

NodeResult<AssetInfo> decode_asset(protocol::AssetIssueContract const& contract,
                                   std::string const& id, std::string const& node) {
    if (contract.id().empty()) {
        return NodeError{Kind::not_found, "the Tron node knows no TRC-10 asset with id " + id};
    }
    if (contract.id() != id || contract.precision() < 0 || contract.precision() > 6) {
        return NodeError{Kind::bad_reply,
                         "the Tron node at " + node + " described asset " + id + " inconsistently"};
    }
    return AssetInfo{contract.id(), contract.name(), contract.abbr(), contract.precision()};
}

NodeResult<std::optional<TransactionStatus>> decode_transaction_info(
    protocol::TransactionInfo const& info, Hash32 const& txid, std::string const& node) {
    if (info.id().empty()) return std::optional<TransactionStatus>{};
    if (info.id() != std::string(txid.begin(), txid.end()) || info.blocknumber() <= 0) {
        return NodeError{Kind::bad_reply,
                         "the Tron node at " + node + " answered for a different transaction"};
    }
    TransactionStatus result;
    result.in_block = true;
    result.block_number = info.blocknumber();
    result.fee_sun = info.fee();
    result.failed = info.result() == protocol::TransactionInfo::FAILED;
    return std::optional<TransactionStatus>(result);
}

}  // namespace lanetorrent::tron

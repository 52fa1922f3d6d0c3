// libFuzzer target for what a Tron node answers (src/tron/node_reply.cpp): the wallet and the
// lanes act on these replies, and a node may be buggy or hostile. The first byte picks the reply
// type, the rest is its protobuf encoding. Decoding may refuse, but only with a sentence, and an
// accepted reply must be about what was asked.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tron/node_reply.hpp"

namespace {

using namespace lanetorrent::tron;

[[noreturn]] void fail(char const* what) {
    std::fprintf(stderr, "node_reply_fuzz: %s\n", what);
    std::abort();
}

template <class T>
void check_refusal(NodeResult<T> const& result) {
    if (!result && result.failure().message.empty()) fail("refused without a sentence");
}

// The account and the transaction the fuzzer's replies answer.
Address const& asked_account() {
    static Address const address = [] {
        std::array<std::uint8_t, 21> wire{0x41};
        for (std::size_t i = 1; i < wire.size(); ++i) wire[i] = static_cast<std::uint8_t>(i);
        return *Address::from_bytes(wire);
    }();
    return address;
}

Hash32 asked_txid() {
    Hash32 txid{};
    for (std::size_t i = 0; i < txid.size(); ++i) txid[i] = static_cast<std::uint8_t>(i);
    return txid;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    if (size == 0) return 0;
    auto const* body = data + 1;
    int const length = static_cast<int>(size - 1);
    std::string const node = "127.0.0.1:50051";
    switch (data[0] % 5) {
        case 0: {
            protocol::Account account;
            if (!account.ParseFromArray(body, length)) return 0;
            auto const result = decode_account(account, asked_account(), node);
            check_refusal(result);
            if (result && *result && account.address() != asked_account().wire()) {
                fail("accepted an answer about another account");
            }
            break;
        }
        case 1: {
            protocol::BlockExtention block;
            if (!block.ParseFromArray(body, length)) return 0;
            auto const result = decode_block(block, node);
            check_refusal(result);
            if (result && result->number <= 0) fail("accepted a block without a number");
            break;
        }
        case 2: {
            protocol::AssetIssueContract contract;
            if (!contract.ParseFromArray(body, length)) return 0;
            auto const result = decode_asset(contract, "1002000", node);
            check_refusal(result);
            if (result && (result->id != "1002000" || result->precision > 6)) {
                fail("accepted an asset that was not asked for");
            }
            break;
        }
        case 3: {
            protocol::TransactionInfo info;
            if (!info.ParseFromArray(body, length)) return 0;
            auto const result = decode_transaction_info(info, asked_txid(), node);
            check_refusal(result);
            if (result && *result && (*result)->block_number <= 0) fail("in a block without one");
            break;
        }
        default: {
            protocol::Return ret;
            if (!ret.ParseFromArray(body, length)) return 0;
            auto const error = error_of(ret);
            if (error && error->message.empty()) fail("a node error without a sentence");
            if (!error && ret.code() != protocol::Return::SUCCESS) fail("an error read as success");
            break;
        }
    }
    return 0;
}

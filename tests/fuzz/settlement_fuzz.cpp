// libFuzzer target for settlement payloads: the signed TRC-10 transfer a payer hands a seller
// (src/tron/transaction.cpp). The seller decodes the protobuf, reads the transfer back out,
// computes its txid and recovers the signer; none of it may crash on hostile bytes, and a
// transfer that is read back must carry two valid addresses.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>

#include "core/Tron.pb.h"
#include "tron/address.hpp"
#include "tron/keys.hpp"
#include "tron/transaction.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    protocol::Transaction tx;
    if (!tx.ParseFromArray(data, static_cast<int>(size))) return 0;
    auto const txid = lanetorrent::tron::transaction_id(tx);
    for (auto const& signature : tx.signature()) {
        (void)lanetorrent::tron::recover_signer(
            txid, {reinterpret_cast<std::uint8_t const*>(signature.data()), signature.size()});
    }
    auto const transfer = lanetorrent::tron::asset_transfer_of(tx);
    if (!transfer) {
        if (transfer.error().empty()) std::abort();
        return 0;
    }
    auto const bytes = [](std::string const& s) {
        return std::span<std::uint8_t const>(reinterpret_cast<std::uint8_t const*>(s.data()),
                                             s.size());
    };
    if (!lanetorrent::tron::Address::from_bytes(bytes(transfer->owner_address())) ||
        !lanetorrent::tron::Address::from_bytes(bytes(transfer->to_address()))) {
        std::fprintf(stderr, "settlement_fuzz: accepted a transfer with a bad address\n");
        std::abort();
    }
    return 0;
}

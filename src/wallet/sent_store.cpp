#include "wallet/sent_store.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/atomic_file.hpp"

namespace lanetorrent::wallet {

namespace fs = std::filesystem;

nlohmann::json describe(SignedTransfer const& transfer) {
    return {
        {"txID", transfer.txid_hex()},
        {"raw_data_hex", transfer.raw_data_hex()},
        {"signature", transfer.signature_hex()},
        {"from", transfer.from.base58()},
        {"to", transfer.to.base58()},
        {"asset", transfer.asset},
        {"amount", transfer.amount},
    };
}

Status SentStore::save(SignedTransfer const& transfer) {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    auto record = describe(transfer);
    record["transaction_hex"] = transfer.transaction_hex();
    record["expiration"] = transfer.expiration_ms();
    record["time_ms"] = transfer.timestamp_ms();
    auto const text = record.dump();
    return write_file_atomically(dir_ / (transfer.txid_hex() + ".json"),
                                 {text.data(), text.size()});
}

std::vector<SentRecord> SentStore::list() const {
    std::vector<SentRecord> records;
    std::error_code ec;
    for (auto const& file : fs::directory_iterator(dir_, ec)) {
        if (file.path().extension() != ".json") continue;
        auto bytes = read_file(file.path(), 1024 * 1024);
        if (!bytes) continue;
        auto json = nlohmann::json::parse(bytes->begin(), bytes->end(), nullptr, false);
        if (json.is_discarded() || !json.is_object() || !json.contains("txID")) continue;
        auto const txid = json.value("txID", std::string());
        if (txid.size() != 64) continue;
        records.push_back(
            {txid, json.value("from", std::string()), json.value("to", std::string()),
             json.value("asset", std::string()), json.value("amount", std::int64_t{0}),
             json.value("expiration", std::int64_t{0}), json.value("time_ms", std::int64_t{0}),
             json.value("transaction_hex", std::string())});
    }
    std::sort(records.begin(), records.end(), [](auto const& a, auto const& b) {
        return a.time_ms != b.time_ms ? a.time_ms < b.time_ms : a.txid < b.txid;
    });
    return records;
}

}  // namespace lanetorrent::wallet

// The transfers this wallet has signed, one JSON file each in the profile
// (<data>/wallet/sent/<txid>.json), written before the transfer is broadcast. A retry after a lost
// answer re-sends those exact bytes (the node answers "duplicate", which is success), so one
// intent never becomes two different signed payments; history reads the same files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/profile.hpp"
#include "base/result.hpp"
#include "wallet/transfer.hpp"

namespace lanetorrent::wallet {

// The fields a signed transfer is known by (txID, raw_data_hex, signature, from, to, asset,
// amount), as TronWeb names them: what `wallet send --json` prints and the start of each record.
nlohmann::json describe(SignedTransfer const& transfer);

struct SentRecord {
    std::string txid;  // hex
    std::string from;  // Base58
    std::string to;
    std::string asset;
    std::int64_t amount = 0;
    std::int64_t expiration_ms = 0;
    std::int64_t time_ms = 0;  // when it was signed
    std::string transaction_hex;
};

class SentStore {
  public:
    explicit SentStore(std::filesystem::path dir) : dir_(std::move(dir)) {}
    static SentStore of(Profile const& profile) {
        return SentStore(profile.data_dir() / "wallet" / "sent");
    }

    std::filesystem::path const& dir() const { return dir_; }
    Status save(SignedTransfer const& transfer);
    // Oldest first; files that cannot be read are skipped (a half-copied profile still lists the
    // rest).
    std::vector<SentRecord> list() const;

  private:
    std::filesystem::path dir_;
};

}  // namespace lanetorrent::wallet

// LaneStore: what the lanes core asks of its ledger. Ledger (SQLite) is the one implementation;
// the core sees only this, so it holds no database handle and its unit tests choose the file.
//
// Reads and writes are synchronous on purpose: an IOU is written before it is sent and a
// settlement before it is broadcast, and a write that fails must change the decision on the
// spot (pause lanes, never blame the peer). Methods returning a Result report the disk's errors
// in it; the others may throw (a disk fault): the core turns that into a storage fault.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "lanes/ledger_types.hpp"

namespace lanetorrent::lanes {

class LaneStore {
  public:
    virtual ~LaneStore() = default;

    virtual Result<Units, IouError> record_iou(IouRecord const& iou) = 0;
    virtual ChannelState channel(ChannelKey const& key) const = 0;
    virtual Status add_settlement(SettlementRecord const& record) = 0;
    virtual Status set_settlement_status(std::string const& txid, SettlementStatus status,
                                         std::int64_t block, std::int64_t now_ms) = 0;
    virtual std::optional<SettlementRecord> settlement(std::string const& txid) const = 0;
    virtual std::optional<SettlementRecord> open_settlement(ChannelKey const& key) const = 0;
    virtual std::vector<SettlementRecord> settlements(Role role) const = 0;  // newest first
    virtual std::vector<SettlementRecord> open_settlements(Role role) const = 0;
    virtual void add_traffic(std::vector<TrafficDelta> const& deltas) = 0;
    virtual Units total_for_torrent(Role role, std::string const& torrent) const = 0;
    virtual Units total_since(Role role, std::int64_t since_ms) const = 0;
};

// Whether a settlement of the channel is signed or broadcast but in no block (yet, or again after
// a fork): the next one waits for it.
inline bool settlement_not_in_block(LaneStore const& store, ChannelKey const& key) {
    for (auto const& record : store.open_settlements(key.role)) {
        if (record.channel == key && (record.status == SettlementStatus::signed_ ||
                                      record.status == SettlementStatus::pending)) {
            return true;
        }
    }
    return false;
}

}  // namespace lanetorrent::lanes

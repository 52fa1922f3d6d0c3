// Ledger: every lane payment and the traffic it paid for, in one SQLite file in the profile
// (lanes.sqlite). Both sides keep one: the seeder's "earn" rows and the downloader's "spend" rows
// have the same shape, so the two can be compared line by line.
//
// Money first: each method that changes an amount is one SQLite transaction (WAL,
// synchronous=FULL), so a kill -9 at any instant leaves either the old or the new state, never a
// half or a double count. Traffic counters are written in batches (losing up to one batch of byte
// counts in a crash is acceptable; losing money is not).
//
// A Ledger is used from one thread (the app thread). Another process may read the file at the
// same time (`lanetorrent-cli lanes status`). The methods that return a Result report disk
// errors in it; the others throw sqlite::SqliteError (a disk or programming error, not a user's).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "lanes/lane.hpp"
#include "lanes/lane_store.hpp"
#include "lanes/ledger_types.hpp"

namespace lanetorrent::lanes {

class Ledger : public LaneStore {
  public:
    static Result<std::unique_ptr<Ledger>> open(std::filesystem::path const& file);
    ~Ledger() override;

    // Records a new IOU on its channel if it is newer than the last one: amount and seq both
    // strictly greater. Otherwise an error saying which ("IOU amount 5 does not exceed 7"); the
    // ledger is unchanged. Returns the increase.
    Result<Units, IouError> record_iou(IouRecord const& iou) override;
    ChannelState channel(ChannelKey const& key) const override;  // zeros for a channel never seen
    std::vector<ChannelKey> channels(Role role) const;

    // Records a settlement before anyone broadcasts it. Refused if the txid is already recorded
    // (a replay) or if the channel already has a settlement from the same `from` that has not
    // failed (so the payer never signs, and the payee never accepts, two transfers for one debt).
    Status add_settlement(SettlementRecord const& record) override;
    // signed -> pending -> confirmed -> solidified (a step may be skipped: a watcher can first
    // see a transaction already in a block), or any non-final status -> failed; never out of
    // solidified or failed; the same status again is a no-op. The only move back is confirmed
    // -> pending: a fork dropped the block it was in. The channel's settled amount is recomputed
    // in the same transaction: the contiguous run of ranges in a block from where the channel's
    // settlements begin (0 for a seller), so a settlement that leaves a block (a fork) or fails
    // stops counting, and so does every later one until the gap is in a block again.
    // Unknown txid: an error.
    Status set_settlement_status(std::string const& txid, SettlementStatus status,
                                 std::int64_t block, std::int64_t now_ms) override;
    std::optional<SettlementRecord> settlement(std::string const& txid) const override;
    // The channel's newest settlement that is neither failed nor final, if any. Usually at most
    // one; a confirmed one waiting to become solid may coexist with the next one.
    std::optional<SettlementRecord> open_settlement(ChannelKey const& key) const override;
    std::vector<SettlementRecord> settlements(Role role) const override;  // newest first
    // The settlements still to follow on the chain (signed, pending, confirmed), newest first:
    // what the status tracker asks about, several times a second after a broadcast.
    std::vector<SettlementRecord> open_settlements(Role role) const override;

    void add_traffic(std::vector<TrafficDelta> const& deltas) override;  // one transaction
    std::vector<TrafficRow> traffic(Role role) const;

    // IOU increases (earnings or spending) per torrent, and since a time (for daily caps).
    Units total_for_torrent(Role role, std::string const& torrent) const override;
    Units total_since(Role role, std::int64_t since_ms) const override;
    Units total(Role role) const;
    // total_for_torrent for every torrent with any IOU, in one query (a list of 1,000 torrents
    // refreshes it every second).
    std::map<std::string, Units> totals_by_torrent(Role role) const;
    // IOU increases per UTC day (both roles), oldest first, over the days that have any since
    // `since_ms`; with `torrent`, only that torrent's. For charts: days without IOUs are absent.
    struct DayTotal {
        std::int64_t day_start_ms = 0;  // UTC midnight
        Units earned = 0;
        Units spent = 0;
    };
    std::vector<DayTotal> daily_totals(std::int64_t since_ms,
                                       std::optional<std::string> const& torrent = {}) const;
    std::vector<IouRecord> ious(ChannelKey const& key) const;  // oldest first
    // What one settlement paid for: the IOU increases of its channel inside (from, to], summed
    // per torrent, largest first (an increase that straddles `from` or `to` counts only its part
    // inside). A torrent of "" is an IOU continued from another device. One indexed query on the
    // channel's IOUs, for the wallet history.
    struct TorrentShare {
        std::string torrent;
        Units amount = 0;
    };
    std::vector<TorrentShare> settlement_torrents(SettlementRecord const& settlement) const;

    void replace_live_peers(std::vector<LivePeer> const& peers);
    std::vector<LivePeer> live_peers() const;

  private:
    struct Impl;
    explicit Ledger(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace lanetorrent::lanes

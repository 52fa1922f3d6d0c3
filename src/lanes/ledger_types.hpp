// The ledger's value types: channels, IOUs, settlements, traffic. Shared by the Ledger (SQLite)
// and the lanes core, which sees the ledger only through LaneStore (lane_store.hpp).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "lanes/lane.hpp"

namespace lanetorrent::lanes {

enum class Role { earn, spend };  // earn: we are the payee (seeder); spend: we are the payer

// A payment channel: all IOUs from one payer to one payee in one asset, across torrents and
// connections. Addresses are Base58 ("T...").
struct ChannelKey {
    Role role = Role::earn;
    std::string payer;
    std::string payee;
    std::string asset;
    friend auto operator<=>(ChannelKey const&, ChannelKey const&) = default;
};

enum class SettlementStatus { signed_, pending, confirmed, solidified, failed };
char const* to_string(SettlementStatus status);

struct SettlementRecord {
    std::string txid;  // hex
    ChannelKey channel;
    Units from = 0;           // cumulative amount settled before this transfer
    Units to = 0;             // ... and after it; the transfer moves to - from
    std::string transaction;  // the signed protocol.Transaction, serialized
    SettlementStatus status = SettlementStatus::signed_;
    std::int64_t block = 0;  // once in a block
    std::int64_t created_ms = 0;
    std::int64_t updated_ms = 0;
};

struct ChannelState {
    Units iou_amount = 0;  // latest accepted (earn) or issued (spend) cumulative IOU
    std::int64_t iou_seq = 0;
    std::string iou_signature;  // 65 bytes, to show a third party if ever needed
    Units settled = 0;          // cumulative amount in confirmed or solidified settlements
    std::int64_t last_settled_ms = 0;
    std::int64_t first_unsettled_ms = 0;  // when the oldest IOU not yet settled was recorded
};

struct IouRecord {
    ChannelKey channel;
    std::string torrent;  // the torrent the increase paid for
    Units amount = 0;     // cumulative
    std::int64_t seq = 0;
    std::string signature;  // 65 bytes
    std::int64_t at_ms = 0;
};

struct TrafficDelta {
    Role role = Role::earn;
    std::string torrent;
    std::string peer;  // the peer's Tron address if it proved one, else its IP
    Lane lane = Lane::slow;
    std::int64_t bytes = 0;
};

struct TrafficRow {
    Role role = Role::earn;
    std::string torrent;
    std::string peer;
    std::array<std::int64_t, lane_count> bytes{};  // per lane
};

// What `lanes status` shows: one row per connected peer, rewritten every second by the running
// client.
struct LivePeer {
    Role role = Role::earn;
    std::string torrent;
    std::string endpoint;  // ip:port
    std::string client;
    std::string address;  // Tron address, empty if the peer proved none
    Lane lane = Lane::slow;
    std::int64_t rate = 0;  // bytes/s (sent for earn, received for spend)
    Units debt = 0;         // owed but not yet covered by an IOU
    Units paid = 0;         // IOUs on this channel
    std::int64_t updated_ms = 0;
};

// Why an IOU was not recorded: the payer's fault (not newer than the last) or ours (the disk).
struct IouError {
    enum class Kind { stale, storage };
    Kind kind = Kind::storage;
    std::string message;
};

}  // namespace lanetorrent::lanes

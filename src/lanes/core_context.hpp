// What the seller and the buyer of the lanes core share: the connections, the ledger, the time
// of the event being handled, and the list of commands being built (private to src/lanes).
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "lanes/core_types.hpp"
#include "lanes/lane_store.hpp"

namespace lanetorrent::lanes {

// Our own ledger cannot be written (full disk, locked or lost file). Thrown inside the core and
// caught at its edge (LanesCore), where it pauses paid lanes; never a peer's fault.
struct StorageFault : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The entry for `id` in a map keyed by connection, or null (const for a const map).
template <class Map>
auto* entry_of(Map& map, ConnectionId id) {
    auto const it = map.find(id);
    return it == map.end() ? nullptr : &it->second;
}

struct CoreContext {
    explicit CoreContext(LaneStore& ledger) : store(ledger) {}

    LaneStore& store;
    std::map<ConnectionId, PeerConn> peers;
    std::vector<Command> out;
    Now now;
    // Non-empty while our ledger cannot be written: nothing paid is sold or bought meanwhile.
    std::string storage_fault;
    bool node_answers = true;  // as the adapter last said
    // After a settlement is accepted or signed, the chain is asked about it every 200 ms for a
    // while rather than once a second: the seller's exposure waits for it to be in a block, so
    // every second of delay is a second of the lane's rate (docs/lane-protocol.md, "Choosing
    // window and threshold").
    SteadyTime watch_closely_until{};

    PeerConn* peer(ConnectionId id) { return entry_of(peers, id); }
    PeerConn const* peer(ConnectionId id) const { return entry_of(peers, id); }
    void send(ConnectionId conn, Message message) {
        out.push_back(command::Send{conn, std::move(message)});
    }
    void notice(LaneNotice notice) { out.push_back(command::Notify{std::move(notice)}); }
    void notice(LaneNotice::Kind kind, PeerConn const& conn, std::string text,
                std::string txid = {}) {
        notice(
            LaneNotice{kind, conn.torrent, conn.endpoint(), std::move(text), std::move(txid), {}});
    }
    void reject(PeerConn const& conn, std::string code, std::string text) {
        notice(LaneNotice::Kind::rejected, conn, code + ": " + text);
        send(conn.id, msg::Reject{std::move(code), text.substr(0, 200)});
    }
    void watch_closely() { watch_closely_until = now.steady + std::chrono::seconds(10); }
};

}  // namespace lanetorrent::lanes

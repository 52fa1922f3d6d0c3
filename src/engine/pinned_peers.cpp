#include "engine/pinned_peers.hpp"

#include <algorithm>
#include <libtorrent/error_code.hpp>

#include "engine/seed_marking.hpp"

namespace lanetorrent {

void PinnedPeers::add(lt::tcp::endpoint const& peer) {
    auto const same = [&](Pin const& pin) { return pin.endpoint == peer; };
    if (std::none_of(pins_.begin(), pins_.end(), same)) pins_.push_back(Pin{peer});
}

void PinnedPeers::on_connected(lt::address const& address) {
    for (auto& pin : pins_) {
        if (pin.endpoint.address() == address) ++pin.connections;
    }
}

void PinnedPeers::on_disconnected(lt::address const& address, lt::error_code const& why) {
    for (auto& pin : pins_) {
        if (pin.endpoint.address() != address) continue;
        pin.connections = std::max(pin.connections - 1, 0);
        if (closed_as_redundant(why)) pin.parted_as_seeds = true;
    }
}

void PinnedPeers::set_complete(bool complete) {
    if (complete == complete_) return;
    complete_ = complete;
    if (complete) return;
    for (auto& pin : pins_) {
        pin.parted_as_seeds = false;
        pin.backoff = {};
        pin.next_dial = {};
    }
}

std::vector<lt::tcp::endpoint> PinnedPeers::due(Clock::time_point now) {
    std::vector<lt::tcp::endpoint> out;
    for (auto& pin : pins_) {
        if (pin.connections > 0 || pin.parted_as_seeds || now < pin.next_dial) continue;
        out.push_back(pin.endpoint);
        if (complete_) {
            pin.backoff = std::clamp<Clock::duration>(pin.backoff * 2, first_backoff, max_backoff);
            pin.next_dial = now + pin.backoff;
        }
    }
    return out;
}

bool PinnedPeers::any_connected() const {
    return std::any_of(pins_.begin(), pins_.end(),
                       [](Pin const& pin) { return pin.connections > 0; });
}

void PinnedPeers::recount(std::vector<lt::address> const& connected) {
    for (auto& pin : pins_) {
        pin.connections = static_cast<int>(
            std::count(connected.begin(), connected.end(), pin.endpoint.address()));
    }
}

}  // namespace lanetorrent

#include "lanes/enforcer.hpp"

#include <algorithm>
#include <cmath>
#include <libtorrent/ip_filter.hpp>
#include <libtorrent/session.hpp>
#include <stdexcept>

namespace lanetorrent::lanes {
namespace {

using namespace std::chrono_literals;

// A slot whose IP has had no connection for this long goes back to the pool; a peer that
// reconnects within it (our own lane reconnect, a brief network drop) keeps its class.
constexpr auto slot_linger = 30s;

std::uint32_t bit(lt::peer_class_t id) {
    return 1u << static_cast<std::uint32_t>(id);
}

}  // namespace

std::array<std::int64_t, lane_count> lane_budgets(std::int64_t budget, LaneShares const& shares,
                                                  std::array<int, lane_count> const& members) {
    std::int64_t weight = 0;
    for (int l = 0; l < lane_count; ++l) {
        if (members[l] > 0) weight += shares.permille[l];
    }
    std::array<std::int64_t, lane_count> out{};
    if (weight == 0) return out;
    for (int l = 0; l < lane_count; ++l) {
        if (members[l] > 0) out[l] = budget * shares.permille[l] / weight;
    }
    return out;
}

LaneEnforcer::LaneEnforcer(lt::session& session, LaneShares shares)
    : session_(session), shares_(shares) {
    for (int l = 0; l < lane_count; ++l) {
        shared_[l] =
            session_.create_peer_class((std::string("lane-") + to_string(Lane(l))).c_str());
    }
    for (int s = 0; s < slot_count; ++s) {
        slots_[s] = session_.create_peer_class(("lane-slot-" + std::to_string(s)).c_str());
    }
    if (static_cast<int>(slots_.back()) > 31) {
        // Someone created classes before us (a per-torrent limit); the filter cannot reach these.
        throw std::logic_error("lane classes must be created before any torrent is added");
    }
    install_filter();
}

void LaneEnforcer::install_filter() {
    auto const global = bit(lt::session::global_peer_class_id);
    lt::ip_filter filter;
    // Every address, loopback and LAN included (libtorrent exempts those by default), starts in
    // the slow lane under the global limit.
    auto const everyone = global | bit(shared_[0]);
    filter.add_rule(lt::make_address("0.0.0.0"), lt::make_address("255.255.255.255"), everyone);
    filter.add_rule(lt::make_address("::"),
                    lt::make_address("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), everyone);
    for (auto const& [ip, state] : ips_) {
        std::uint32_t mask = 0;
        if (state.slot >= 0) {
            mask = global | bit(slots_[state.slot]);
        } else if (state.shared_lane != Lane::slow) {
            mask = global | bit(shared_[static_cast<int>(state.shared_lane)]);
        } else {
            continue;
        }
        lt::error_code ec;
        auto const address = lt::make_address(ip, ec);
        if (!ec) filter.add_rule(address, address, mask);  // a single-IP rule replaces the range's
    }
    session_.set_peer_class_filter(filter);
}

HeldClass LaneEnforcer::on_open(std::string const& ip) {
    auto& state = ips_[ip];
    ++state.connections;
    if (state.slot >= 0) return HeldClass{state.slot, Lane::slow};
    return HeldClass{-1, state.shared_lane};
}

void LaneEnforcer::on_close(std::string const& ip) {
    auto const it = ips_.find(ip);
    if (it == ips_.end()) return;
    if (--it->second.connections <= 0) {
        it->second.connections = 0;
        it->second.last_closed = std::chrono::steady_clock::now();
    }
}

bool LaneEnforcer::want(std::string const& ip, HeldClass const& held, Lane lane) {
    auto& state = ips_[ip];
    if (held.slot >= 0 && held.slot == state.slot) return false;  // limits do it, live
    if (state.slot < 0 && lane != Lane::slow) {
        for (int s = 0; s < slot_count; ++s) {
            if (!slot_owner_[s].empty()) continue;
            slot_owner_[s] = ip;
            state.slot = s;
            break;
        }
    }
    if (state.slot < 0) state.shared_lane = lane;
    install_filter();
    // A connection in the shared class of the lane it wants is already right.
    return !(held.slot < 0 && state.slot < 0 && held.lane == lane);
}

void LaneEnforcer::configure(lt::peer_class_t id, std::int64_t limit, bool ignore_slots) {
    auto const key = static_cast<int>(id);
    auto const wanted = std::make_pair(limit, ignore_slots);
    auto const it = applied_.find(key);
    if (it != applied_.end() && it->second == wanted) return;
    applied_[key] = wanted;
    // set_peer_class writes every field: read, change, write back.
    auto info = session_.get_peer_class(id);
    info.upload_limit = static_cast<int>(std::min<std::int64_t>(limit, INT32_MAX));
    info.ignore_unchoke_slots = ignore_slots;
    session_.set_peer_class(id, info);
}

void LaneEnforcer::rebalance(std::int64_t budget, std::vector<Member> const& members) {
    std::array<int, lane_count> per_lane{};
    std::array<int, lane_count> in_shared{};
    std::array<int, slot_count> in_slot{};
    std::array<std::int64_t, lane_count> shared_rate{};
    std::array<std::int64_t, slot_count> slot_rate{};
    std::array<Lane, slot_count> slot_lane{};
    for (auto const& m : members) {
        ++per_lane[static_cast<int>(m.lane)];
        auto const it = ips_.find(m.ip);
        bool const owns_slot =
            m.held.slot >= 0 && it != ips_.end() && it->second.slot == m.held.slot;
        if (owns_slot) {
            ++in_slot[m.held.slot];
            slot_rate[m.held.slot] += m.rate;
            slot_lane[m.held.slot] = std::max(slot_lane[m.held.slot], m.lane);
        } else {
            ++in_shared[static_cast<int>(m.held.lane)];
            shared_rate[static_cast<int>(m.held.lane)] += m.rate;
        }
    }
    auto const budgets = lane_budgets(budget, shares_, per_lane);
    // A class with nobody in it yet gets the whole budget: its first member's handshake must not
    // crawl (libtorrent raises a limit of 1 to 10 B/s), and the next rebalance cuts it to size.
    auto per_peer = [&](Lane lane) {
        auto const l = static_cast<int>(lane);
        return per_lane[l] > 0 ? std::max<std::int64_t>(budgets[l] / per_lane[l], 1) : budget;
    };
    for (int l = 0; l < lane_count; ++l) {
        auto const target = per_peer(Lane(l)) * std::max(in_shared[l], 1);
        auto const limit =
            in_shared[l] > 0 ? corrected(shared_[l], target, shared_rate[l]) : target;
        configure(shared_[l], limit, l != static_cast<int>(Lane::slow));
    }
    for (int s = 0; s < slot_count; ++s) {
        if (in_slot[s] == 0) {
            correction_.erase(static_cast<int>(slots_[s]));
            configure(slots_[s], budget, false);
            continue;
        }
        auto const target = per_peer(slot_lane[s]) * in_slot[s];
        configure(slots_[s], corrected(slots_[s], target, slot_rate[s]),
                  slot_lane[s] != Lane::slow);
    }
    release_idle_slots();
}

// libtorrent's limiter does not deliver exactly the limit it is given (measured: a shared class of
// one peer ran 17-20 % over, slots 1-3 % under), so each class learns the ratio delivered/allowed
// and is given target / ratio. A class can deliver in bursts (0.1 of its limit one second, 1.6 the
// next), so the ratio comes from sums that decay over a few seconds, not from single seconds: a
// ratio fed only the bursts would creep up and starve the class. Only a class that used at least
// 90 % of its limit over those seconds says how the limiter errs; one whose peers wanted less says
// nothing.
std::int64_t LaneEnforcer::corrected(lt::peer_class_t id, std::int64_t target,
                                     std::int64_t measured) {
    constexpr double keep = 0.7;  // per second: the sums span about three seconds
    auto& c = correction_[static_cast<int>(id)];
    // Right after the target moves, the last second still shows the old limit: start over.
    bool const steady =
        c.last_target > 0 && std::abs(static_cast<double>(target) / c.last_target - 1) < 0.1;
    c.last_target = target;
    auto const last = applied_.find(static_cast<int>(id));
    if (!steady || last == applied_.end() || last->second.first <= 0) {
        c.delivered = c.allowed = 0;
        c.seconds = 0;
    } else {
        c.delivered = keep * c.delivered + static_cast<double>(measured);
        c.allowed = keep * c.allowed + static_cast<double>(last->second.first);
        double const used = c.delivered / c.allowed;
        if (++c.seconds >= 3 && used >= 0.9) c.ratio = std::clamp(used, 0.67, 1.5);
    }
    return static_cast<std::int64_t>(target / c.ratio);
}

void LaneEnforcer::release_idle_slots() {
    auto const now = std::chrono::steady_clock::now();
    bool changed = false;
    for (auto it = ips_.begin(); it != ips_.end();) {
        auto& state = it->second;
        if (state.connections > 0 || now - state.last_closed < slot_linger) {
            ++it;
            continue;
        }
        if (state.slot >= 0) slot_owner_[state.slot].clear();
        changed = changed || state.slot >= 0 || state.shared_lane != Lane::slow;
        it = ips_.erase(it);
    }
    if (changed) install_filter();
}

int LaneEnforcer::free_slots() const {
    int free = 0;
    for (auto const& owner : slot_owner_) free += owner.empty() ? 1 : 0;
    return free;
}

}  // namespace lanetorrent::lanes

#include "lanes/enforcer.hpp"

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <cmath>
#include <libtorrent/ip_filter.hpp>
#include <libtorrent/peer_connection_handle.hpp>
#include <libtorrent/session.hpp>
#include <stdexcept>

namespace lanetorrent::lanes {
namespace {

using namespace std::chrono_literals;

// A slot whose IP has had no connection for this long goes back to the pool; a payer that
// reconnects within it (a brief network drop) keeps its class, though it is re-armed first.
constexpr auto slot_linger = 30s;
// The least an empty class is given: a newcomer's handshake and bitfield must not crawl (a limit
// of 1 B/s, which libtorrent raises to 10, once held new connections up for 10 s).
constexpr std::int64_t min_welcome = 16 * 1024;
constexpr int tick_ms = 100;  // libtorrent's quota tick on a seller, see the constructor

// A slot is handed to newcomers only while more than this many are free: the rest wait for payers
// that came when no spare was left (they get theirs through one reconnect).
constexpr int kept_for_reconnects = 4;
// Owner of a slot that is nobody's own: a second slot of an IP, or one two IPs dialled into.
char const* const stray_owner = "*";

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

ClassTargets class_targets(std::int64_t budget, LaneShares const& shares,
                           std::vector<Seat> const& seats) {
    std::array<int, lane_count> per_lane{};
    for (auto const& s : seats) ++per_lane[static_cast<int>(s.lane)];
    auto const budgets = lane_budgets(budget, shares, per_lane);
    auto part = [&](Lane lane) {
        auto const l = static_cast<int>(lane);
        return std::max<std::int64_t>(budgets[l] / std::max(per_lane[l], 1), 1);
    };
    ClassTargets out;
    for (auto const& s : seats) {
        if (s.held.slot >= 0 && s.held.slot < lane_slot_count) {
            out.slot[s.held.slot] += part(s.lane);
            ++out.slot_members[s.held.slot];
        } else {
            auto const l = static_cast<int>(s.held.lane);
            out.shared[l] += part(s.lane);
            ++out.shared_members[l];
        }
    }
    // What one more slow connection would get, rounded down to a power of two: 26 empty slots
    // need not be set again every time a connection comes or goes.
    auto with_newcomer = per_lane;
    ++with_newcomer[0];
    auto const part_of_newcomer = lane_budgets(budget, shares, with_newcomer)[0] / with_newcomer[0];
    auto welcome = min_welcome;
    while (welcome * 2 <= part_of_newcomer) welcome *= 2;
    for (int l = 0; l < lane_count; ++l) {
        if (out.shared_members[l] == 0) out.shared[l] = welcome;
    }
    for (int s = 0; s < lane_slot_count; ++s) {
        if (out.slot_members[s] == 0) out.slot[s] = welcome;
    }
    return out;
}

// libtorrent's limiter does not deliver exactly the limit it is given (measured: a shared class of
// one peer ran 17-20 % over, slots 1-3 % under), so each class learns the ratio delivered/allowed
// and is given target / ratio. A class can deliver in bursts (0.1 of its limit one second, 1.6 the
// next), so the ratio comes from sums that decay over a few seconds, not from single seconds: a
// ratio fed only the bursts would creep up and starve the class. Only a class that used at least
// 90 % of its limit over those seconds says how the limiter errs; one whose peers wanted less says
// nothing. The ratio a class has learnt is kept across target changes: the limiter errs the same
// way at the new limit, and starting over at 1.0 would overshoot again for three seconds.
std::int64_t LimiterCorrection::update(std::int64_t target, std::int64_t measured,
                                       std::int64_t allowed_limit) {
    constexpr double keep = 0.7;  // per second: the sums span about three seconds
    // Right after the target moves, the last second still shows the old limit: start the sums
    // over.
    bool const steady =
        last_target > 0 && std::abs(static_cast<double>(target) / last_target - 1) < 0.1;
    last_target = target;
    if (!steady || allowed_limit <= 0) {
        delivered = allowed = 0;
        seconds = 0;
    } else {
        delivered = keep * delivered + static_cast<double>(measured);
        allowed = keep * allowed + static_cast<double>(allowed_limit);
        double const used = delivered / allowed;
        if (++seconds >= 3 && used >= 0.9) ratio = std::clamp(used, 0.67, 1.5);
    }
    return limit(target);
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
    // libtorrent hands out upload quota once per tick (500 ms by default), and a rate-limited
    // connection's every send waits for the next one: a reconnect's handshake round trips, the
    // grant behind a second's payload, each took up to half a second, and a lane change showed
    // in bursts. 100 ms ticks cut each such wait to a tenth of a second. (50 ms halved the time
    // to a paid grant, 0.21-0.24 s against 0.48 s, but a restarted seller that dialled its
    // payers then kept missing their armed slots: every redial was another reconnect, and the
    // crash-rounds test saw no IOU for 30 s.)
    lt::settings_pack pack;
    pack.set_int(lt::settings_pack::tick_interval, tick_ms);
    session_.apply_settings(std::move(pack));
    pick_spare();
    install_filter();
}

LaneEnforcer::~LaneEnforcer() = default;

void LaneEnforcer::pick_spare() {
    if (spare_ >= 0 && slot_owner_[spare_].empty()) return;
    spare_ = -1;
    if (free_slots() <= kept_for_reconnects) return;
    for (int s = 0; s < slot_count; ++s) {
        if (slot_owner_[s].empty()) {
            spare_ = s;
            return;
        }
    }
}

HeldClass LaneEnforcer::held_of(std::uint32_t mask) const {
    for (int s = 0; s < slot_count; ++s) {
        if (mask & bit(slots_[s])) return HeldClass{s, Lane::slow};
    }
    for (int l = lane_count - 1; l > 0; --l) {
        if (mask & bit(shared_[l])) return HeldClass{-1, Lane(l)};
    }
    return HeldClass{};
}

void LaneEnforcer::install_filter() {
    auto const global = bit(lt::session::global_peer_class_id);
    lt::ip_filter filter;
    // Every address, loopback and LAN included (libtorrent exempts those by default), starts in
    // the slow lane under the global limit.
    // An address we have not met lands in the spare slot while there is one (a class of its own
    // from its first connection, so proving a payer needs no reconnect), else in the shared slow
    // class.
    auto const everyone = global | (spare_ >= 0 ? bit(slots_[spare_]) : bit(shared_[0]));
    filter.add_rule(lt::make_address("0.0.0.0"), lt::make_address("255.255.255.255"), everyone);
    filter.add_rule(lt::make_address("::"),
                    lt::make_address("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), everyone);
    // A known address lands in its class only while armed (until its next connection opens: a
    // class serves the one connection that was asked to reconnect into it, or the IP's only one
    // coming back); any other connection from it lands in the shared slow class.
    for (auto const& [ip, state] : ips_) {
        std::uint32_t mask = global | bit(shared_[0]);
        if (state.armed && state.slot >= 0) {
            mask = global | bit(slots_[state.slot]);
        } else if (state.armed && state.shared_lane != Lane::slow) {
            mask = global | bit(shared_[static_cast<int>(state.shared_lane)]);
        }
        lt::error_code ec;
        auto const address = lt::make_address(ip, ec);
        if (!ec) filter.add_rule(address, address, mask);  // a single-IP rule replaces the range's
    }
    session_.set_peer_class_filter(filter);
}

HeldClass LaneEnforcer::on_open(std::string const& ip, std::uint32_t classes) {
    auto& state = ips_[ip];
    ++state.connections;
    HeldClass const held = held_of(classes);
    // Disarmed: any further connection from this IP is nobody's payer until it proves one.
    state.armed = false;
    if (held.slot >= 0) {
        auto& owner = slot_owner_[held.slot];
        if (owner.empty()) {
            // The spare: this IP's own class from now on (a second one for an IP that has one
            // already serves until it empties).
            if (state.slot < 0) {
                state.slot = held.slot;
                owner = ip;
            } else {
                owner = stray_owner;
            }
        } else if (owner != ip && owner != stray_owner) {
            // Two addresses dialled into one spare before the filter moved on: it is neither's.
            if (auto const other = ips_.find(owner);
                other != ips_.end() && other->second.slot == held.slot) {
                other->second.slot = -1;
            }
            owner = stray_owner;
        }
    }
    pick_spare();
    install_filter();
    // Slow until a grant says otherwise: an unproven connection gets the slow lane's part, even in
    // a slot.
    seats_.push_back(Held{ip, Seat{held, Lane::slow}});
    apply(nullptr);
    return held;
}

void LaneEnforcer::on_close(std::string const& ip) {
    auto const it = ips_.find(ip);
    if (it == ips_.end()) return;
    if (--it->second.connections <= 0) {
        it->second.connections = 0;
        it->second.last_closed = std::chrono::steady_clock::now();
        // Its next connection (a redial, or the reconnect we asked for) goes back to its class.
        if (it->second.slot >= 0 || it->second.shared_lane != Lane::slow) {
            it->second.armed = true;
            install_filter();
        }
    }
    // Which of the IP's connections closed is not said; the next rebalance knows. Until then
    // guess the one a reconnect replaces: slow, outside the IP's class (its successor, in the
    // class, must not lose its limit for a second).
    auto seat = std::find_if(seats_.begin(), seats_.end(), [&](Held const& h) {
        return h.ip == ip && h.seat.held.slot < 0 && h.seat.lane == Lane::slow;
    });
    if (seat == seats_.end()) {
        seat =
            std::find_if(seats_.begin(), seats_.end(), [&](Held const& h) { return h.ip == ip; });
    }
    if (seat != seats_.end()) {
        seats_.erase(seat);
        apply(nullptr);
    }
}

void LaneEnforcer::set_seat_lane(std::string const& ip, HeldClass const& held, Lane lane) {
    bool found = false;
    for (auto& h : seats_) {
        if (h.ip == ip && h.seat.held.slot == held.slot &&
            (held.slot >= 0 || h.seat.held.lane == held.lane)) {
            h.seat.lane = lane;
            found = true;
        }
    }
    if (!found) seats_.push_back(Held{ip, Seat{held, lane}});
    if (held.slot < 0) return apply(nullptr);
    auto const id = slots_[held.slot];
    auto const before =
        applied_.count(static_cast<int>(id)) ? applied_[static_cast<int>(id)].first : 0;
    apply(nullptr);
    auto const after = applied_[static_cast<int>(id)].first;
    if (lane != Lane::slow && before > 0 && after > before) precharge(id, after);
}

// libtorrent sends at once only while a class holds more than a second's worth of quota; below
// that every send waits for the next tick, one send buffer (a block or two for a new connection)
// per tick. Quota builds at the class's limit, so after a promotion (or the first grant on a new
// connection) the lane showed only after a second. Raising the limit eightfold for about one tick
// builds most of that second's worth in a tenth of it; the limit then drops back to the lane's.
// The cost: should the timer span two ticks, the payer may use up to 0.6 s's worth above its
// rate, once per promotion (tenfold gave bursts of twice the rate over a second in bench/lanes).
void LaneEnforcer::precharge(lt::peer_class_t id, std::int64_t limit) {
    constexpr int boost = 8;
    auto const key = static_cast<int>(id);
    auto info = info_.at(key);
    auto const generation = ++generation_->at(static_cast<std::size_t>(key));
    auto boosted = info;
    boosted.upload_limit = static_cast<int>(std::min<std::int64_t>(limit * boost, INT32_MAX));
    session_.set_peer_class(id, boosted);
    auto timer = std::make_shared<boost::asio::steady_timer>(session_.get_context());
    timer->expires_after(std::chrono::milliseconds(tick_ms + tick_ms / 5));
    // The timer runs on the network thread, where session calls execute at once; it restores the
    // limit only if the app thread has not set another since.
    timer->async_wait(
        [timer, generations = generation_, generation, key, id, info,
         session = lt::session_handle(session_)](boost::system::error_code const& ec) mutable {
            if (ec || generations->at(static_cast<std::size_t>(key)) != generation) return;
            session.set_peer_class(id, info);
        });
}

bool LaneEnforcer::want(std::string const& ip, HeldClass const& held, Lane lane) {
    auto& state = ips_[ip];
    bool const in_own_slot = held.slot >= 0 && held.slot == state.slot;
    bool const in_lane_class = held.slot < 0 && state.slot < 0 && held.lane == lane;
    if (in_own_slot || in_lane_class || (lane == Lane::slow && held.slot < 0)) {
        // The class can carry the lane: new limits, now rather than at the next rebalance.
        set_seat_lane(ip, held, lane);
        return held.slot < 0 && held.lane != lane;  // a paid shared class cannot serve slow
    }
    if (lane == Lane::slow) {
        set_seat_lane(ip, held, lane);
        return true;  // a slot that is not its IP's any more: only a reconnect leaves it
    }
    if (state.slot < 0) {
        for (int pass = 0; pass < 2 && state.slot < 0; ++pass) {
            for (int s = 0; s < slot_count; ++s) {
                // The spare last: it is a newcomer's class.
                if (!slot_owner_[s].empty() || (pass == 0 && s == spare_)) continue;
                slot_owner_[s] = ip;
                state.slot = s;
                break;
            }
        }
        pick_spare();
    }
    if (state.slot < 0) state.shared_lane = lane;
    state.armed = true;
    install_filter();
    apply(nullptr);
    return true;
}

void LaneEnforcer::configure(lt::peer_class_t id, std::int64_t limit, bool ignore_slots) {
    auto const key = static_cast<int>(id);
    auto const wanted = std::make_pair(limit, ignore_slots);
    auto const it = applied_.find(key);
    if (it != applied_.end() && it->second == wanted) return;
    applied_[key] = wanted;
    // set_peer_class writes every field: start from the record as libtorrent has it (read once;
    // we are its only writer, and reading is a blocking round trip to the network thread).
    auto info = info_.find(key);
    if (info == info_.end()) info = info_.emplace(key, session_.get_peer_class(id)).first;
    info->second.upload_limit = static_cast<int>(std::min<std::int64_t>(limit, INT32_MAX));
    info->second.ignore_unchoke_slots = ignore_slots;
    ++generation_->at(static_cast<std::size_t>(key));  // a pending precharge must not undo this
    session_.set_peer_class(id, info->second);
}

// rates: per seat, measured over the last second (a rebalance), or null between rebalances,
// when the limits follow a change at once with what each class has learnt so far.
void LaneEnforcer::apply(std::vector<std::int64_t> const* rates) {
    if (budget_ <= 0) return;  // before the first rebalance
    std::vector<Seat> seats;
    seats.reserve(seats_.size());
    for (auto const& h : seats_) seats.push_back(h.seat);
    auto const targets = class_targets(budget_, shares_, seats);
    std::array<std::int64_t, lane_count> shared_rate{};
    std::array<std::int64_t, slot_count> slot_rate{};
    std::array<bool, slot_count> slot_paid{};
    for (std::size_t i = 0; i < seats.size(); ++i) {
        auto const rate = rates ? (*rates)[i] : 0;
        auto const& held = seats[i].held;
        if (held.slot >= 0) {
            slot_rate[held.slot] += rate;
            slot_paid[held.slot] = slot_paid[held.slot] || seats[i].lane != Lane::slow;
        } else {
            shared_rate[static_cast<int>(held.lane)] += rate;
        }
    }
    auto limit_of = [&](lt::peer_class_t id, std::int64_t target, int members, std::int64_t rate) {
        auto const key = static_cast<int>(id);
        if (members == 0) {
            correction_.erase(key);
            return target;
        }
        auto& c = correction_[key];
        if (!rates) return c.limit(target);
        auto const last = applied_.find(key);
        return c.update(target, rate, last == applied_.end() ? 0 : last->second.first);
    };
    for (int l = 0; l < lane_count; ++l) {
        configure(
            shared_[l],
            limit_of(shared_[l], targets.shared[l], targets.shared_members[l], shared_rate[l]),
            l != static_cast<int>(Lane::slow));
    }
    for (int s = 0; s < slot_count; ++s) {
        auto limit = limit_of(slots_[s], targets.slot[s], targets.slot_members[s], slot_rate[s]);
        // An empty slot armed for a connection (the spare, or a payer's class for its reconnect)
        // is unlimited until that connection opens (on_open sets its limit). Any limit makes
        // each handshake message of a newcomer wait for the next quota tick: libtorrent sends at
        // once only while the class holds a second's worth of quota, and an idle class holds
        // none. The encryption, BitTorrent and extended handshakes and the grant took four ticks
        // that way (0.4 s of the 0.49 s from connect to a paid grant in bench/lanes). No payload
        // moves while the class is unlimited: the plugin serves no request before the app
        // thread has attached the connection (LanePlugin::attach), which comes after its limit.
        // (Unlimited without that gate let 36 clients that started at once download at twice
        // the budget before the app thread heard of the first.)
        if (targets.slot_members[s] == 0 && armed_slot(s)) limit = 0;
        configure(slots_[s], limit, slot_paid[s]);
    }
}

bool LaneEnforcer::armed_slot(int slot) const {
    if (slot == spare_) return true;  // armed for whoever comes first
    auto const& owner = slot_owner_[slot];
    if (owner.empty()) return false;
    auto const it = ips_.find(owner);
    return it != ips_.end() && it->second.armed;
}

void LaneEnforcer::rebalance(std::int64_t budget, std::vector<Member> const& members) {
    budget_ = budget;
    seats_.clear();
    std::vector<std::int64_t> rates;
    std::array<int, slot_count> in_slot{};
    for (auto const& m : members) {
        // The class it is in, as libtorrent gave it (a slot that is no longer its IP's own is
        // still the class its bytes go through).
        seats_.push_back(Held{m.ip, Seat{m.held, m.lane}});
        rates.push_back(m.rate);
        if (m.held.slot >= 0) ++in_slot[m.held.slot];
    }
    apply(&rates);
    // A stray slot goes back to the pool once nobody is in it.
    for (int s = 0; s < slot_count; ++s) {
        if (slot_owner_[s] == stray_owner && in_slot[s] == 0) slot_owner_[s].clear();
    }
    release_idle_slots();
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
        if (state.slot >= 0 && slot_owner_[state.slot] == it->first) {
            slot_owner_[state.slot].clear();
        }
        it = ips_.erase(it);
        changed = true;
    }
    auto const spare = spare_;
    pick_spare();
    if (changed || spare != spare_) install_filter();
}

int LaneEnforcer::free_slots() const {
    int free = 0;
    for (auto const& owner : slot_owner_) free += owner.empty() ? 1 : 0;
    return free;
}

}  // namespace lanetorrent::lanes

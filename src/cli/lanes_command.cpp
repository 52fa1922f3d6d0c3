// `lanes status`: reads the profile's ledger, which the running seed or download rewrites every
// second, so it works from another terminal without talking to the running process.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/format.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/json_text.hpp"
#include "lanes/ledger.hpp"
#include "tron/clock.hpp"

namespace lanetorrent::cli {

namespace {

char const* role_name(lanes::Role role) {
    return role == lanes::Role::earn ? "earn" : "spend";
}

}  // namespace

int run_lanes_status(Profile const& profile, LanesStatusOptions const& options) {
    auto const file = profile.data_dir() / "lanes.sqlite";
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        return fail(exit_failure, "no lane ledger in this profile (" + file.string() +
                                      "): nothing has used lanes here yet");
    }
    auto ledger = lanes::Ledger::open(file);
    if (!ledger) return fail(exit_failure, ledger.error());
    auto const peers = (*ledger)->live_peers();
    auto const now = tron::now_ms();
    // IOUs are promises: what was earned is what settlements in a block paid. What was spent is
    // every IOU signed, of which `settled` is paid on chain.
    auto const settled = [&](lanes::Role role) {
        lanes::Units sum = 0;
        for (auto const& key : (*ledger)->channels(role)) sum += (*ledger)->channel(key).settled;
        return sum;
    };
    auto const earned = settled(lanes::Role::earn);
    auto const promised = (*ledger)->total(lanes::Role::earn);
    auto const spent = (*ledger)->total(lanes::Role::spend);
    auto const spent_on_chain = settled(lanes::Role::spend);
    if (options.json) {
        auto rows = nlohmann::json::array();
        for (auto const& p : peers) {
            rows.push_back({{"role", role_name(p.role)},
                            {"torrent", p.torrent},
                            {"peer", p.endpoint},
                            {"client", p.client},
                            {"address", p.address},
                            {"lane", lanes::to_string(p.lane)},
                            {"rate", p.rate},
                            {"debt_units", p.debt},
                            {"paid_units", p.paid},
                            {"age_ms", now - p.updated_ms}});
        }
        fmt::print("{}\n", json_text(nlohmann::json{{"peers", rows},
                                                    {"earned_units", earned},
                                                    {"promised_units", promised},
                                                    {"spent_units", spent},
                                                    {"spent_on_chain_units", spent_on_chain}}));
        return exit_success;
    }
    fmt::print("{:<6} {:<22} {:<7} {:>11} {:>18} {:>18}  {}\n", "role", "peer", "lane", "rate",
               "debt", "paid", "address");
    for (auto const& p : peers) {
        fmt::print("{:<6} {:<22} {:<7} {:>11} {:>18} {:>18}  {}\n", role_name(p.role), p.endpoint,
                   lanes::to_string(p.lane), format_rate(p.rate), format_btt(p.debt),
                   format_btt(p.paid), p.address.empty() ? "-" : p.address);
    }
    if (peers.empty()) fmt::print("(no connected peers)\n");
    fmt::print("earned {} on chain ({} promised in IOUs), spent {} ({} settled on chain)\n",
               format_btt(earned), format_btt(promised), format_btt(spent),
               format_btt(spent_on_chain));
    return exit_success;
}

}  // namespace lanetorrent::cli

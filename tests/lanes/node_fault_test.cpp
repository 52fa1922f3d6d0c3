// A Tron node that fails for 60 s in the middle of a paid download: unreachable (connections
// refused), slower than any deadline (accepts, never answers) or answering garbage. The CLI
// seeder and downloader reach the real lanetorrent-devnet through a test::TcpProxy that plays the
// fault. The download must go on in the paid lane (IOUs need no chain), the settlement that falls
// due during the fault must wait and land once, both ledgers must count it once, the payee's
// balance must be what the seller says it was paid, and both CLIs must have said what is wrong in
// one plain sentence.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "cli.hpp"
#include "cli_lanes.hpp"
#include "engine/torrent_creator.hpp"
#include "files.hpp"
#include "lanes/ledger.hpp"
#include "ledger_invariants.hpp"
#include "tcp_proxy.hpp"
#include "temp_dir.hpp"
#include "tron/bytes.hpp"
#include "tron/clock.hpp"
#include "tron/keys.hpp"

namespace lanetorrent::lanes {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using Mode = test::TcpProxy::Mode;

constexpr std::int64_t MiB = 1 << 20;
constexpr auto kFault = 60s;
// 512 KiB/s for 50 MiB: about 100 s, so the download outlasts a fault that starts once the
// first settlement is solid. 2.5 BTT is 8.5 MiB in the fast lane (300 BTT/GiB): one settlement
// before the fault, the next about 14 s into it, which leaves the payer's 60 s to hand it over
// some seconds after the node is back.
constexpr int kMaxUpKib = 512;
constexpr Units kThreshold = 2'500'000;
constexpr std::int64_t kPayload = 50 * MiB;

double seconds_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

// A CLI's --json events as they arrive, stamped with the test's clock.
struct Output {
    struct Line {
        Clock::time_point at;
        nlohmann::json event;
    };
    test::Process* process;
    std::vector<Line> lines;

    void pump() {
        (void)process->wait_for_line(
            [&](std::string_view text) {
                if (auto e = test::parse_event(text); e && e->contains("event")) {
                    lines.push_back({Clock::now(), std::move(*e)});
                }
                return false;
            },
            0ms);
    }
    std::vector<Line> events(std::string const& name, std::string const& containing = {}) const {
        std::vector<Line> out;
        for (auto const& l : lines) {
            if (l.event["event"] != name) continue;
            auto const text = l.event.value("text", std::string());
            if (!containing.empty() && text.find(containing) == std::string::npos) continue;
            out.push_back(l);
        }
        return out;
    }
    std::int64_t have_bytes() const {
        for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
            if (it->event["event"] == "progress") return it->event.value("have_bytes", 0LL);
        }
        return 0;
    }
};

bool pump_until(std::vector<Output*> const& outputs, std::function<bool()> const& done,
                std::chrono::milliseconds timeout) {
    auto const deadline = Clock::now() + timeout;
    while (true) {
        for (auto* o : outputs) o->pump();
        if (done()) return true;
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(100ms);
    }
}

// The reason the warning gives. Calls under way when the fault begins see the proxy drop their
// connection, and which failure gRPC reports first varies, so "closed" is right in every mode.
std::vector<std::string> expected_reasons(Mode mode) {
    std::vector<std::string> reasons{"(the connection was closed)"};
    switch (mode) {
        case Mode::refuse:
            reasons.push_back("(connection refused)");
            break;
        case Mode::blackhole:
            reasons.push_back("did not answer within");
            break;
        case Mode::garbage:
            reasons.push_back("but not gRPC");
            break;
        default:
            break;
    }
    return reasons;
}

class NodeFaultTest : public ::testing::TestWithParam<Mode> {};

TEST_P(NodeFaultTest, SettlementWaitsAndLandsOnceAndTheCliSaysWhy) {
    auto const mode = GetParam();
    test::TempDir dir("lanes-fault");
    auto const passphrase = dir.path() / "passphrase";
    std::ofstream(passphrase) << "fault test passphrase\n";
    auto const buyer_profile = dir.path() / "buyer";
    auto const payer = create_cli_wallet(buyer_profile, passphrase);
    ASSERT_FALSE(payer.empty());
    Devnet devnet;
    ASSERT_TRUE(devnet.start(dir.path(), {payer}));
    test::TcpProxy wallet_proxy(devnet.node);
    test::TcpProxy solidity_proxy(devnet.solidity);
    tron::NodeConfig via_proxy;
    via_proxy.wallet_address = wallet_proxy.endpoint();
    via_proxy.solidity_address = solidity_proxy.endpoint();

    auto const content = dir.subdir("seed-data");
    test::write_random_file(content / "payload.bin", kPayload,
                            9100 + static_cast<std::uint64_t>(mode));
    CreateOptions options;
    options.content = content / "payload.bin";
    options.piece_size_kib = 256;
    auto const created = create_torrent(options);
    ASSERT_TRUE(created) << created.error();
    auto const torrent = dir.path() / "payload.torrent";
    std::ofstream(torrent, std::ios::binary)
        .write(created->bytes.data(), static_cast<std::streamsize>(created->bytes.size()));

    auto const payee = tron::PrivateKey::generate().address();
    CliLanes cli(dir.path(), torrent.string(), content, payee.base58(), via_proxy,
                 CliSeller{.max_up_kib = kMaxUpKib,
                           .settle_threshold = kThreshold,
                           .seconds = 300,
                           .resume_interval = 0});
    cli.add_buyer(CliBuyer{.profile = buyer_profile,
                           .passphrase_file = passphrase,
                           .lane = "fast",
                           .timeout_seconds = 240});
    auto seeder = cli.seeder(1);
    ASSERT_TRUE(seeder->wait_for_line([](auto l) { return test::is_event(l, "checked"); }, 30s))
        << seeder->stderr_text();
    auto downloader = cli.downloader(1);
    Output seller{seeder.get(), {}};
    Output buyer{downloader.get(), {}};
    std::vector<Output*> const both{&seller, &buyer};

    // Before the fault: one settlement all the way to solid, so both sides have used the node.
    ASSERT_TRUE(pump_until(
        both,
        [&] {
            return !seller.events("settlement", "settlement solidified").empty() &&
                   !buyer.events("settlement", "settlement solidified").empty();
        },
        90s))
        << downloader->stderr_text() << seeder->stderr_text();
    auto const have_at_fault = buyer.have_bytes();
    ASSERT_LT(have_at_fault, kPayload / 2) << "too late for a 60 s fault";

    wallet_proxy.set_mode(mode);
    solidity_proxy.set_mode(mode);
    auto const fault_start = Clock::now();
    auto const fault_start_ms = tron::now_ms();
    std::vector<std::int64_t> have{have_at_fault};
    for (int third = 1; third <= 3; ++third) {
        pump_until(
            both, [] { return false; }, kFault / 3);
        have.push_back(buyer.have_bytes());
    }
    wallet_proxy.set_mode(Mode::forward);
    solidity_proxy.set_mode(Mode::forward);
    auto const fault_end = Clock::now();
    auto const fault_end_ms = tron::now_ms();
    std::cout << "[ fault    ] " << to_string(mode) << ": have " << have[0] / MiB << " / "
              << have[1] / MiB << " / " << have[2] / MiB << " / " << have[3] / MiB
              << " MiB at 0 / 20 / 40 / 60 s of the fault\n";
    // Transfers go on: every third of the fault moved data.
    for (int i = 1; i <= 3; ++i) EXPECT_GT(have[i], have[i - 1] + 2 * MiB) << "third " << i;

    ASSERT_TRUE(pump_until(
        both, [&] { return !downloader->running(); }, 120s))
        << downloader->stderr_text();
    EXPECT_EQ(downloader->wait_for(1s), 0) << downloader->stderr_text();
    EXPECT_TRUE(test::files_identical(content / "payload.bin", cli.save_dir() / "payload.bin"));

    // The settlement that fell due in the fault lands, and both ledgers meet.
    auto const buyer_key = ChannelKey{Role::spend, payer, payee.base58(), "1002000"};
    auto const seller_key = ChannelKey{Role::earn, payer, payee.base58(), "1002000"};
    std::optional<SettlementRecord> in_fault;
    auto settled_after_fault = [&] {
        auto const b = Ledger::open(cli.buyer_ledger());
        auto const s = Ledger::open(cli.seller_ledger());
        if (!b || !s) return false;
        auto const sold = (*s)->channel(seller_key);
        if (sold.settled != (*b)->channel(buyer_key).settled || (*s)->open_settlement(seller_key))
            return false;
        for (auto const& r : (*s)->settlements(Role::earn)) {
            bool const done =
                r.status == SettlementStatus::confirmed || r.status == SettlementStatus::solidified;
            if (done && r.created_ms >= fault_start_ms) in_fault = r;
        }
        return in_fault.has_value();
    };
    ASSERT_TRUE(pump_until(both, settled_after_fault, 60s))
        << "no settlement made since the fault has landed\n"
        << seeder->stderr_text();
    seeder->signal(SIGTERM);
    seeder->wait_for(15s);
    seller.pump();

    auto const buyer_ledger = Ledger::open(cli.buyer_ledger());
    auto const seller_ledger = Ledger::open(cli.seller_ledger());
    ASSERT_TRUE(buyer_ledger && seller_ledger);
    auto const bought = (*buyer_ledger)->channel(buyer_key);
    auto const sold = (*seller_ledger)->channel(seller_key);
    EXPECT_EQ(sold.settled, bought.settled);
    EXPECT_GT(sold.settled, 0);
    // It settles debt that was IOU'd during the fault: it fell due then and waited.
    bool iou_in_fault = false;
    for (auto const& iou : (*seller_ledger)->ious(seller_key)) {
        if (iou.amount != in_fault->to) continue;
        iou_in_fault = iou.at_ms >= fault_start_ms && iou.at_ms < fault_end_ms;
        std::cout << "[ fault    ] the settlement fell due "
                  << (iou.at_ms - fault_start_ms) / 1000.0 << " s into the fault\n";
    }
    EXPECT_TRUE(iou_in_fault) << "the settlement up to " << in_fault->to
                              << " did not fall due during the fault";
    // Each settlement is counted once on each side, and they chain without overlap; none failed,
    // the one that fell due in the fault included.
    for (auto const* ledger : {buyer_ledger->get(), seller_ledger->get()}) {
        auto const role = ledger == buyer_ledger->get() ? Role::spend : Role::earn;
        auto const name = role == Role::spend ? "buyer" : "seller";
        auto const settlements = ledger->settlements(role);
        EXPECT_EQ(expect_settlements_chain(name, settlements),
                  role == Role::spend ? bought.settled : sold.settled);
        for (auto const& s : settlements) {
            EXPECT_NE(s.status, SettlementStatus::failed) << name << ": " << s.txid;
        }
        EXPECT_EQ(std::count_if(settlements.begin(), settlements.end(),
                                [&](auto const& s) { return s.txid == in_fault->txid; }),
                  1)
            << name;
    }
    // Nothing paid twice: the payee holds exactly what the seller counts as settled, also after
    // the same signed transfer is broadcast once more (the node knows it already).
    protocol::Transaction tx;
    ASSERT_TRUE(tx.ParseFromString(in_fault->transaction));
    tron::TronClient direct(devnet.config());
    auto const again = direct.broadcast(tx);
    ASSERT_TRUE(again) << again.failure().message;
    EXPECT_EQ(*again, tron::BroadcastOutcome::already_known);
    std::this_thread::sleep_for(1s);  // three blocks
    EXPECT_EQ(devnet.btt(payee), sold.settled);

    // The lane: IOUs need no chain, and the payer's settlement was only held up by the node, so
    // it stays in the fast lane through the fault and after it.
    for (auto const* out : {&seller, &buyer}) {
        for (auto const& l : out->events("lane")) {
            if (l.at < fault_start || l.at > fault_end + 10s) continue;
            auto const text = l.event.value("text", std::string());
            EXPECT_EQ(text.find("slow"), std::string::npos)
                << (out == &seller ? "seller: " : "buyer: ") << text << " at "
                << seconds_between(fault_start, l.at) << " s into the fault";
        }
    }

    // Both CLIs said what is wrong, once, in words, and that it is over.
    auto const broadcast = seller.events("settlement", "units broadcast");
    auto const confirmed = seller.events("settlement", "settlement confirmed");
    for (auto const* out : {&seller, &buyer}) {
        auto const name = out == &seller ? "seller" : "buyer";
        auto const warnings = out->events("lane_error", "Tron node");
        ASSERT_FALSE(warnings.empty()) << name << " said nothing about the node";
        EXPECT_LE(warnings.size(), 2u) << name << " repeats itself";
        for (auto const& w : warnings) {
            auto const text = w.event.value("text", std::string());
            std::cout << "[ fault    ] " << name << " +" << seconds_between(fault_start, w.at)
                      << " s: " << text << "\n";
            EXPECT_NE(text.find(via_proxy.wallet_address), std::string::npos) << text;
            EXPECT_NE(text.find("settlements wait and are retried"), std::string::npos) << text;
            auto const reasons = expected_reasons(mode);
            EXPECT_TRUE(std::any_of(reasons.begin(), reasons.end(), [&](auto const& reason) {
                return text.find(reason) != std::string::npos;
            })) << text;
            for (auto const* dump :
                 {"gRPC code", "ipv4:", "UNAVAILABLE", "last error", "addresses"}) {
                EXPECT_EQ(text.find(dump), std::string::npos) << text;
            }
        }
        auto const back = out->events("settlement", "answers again");
        ASSERT_FALSE(back.empty()) << name << " did not say the node is back";
        std::cout << "[ fault    ] " << name << " +" << seconds_between(fault_start, back[0].at)
                  << " s: " << back[0].event.value("text", std::string()) << "\n";
        int rebroadcasts = 0;
        for (auto const& l : out->events("settlement", "broadcast again")) {
            if (l.event.value("txid", std::string()) == in_fault->txid) ++rebroadcasts;
        }
        std::cout << "[ fault    ] " << name << ": " << rebroadcasts
                  << " re-broadcasts of the fault's settlement answered as already known\n";
    }
    for (auto const& l : broadcast) {
        if (l.event.value("txid", std::string()) != in_fault->txid) continue;
        std::cout << "[ fault    ] the settlement due in the fault reached the seller "
                  << seconds_between(fault_start, l.at) << " s into the fault ("
                  << seconds_between(fault_end, l.at) << " s after the node came back)\n";
    }
    for (auto const& l : confirmed) {
        if (l.event.value("txid", std::string()) != in_fault->txid) continue;
        std::cout << "[ fault    ] confirmed " << seconds_between(fault_end, l.at)
                  << " s after the node came back; settled " << sold.settled << " of "
                  << sold.iou_amount << " units IOU'd\n";
    }
    EXPECT_GT(wallet_proxy.accepted(), 0u);
}

INSTANTIATE_TEST_SUITE_P(NodeFails, NodeFaultTest,
                         ::testing::Values(Mode::refuse, Mode::blackhole, Mode::garbage),
                         [](auto const& param_info) {
                             return std::string(to_string(param_info.param));
                         });

}  // namespace
}  // namespace lanetorrent::lanes

// The independent spec peer (spec_peer.mjs, a buyer written from docs/lane-protocol.md alone)
// against a real `lanetorrent-cli seed` and a real lanetorrent-devnet process, on loopback.
//
// Each test is one mode of the peer against a fresh seller profile and a fresh payer and payee:
// `honest` must hold every rule of the spec and get no reject; each hostile mode must stay within
// the spec's exposure bound as far as a buyer can see it: the cost of the payload it received in
// the paid lane, less what it settled on chain, is at most W (the window at the lane's price) + T
// (the settle threshold) + one IOU step.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "files.hpp"
#include "net.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace lanetorrent::test {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

// 1 unit per payload byte in the fast lane, so every figure below reads as bytes.
constexpr std::int64_t price_fast = std::int64_t{1} << 30;
constexpr std::int64_t settle_threshold = 8 << 20;
constexpr std::int64_t min_settlement = 1 << 20;
// Larger than LaneTorrent's maximum window (128 MiB) + the threshold, so a payer that never
// settles reaches the exposure bound before the download ends.
constexpr std::uint64_t content_bytes = std::uint64_t{192} << 20;
constexpr int max_up_kib = 32768;

const std::vector<std::string> modes{"honest",    "no-iou",    "one-unit-settlements", "huge-iou",
                                     "no-settle", "stale-iou", "second-connection"};

struct Wallet {
    std::string address;
    fs::path key_file;
};

std::int64_t units(json const& v) {
    return v.is_string() ? std::stoll(v.get<std::string>()) : v.get<std::int64_t>();
}

class SpecPeer : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = std::make_unique<TempDir>("spec-peer");
        auto const content = dir_->subdir("data") / "content.bin";
        write_random_file(content, content_bytes, 0x5bec);
        torrent_ = (dir_->path() / "content.torrent").string();
        auto const created =
            run_cli({"create", content.string(), "-o", torrent_, "--piece-size", "1024"});
        ASSERT_EQ(created.exit_code, 0) << created.err;

        std::vector<std::string> devnet{LANETORRENT_DEVNET, "--data",
                                        (dir_->path() / "devnet").string(),
                                        "--block-interval-ms", "300", "--solidify-after", "2"};
        std::vector<std::string> names;
        for (auto const& mode : modes) names.insert(names.end(), {"buyer-" + mode, "payee-" + mode});
        auto const wallets = keygen(names);
        ASSERT_EQ(wallets.size(), names.size());
        for (std::size_t i = 0; i < modes.size(); ++i) {
            buyers_.push_back(wallets[2 * i]);
            payees_.push_back(wallets[2 * i + 1]);
            // 1000 TRX for bandwidth, 100000 BTT; the payee starts with no BTT.
            devnet.insert(devnet.end(), {"--fund", buyers_.back().address + "=1000000000,100000000000",
                                         "--fund", payees_.back().address + "=1000000000,0"});
        }
        auto const ip = unique_loopback_ip();
        node_ = ip + ":" + std::to_string(free_port(ip));
        auto const solidity_port = free_port(ip);
        devnet.insert(devnet.end(), {"--listen", node_, "--solidity-listen",
                                     ip + ":" + std::to_string(solidity_port)});
        solidity_ = ip + ":" + std::to_string(solidity_port);
        devnet_ = std::make_unique<Process>("devnet", devnet, dir_->path());
        ASSERT_TRUE(wait_until_listening(ip, static_cast<std::uint16_t>(std::stoi(node_.substr(node_.rfind(':') + 1))), 20s))
            << devnet_->stderr_text();
    }

    static void TearDownTestSuite() {
        devnet_.reset();
        dir_.reset();
    }

    // Fresh keys from the peer itself (the key files stay in the test directory).
    static std::vector<Wallet> keygen(std::vector<std::string> const& names) {
        std::vector<std::string> argv{SPEC_PEER_NODE, SPEC_PEER_SCRIPT, "keygen"};
        std::vector<Wallet> wallets;
        for (auto const& name : names) {
            wallets.push_back({{}, dir_->path() / (name + ".key")});
            argv.insert(argv.end(), {"--out", wallets.back().key_file.string()});
        }
        Process p("keygen", argv, dir_->path());
        auto const code = p.wait_for(60s);
        EXPECT_EQ(code, 0) << p.stderr_text();
        std::istringstream lines(p.stdout_text());
        std::string line;
        for (auto& wallet : wallets) {
            if (!std::getline(lines, line)) return {};
            wallet.address = json::parse(line)["address"].get<std::string>();
        }
        return wallets;
    }

    // Runs `mode` against a fresh seller and returns the peer's figures (its last stdout line).
    json run(std::string const& mode, int expected_exit = 0) {
        auto const index = static_cast<std::size_t>(
            std::find(modes.begin(), modes.end(), mode) - modes.begin());
        auto const seed_ip = unique_loopback_ip();
        auto const seed = seed_ip + ":" + std::to_string(free_port(seed_ip));
        auto const profile = dir_->subdir("seller-" + mode);
        Process seller("seller-" + mode,
                       cli_command({"--profile", profile.string(), "seed", torrent_, "--data",
                                    (dir_->path() / "data").string(), "--listen", seed, "--payee",
                                    payees_[index].address, "--max-up", std::to_string(max_up_kib),
                                    "--node", node_, "--solidity-node", solidity_, "--price-fast",
                                    std::to_string(price_fast), "--settle-threshold",
                                    std::to_string(settle_threshold), "--min-settlement",
                                    std::to_string(min_settlement), "--seconds", "240", "--json"}),
                       dir_->path());
        auto const seeding = seller.wait_for_line(
            [](std::string_view line) {
                auto const e = parse_event(line);
                return e && (*e)["event"] == "progress" && (*e)["state"] == "seeding";
            },
            60s);
        EXPECT_TRUE(seeding) << seller.stderr_text();
        if (!seeding) return {};

        Process peer("spec-peer-" + mode,
                     {SPEC_PEER_NODE, SPEC_PEER_SCRIPT, "run", "--mode", mode, "--seed", seed,
                      "--torrent", torrent_, "--key-file", buyers_[index].key_file.string(), "--node",
                      node_, "--proto", SPEC_PEER_PROTO_DIR, "--bind", unique_loopback_ip(), "--bind2",
                      unique_loopback_ip(), "--seconds", "150"},
                     dir_->path());
        auto const code = peer.wait_for(200s);
        auto const out = peer.stdout_text();
        auto const last = out.find_last_of('\n', out.size() >= 2 ? out.size() - 2 : 0);
        auto const line = out.substr(last == std::string::npos ? 0 : last + 1);
        EXPECT_EQ(code, expected_exit) << "spec peer log:\n" << peer.stderr_text();
        auto figures = json::parse(line, nullptr, false);
        EXPECT_FALSE(figures.is_discarded()) << out << peer.stderr_text();
        std::cout << "[ figures  ] " << line;
        return figures.is_discarded() ? json{} : figures;
    }

    // The bound as a buyer can check it: exposure (cost of the paid payload - settled on chain)
    // <= W + T + one IOU step, W at the largest window the seller can have reached (its initial
    // window plus a step per IOU that raised the amount, at most LaneTorrent's 128 MiB).
    static void expect_exposure_bound(json const& f) {
        EXPECT_EQ(units(f["exposure_units"]), units(f["paid_cost_units"]) - units(f["settled_on_chain_units"]));
        EXPECT_LE(units(f["exposure_units"]), units(f["bound_units"]))
            << "exposure " << units(f["exposure_units"]) << " units, W + T + step = " << units(f["bound_units"])
            << " (window " << units(f["window_bytes_bound"]) << " bytes, T " << settle_threshold << ")";
        EXPECT_TRUE(f["completed"].get<bool>());
        EXPECT_EQ(f["hash_failures"], 0);
    }

    static std::vector<std::string> reasons(json const& f) {
        std::vector<std::string> r;
        for (auto const& g : f["grants"]) r.push_back(g["reason"]);
        return r;
    }

    static std::vector<std::string> reject_codes(json const& f) {
        std::vector<std::string> r;
        for (auto const& x : f["rejects_received"]) r.push_back(x["code"]);
        return r;
    }

    static inline std::unique_ptr<TempDir> dir_;
    static inline std::unique_ptr<Process> devnet_;
    static inline std::string torrent_;
    static inline std::string node_;
    static inline std::string solidity_;
    static inline std::vector<Wallet> buyers_;
    static inline std::vector<Wallet> payees_;
};

// No network: the document's worked examples, rebuilt by the peer's own code.
TEST(SpecPeerSelfTest, ReproducesTheWorkedExamples) {
    TempDir dir("spec-peer-selftest");
    Process p("selftest", {SPEC_PEER_NODE, SPEC_PEER_SCRIPT, "selftest", "--proto", SPEC_PEER_PROTO_DIR},
              dir.path());
    EXPECT_EQ(p.wait_for(60s), 0) << p.stdout_text() << p.stderr_text();
}

TEST_F(SpecPeer, HonestBuyerHoldsEveryRule) {
    auto const f = run("honest");
    ASSERT_FALSE(f.empty());
    EXPECT_TRUE(f["ok"].get<bool>()) << f["violations"].dump();
    EXPECT_TRUE(f["rejects_received"].empty()) << f["rejects_received"].dump();
    EXPECT_TRUE(f["completed"].get<bool>());
    EXPECT_FALSE(f["settlements"].empty());
    auto const iou = units(f["iou_units"]);
    auto const settled = units(f["settled_on_chain_units"]);
    // IOU'd == settled + carried, and the carried tail is below the seller's minimum settlement.
    EXPECT_EQ(iou, settled + units(f["carried_units"]));
    EXPECT_LT(units(f["carried_units"]), min_settlement);
    EXPECT_EQ(iou, units(f["paid_cost_units"]));
    EXPECT_EQ(settled, units(f["payer_spent_units"]));
    EXPECT_EQ(settled, units(f["payee_balance_units"]));
    ASSERT_TRUE(f["verify_state"].is_object());
    EXPECT_EQ(units(f["verify_state"]["amount"]), iou);
    EXPECT_EQ(units(f["verify_state"]["settled"]), settled);
}

TEST_F(SpecPeer, NoIouIsHeldAtTheWindow) {
    auto const f = run("no-iou");
    ASSERT_FALSE(f.empty());
    expect_exposure_bound(f);
    EXPECT_EQ(units(f["iou_units"]), 0);
    EXPECT_EQ(reasons(f), (std::vector<std::string>{"requested", "window exceeded"}));
    EXPECT_TRUE(f["rejects_received"].empty());
}

TEST_F(SpecPeer, OneUnitSettlementsAreHeldAtTheBound) {
    auto const f = run("one-unit-settlements");
    ASSERT_FALSE(f.empty());
    expect_exposure_bound(f);
    auto const r = reasons(f);
    EXPECT_NE(std::find(r.begin(), r.end(), "awaiting settlement"), r.end());
    EXPECT_TRUE(f["rejects_received"].empty());
    // Every 1-unit transfer that reached a block is money the seller counted.
    EXPECT_EQ(units(f["settled_on_chain_units"]), units(f["payer_spent_units"]));
}

TEST_F(SpecPeer, HugeIouIsRefused) {
    auto const f = run("huge-iou");
    ASSERT_FALSE(f.empty());
    expect_exposure_bound(f);
    EXPECT_EQ(reject_codes(f), std::vector<std::string>{"bad_iou"});
    // The hold's grant goes before the reject.
    EXPECT_EQ(reasons(f), (std::vector<std::string>{"requested", "bad iou"}));
    ASSERT_EQ(f["grants"].size(), 2u);
    EXPECT_LE(f["grants"][1]["t"].get<double>(), f["rejects_received"][0]["t"].get<double>());
}

TEST_F(SpecPeer, NoSettleIsHeldAtTheBound) {
    auto const f = run("no-settle");
    ASSERT_FALSE(f.empty());
    expect_exposure_bound(f);
    EXPECT_EQ(units(f["settled_on_chain_units"]), 0);
    auto const r = reasons(f);
    EXPECT_NE(std::find(r.begin(), r.end(), "awaiting settlement"), r.end());
    EXPECT_TRUE(f["rejects_received"].empty());
}

TEST_F(SpecPeer, StaleIouIsRefusedAndTheStateFollows) {
    auto const f = run("stale-iou");
    ASSERT_FALSE(f.empty());
    expect_exposure_bound(f);
    EXPECT_EQ(reject_codes(f), std::vector<std::string>{"stale_iou"});
    auto const r = reasons(f);
    EXPECT_NE(std::find(r.begin(), r.end(), "stale iou"), r.end());
    // A state right after the reject (besides the one after the proof and the verifying one).
    ASSERT_GE(f["states"].size(), 3u);
    EXPECT_GE(f["states"][1]["t"].get<double>(), f["rejects_received"][0]["t"].get<double>());
    // The next IOU lets the payer back, and it pays for the rest like an honest one.
    EXPECT_EQ(r.back(), "requested");
    EXPECT_EQ(units(f["iou_units"]), units(f["paid_cost_units"]));
}

TEST_F(SpecPeer, SecondConnectionWithoutProofIsServedSlow) {
    auto const f = run("second-connection");
    ASSERT_FALSE(f.empty());
    expect_exposure_bound(f);
    json second;
    for (auto const& c : f["connections"]) {
        if (c["offer_seen"].get<bool>() && !c["proven"].get<bool>()) second = c;
    }
    ASSERT_TRUE(second.is_object()) << f["connections"].dump();
    EXPECT_EQ(second["bytes"]["fast"], 0);
    EXPECT_EQ(second["bytes"]["medium"], 0);
    EXPECT_EQ(reject_codes(f), std::vector<std::string>{"no_proof"});
    bool no_proof_grant = false;
    for (auto const& g : f["grants"]) {
        if (g["conn"] == second["name"]) {
            EXPECT_EQ(g["lane"], "slow");
            no_proof_grant = no_proof_grant || g["reason"] == "no proof";
        }
    }
    EXPECT_TRUE(no_proof_grant);
    // While both download, the unproven connection gets the slow lane's share, far below the
    // paid one's (shares 100 / 600).
    ASSERT_TRUE(f["overlap"].is_object());
    double const paid = f["overlap"]["mib_per_s"]["first"];
    double const unproven = f["overlap"]["mib_per_s"][second["name"].get<std::string>()];
    EXPECT_LT(unproven, paid / 2) << f["overlap"].dump();
}

}  // namespace
}  // namespace lanetorrent::test

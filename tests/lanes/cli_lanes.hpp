// What the lanes tests that run lanetorrent-cli as a user does share: a lanetorrent-devnet
// process, CLI wallets, seeder and downloader processes selling and buying lanes, and the scan
// for key material in everything they leave behind.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lanes/lane.hpp"
#include "process.hpp"
#include "tron/address.hpp"
#include "tron/client.hpp"

namespace lanetorrent::lanes {

inline constexpr Units kMaxPrice = 400'000'000;  // above the default fast price (300 BTT / GiB)

std::string split_host(std::string const& endpoint);
std::uint16_t split_port(std::string const& endpoint);

// A lanetorrent-devnet process on a fresh loopback address: 300 ms blocks, solid after 2.
struct Devnet {
    std::string node;
    std::string solidity;
    std::unique_ptr<test::Process> process;

    // Starts it with its data and logs in `dir`, giving every address in `funded` (Base58)
    // 100 TRX and 100 000 BTT, and waits until it listens.
    ::testing::AssertionResult start(std::filesystem::path const& dir,
                                     std::vector<std::string> const& funded);
    tron::NodeConfig config() const;
    std::int64_t btt(tron::Address const& address) const;  // 0 for an account never seen
};

// `lanetorrent-cli wallet create` in `profile`, sealed with the passphrase in `passphrase_file`.
// Returns its address (Base58), or an empty string after a test failure.
std::string create_cli_wallet(std::filesystem::path const& profile,
                              std::filesystem::path const& passphrase_file);

// A downloader's profile (its keystore holds a funded key) and what it buys.
struct CliBuyer {
    std::filesystem::path profile;
    std::filesystem::path passphrase_file;
    std::string lane = "fast";
    int timeout_seconds = 150;  // --timeout of each run
};

// The seeder's options that tests vary.
struct CliSeller {
    int max_up_kib = 4096;  // the lanes' upload budget
    Units settle_threshold = 3'000'000;
    Units min_settlement = 1'000'000;  // tails of 1 BTT and more are settled at the end
    int seconds = 200;
    int resume_interval = 0;  // 0: the CLI's default
};

// lanetorrent-cli seed / download with lanes, as a user runs them, killed with SIGKILL. Each
// client keeps its profile and listen endpoint across runs, so a restart is the same client.
class CliLanes {
  public:
    CliLanes(std::filesystem::path dir, std::string torrent, std::filesystem::path data,
             std::string payee, tron::NodeConfig node, CliSeller seller = {});
    // A downloader on its own loopback address, saving into dir/save (the first) or
    // dir/save-<index>. Returns its index.
    int add_buyer(CliBuyer buyer);

    // `max_up_kib` replaces CliSeller::max_up_kib for this run.
    std::unique_ptr<test::Process> seeder(int run, std::optional<int> max_up_kib = {}) const;
    std::unique_ptr<test::Process> downloader(int run, int buyer = 0) const;

    std::filesystem::path seller_ledger() const;
    std::filesystem::path buyer_ledger(int buyer = 0) const;
    std::filesystem::path save_dir(int buyer = 0) const;

  private:
    std::filesystem::path dir_;
    std::string torrent_;
    std::filesystem::path data_;
    std::string payee_;
    tron::NodeConfig node_;
    CliSeller seller_;
    std::string seed_endpoint_;
    struct Buyer {
        CliBuyer options;
        std::string endpoint;
    };
    std::vector<Buyer> buyers_;
};

// Waits for a downloader progress line at or above `fraction`.
bool wait_for_progress(test::Process& p, double fraction, std::chrono::milliseconds timeout);

// Fails if the buyer's private key (hex either case, or its raw 32 bytes) or the keystore
// passphrase shows up in any process output or in any file under `dirs` other than the sealed
// keystore itself: logs, ledgers, resume data, sent records. The key is read back from the
// keystore here and never printed; a failure names only the place.
void expect_no_key_material(std::vector<std::pair<std::string, std::string>> const& outputs,
                            std::vector<std::filesystem::path> const& dirs,
                            std::filesystem::path const& keystore, std::string const& passphrase);

}  // namespace lanetorrent::lanes

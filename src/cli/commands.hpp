// The subcommands. Each parses nothing itself (main.cpp declares the options with CLI11) and
// returns an exit code from exit_codes.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/profile.hpp"

namespace lanetorrent::cli {

struct CreateOptions {
    std::string path;
    std::string output;
    std::vector<std::string> trackers;
    std::vector<std::string> web_seeds;
    int piece_size_kib = 0;
    bool is_private = false;
    std::string comment;
    std::string format = "v1";
};
int run_create(CreateOptions const& options);

struct InfoOptions {
    std::string source;
    bool json = false;
};
int run_info(InfoOptions const& options);

enum class TransferMode { seed, download, stream };

// Lanes on seed and download (docs/cli.md, "Lanes"). Amounts are in the token's base units.
struct LaneCliOptions {
    // Selling (seed): who gets paid, and the prices per GiB of the paid lanes.
    std::string payee;
    std::int64_t price_medium = 100'000'000;
    std::int64_t price_fast = 300'000'000;
    std::string shares = "100,300,600";  // permille of the upload: slow, medium, fast
    std::int64_t settle_threshold = 500'000'000;
    // The smallest tail settled when a payer is done or comes back; smaller ones are carried.
    // Default (0): the settle threshold.
    std::int64_t min_settlement = 0;
    // Buying (download): the lane to ask for and what the user allows.
    std::string lane = "slow";
    std::int64_t max_price = 0;  // per GiB; 0: the seller's price for the chosen lane is refused
    std::int64_t max_per_torrent = 0;
    std::int64_t max_per_day = 0;
    std::string keystore;  // default: <profile data>/keystore.json
    std::string passphrase_file;
    // The node that carries settlements. Empty: not given; cli/node_choice.hpp then takes the
    // profile's node (the desktop app's setting), else the local devnet.
    std::string node;
    std::string solidity_node;
    bool tls = false;     // third-party node providers serve gRPC over TLS
    std::string ca_file;  // with tls: CAs trusted besides the system's
    std::string asset;    // TRC-10 id; empty: the profile's, else 1002000 (BTT)
};

// `stream`: play one file of a torrent while it downloads (docs/streaming.md).
struct StreamCliOptions {
    std::optional<int> file_index;  // default: the largest video file
    // --play: start a player on the URL; empty command: mpv if installed, else xdg-open.
    std::optional<std::string> play;
    int buffer_seconds = 30;  // what `--lane auto` keeps ahead of the player
    // libtorrent's sequential download instead of deadlines (what qBittorrent offers; for
    // comparisons in bench/stream).
    bool sequential = false;
};

struct TransferOptions {
    TransferMode mode = TransferMode::download;
    // .torrent files or magnets (seed: .torrent only), all in one session: a seeder of many
    // small torrents should not need a process for each.
    std::vector<std::string> sources;
    std::string directory;  // --data for seed, --save for download
    std::optional<std::string> listen;
    std::vector<std::string> peers;
    std::optional<int> seconds;  // seed: stop after; download: --timeout
    int max_up_kib = 0;
    int max_down_kib = 0;
    int resume_interval = 10;
    int progress_ms = 1000;  // progress events (and their rates) this often
    bool json = false;
    bool no_dht = false;
    bool no_lsd = false;
    bool no_upnp = false;
    bool utp = false;  // also dial peers over uTP
    // download: once every torrent has finished, seed until interrupted instead of exiting.
    bool keep_seeding = false;
    LaneCliOptions lanes;
    StreamCliOptions stream;
};
int run_transfer(Profile const& profile, TransferOptions const& options);

struct WalletOptions {
    std::string command;   // create, import, address, balance, send, history, ...
    std::string keystore;  // default: <profile data>/keystore.json
    std::string passphrase_file;
    std::string new_passphrase_file;  // change-passphrase
    // create, import, change-passphrase: seal at wallet::test_only_cheap instead of the default
    // cost. Hidden from --help; for test suites that make many keystores (docs/wallet.md).
    bool test_only_cheap_kdf = false;
    bool confirm_export = false;  // export: --yes-print-private-key
    // Empty: not given; the profile's node, else the local lanetorrent-devnet (node_choice.hpp).
    std::string node;
    std::string solidity_node;
    bool tls = false;
    std::string ca_file;  // with tls: PEM CAs trusted besides the system's
    std::string api_key_file;
    bool json = false;
    // TRC-10 id; empty: the profile's, else 1002000, BTT (listed as BTTOLD since 2021).
    std::string asset;
    bool units = false;  // --units: amounts in base units (send --amount, balance)
    // send
    std::string to;
    std::string amount;  // "1.5" BTT (the token's decimals); base units with --units
    bool dry_run = false;
    std::string wait = "confirmed";  // none, confirmed, solidified
    // balance, verify-message
    std::string address;
    // sign-message, verify-message
    std::string message;
    std::string signature;
};
int run_wallet(Profile const& profile, WalletOptions options);

struct LanesStatusOptions {
    bool json = false;
};
// What a running (or the last) seed/download in this profile reports about its lanes.
int run_lanes_status(Profile const& profile, LanesStatusOptions const& options);

struct DemoOptions {
    int size_mib = 64;
    bool json = false;
    // Tails at least this big are settled when a download ends; 0: the seller's default (the
    // settle threshold: every tail is carried). The demo settles every tail of 1 BTT or more.
    std::int64_t min_settlement = 1'000'000;
    std::string devnet;  // the lanetorrent-devnet binary; default: next to this one
};
int run_demo(DemoOptions const& options);

}  // namespace lanetorrent::cli

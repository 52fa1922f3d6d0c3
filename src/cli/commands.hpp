// The subcommands. Each parses nothing itself (main.cpp declares the options with CLI11) and
// returns an exit code from exit_codes.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/profile.hpp"

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

enum class TransferMode { seed, download };

struct TransferOptions {
    TransferMode mode = TransferMode::download;
    std::string source;     // .torrent or magnet
    std::string directory;  // --data for seed, --save for download
    std::optional<std::string> listen;
    std::vector<std::string> peers;
    std::optional<int> seconds;  // seed: stop after; download: --timeout
    int max_up_kib = 0;
    int max_down_kib = 0;
    int resume_interval = 10;
    bool json = false;
    bool no_dht = false;
    bool no_lsd = false;
    bool no_upnp = false;
    bool utp = false;  // also dial peers over uTP
};
int run_transfer(Profile const& profile, TransferOptions const& options);

struct WalletOptions {
    std::string command;   // create, import, address, balance, send, history, ...
    std::string keystore;  // default: <profile data>/keystore.json
    std::string passphrase_file;
    std::string new_passphrase_file;       // change-passphrase
    bool confirm_export = false;           // export: --yes-print-private-key
    std::string node = "127.0.0.1:50051";  // the local lanetorrent-devnet
    std::string solidity_node = "127.0.0.1:50061";
    bool tls = false;
    std::string api_key_file;
    bool json = false;
    std::string asset = "1002000";  // TRC-10 id; BTT (listed as BTTOLD since 2021)
    // send
    std::string to;
    std::int64_t amount = 0;  // base units
    bool dry_run = false;
    std::string wait = "confirmed";  // none, confirmed, solidified
    // balance, verify-message
    std::string address;
    // sign-message, verify-message
    std::string message;
    std::string signature;
};
int run_wallet(Profile const& profile, WalletOptions options);

}  // namespace lanetorrent::cli

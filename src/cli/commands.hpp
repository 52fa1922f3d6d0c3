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

}  // namespace lanetorrent::cli

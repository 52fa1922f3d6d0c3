#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace lanetorrent::test {

// The lanetorrent-cli built with the tests (LANETORRENT_CLI is set by CMake).
std::string cli_path();

// {cli_path(), args...}: the argv for a Process running the CLI in the background.
std::vector<std::string> cli_command(const std::vector<std::string>& args);

struct CliRun {
    int exit_code;  // -1 if it was still running at the timeout (it is killed then)
    std::string out;
    std::string err;
};

// Runs the CLI to completion.
CliRun run_cli(const std::vector<std::string>& args,
               std::chrono::milliseconds timeout = std::chrono::seconds(60));

// `lanetorrent-cli info --json` of a .torrent or magnet link. Throws std::runtime_error, with the
// CLI's stderr, if that fails.
nlohmann::json torrent_info(const std::string& torrent_or_magnet);

// The v1 info-hash (40 lowercase hex digits) from torrent_info().
std::string info_hash(const std::string& torrent_or_magnet);

// One `--json` output line as an object; nullopt for anything else (such as a partial line).
std::optional<nlohmann::json> parse_event(std::string_view line);

// Whether `line` is a `--json` event named `event`.
bool is_event(std::string_view line, std::string_view event);

// Every `--json` event in `text`, in order.
std::vector<nlohmann::json> parse_events(std::string_view text);

}  // namespace lanetorrent::test

#include "cli.hpp"

#include <stdexcept>

#include "process.hpp"
#include "temp_dir.hpp"

namespace lanetorrent::test {

std::string cli_path() {
    return LANETORRENT_CLI;
}

std::vector<std::string> cli_command(const std::vector<std::string>& args) {
    std::vector<std::string> argv{cli_path()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

CliRun run_cli(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
    const TempDir logs("lanetorrent-cli-run");
    Process process("cli", cli_command(args), logs.path());
    const std::optional<int> status = process.wait_for(timeout);
    if (!status) {
        process.kill();
    }
    return CliRun{status.value_or(-1), process.stdout_text(), process.stderr_text()};
}

nlohmann::json torrent_info(const std::string& torrent_or_magnet) {
    const CliRun run = run_cli({"info", torrent_or_magnet, "--json"});
    if (run.exit_code != 0) {
        throw std::runtime_error("lanetorrent-cli info " + torrent_or_magnet + " exited with " +
                                 std::to_string(run.exit_code) + ": " + run.err);
    }
    try {
        return nlohmann::json::parse(run.out);
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error("lanetorrent-cli info --json printed no JSON (" +
                                 std::string(e.what()) + "): " + run.out);
    }
}

std::string info_hash(const std::string& torrent_or_magnet) {
    const nlohmann::json info = torrent_info(torrent_or_magnet);
    for (const char* key : {"info_hash_v1", "info_hash", "id"}) {
        if (info.contains(key) && info[key].is_string() &&
            info[key].get<std::string>().size() == 40) {
            return info[key].get<std::string>();
        }
    }
    if (info.contains("info_hashes") && info["info_hashes"].contains("v1") &&
        info["info_hashes"]["v1"].is_string()) {
        return info["info_hashes"]["v1"].get<std::string>();
    }
    throw std::runtime_error("no v1 info-hash in lanetorrent-cli info --json: " + info.dump());
}

std::optional<nlohmann::json> parse_event(std::string_view line) {
    if (line.empty() || line.front() != '{') {
        return std::nullopt;
    }
    nlohmann::json event = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!event.is_object()) {
        return std::nullopt;
    }
    return event;
}

bool is_event(std::string_view line, std::string_view event) {
    const auto parsed = parse_event(line);
    return parsed && parsed->contains("event") && (*parsed)["event"] == event;
}

std::vector<nlohmann::json> parse_events(std::string_view text) {
    std::vector<nlohmann::json> events;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        if (auto event = parse_event(text.substr(0, end))) {
            events.push_back(std::move(*event));
        }
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    }
    return events;
}

}  // namespace lanetorrent::test

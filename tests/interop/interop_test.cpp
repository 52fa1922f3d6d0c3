#include "interop_test.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iostream>

#include "cli.hpp"

namespace lanetorrent::test {
namespace {

// Enough to show how a client started and how it ended without burying the gtest output (a
// --json log gains two lines a second).
constexpr std::size_t kLogHeadBytes = 8 * 1024;
constexpr std::size_t kLogTailBytes = 16 * 1024;

}  // namespace

void InteropTest::TearDown() {
    if (!HasFailure()) {
        return;
    }
    std::vector<std::filesystem::path> logs;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root())) {
        const auto extension = entry.path().extension();
        if (entry.is_regular_file() && (extension == ".stdout" || extension == ".stderr")) {
            logs.push_back(entry.path());
        }
    }
    std::sort(logs.begin(), logs.end());
    for (const auto& log : logs) {
        std::string text = read_file(log);
        const std::size_t size = text.size();
        if (size > kLogHeadBytes + kLogTailBytes) {
            text = text.substr(0, kLogHeadBytes) + "\n[... " +
                   std::to_string(size - kLogHeadBytes - kLogTailBytes) + " bytes cut ...]\n" +
                   text.substr(size - kLogTailBytes);
        }
        std::cout << "===== " << std::filesystem::relative(log, root()).string() << " (" << size
                  << " bytes) =====\n"
                  << text << (text.empty() || text.back() == '\n' ? "" : "\n");
    }
    std::cout.flush();
}

std::unique_ptr<Process> InteropTest::start_cli(const std::string& name,
                                                const std::filesystem::path& profile,
                                                const std::vector<std::string>& args) const {
    std::vector<std::string> full{"--profile", profile.string()};
    full.insert(full.end(), args.begin(), args.end());
    return std::make_unique<Process>(name, cli_command(full), root());
}

void InteropTest::create_torrent(const std::filesystem::path& content,
                                 const std::filesystem::path& torrent,
                                 const std::vector<std::string>& extra_args) const {
    std::vector<std::string> args{"create", content.string(), "-o", torrent.string()};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    const CliRun run = run_cli(args);
    ASSERT_EQ(run.exit_code, 0) << "lanetorrent-cli create: " << run.err << run.out;
    ASSERT_TRUE(std::filesystem::exists(torrent));
}

nlohmann::json InteropTest::expect_done(Process& cli, int exit_code,
                                        std::chrono::milliseconds timeout) const {
    const std::optional<int> status = cli.wait_for(timeout);
    EXPECT_EQ(status, std::optional<int>(exit_code))
        << cli.name() << " (nullopt: still running after " << timeout.count() << " ms)";
    const std::vector<nlohmann::json> events = parse_events(cli.stdout_text());
    if (events.empty() || events.back().value("event", "") != "done") {
        ADD_FAILURE() << cli.name() << ": the last --json line is not a done event";
        return {};
    }
    const nlohmann::json& done = events.back();
    EXPECT_EQ(done.value("exit_code", -1), exit_code) << done.dump();
    return done;
}

std::string magnet_link(const std::string& info_hash, const std::string& name,
                        const std::string& tracker) {
    const auto encode = [](const std::string& text) {
        std::string result;
        for (const unsigned char c : text) {
            if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
                result += static_cast<char>(c);
            } else {
                char escaped[4];
                std::snprintf(escaped, sizeof escaped, "%%%02X", c);
                result += escaped;
            }
        }
        return result;
    };
    std::string link = "magnet:?xt=urn:btih:" + info_hash + "&dn=" + encode(name);
    if (!tracker.empty()) {
        link += "&tr=" + encode(tracker);
    }
    return link;
}

}  // namespace lanetorrent::test

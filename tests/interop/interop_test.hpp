#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "process.hpp"
#include "temp_dir.hpp"

namespace lanetorrent::test {

// How long a transfer on loopback may take. Transmission alone spends 10-17 s on its choke and
// interest timers before the first byte moves; everything else is small data on loopback.
inline constexpr int kTransferTimeoutSeconds = 120;
inline constexpr std::chrono::seconds kTransferTimeout{kTransferTimeoutSeconds};
// A little more than the CLI's own --timeout, so the CLI reports the timeout itself.
inline constexpr std::chrono::seconds kProcessTimeout{kTransferTimeoutSeconds + 30};

// Each test works in a temporary directory of its own; every process it starts logs there, and
// when the test fails, TearDown prints the logs of all of them.
class InteropTest : public ::testing::Test {
  protected:
    void TearDown() override;

    std::filesystem::path root() const { return root_.path(); }
    // root()/name, created if missing.
    std::filesystem::path dir(const std::string& name) const { return root_.subdir(name); }

    // `lanetorrent-cli --profile PROFILE ARGS...` in the background, logging to root()/NAME.*.
    // Every seed and download gets a profile of its own, so no test touches the user's real one.
    std::unique_ptr<Process> start_cli(const std::string& name,
                                       const std::filesystem::path& profile,
                                       const std::vector<std::string>& args) const;

    // `lanetorrent-cli create` (v1); fails the test if it does.
    void create_torrent(const std::filesystem::path& content, const std::filesystem::path& torrent,
                        const std::vector<std::string>& extra_args = {}) const;

    // Waits for a CLI download or seed to exit, then checks that it exited with `exit_code` and
    // that its last --json line is the `done` event saying the same. Returns that event.
    nlohmann::json expect_done(Process& cli, int exit_code,
                               std::chrono::milliseconds timeout = kProcessTimeout) const;

  private:
    TempDir root_{"lanetorrent-interop"};
};

// A magnet link for `info_hash` named `name`, with `tracker` (URL-encoded) if it is not empty.
std::string magnet_link(const std::string& info_hash, const std::string& name,
                        const std::string& tracker = {});

}  // namespace lanetorrent::test

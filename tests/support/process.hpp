#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lanetorrent::test {

struct SpawnOptions {
    // Added to (or replacing entries of) the test's own environment.
    std::vector<std::pair<std::string, std::string>> env;
    // Empty: the child inherits the test's working directory.
    std::filesystem::path cwd;
};

// A child process that cannot outlive the test that started it.
//
// stdout and stderr go to `<log_dir>/<name>.stdout` and `<log_dir>/<name>.stderr`, so a test can
// read them while the child runs and a fixture can print them after a failure, even once the
// Process object is gone. The child runs in its own process group (signals sent to the test's
// group, such as Ctrl-C, do not reach it; the destructor stops the whole group). The destructor
// sends SIGTERM, waits briefly, then SIGKILLs and reaps, so a failing assertion never leaves a
// client running. Should the test process itself be killed (a ctest timeout), a watchdog process
// SIGKILLs every group still registered.
class Process {
  public:
    // argv[0] is looked up in PATH unless it contains a '/'. Throws std::runtime_error if it cannot
    // be executed.
    Process(std::string name, std::vector<std::string> argv, const std::filesystem::path& log_dir,
            const SpawnOptions& options = {});
    ~Process();
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    const std::string& name() const { return name_; }
    pid_t pid() const { return pid_; }
    bool running();

    // The exit code (128 + signal number if a signal ended it), or nullopt if it is still running
    // after `timeout`.
    std::optional<int> wait_for(std::chrono::milliseconds timeout);

    // To the child only (not its group), so a test can exercise its own signal handling.
    void signal(int sig);
    // SIGKILL to the whole group, then waits for the child. Returns its exit status as wait_for.
    int kill();

    const std::filesystem::path& stdout_path() const { return stdout_path_; }
    const std::filesystem::path& stderr_path() const { return stderr_path_; }
    std::string stdout_text() const;
    std::string stderr_text() const;

    // Waits for a stdout line for which `matches` returns true and returns it. Each line is shown
    // to `matches` once: a call continues after the last line the previous call looked at, so
    // successive calls follow the output in order. Gives up (nullopt) at `timeout`, or once the
    // child has exited and no remaining line matches.
    std::optional<std::string> wait_for_line(const std::function<bool(std::string_view)>& matches,
                                             std::chrono::milliseconds timeout);

  private:
    void stop_group();

    std::string name_;
    pid_t pid_ = -1;
    std::filesystem::path stdout_path_;
    std::filesystem::path stderr_path_;
    std::optional<int> status_;  // set once the child has exited (it stays a zombie until reaped)
    bool reaped_ = false;
    std::size_t stdout_offset_ = 0;  // bytes of stdout already shown to wait_for_line
};

// Reads a whole file; empty if it does not exist.
std::string read_file(const std::filesystem::path& path);

}  // namespace lanetorrent::test

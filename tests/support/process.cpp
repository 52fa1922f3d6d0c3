#include "process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace lanetorrent::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kTermGrace = 5s;
constexpr auto kPollInterval = 20ms;

// Destructors cannot run when ctest kills a timed-out test, and PR_SET_PDEATHSIG does not survive
// a child that changes its credentials (opentracker drops root). This forked copy of the test
// process sits on one end of a socket; when the test process dies, for whatever reason, it reads
// EOF and SIGKILLs every process group that was not reaped yet.
class Watchdog {
  public:
    static Watchdog& instance() {
        static Watchdog watchdog;
        return watchdog;
    }

    // At a normal exit: let the watchdog go and reap it, so it does not linger as a zombie under
    // an init that does not reap.
    ~Watchdog() {
        if (fd_ >= 0) {
            ::close(fd_);
            while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
            }
        }
    }
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

    void watch(pid_t group) { send_message(static_cast<std::int32_t>(group)); }
    void forget(pid_t group) { send_message(-static_cast<std::int32_t>(group)); }

  private:
    Watchdog() {
        int fds[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
            return;  // best effort: destructors still stop children in every ordinary case
        }
        pid_ = fork();
        if (pid_ == 0) {
            ::close(fds[0]);
            run(fds[1]);
        }
        ::close(fds[1]);
        if (pid_ < 0) {
            ::close(fds[0]);
            return;
        }
        fd_ = fds[0];
    }

    void send_message(std::int32_t message) const {
        if (fd_ >= 0) {
            // MSG_NOSIGNAL: a dead watchdog must not take the test down with SIGPIPE.
            (void)::send(fd_, &message, sizeof message, MSG_NOSIGNAL);
        }
    }

    // Only async-signal-safe calls and no allocation: the test process may have had threads.
    [[noreturn]] static void run(int fd) {
        // Own session: Ctrl-C and group-wide kills aimed at the test must leave it running until
        // it has cleaned up.
        ::setsid();
        for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) {
            ::signal(sig, SIG_IGN);
        }
        // Holding ctest's output pipe open would make ctest wait for us.
        const int null_fd = ::open("/dev/null", O_RDWR);
        if (null_fd >= 0) {
            ::dup2(null_fd, 0);
            ::dup2(null_fd, 1);
            ::dup2(null_fd, 2);
        }

        static pid_t groups[4096];
        std::size_t count = 0;
        for (;;) {
            std::int32_t message = 0;
            std::size_t got = 0;
            while (got < sizeof message) {
                const ssize_t n =
                    ::read(fd, reinterpret_cast<char*>(&message) + got, sizeof message - got);
                if (n < 0 && errno == EINTR) {
                    continue;
                }
                if (n <= 0) {
                    for (std::size_t i = 0; i < count; ++i) {
                        ::kill(-groups[i], SIGKILL);
                    }
                    ::_exit(0);
                }
                got += static_cast<std::size_t>(n);
            }
            if (message > 0 && count < std::size(groups)) {
                groups[count++] = message;
            } else if (message < 0) {
                for (std::size_t i = 0; i < count; ++i) {
                    if (groups[i] == -message) {
                        groups[i] = groups[--count];
                        break;
                    }
                }
            }
        }
    }

    pid_t pid_ = -1;
    int fd_ = -1;
};

// Closed on every way out of the Process constructor, exceptions included.
class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() { reset(); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;

    int get() const { return fd_; }
    void reset() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = -1;
    }

  private:
    int fd_;
};

std::string find_executable(const std::string& name) {
    if (name.find('/') != std::string::npos) {
        return name;
    }
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
    }
    throw std::runtime_error("cannot find '" + name + "' in PATH");
}

std::vector<std::string> merged_environment(
    const std::vector<std::pair<std::string, std::string>>& extra) {
    std::vector<std::string> result;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        bool replaced = false;
        for (const auto& [key, value] : extra) {
            replaced = replaced || (text.size() > key.size() && text.starts_with(key) &&
                                    text[key.size()] == '=');
        }
        if (!replaced) {
            result.emplace_back(text);
        }
    }
    for (const auto& [key, value] : extra) {
        result.push_back(key + "=" + value);
    }
    return result;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> result;
    for (auto& s : strings) {
        result.push_back(s.data());
    }
    result.push_back(nullptr);
    return result;
}

int open_log(const std::filesystem::path& path) {
    // O_EXCL: reusing a name would overwrite the log of an earlier process that a failure report
    // still needs.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw std::runtime_error("cannot create log " + path.string() + ": " +
                                 std::strerror(errno));
    }
    return fd;
}

// Exit status without reaping: the zombie keeps the process group id from being reused before
// the destructor has signalled the group.
std::optional<int> peek_exit(pid_t pid) {
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0 ||
        info.si_pid == 0) {
        return std::nullopt;
    }
    return info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
}

}  // namespace

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

Process::Process(std::string name, std::vector<std::string> argv,
                 const std::filesystem::path& log_dir, const SpawnOptions& options)
    : name_(std::move(name)),
      stdout_path_(log_dir / (name_ + ".stdout")),
      stderr_path_(log_dir / (name_ + ".stderr")) {
    if (argv.empty()) {
        throw std::invalid_argument("Process needs a program to run");
    }
    // Forked before any descriptor below exists, so the watchdog holds none of them.
    Watchdog& watchdog = Watchdog::instance();

    const std::string executable = find_executable(argv[0]);
    std::vector<std::string> environment = merged_environment(options.env);
    std::vector<char*> c_argv = c_strings(argv);
    std::vector<char*> c_env = c_strings(environment);
    const std::string cwd = options.cwd.string();

    std::filesystem::create_directories(log_dir);
    const Fd out(open_log(stdout_path_));
    const Fd err(open_log(stderr_path_));
    const Fd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    int pipe_fds[2];
    if (null.get() < 0 || ::pipe2(pipe_fds, O_CLOEXEC) != 0) {
        throw std::runtime_error("cannot set up a child process: " +
                                 std::string(std::strerror(errno)));
    }
    // The child reports a failed exec here; a successful one closes it (O_CLOEXEC).
    const Fd exec_error_in(pipe_fds[0]);
    Fd exec_error_out(pipe_fds[1]);

    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ == 0) {
        // Between fork and exec only async-signal-safe calls.
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) {
            ::_exit(127);
        }
        sigset_t all;
        ::sigemptyset(&all);
        ::sigprocmask(SIG_SETMASK, &all, nullptr);
        for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT}) {
            ::signal(sig, SIG_DFL);
        }
        ::dup2(null.get(), 0);
        ::dup2(out.get(), 1);
        ::dup2(err.get(), 2);
        if (cwd.empty() || ::chdir(cwd.c_str()) == 0) {
            ::execve(executable.c_str(), c_argv.data(), c_env.data());
        }
        const int error = errno;
        (void)!::write(exec_error_out.get(), &error, sizeof error);
        ::_exit(127);
    }
    if (pid_ < 0) {
        throw std::runtime_error("fork failed: " + std::string(std::strerror(errno)));
    }
    ::setpgid(pid_, pid_);  // also here: no window in which signals to the group miss it
    watchdog.watch(pid_);
    exec_error_out.reset();
    int child_error = 0;
    ssize_t n;
    do {
        n = ::read(exec_error_in.get(), &child_error, sizeof child_error);
    } while (n < 0 && errno == EINTR);
    if (n > 0) {
        ::waitpid(pid_, nullptr, 0);
        reaped_ = true;
        watchdog.forget(pid_);
        throw std::runtime_error("cannot run " + executable + ": " + std::strerror(child_error));
    }
}

Process::~Process() {
    stop_group();
}

void Process::stop_group() {
    if (reaped_ || pid_ <= 0) {
        return;
    }
    if (running()) {
        ::kill(-pid_, SIGTERM);
        wait_for(std::chrono::duration_cast<std::chrono::milliseconds>(kTermGrace));
    }
    // Also when the leader has exited: anything it left behind in its group must go too.
    ::kill(-pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    Watchdog::instance().forget(pid_);
}

bool Process::running() {
    if (!status_ && !reaped_) {
        status_ = peek_exit(pid_);
    }
    return !status_ && !reaped_;
}

std::optional<int> Process::wait_for(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (running()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return std::nullopt;
        }
        std::this_thread::sleep_for(kPollInterval);
    }
    return status_;
}

void Process::signal(int sig) {
    if (running()) {
        ::kill(pid_, sig);
    }
}

int Process::kill() {
    if (!reaped_) {
        ::kill(-pid_, SIGKILL);
    }
    while (running()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return status_.value_or(128 + SIGKILL);
}

std::string Process::stdout_text() const {
    return read_file(stdout_path_);
}
std::string Process::stderr_text() const {
    return read_file(stderr_path_);
}

std::optional<std::string> Process::wait_for_line(
    const std::function<bool(std::string_view)>& matches, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        // Checked before reading, so that output written just before exiting is still seen.
        const bool exited = !running();
        const std::string text = stdout_text();
        while (stdout_offset_ < text.size()) {
            const std::size_t end = text.find('\n', stdout_offset_);
            if (end == std::string::npos && !exited) {
                break;  // an incomplete line: wait for the rest
            }
            const std::size_t line_end = end == std::string::npos ? text.size() : end;
            std::string line = text.substr(stdout_offset_, line_end - stdout_offset_);
            stdout_offset_ = line_end == text.size() ? line_end : line_end + 1;
            if (matches(line)) {
                return line;
            }
        }
        if (exited || std::chrono::steady_clock::now() >= deadline) {
            return std::nullopt;
        }
        std::this_thread::sleep_for(kPollInterval);
    }
}

}  // namespace lanetorrent::test

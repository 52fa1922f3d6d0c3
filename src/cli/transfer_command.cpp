// `seed` and `download`: one engine, one or many torrents, a loop that reports events until the
// transfer reaches its goal (a download: every torrent finished), fails, times out or is
// interrupted.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>

#include "base/format.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/json_text.hpp"
#include "cli/lane_setup.hpp"
#include "cli/reporter.hpp"
#include "engine/engine.hpp"
#include "engine/torrent_source.hpp"
#include "stream/http_server.hpp"
#include "stream/torrent_stream.hpp"

namespace lanetorrent::cli {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

extern "C" char** environ;

namespace {

std::atomic<int> stop_signal{0};
// Whether a loop that looks at stop_signal is running. Outside one (opening the session, adding
// torrents) a call may block for long, and a signal that only set the flag would wait for it:
// there, and on a second signal, the process ends at once, as it would without a handler. What
// it leaves behind is what a crash leaves, which the next run handles.
std::atomic<bool> stop_is_polled{false};

void on_stop_signal(int signal) {
    if (!stop_is_polled || stop_signal) {
        static constexpr char message[] = "lanetorrent-cli: stopped by a signal\n";
        (void)!::write(STDERR_FILENO, message, sizeof message - 1);
        ::_exit(128 + signal);
    }
    stop_signal = signal;
}

// Marks a scope whose loop looks at stop_signal often (every poll).
class PolledStop {
  public:
    PolledStop() { stop_is_polled = true; }
    ~PolledStop() { stop_is_polled = false; }
    PolledStop(PolledStop const&) = delete;
    PolledStop& operator=(PolledStop const&) = delete;
};

void install_stop_handlers() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

// Root ignores permission bits, and a read-only mount only shows on write, so the honest check is
// to write something.
Status check_writable(fs::path const& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return Error{"cannot create save directory " + dir.string() + ": " + ec.message()};
    if (!fs::is_directory(dir, ec)) return Error{dir.string() + " is not a directory"};
    auto probe = (dir / ".lanetorrent-write-test-XXXXXX").string();
    int const fd = ::mkstemp(probe.data());
    if (fd < 0) {
        return Error{"cannot write to save directory " + dir.string() + ": " +
                     std::strerror(errno)};
    }
    ::close(fd);
    ::unlink(probe.c_str());
    return Ok{};
}

// `stream --play`: the player, started with an argument list (never a shell: the URL carries a
// secret token and a file name from the torrent).
class Player {
  public:
    ~Player() { stop(); }

    // `command` is the program and its arguments, separated by spaces; empty: mpv if installed,
    // else xdg-open.
    Status start(std::string const& command, std::string const& url) {
        std::vector<std::string> words;
        std::istringstream split(command);
        for (std::string word; split >> word;) words.push_back(word);
        if (words.empty()) words.push_back(on_path("mpv") ? "mpv" : "xdg-open");
        words.push_back(url);
        std::vector<char*> argv;
        for (auto& word : words) argv.push_back(word.data());
        argv.push_back(nullptr);
        if (int const error =
                ::posix_spawnp(&pid_, argv[0], nullptr, nullptr, argv.data(), environ);
            error != 0) {
            pid_ = -1;
            return Error{
                fmt::format("cannot start the player {}: {}", words[0], std::strerror(error))};
        }
        return Ok{};
    }

    // Whether the player has exited (reaps it).
    bool exited() {
        if (pid_ <= 0) return false;
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) != pid_) return false;
        pid_ = -1;
        return true;
    }

    void stop() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }

  private:
    static bool on_path(std::string const& program) {
        char const* path = std::getenv("PATH");
        std::istringstream dirs(path ? path : "/usr/bin:/bin");
        for (std::string dir; std::getline(dirs, dir, ':');) {
            if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0) return true;
        }
        return false;
    }

    pid_t pid_ = -1;
};

// Wakes the transfer loop from libtorrent's threads: an alert, or a lane event or chain answer
// (which raise no alert). Shared with the callbacks, so a late one after the loop ended is
// harmless.
class Waker {
  public:
    void wake() {
        std::lock_guard const lock(mutex_);
        woken_ = true;
        woke_.notify_one();
    }
    void wait(std::chrono::milliseconds at_most) {
        std::unique_lock lock(mutex_);
        woke_.wait_for(lock, at_most, [this] { return woken_; });
        woken_ = false;
    }

  private:
    std::mutex mutex_;
    std::condition_variable woke_;
    bool woken_ = false;
};

class Transfer {
  public:
    Transfer(TransferOptions const& options, Engine& engine, Reporter& reporter,
             lanes::LaneService* lanes)
        : options_(options), engine_(engine), reporter_(reporter), lanes_(lanes) {
        if (awake()) engine_.set_wakeup([waker = waker_] { waker->wake(); });
        if (lanes_) lanes_->set_wakeup([waker = waker_] { waker->wake(); });
    }

    // `stream`: the file to play; it is served from the first loop turn that has its metadata.
    void set_stream(stream::TorrentStream* stream) { stream_ = stream; }
    std::function<void()> waker() const {
        return [waker = waker_] { waker->wake(); };
    }

    // Waits until the listen socket is up. With an explicit --listen a failure is fatal: the
    // user asked for that address, and peers or trackers expect us there.
    Status wait_for_listen() {
        PolledStop const polled;
        auto const deadline = std::chrono::steady_clock::now() + 10s;
        while (std::chrono::steady_clock::now() < deadline && !stop_signal) {
            for (auto const& event : engine_.poll(100ms)) {
                reporter_.report(event);
                if (std::holds_alternative<event::Listening>(event)) return Ok{};
                if (auto const* failed = std::get_if<event::ListenFailed>(&event)) {
                    if (options_.listen) {
                        return Error{fmt::format("cannot listen on {}: {}", *options_.listen,
                                                 failed->message)};
                    }
                }
            }
        }
        return Error{"the session did not start listening within 10 seconds"};
    }

    int run(std::vector<TorrentId> const& ids) {
        PolledStop const polled;
        auto const start = std::chrono::steady_clock::now();
        std::optional<std::chrono::steady_clock::time_point> deadline;
        if (options_.seconds) deadline = start + std::chrono::seconds(*options_.seconds);
        bool const seeding = options_.mode == TransferMode::seed;
        bool const streaming = options_.mode == TransferMode::stream;
        std::set<TorrentId> unfinished;
        if (!seeding) unfinished.insert(ids.begin(), ids.end());

        while (true) {
            if (stop_signal) {
                // A stream runs until the user stops it (or its player ends): that is success.
                if (unfinished.empty() || streaming) return finish(ids, exit_success, {});
                return finish(ids, exit_failure,
                              fmt::format("interrupted at {}; run the same command again to "
                                          "continue",
                                          percent(ids)));
            }
            // With --keep-seeding the timeout bounds only the download, not the seeding after it.
            if (deadline && std::chrono::steady_clock::now() >= *deadline) {
                if (seeding || streaming) return finish(ids, exit_success, {});
                if (!unfinished.empty()) {
                    return finish(
                        ids, exit_failure,
                        fmt::format("the download did not finish within {} seconds ({} done)",
                                    *options_.seconds, percent(ids)));
                }
            }
            auto const events = awake() ? poll_awake() : engine_.poll(200ms);
            if (lanes_) {
                for (auto const& event : events) lanes_->observe(event);
                lanes_->poll();
                for (auto const& notice : lanes_->take_notices()) reporter_.lane_notice(notice);
            }
            if (stream_) {
                if (auto const status = step_stream(events); !status) {
                    return finish(ids, exit_failure, status.error());
                }
                if (player_.exited()) return finish(ids, exit_success, {});
            }
            for (auto const& event : events) {
                // Pieces are for the stream; one line per piece would drown the rest.
                if (std::holds_alternative<event::PieceFinished>(event)) continue;
                reporter_.report(event);
                // A full disk or a read-only save path stops the torrent until the engine sees
                // it fixed; the download waits for that (or for --timeout) instead of quitting.
                if (auto const* error = std::get_if<event::TorrentError>(&event);
                    error && !error->retrying) {
                    return finish(ids, exit_failure, error->message);
                }
                auto const* finished = std::get_if<event::Finished>(&event);
                if (!seeding && finished && unfinished.erase(finished->id) && unfinished.empty() &&
                    !options_.keep_seeding && !streaming) {
                    return finish(ids, exit_success, {});
                }
            }
        }
    }

  private:
    // Whether the loop sleeps on the waker (lane events and stream readers raise no alert).
    bool awake() const { return lanes_ != nullptr || options_.mode == TransferMode::stream; }

    // One loop turn of a stream: feed it, publish it once it can be, start the player, and
    // report the buffer once a second.
    Status step_stream(std::vector<Event> const& events) {
        for (auto const& event : events) stream_->observe(event);
        auto const now = std::chrono::steady_clock::now();
        stream_->tick(now);
        if (stream_->error()) return Error{*stream_->error()};
        if (!announced_ && stream_->url()) {
            announced_ = true;
            reporter_.stream_ready(*stream_->url(), stream_->file_name(), stream_->file_size());
            if (options_.stream.play) {
                if (auto const started = player_.start(*options_.stream.play, *stream_->url());
                    !started) {
                    return started;
                }
            }
        }
        if (announced_ && now >= next_buffer_report_) {
            next_buffer_report_ = now + 1s;
            auto const status = stream_->status();
            reporter_.buffer(Reporter::Buffer{.ahead_bytes = status.ahead_bytes,
                                              .ahead_seconds = status.ahead_seconds,
                                              .read_offset = status.read_offset,
                                              .consumption_rate = status.consumption_rate,
                                              .starving = status.starving,
                                              .lane = lanes::to_string(status.lane),
                                              .reason = status.lane_reason,
                                              .spent = status.spent});
        }
        return Ok{};
    }

    // With lanes, the loop wakes for lane events too: waiting for alerts only, every hop of the
    // lane handshake (five to a paid grant, more with a reconnect) waited up to a poll interval,
    // which was most of the time from connect to a paid grant. The 50 ms cap keeps the engine's
    // timers (progress, resume data) on time.
    std::vector<Event> poll_awake() {
        auto events = engine_.poll(0ms);
        if (!events.empty()) return events;
        waker_->wait(50ms);
        return engine_.poll(0ms);
    }

    // Of all torrents together, by bytes.
    std::string percent(std::vector<TorrentId> const& ids) const {
        std::int64_t have = 0;
        std::int64_t total = 0;
        for (auto const& id : ids) {
            if (auto const p = engine_.progress(id)) {
                have += p->have_bytes;
                total += p->total_bytes;
            }
        }
        return fmt::format("{:.1f}%", total > 0 ? 100.0 * static_cast<double>(have) / total : 0.0);
    }

    int finish(std::vector<TorrentId> const& ids, int code, std::string const& error) {
        std::int64_t downloaded = 0;
        std::int64_t uploaded = 0;
        for (auto const& id : ids) {
            if (auto const p = engine_.progress(id)) {
                downloaded += p->downloaded;
                uploaded += p->uploaded;
            }
        }
        player_.stop();
        if (lanes_) settle_before_exit();
        // Resume data and the tracker's "stopped" go out before the summary line, so a script
        // that waits for "done" may start the next run at once.
        engine_.shutdown();
        if (!error.empty()) fail(static_cast<ExitCode>(code), error);
        reporter_.done(code, downloaded, uploaded);
        return code;
    }

    // A download that finishes has sent its final IOU; give the seller a moment to ask for the
    // settlement and answer it, so the debt does not wait for the next meeting.
    void settle_before_exit() {
        auto const start = std::chrono::steady_clock::now();
        while (std::chrono::steady_clock::now() < start + 10s && !stop_signal) {
            for (auto const& event : engine_.poll(100ms)) lanes_->observe(event);
            lanes_->poll();
            for (auto const& notice : lanes_->take_notices()) reporter_.lane_notice(notice);
            if (lanes_->settled_up() && std::chrono::steady_clock::now() > start + 1500ms) return;
        }
    }

    TransferOptions const& options_;
    Engine& engine_;
    Reporter& reporter_;
    lanes::LaneService* lanes_;
    std::shared_ptr<Waker> waker_ = std::make_shared<Waker>();
    stream::TorrentStream* stream_ = nullptr;
    bool announced_ = false;
    std::chrono::steady_clock::time_point next_buffer_report_{};
    Player player_;
};

}  // namespace

int run_transfer(Profile const& profile, TransferOptions const& options) {
    bool const seeding = options.mode == TransferMode::seed;

    // Everything that can be wrong with the command line is reported before anything starts.
    std::optional<Endpoint> listen;
    if (options.listen) {
        auto parsed = parse_endpoint(*options.listen);
        if (!parsed) return fail(exit_usage, "--listen: " + parsed.error());
        listen = parsed.value();
    }
    std::vector<Endpoint> peers;
    for (auto const& text : options.peers) {
        auto parsed = parse_endpoint(text);
        if (!parsed) return fail(exit_usage, "--peer: " + parsed.error());
        peers.push_back(parsed.value());
    }
    std::vector<lt::add_torrent_params> sources;
    for (auto const& text : options.sources) {
        bool const magnet = looks_like_magnet(text);
        if (seeding && magnet) {
            return fail(exit_usage, "seed needs a .torrent file: a magnet link has no metadata");
        }
        LoadWarnings warnings;
        auto source = load_torrent_source(text, &warnings);
        if (!source) return fail(magnet ? exit_usage : exit_failure, source.error());
        for (auto const& warning : warnings) warn(warning);
        sources.push_back(std::move(source.value()));
    }

    fs::path const directory = options.directory;
    std::error_code ec;
    if (seeding && !fs::is_directory(directory, ec)) {
        return fail(exit_failure, "data directory " + directory.string() + " does not exist");
    }
    if (!seeding) {
        if (auto status = check_writable(directory); !status) {
            return fail(exit_failure, status.error());
        }
    }

    EngineSettings settings;
    if (listen) {
        settings.listen_interfaces = listen->to_string();
        settings.try_next_ports = false;
        // DHT, LSD and UPnP cannot work on a loopback address and would only send traffic out.
        if (listen->is_loopback()) settings.make_local_only();
    }
    if (options.no_dht) settings.dht = false;
    if (options.no_lsd) settings.lsd = false;
    if (options.no_upnp) settings.upnp = false;
    settings.outgoing_utp = options.utp;
    settings.resume_save_interval = std::chrono::seconds(std::max(1, options.resume_interval));
    settings.status_interval = std::chrono::milliseconds(options.progress_ms);

    auto lane_settings = lane_config(profile, options);
    if (!lane_settings) return fail(exit_usage, lane_settings.error());
    bool const selling = lane_settings.value() && lane_settings.value()->sell;
    // A seller's --max-up is the budget its lane classes share (lane_setup.cpp). It is not also
    // set as the session limit: a global cap that binds first splits by peer, not by lane.

    install_stop_handlers();
    auto opened = Engine::open(profile, settings);
    if (!opened) return fail(exit_failure, opened.error());
    auto engine = std::move(opened.value());
    std::unique_ptr<lanes::LaneService> lanes;
    if (lane_settings.value()) {
        auto started = lanes::LaneService::open(*engine, std::move(*lane_settings.value()));
        if (!started) {
            engine->shutdown();
            return fail(exit_failure, started.error());
        }
        lanes = std::move(started.value());
    }
    Reporter reporter(Reporter::style_for_stdout(options.json));
    Transfer transfer(options, *engine, reporter, lanes.get());

    if (auto status = transfer.wait_for_listen(); !status) {
        engine->shutdown();
        return fail(exit_failure, status.error());
    }

    // A stream's server starts before the torrent is added, so a port problem shows at once.
    std::unique_ptr<stream::StreamServer> server;
    if (options.mode == TransferMode::stream) {
        auto started = stream::StreamServer::start();
        if (!started) {
            engine->shutdown();
            return fail(exit_failure, "cannot start the stream server: " + started.error());
        }
        server = std::move(started.value());
    }

    std::vector<TorrentId> ids;
    for (auto& source : sources) {
        AddTorrent request;
        request.source = std::move(source);
        request.save_path = directory;
        request.seed_only = seeding;
        if (!selling) request.upload_limit = options.max_up_kib * 1024;
        request.download_limit = options.max_down_kib * 1024;
        auto id = engine->add(std::move(request));
        if (!id) {
            engine->shutdown();
            return fail(exit_failure, id.error());
        }
        if (lanes && !seeding) {
            auto const [lane, caps] = lane_choice(options.lanes);
            lanes->set_lane(id.value(), lane, caps);
        }
        for (auto const& peer : peers) (void)engine->pin_peer(id.value(), peer);
        ids.push_back(id.value());
    }
    std::unique_ptr<stream::TorrentStream> stream;
    if (server) {
        stream::StreamOptions stream_options;
        stream_options.file_index = options.stream.file_index;
        stream_options.sequential = options.stream.sequential;
        stream_options.auto_lane = options.lanes.lane == "auto";
        stream_options.caps = lane_choice(options.lanes).second;
        stream_options.buffer_target = std::chrono::seconds(options.stream.buffer_seconds);
        stream = std::make_unique<stream::TorrentStream>(*engine, lanes.get(), *server, ids.front(),
                                                         stream_options, transfer.waker());
        transfer.set_stream(stream.get());
    }
    int const code = transfer.run(ids);
    // The stream and its server end before the engine they read from is gone.
    stream.reset();
    server.reset();
    return code;
}

}  // namespace lanetorrent::cli

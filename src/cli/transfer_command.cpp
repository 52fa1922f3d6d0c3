// `seed` and `download`: one engine, one or many torrents, a loop that reports events until the
// transfer reaches its goal (a download: every torrent finished), fails, times out or is
// interrupted.
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

#include "base/format.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/json_text.hpp"
#include "cli/lane_setup.hpp"
#include "cli/reporter.hpp"
#include "engine/engine.hpp"
#include "engine/torrent_source.hpp"

namespace lanetorrent::cli {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

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
        if (lanes_) {
            engine_.set_wakeup([waker = waker_] { waker->wake(); });
            lanes_->set_wakeup([waker = waker_] { waker->wake(); });
        }
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
        std::set<TorrentId> unfinished;
        if (!seeding) unfinished.insert(ids.begin(), ids.end());

        while (true) {
            if (stop_signal) {
                if (unfinished.empty()) return finish(ids, exit_success, {});
                return finish(ids, exit_failure,
                              fmt::format("interrupted at {}; run the same command again to "
                                          "continue",
                                          percent(ids)));
            }
            // With --keep-seeding the timeout bounds only the download, not the seeding after it.
            if (deadline && std::chrono::steady_clock::now() >= *deadline) {
                if (seeding) return finish(ids, exit_success, {});
                if (!unfinished.empty()) {
                    return finish(
                        ids, exit_failure,
                        fmt::format("the download did not finish within {} seconds ({} done)",
                                    *options_.seconds, percent(ids)));
                }
            }
            auto const events = lanes_ ? poll_awake() : engine_.poll(200ms);
            if (lanes_) {
                for (auto const& event : events) lanes_->observe(event);
                lanes_->poll();
                for (auto const& notice : lanes_->take_notices()) reporter_.lane_notice(notice);
            }
            for (auto const& event : events) {
                reporter_.report(event);
                // A full disk or a read-only save path stops the torrent until the engine sees
                // it fixed; the download waits for that (or for --timeout) instead of quitting.
                if (auto const* error = std::get_if<event::TorrentError>(&event);
                    error && !error->retrying) {
                    return finish(ids, exit_failure, error->message);
                }
                auto const* finished = std::get_if<event::Finished>(&event);
                if (!seeding && finished && unfinished.erase(finished->id) && unfinished.empty() &&
                    !options_.keep_seeding) {
                    return finish(ids, exit_success, {});
                }
            }
        }
    }

  private:
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
    return transfer.run(ids);
}

}  // namespace lanetorrent::cli

// Engine: one libtorrent session with LaneTorrent's policies, behind a small API that the CLI and
// the GUI share. Neither ever touches libtorrent directly.
//
// Threading: every member function must be called from one thread, the "app thread" (the CLI's
// main loop, the GUI's event loop). libtorrent works on its own threads and reports back through
// alerts; poll() drains them on the app thread and turns them into typed Events. set_wakeup()
// tells an event loop when alerts are waiting, so it need not busy-poll.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include <libtorrent/add_torrent_params.hpp>
#include <libtorrent/fwd.hpp>
#include <libtorrent/torrent_handle.hpp>

#include "base/profile.hpp"
#include "base/result.hpp"
#include "engine/endpoint.hpp"
#include "engine/events.hpp"
#include "engine/resume_store.hpp"
#include "engine/resume_writer.hpp"
#include "engine/settings.hpp"

namespace lanetorrent {

struct AddTorrent {
    lt::add_torrent_params source;  // from load_torrent_source()
    std::filesystem::path save_path;
    // Share data already on disk: hash-check it, never download, and report a TorrentError
    // (pausing the torrent) if it does not match.
    bool seed_only = false;
    bool paused = false;
    int upload_limit = 0;  // bytes/s, 0 = unlimited
    int download_limit = 0;
    // Per file in the torrent's order, libtorrent's scale (0 = skip, 4 = normal, 7 = top); empty
    // or shorter than the file list: the rest are normal. Ignored when resume data has its own.
    std::vector<int> file_priorities{};
};

// One file of a torrent as a details pane shows it. Padding files (BEP 47) are left out, so
// `index` (what set_file_priority takes) may skip numbers.
struct TorrentFile {
    int index = 0;
    std::string path;  // relative to the save path
    std::int64_t size = 0;
    std::int64_t done = 0;  // bytes downloaded and verified
    int priority = 4;
};

struct TrackerStatus {
    std::string url;
    int tier = 0;
    // "working", "updating", "not contacted yet", or the tracker's last error or message.
    std::string status;
};

// Where one file lies in its torrent's pieces, for streaming it (src/stream turns this into its
// FileGeometry). Plain values, so no libtorrent type leaves the engine.
struct FilePieces {
    std::filesystem::path path;  // absolute: where the file is, or will be, on disk
    std::string name;            // the last path component, for a URL and a MIME type
    std::int64_t size = 0;
    std::int64_t offset_in_torrent = 0;
    int piece_length = 0;
    int num_pieces = 0;  // of the whole torrent
};

// A piece wanted within `deadline_ms` from now (libtorrent's time-critical pieces).
struct PieceDeadline {
    int piece = 0;
    int deadline_ms = 0;
    // The piece priority it gets (5..7). libtorrent's deadline round runs once a second; in
    // between, its regular picker fills each peer's queue (~3 s of requests) from the highest
    // priority down, in random order within one priority, and set_piece_deadline gives 7 to
    // every piece. A lower priority for pieces due later keeps the regular picker in order.
    int priority = 7;
    friend bool operator==(PieceDeadline const&, PieceDeadline const&) = default;
};

enum class RemoveData { keep, delete_files };

class Engine {
  public:
    // Starts the session (it begins listening at once; listen results arrive as events).
    static Result<std::unique_ptr<Engine>> open(Profile profile, EngineSettings settings);
    ~Engine();  // shutdown() if not done yet
    Engine(Engine const&) = delete;
    Engine& operator=(Engine const&) = delete;

    // Adds a torrent. If the profile has resume data for it with the same save path, continues
    // from there (finished files are not re-checked).
    Result<TorrentId> add(AddTorrent request);
    // Adds every torrent the profile has resume data for (what a restarted GUI does). Problems
    // with single torrents come as Warning events; the rest still load.
    std::vector<TorrentId> restore_all();

    Status pause(TorrentId const& id);
    Status resume(TorrentId const& id);
    Status remove(TorrentId const& id, RemoveData data);
    Status set_torrent_limits(TorrentId const& id, int upload_limit, int download_limit);
    // This torrent's own limits in bytes/s (0 = none), as libtorrent holds them.
    std::optional<std::pair<int, int>> torrent_limits(TorrentId const& id) const;
    // Moves the torrent's files to `directory` (created if missing) on libtorrent's disk thread.
    // A file of the same name already there is never overwritten: the move fails with a Warning
    // and the files stay where they were. Resume data is saved once the move is done.
    Status move_storage(TorrentId const& id, std::filesystem::path const& directory);
    void set_session_limits(int upload_limit, int download_limit);
    // Listens on these interfaces instead ("IP:PORT,..."; outgoing connections leave from the
    // IP when there is one). Results arrive as Listening / ListenFailed events.
    void set_listen_interfaces(std::string const& interfaces);
    // Connects to a peer now and again whenever it is not connected (every few seconds): the way
    // to reach peers no tracker tells us about, and peers that were not listening yet.
    Status pin_peer(TorrentId const& id, Endpoint const& peer);
    // Dials a peer once, now (e.g. one that asked us to reconnect).
    Status connect_peer(TorrentId const& id, Endpoint const& peer);

    std::vector<TorrentId> torrents() const;
    // A torrent's progress now (asks the session; poll() delivers the same as Progress events).
    std::optional<TorrentProgress> progress(TorrentId const& id) const;
    std::optional<std::filesystem::path> save_path(TorrentId const& id) const;
    // Empty until the torrent has metadata (a magnet link still fetching it), or if unknown.
    std::vector<TorrentFile> files(TorrentId const& id) const;
    Status set_file_priority(TorrentId const& id, int index, int priority);
    Status set_file_priorities(TorrentId const& id, std::vector<int> const& priorities);
    std::vector<TrackerStatus> trackers(TorrentId const& id) const;
    // Editing a torrent's trackers (the GUI's Trackers tab). URLs must be http(s)://, udp:// or
    // ws(s):// of at most 4096 characters, and a torrent keeps at most TorrentBounds::max_trackers;
    // every change is saved with the resume data. Errors are for a person.
    Status add_tracker(TorrentId const& id, std::string const& url, int tier = 0);
    // Replaces `old_url` with `new_url` in place (same tier), as qBittorrent's "Edit tracker URL".
    Status replace_tracker(TorrentId const& id, std::string const& old_url,
                           std::string const& new_url);
    Status remove_tracker(TorrentId const& id, std::string const& url);
    // Announces now, to every tracker or only to `url`, even if the tracker asked us to wait.
    Status force_reannounce(TorrentId const& id, std::string const& url = {});

    // The metadata of a magnet link, fetched without adding the torrent (what an add dialog shows
    // while it is open, as qBittorrent does): the torrent joins the session in upload mode, so no
    // byte of content is requested or written; it has no resume data and is not in torrents().
    // When the metadata arrives, poll() reports MetadataReceived with this id and
    // fetched_metadata() has it. add() of the same info-hash takes the metadata over and ends the
    // fetch; cancel_metadata_fetch() ends it without adding. Errors are for a person.
    Result<TorrentId> fetch_metadata(lt::add_torrent_params magnet);
    // The magnet's parameters with its metadata (`ti`) once fetched, else nullopt.
    std::optional<lt::add_torrent_params> fetched_metadata(TorrentId const& id) const;
    void cancel_metadata_fetch(TorrentId const& id);

    // Streaming (play while downloading). libtorrent 2.0.8 has traps here, each handled below
    // rather than by the caller; docs/streaming.md "How pieces are chosen" has the whole story.
    //
    // A streaming torrent reports every piece that has passed its hash check and been written
    // (PieceFinished), so a server knows which bytes it may hand out. Never read_piece(): in
    // 2.0.8 it errors and pauses the torrent when the piece is not complete. While any torrent
    // streams, the session's initial_picker_threshold is 0: otherwise a fresh torrent fetches its
    // first 4 pieces at random, whatever the deadlines, seconds before a first frame.
    Status set_streaming(TorrentId const& id, bool on);
    // libtorrent's sequential download: pieces in index order, what qBittorrent offers for
    // playing while downloading. Kept to compare against deadlines (bench/stream).
    Status set_sequential(TorrentId const& id, bool on);
    // Empty before the torrent has metadata, for a bad index and for a padding file.
    std::optional<FilePieces> file_pieces(TorrentId const& id, int file_index) const;
    // Per piece (index = piece): passed its hash check. Empty before metadata.
    std::vector<bool> have_pieces(TorrentId const& id) const;
    // Gives pieces deadlines, or moves the ones they have; pieces already had are ignored.
    // libtorrent requests them ahead of everything else (once a second) and raises them to
    // priority 7. Each call costs libtorrent a linear scan of its list: send what changed only.
    // When its list goes from empty to non-empty libtorrent cancels every other request in
    // flight on every peer. So a window moving on sets the new deadlines before clearing the old
    // ones (or each step would throw away the rarest-first requests), and a seek clears first,
    // on purpose: the old window's queued requests (3 s of them, request_queue_time) would
    // otherwise come before the new position (1.5 s against 1.0 s for 8 pieces at 1 MB/s).
    // stream::apply_plan does one or the other. Each piece then gets its PieceDeadline::priority.
    Status set_piece_deadlines(TorrentId const& id, std::vector<PieceDeadline> const& deadlines);
    // Removes deadlines and gives the pieces back the priority their files imply (libtorrent
    // leaves 1, "low", which would starve them behind every normal piece).
    Status clear_piece_deadlines(TorrentId const& id, std::vector<int> const& pieces);
    // Per piece, libtorrent's priority (0 skip, 1 low, 4 normal, 7 top). Empty before metadata.
    std::vector<int> piece_priorities(TorrentId const& id) const;

    // Waits up to max_wait for something to happen, then returns what did. Also runs the
    // engine's timers (progress updates, resume-data saves, pinned peers), so call it at least
    // every EngineSettings::status_interval.
    std::vector<Event> poll(std::chrono::milliseconds max_wait);

    // Called (from a libtorrent thread) when alerts become available; it must only wake the app
    // thread, e.g. by posting a queued call to poll(0).
    void set_wakeup(std::function<void()> wakeup);

    // For src/lanes only, which extends the session with its plugin and owns the peer classes.
    // Everything else goes through the members above. Extensions must be added before torrents.
    lt::session& native_session() { return *session_; }

    // Saves resume data of every torrent and the session state, tells trackers we stop, and
    // closes the session. Blocks for at most `timeout`.
    void shutdown(std::chrono::seconds timeout = std::chrono::seconds(10));

  private:
    struct Torrent;
    using Clock = std::chrono::steady_clock;

    Engine(Profile profile, EngineSettings settings, std::unique_ptr<lt::session> session);

    Result<TorrentId> add_to_session(TorrentId const& id, lt::add_torrent_params params,
                                     std::unique_ptr<TorrentLock> lock, bool seed_only);
    static TorrentProgress progress_of(Torrent const& torrent, lt::torrent_status const& status);
    void on_torrent_error(Torrent& torrent, std::string message, lt::error_code const& ec,
                          std::vector<Event>& out);
    void retry_after_disk_faults(Clock::time_point now);
    void distrust_pieces_after_crash(TorrentId const& id, TorrentLock const& lock,
                                     lt::add_torrent_params& params);
    Torrent* find(TorrentId const& id);
    Torrent* find(lt::torrent_handle const& handle);
    Status edit_trackers(TorrentId const& id,
                         std::function<Status(std::vector<lt::announce_entry>&)> const& edit);
    void request_resume_save(Torrent& torrent, bool flush);
    Status apply_file_priorities(Torrent& torrent, std::vector<lt::download_priority_t> priorities);
    void run_timers(Clock::time_point now);
    void handle(lt::alert const* alert, std::vector<Event>& out);
    void on_checked(Torrent& torrent, std::vector<Event>& out);
    void on_resume_reply(Torrent& torrent, std::vector<Event>& out);
    // Answers of the resume writer's thread: what a save_resume_data_alert started is done.
    void take_resume_writes(std::vector<Event>& out);
    void on_session_stats(lt::alert const* alert, std::vector<Event>& out);
    void on_fetched_metadata(lt::torrent_handle const& handle, std::vector<Event>& out);
    void apply_streaming_settings();
    std::vector<lt::download_priority_t> file_implied_priorities(Torrent const& torrent) const;
    void keep_deadline_priorities(Torrent& torrent);

    Profile profile_;
    EngineSettings settings_;
    ResumeStore store_;
    ResumeWriter writer_;  // saves store_'s files off the thread that polls
    std::unique_ptr<lt::session> session_;
    std::map<TorrentId, std::unique_ptr<Torrent>> torrents_;
    std::unordered_map<lt::torrent_handle, Torrent*> by_handle_;
    std::vector<Event> pending_;  // events raised by calls, delivered by the next poll()
    struct MetadataFetch {
        lt::torrent_handle handle;
        lt::add_torrent_params magnet;
        std::shared_ptr<lt::torrent_info> metadata;  // set once it arrived
    };
    std::map<TorrentId, MetadataFetch> fetches_;
    int outstanding_resume_saves_ = 0;  // asked of libtorrent, no alert yet
    bool streaming_settings_ = false;   // the session is set up for streaming torrents

    Clock::time_point next_status_;
    Clock::time_point next_resume_save_;
    Clock::time_point next_pinned_check_;
    Clock::time_point next_pinned_recount_;

    // For rates in SessionStats.
    Clock::time_point last_stats_time_;
    std::int64_t last_received_ = 0;
    std::int64_t last_sent_ = 0;
};

}  // namespace lanetorrent

// ResumeWriter: resume data is written to disk on a thread of its own.
//
// Engine::poll runs on the app's thread, which in the desktop app is the GUI thread. Encoding and
// writing a torrent's resume data (an fsync'd atomic rename, the .torrent too on the first save)
// takes milliseconds on a good disk and seconds on a busy or sleeping one; with a thousand seeds
// saved every few minutes it froze the window. qBittorrent 4.5 moves the same work to its resume
// data storage thread; this does it for every front end of the engine.
//
// Writes happen in the order they were asked for, so a newer save of a torrent never loses to an
// older one. Each answer comes back through take_done(); the wakeup (the engine's own) fires when
// one is ready, so the app thread polls for it like for an alert.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <libtorrent/add_torrent_params.hpp>

#include "base/result.hpp"
#include "engine/torrent_id.hpp"

namespace lanetorrent {

class ResumeWriter {
  public:
    // What writes one torrent's resume data: ResumeStore::save in the engine, a stand-in with a
    // gate in tests that need a disk that stalls.
    using Write = std::function<Status(TorrentId const&, lt::add_torrent_params const&)>;

    struct Done {
        TorrentId id;
        Status status = Ok{};
        bool had_metadata = false;  // the params carried the info dictionary (now on disk)
        bool cancelled = false;     // dropped by forget() before it was written
    };

    explicit ResumeWriter(Write write);
    // Writes everything still queued (a save asked for is a save made), then stops the thread.
    ~ResumeWriter();
    ResumeWriter(ResumeWriter const&) = delete;
    ResumeWriter& operator=(ResumeWriter const&) = delete;

    // Called from the writer's thread after each write; it must only wake the app thread.
    void set_wakeup(std::function<void()> wakeup);

    // Queues a save and returns at once.
    void save(TorrentId id, lt::add_torrent_params params);
    // Drops the queued saves of `id` (answered as cancelled) and waits for one being written now,
    // so that once it returns nothing of `id` reaches the disk: a removed torrent's files can be
    // deleted without a late save bringing them back.
    void forget(TorrentId const& id);

    // The answers since the last call, in the order the saves were asked for.
    std::vector<Done> take_done();
    // Waits until an answer is ready or `timeout` passes (for shutdown, which has no event loop).
    void wait_for_done(std::chrono::milliseconds timeout);
    // Saves asked for and not yet answered through take_done().
    int outstanding() const;

  private:
    struct Job {
        TorrentId id;
        lt::add_torrent_params params;
    };

    void run();

    Write write_;
    mutable std::mutex mutex_;
    std::condition_variable work_ready_;
    std::condition_variable job_finished_;  // forget() waits on it; so does wait_for_done()
    std::deque<Job> queue_;
    std::optional<TorrentId> writing_;  // the torrent whose save is on disk-bound now
    std::vector<Done> done_;
    int outstanding_ = 0;
    bool stopping_ = false;
    std::function<void()> wakeup_;
    std::thread thread_;  // last: it starts once the members it uses exist
};

}  // namespace lanetorrent

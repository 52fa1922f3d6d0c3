// Persists each torrent's resume data in the profile so a restart continues where it stopped.
//
// Per torrent: <id>.resume (bencoded resume data without the info dictionary, rewritten often) and
// <id>.torrent (the metadata, written once it is known). Keeping the info dictionary out of the
// frequently rewritten file matters with thousands of seeds: it is most of the bytes.
// Each torrent is also locked (flock on <id>.lock) while one process manages it: two processes
// writing the same resume file would each undo the other's progress.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include <libtorrent/add_torrent_params.hpp>

#include "base/result.hpp"
#include "engine/torrent_id.hpp"

namespace lanetorrent {

// Held while a torrent is open; the kernel drops the lock if the process dies, so a kill -9
// never leaves a torrent locked.
//
// The lock file also says whether the last process to hold it stopped cleanly: it reads
// "running" while held and "stopped" once the final resume data is on disk. Resume data is saved
// every few seconds, so after a crash it can be older than the pieces on disk; a torrent found
// "running" is hash-checked again instead of fetching those pieces a second time.
class TorrentLock {
  public:
    TorrentLock(int fd, bool stopped_cleanly) : fd_(fd), stopped_cleanly_(stopped_cleanly) {}
    ~TorrentLock();
    TorrentLock(TorrentLock const&) = delete;
    TorrentLock& operator=(TorrentLock const&) = delete;

    // False if the previous holder died (kill -9, power loss) after it took the lock.
    bool stopped_cleanly() const { return stopped_cleanly_; }
    // Call once the torrent's final resume data is saved; the next holder will trust it.
    void mark_stopped();

  private:
    int fd_;
    bool stopped_cleanly_;
};

class ResumeStore {
  public:
    explicit ResumeStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

    Result<std::unique_ptr<TorrentLock>> lock(TorrentId const& id) const;

    // Writes resume data (and the .torrent once, if params carry metadata).
    Status save(TorrentId const& id, lt::add_torrent_params const& params) const;

    // Returns nullopt-like error "no resume data" when the torrent was never saved; a corrupt
    // file is reported, left in place for inspection, and never loaded half-way.
    Result<lt::add_torrent_params> load(TorrentId const& id) const;
    bool has(TorrentId const& id) const;

    std::vector<TorrentId> saved_ids() const;
    void remove(TorrentId const& id) const;

  private:
    std::filesystem::path resume_file(TorrentId const& id) const { return dir_ / (id + ".resume"); }
    std::filesystem::path torrent_file(TorrentId const& id) const {
        return dir_ / (id + ".torrent");
    }

    std::filesystem::path dir_;
};

}  // namespace lanetorrent

// One file of a torrent as the streaming server sees it: which of its bytes have passed their hash
// check (whole pieces, marked by the app thread) and who is reading where (the HTTP responses in
// progress, for the planner that sets piece deadlines).
//
// Only bytes of pieces marked as had are ever read from disk: libtorrent's storage holds zeros (a
// sparse hole) or a partial piece where a piece is missing, and a player fed those would show
// garbage instead of waiting. A reader that reaches a missing piece registers a callback with
// when_readable() and is woken by the mark_have() that makes its next byte readable.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"

namespace lanetorrent::stream {

// Where one file of a torrent sits in the torrent's pieces and on disk.
struct FileGeometry {
    std::filesystem::path path;  // absolute path of the file on disk
    std::string name;            // file name (last path component), for the URL and MIME type
    std::int64_t size = 0;       // bytes
    std::int64_t offset_in_torrent = 0;
    int piece_length = 0;
    int num_pieces = 0;  // of the whole torrent

    // Pieces this file touches (an empty file: the piece at its offset, for both).
    int first_piece() const;
    int last_piece() const;
    // Piece holding that byte of the file.
    int piece_at(std::int64_t file_offset) const;
    // The file's bytes [begin, end) that lie in `piece`; begin == end if the piece holds none.
    std::pair<std::int64_t, std::int64_t> bytes_of_piece(int piece) const;
};

struct ReaderState {  // one HTTP response being written
    int id = 0;
    std::int64_t offset = 0;  // next file byte the server will send
    std::int64_t end = 0;     // one past the last byte asked for
    std::optional<std::chrono::steady_clock::time_point> waiting_since;  // starved for `offset`
};

// Thread-safe: the app thread marks pieces, the server thread reads and waits. Callbacks
// (when_readable, set_on_readers_changed) run without the lock held, so they may call back in.
class PieceFile {
  public:
    explicit PieceFile(FileGeometry geometry);
    PieceFile(PieceFile const&) = delete;
    PieceFile& operator=(PieceFile const&) = delete;

    FileGeometry const& geometry() const { return geometry_; }

    // A piece passed its hash check (and is on disk). Out-of-range pieces are ignored.
    void mark_have(int piece);
    // All at once (index = piece); pieces marked before stay marked.
    void mark_have(std::vector<bool> const& have);
    bool have(int piece) const;
    // Contiguous readable bytes of the file at `offset` (0 outside the file).
    std::int64_t readable_from(std::int64_t offset) const;

    // Calls `ready` once (from whichever thread makes it true, or at once from this call) when
    // readable_from(offset) > 0, the file is closed, or `offset` is at or past the end of the file
    // (nothing to wait for). Returns a ticket for cancel(); 0 if `ready` already ran.
    std::uint64_t when_readable(std::int64_t offset, std::function<void()> ready);
    // `ready` will not be called after this returns, unless it is running on another thread now.
    void cancel(std::uint64_t ticket);

    // Reads up to out.size() bytes at `offset`, only bytes of pieces marked as had (pread; a
    // short count where a missing piece starts, 0 at a missing piece). Fails once closed, or if
    // the file cannot be read.
    Result<std::size_t> read(std::int64_t offset, std::span<char> out) const;

    // Wakes every waiter; reads fail afterwards. Idempotent.
    void close();
    bool closed() const;

    // Readers, for the planner on the app thread.
    int open_reader(std::int64_t offset, std::int64_t end);
    // Wakes the app thread when the reader enters another piece (not on every chunk).
    void move_reader(int id, std::int64_t offset);
    void set_waiting(int id, bool waiting);
    void close_reader(int id);
    std::vector<ReaderState> readers() const;
    // Bytes handed to readers by read() in total.
    std::int64_t bytes_served() const;
    // Called (from the server thread) whenever readers change, to wake the app thread.
    void set_on_readers_changed(std::function<void()> wake);

  private:
    struct Waiter {
        std::int64_t offset = 0;
        std::function<void()> ready;
    };

    std::int64_t readable_from_locked(std::int64_t offset) const;
    void notify_readers_changed();

    FileGeometry const geometry_;
    mutable std::mutex mutex_;
    std::vector<bool> have_;
    bool closed_ = false;
    std::uint64_t next_ticket_ = 1;
    std::map<std::uint64_t, Waiter> waiters_;
    int next_reader_ = 1;
    std::map<int, ReaderState> readers_;
    mutable std::int64_t bytes_served_ = 0;
    std::function<void()> on_readers_changed_;
};

}  // namespace lanetorrent::stream

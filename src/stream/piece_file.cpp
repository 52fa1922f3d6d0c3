#include "stream/piece_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace lanetorrent::stream {

namespace {

// Closes a descriptor when the read is done: the file is opened per read, because libtorrent may
// create it only after the first piece is written, and a descriptor kept open would have to be
// shared between the server thread and close() on the app thread.
class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(Fd const&) = delete;
    Fd& operator=(Fd const&) = delete;
    int get() const { return fd_; }

  private:
    int fd_;
};

}  // namespace

int FileGeometry::first_piece() const {
    if (piece_length <= 0) return 0;
    return static_cast<int>(offset_in_torrent / piece_length);
}

int FileGeometry::last_piece() const {
    if (piece_length <= 0) return 0;
    if (size <= 0) return first_piece();
    return static_cast<int>((offset_in_torrent + size - 1) / piece_length);
}

int FileGeometry::piece_at(std::int64_t file_offset) const {
    if (piece_length <= 0) return 0;
    return static_cast<int>((offset_in_torrent + file_offset) / piece_length);
}

std::pair<std::int64_t, std::int64_t> FileGeometry::bytes_of_piece(int piece) const {
    if (piece_length <= 0 || piece < 0) return {0, 0};
    std::int64_t const piece_begin = static_cast<std::int64_t>(piece) * piece_length;
    std::int64_t const begin = std::clamp<std::int64_t>(piece_begin - offset_in_torrent, 0, size);
    std::int64_t const end =
        std::clamp<std::int64_t>(piece_begin + piece_length - offset_in_torrent, 0, size);
    if (end <= begin) return {0, 0};
    return {begin, end};
}

PieceFile::PieceFile(FileGeometry geometry)
    : geometry_(std::move(geometry)),
      have_(static_cast<std::size_t>(std::max(geometry_.num_pieces, 0)), false) {}

void PieceFile::mark_have(int piece) {
    if (piece < 0 || piece >= static_cast<int>(have_.size())) return;
    std::vector<std::function<void()>> woken;
    {
        std::lock_guard lock(mutex_);
        if (have_[static_cast<std::size_t>(piece)]) return;
        have_[static_cast<std::size_t>(piece)] = true;
        for (auto it = waiters_.begin(); it != waiters_.end();) {
            if (readable_from_locked(it->second.offset) > 0) {
                woken.push_back(std::move(it->second.ready));
                it = waiters_.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (auto& ready : woken) ready();
}

void PieceFile::mark_have(std::vector<bool> const& have) {
    std::vector<std::function<void()>> woken;
    {
        std::lock_guard lock(mutex_);
        std::size_t const n = std::min(have.size(), have_.size());
        for (std::size_t i = 0; i < n; ++i) {
            if (have[i]) have_[i] = true;
        }
        for (auto it = waiters_.begin(); it != waiters_.end();) {
            if (readable_from_locked(it->second.offset) > 0) {
                woken.push_back(std::move(it->second.ready));
                it = waiters_.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (auto& ready : woken) ready();
}

bool PieceFile::have(int piece) const {
    std::lock_guard lock(mutex_);
    return piece >= 0 && piece < static_cast<int>(have_.size()) &&
           have_[static_cast<std::size_t>(piece)];
}

std::int64_t PieceFile::readable_from(std::int64_t offset) const {
    std::lock_guard lock(mutex_);
    return readable_from_locked(offset);
}

std::int64_t PieceFile::readable_from_locked(std::int64_t offset) const {
    if (offset < 0 || offset >= geometry_.size) return 0;
    int piece = geometry_.piece_at(offset);
    int const last = std::min(geometry_.last_piece(), static_cast<int>(have_.size()) - 1);
    std::int64_t end = offset;
    while (piece <= last && have_[static_cast<std::size_t>(piece)]) {
        end = geometry_.bytes_of_piece(piece).second;
        ++piece;
    }
    return end - offset;
}

std::uint64_t PieceFile::when_readable(std::int64_t offset, std::function<void()> ready) {
    {
        std::lock_guard lock(mutex_);
        if (!closed_ && offset < geometry_.size && readable_from_locked(offset) == 0) {
            std::uint64_t const ticket = next_ticket_++;
            waiters_.emplace(ticket, Waiter{offset, std::move(ready)});
            return ticket;
        }
    }
    ready();
    return 0;
}

void PieceFile::cancel(std::uint64_t ticket) {
    std::lock_guard lock(mutex_);
    waiters_.erase(ticket);
}

Result<std::size_t> PieceFile::read(std::int64_t offset, std::span<char> out) const {
    std::int64_t readable = 0;
    {
        std::lock_guard lock(mutex_);
        if (closed_) return Error{"The stream of " + geometry_.name + " was closed."};
        readable = readable_from_locked(offset);
    }
    std::size_t const wanted = static_cast<std::size_t>(
        std::min<std::int64_t>(readable, static_cast<std::int64_t>(out.size())));
    if (wanted == 0) return std::size_t{0};

    Fd const fd(::open(geometry_.path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        return Error{"Cannot open " + geometry_.path.string() + ": " + std::strerror(errno) + "."};
    }
    std::size_t done = 0;
    while (done < wanted) {
        ssize_t const n = ::pread(fd.get(), out.data() + done, wanted - done,
                                  static_cast<off_t>(offset + static_cast<std::int64_t>(done)));
        if (n < 0) {
            if (errno == EINTR) continue;
            return Error{"Cannot read " + geometry_.path.string() + ": " + std::strerror(errno) +
                         "."};
        }
        if (n == 0) break;
        done += static_cast<std::size_t>(n);
    }
    if (done == 0) {
        return Error{geometry_.path.string() +
                     " is shorter on disk than the pieces marked as downloaded."};
    }
    std::lock_guard lock(mutex_);
    bytes_served_ += static_cast<std::int64_t>(done);
    return done;
}

void PieceFile::close() {
    std::vector<std::function<void()>> woken;
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
        for (auto& [ticket, waiter] : waiters_) woken.push_back(std::move(waiter.ready));
        waiters_.clear();
    }
    for (auto& ready : woken) ready();
}

bool PieceFile::closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
}

int PieceFile::open_reader(std::int64_t offset, std::int64_t end) {
    int id = 0;
    {
        std::lock_guard lock(mutex_);
        id = next_reader_++;
        readers_.emplace(id, ReaderState{id, offset, end, std::nullopt});
    }
    notify_readers_changed();
    return id;
}

void PieceFile::move_reader(int id, std::int64_t offset) {
    bool changed_piece = false;
    {
        std::lock_guard lock(mutex_);
        auto it = readers_.find(id);
        if (it == readers_.end()) return;
        changed_piece = geometry_.piece_at(it->second.offset) != geometry_.piece_at(offset);
        it->second.offset = offset;
    }
    if (changed_piece) notify_readers_changed();
}

void PieceFile::set_waiting(int id, bool waiting) {
    bool changed = false;
    {
        std::lock_guard lock(mutex_);
        auto it = readers_.find(id);
        if (it == readers_.end()) return;
        if (waiting && !it->second.waiting_since) {
            it->second.waiting_since = std::chrono::steady_clock::now();
            changed = true;
        } else if (!waiting && it->second.waiting_since) {
            it->second.waiting_since.reset();
            changed = true;
        }
    }
    if (changed) notify_readers_changed();
}

void PieceFile::close_reader(int id) {
    bool erased = false;
    {
        std::lock_guard lock(mutex_);
        erased = readers_.erase(id) > 0;
    }
    if (erased) notify_readers_changed();
}

std::vector<ReaderState> PieceFile::readers() const {
    std::lock_guard lock(mutex_);
    std::vector<ReaderState> out;
    out.reserve(readers_.size());
    for (auto const& [id, state] : readers_) out.push_back(state);
    return out;
}

std::int64_t PieceFile::bytes_served() const {
    std::lock_guard lock(mutex_);
    return bytes_served_;
}

void PieceFile::set_on_readers_changed(std::function<void()> wake) {
    std::lock_guard lock(mutex_);
    on_readers_changed_ = std::move(wake);
}

void PieceFile::notify_readers_changed() {
    std::function<void()> wake;
    {
        std::lock_guard lock(mutex_);
        wake = on_readers_changed_;
    }
    if (wake) wake();
}

}  // namespace lanetorrent::stream

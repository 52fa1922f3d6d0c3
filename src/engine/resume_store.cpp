#include "engine/resume_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include <libtorrent/read_resume_data.hpp>
#include <libtorrent/torrent_info.hpp>
#include <libtorrent/write_resume_data.hpp>

#include "base/atomic_file.hpp"
#include "engine/torrent_source.hpp"

namespace lanetorrent {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t max_resume_bytes = 64 * 1024 * 1024;
// Both words have the same length, so one pwrite replaces the other without a truncate: a crash
// can never leave a lock file that is empty (read as "never held") or half of each.
constexpr std::string_view running_mark = "running";
constexpr std::string_view stopped_mark = "stopped";
static_assert(running_mark.size() == stopped_mark.size());

bool write_mark(int fd, std::string_view mark) {
    return ::pwrite(fd, mark.data(), mark.size(), 0) == static_cast<ssize_t>(mark.size());
}

}  // namespace

TorrentLock::~TorrentLock() {
    ::close(fd_);
}

void TorrentLock::mark_stopped() {
    (void)write_mark(fd_, stopped_mark);
}

Result<std::unique_ptr<TorrentLock>> ResumeStore::lock(TorrentId const& id) const {
    auto const path = dir_ / (id + ".lock");
    int const fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return Error{"cannot open " + path.string() + ": " + std::strerror(errno)};
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return Error{"torrent " + id +
                     " is already open in another LaneTorrent process using this profile"};
    }
    char previous[running_mark.size()] = {};
    auto const got = ::pread(fd, previous, sizeof previous, 0);
    bool const was_running = got == static_cast<ssize_t>(sizeof previous) &&
                             std::string_view(previous, sizeof previous) == running_mark;
    if (!write_mark(fd, running_mark)) {
        auto const error = std::string(std::strerror(errno));
        ::close(fd);
        return Error{"cannot write " + path.string() + ": " + error};
    }
    return std::make_unique<TorrentLock>(fd, !was_running);
}

Status ResumeStore::save(TorrentId const& id, lt::add_torrent_params const& params) const {
    if (params.ti && params.ti->is_valid() && !fs::exists(torrent_file(id))) {
        // The info dict is immutable, so this is written once. Its raw bytes are copied as they
        // are: re-encoding could change them, and with them the info-hash.
        auto const info = params.ti->info_section();
        std::vector<char> bytes{'d', '4', ':', 'i', 'n', 'f', 'o'};
        bytes.insert(bytes.end(), info.begin(), info.end());
        bytes.push_back('e');
        if (auto status = write_file_atomically(torrent_file(id), bytes); !status) return status;
    }
    auto without_info = params;
    without_info.ti.reset();
    auto const bytes = lt::write_resume_data_buf(without_info);
    return write_file_atomically(resume_file(id), bytes);
}

bool ResumeStore::has(TorrentId const& id) const {
    return fs::exists(resume_file(id));
}

Result<lt::add_torrent_params> ResumeStore::load(TorrentId const& id) const {
    auto bytes = read_file(resume_file(id), max_resume_bytes);
    if (!bytes) return Error{bytes.error()};
    lt::error_code ec;
    auto params = lt::read_resume_data({bytes->data(), static_cast<long>(bytes->size())}, ec);
    if (ec)
        return Error{"resume data " + resume_file(id).string() + " is corrupt: " + ec.message()};
    if (fs::exists(torrent_file(id))) {
        auto metadata = load_torrent_file(torrent_file(id).string());
        if (!metadata) return Error{metadata.error()};
        params.ti = std::move(metadata->ti);
    }
    return params;
}

std::vector<TorrentId> ResumeStore::saved_ids() const {
    std::vector<TorrentId> ids;
    std::error_code ec;
    for (auto const& entry : fs::directory_iterator(dir_, ec)) {
        if (entry.path().extension() == ".resume") ids.push_back(entry.path().stem().string());
    }
    return ids;
}

void ResumeStore::remove(TorrentId const& id) const {
    std::error_code ec;
    fs::remove(resume_file(id), ec);
    fs::remove(torrent_file(id), ec);
}

}  // namespace lanetorrent

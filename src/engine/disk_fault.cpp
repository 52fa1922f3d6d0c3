#include "engine/disk_fault.hpp"

#include <unistd.h>

#include <cerrno>

namespace lanetorrent {
namespace fs = std::filesystem;

namespace {

// A save directory that vanished with its mount is judged by the directory that holds it.
fs::path nearest_existing(fs::path path) {
    std::error_code ec;
    while (!path.empty() && !fs::exists(path, ec)) {
        auto parent = path.parent_path();
        if (parent == path) break;
        path = std::move(parent);
    }
    return path;
}

}  // namespace

DiskFault classify_disk_error(boost::system::error_code const& ec) {
    if (ec.category() != boost::system::generic_category() &&
        ec.category() != boost::system::system_category()) {
        return DiskFault::none;
    }
    switch (ec.value()) {
        case ENOSPC:
        case EDQUOT:
        case EFBIG:
        // libtorrent 2.0 writes through mmap; a page it cannot back on a full filesystem raises
        // SIGBUS, which it catches and reports as EFAULT (measured on a full tmpfs: one ENOSPC,
        // then only EFAULT). Whether space really lacks is what looks_recovered() checks.
        case EFAULT:
            return DiskFault::no_space;
        case EROFS:
        case EACCES:
        case EPERM:
            return DiskFault::not_writable;
        default:
            return DiskFault::none;
    }
}

char const* recovery_hint(DiskFault fault) {
    switch (fault) {
        case DiskFault::no_space:
            return "the download resumes by itself once space is freed";
        case DiskFault::not_writable:
            return "the download resumes by itself once the save path is writable again";
        case DiskFault::none:
            break;
    }
    return "";
}

bool looks_recovered(DiskFault fault, fs::path const& save_path, std::int64_t needed) {
    auto const path = nearest_existing(save_path);
    if (path.empty()) return false;
    switch (fault) {
        case DiskFault::no_space: {
            std::error_code ec;
            auto const space = fs::space(path, ec);
            return !ec && static_cast<std::int64_t>(space.available) >= needed;
        }
        case DiskFault::not_writable:
            // access() answers EROFS for a read-only mount even to root.
            return ::access(path.c_str(), W_OK) == 0;
        case DiskFault::none:
            break;
    }
    return true;
}

}  // namespace lanetorrent

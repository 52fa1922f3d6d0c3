// Disk errors a user can fix while the client runs: a full disk (delete something) and a save
// path that became read-only (remount it, fix a permission). libtorrent stops a torrent on any
// disk error and never retries; the engine retries these two itself once the save path looks
// usable again, so a download left overnight does not stay stopped for one full disk.
#pragma once

#include <cstdint>
#include <filesystem>
#include <system_error>

#include <boost/system/error_code.hpp>

namespace lanetorrent {

enum class DiskFault { none, no_space, not_writable };

DiskFault classify_disk_error(boost::system::error_code const& ec);

// What the user reads after the error itself, e.g. "the download resumes by itself once space is
// freed".
char const* recovery_hint(DiskFault fault);

// Whether the filesystem of `save_path` (or of its nearest existing parent) now has `needed`
// bytes free, for no_space, or accepts writes, for not_writable. Cheap: one statvfs or access.
bool looks_recovered(DiskFault fault, std::filesystem::path const& save_path, std::int64_t needed);

}  // namespace lanetorrent

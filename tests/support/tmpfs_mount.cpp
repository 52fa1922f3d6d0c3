#include "tmpfs_mount.hpp"

#include <sys/mount.h>

namespace lanetorrent::test {

TmpfsMount::TmpfsMount(std::filesystem::path where, std::string const& options)
    : where_(std::move(where)) {
    std::filesystem::create_directories(where_);
    mounted_ = ::mount("tmpfs", where_.c_str(), "tmpfs", 0, options.c_str()) == 0;
}

TmpfsMount::~TmpfsMount() {
    if (mounted_) ::umount2(where_.c_str(), MNT_DETACH);
}

bool TmpfsMount::remount(std::string const& options, bool read_only) {
    unsigned long const flags = MS_REMOUNT | (read_only ? MS_RDONLY : 0);
    return ::mount(nullptr, where_.c_str(), nullptr, flags, options.c_str()) == 0;
}

}  // namespace lanetorrent::test

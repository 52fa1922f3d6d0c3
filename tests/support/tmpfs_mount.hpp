// A small tmpfs mounted for one test (root only), to give a download a full disk or a read-only
// save path. Mounting needs CAP_SYS_ADMIN; tests skip when mounted() is false.
#pragma once

#include <filesystem>
#include <string>

namespace lanetorrent::test {

class TmpfsMount {
  public:
    TmpfsMount(std::filesystem::path where, std::string const& options);
    ~TmpfsMount();
    TmpfsMount(TmpfsMount const&) = delete;
    TmpfsMount& operator=(TmpfsMount const&) = delete;

    bool mounted() const { return mounted_; }
    // mount -o remount,<options>, e.g. "size=64m" (more space) or "ro" / "rw".
    bool remount(std::string const& options, bool read_only = false);

  private:
    std::filesystem::path where_;
    bool mounted_ = false;
};

}  // namespace lanetorrent::test

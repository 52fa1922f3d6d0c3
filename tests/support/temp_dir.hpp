#pragma once

#include <filesystem>
#include <string>

namespace lanetorrent::test {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction. Set
// LANETORRENT_KEEP_TEST_DIRS=1 to keep it for a post-mortem; its path is printed then.
class TempDir {
  public:
    explicit TempDir(const std::string& prefix = "lanetorrent-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    // path() / name, created if missing.
    std::filesystem::path subdir(const std::string& name) const;

  private:
    std::filesystem::path path_;
};

}  // namespace lanetorrent::test

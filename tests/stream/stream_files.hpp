// Files for the streaming tests: a temporary directory, random contents, and a file placed inside
// a torrent's pieces at an offset that is not a piece boundary, so the geometry math is exercised.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "stream/piece_file.hpp"

namespace lanetorrent::stream::test {

class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(TempDir const&) = delete;
    TempDir& operator=(TempDir const&) = delete;
    std::filesystem::path const& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

std::string random_bytes(std::size_t size, std::uint64_t seed);
void write_file(std::filesystem::path const& path, std::string const& bytes);
// Writes `bytes` at `offset` of an existing file (as libtorrent writes a finished piece).
void write_at(std::filesystem::path const& path, std::int64_t offset, std::string const& bytes);

// 3,000,000 bytes at offset 100,000 of a torrent with 256 KiB pieces and 50,000 bytes after it:
// pieces 0..11 touch the file, the first and the last only in part.
FileGeometry sample_geometry(std::filesystem::path const& path, std::string const& name);

}  // namespace lanetorrent::stream::test

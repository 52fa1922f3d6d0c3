#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace lanetorrent::test {

// `bytes` pseudo-random bytes from `seed`: incompressible, and a different seed gives a different
// info-hash, so no tracker or client state from another test can match it.
void write_random_file(const std::filesystem::path& path, std::uint64_t bytes, std::uint64_t seed);

// Same size and same bytes; false if either cannot be read.
bool files_identical(const std::filesystem::path& a, const std::filesystem::path& b);

// Paths, relative to `expected`, of regular files under `expected` that are missing from `actual`
// or differ from their copy there. Extra files in `actual` are ignored (clients leave their own
// state next to the payload).
std::vector<std::string> differing_files(const std::filesystem::path& expected,
                                         const std::filesystem::path& actual);

}  // namespace lanetorrent::test

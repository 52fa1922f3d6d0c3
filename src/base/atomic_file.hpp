// State files are replaced atomically: written to a temporary file in the same directory, flushed
// to disk, then renamed over the old one. A crash (kill -9, power loss) at any moment leaves either
// the old complete file or the new complete file, never a torn one.
#pragma once

#include <filesystem>
#include <span>
#include <vector>

#include "base/result.hpp"

namespace lanetorrent {

Status write_file_atomically(std::filesystem::path const& path, std::span<char const> bytes);

// Reads a whole file, refusing files larger than max_bytes so a corrupt or hostile file cannot
// exhaust memory.
Result<std::vector<char>> read_file(std::filesystem::path const& path, std::size_t max_bytes);

}  // namespace lanetorrent

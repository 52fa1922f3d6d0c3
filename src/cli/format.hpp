// Human-readable numbers for terminal output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace lanetorrent::cli {

std::string format_bytes(std::int64_t bytes);                      // "1.5 MiB"
std::string format_rate(std::int64_t bytes_per_second);            // "1.5 MiB/s"
std::string format_duration(std::optional<std::int64_t> seconds);  // "1:02:03", "-" if unknown

}  // namespace lanetorrent::cli

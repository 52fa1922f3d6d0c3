// Human-readable numbers for terminal output, and JSON output. Text from a torrent, a tracker or
// a peer goes to the terminal through printable_text() (engine/printable_text.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace lanetorrent::cli {

std::string format_bytes(std::int64_t bytes);                      // "1.5 MiB"
std::string format_rate(std::int64_t bytes_per_second);            // "1.5 MiB/s"
std::string format_duration(std::optional<std::int64_t> seconds);  // "1:02:03", "-" if unknown

// One JSON document on one line. Strings that are not UTF-8 (a tracker URL, a name) are written
// with U+FFFD in place of the bad bytes, where nlohmann's default would throw type_error.316.
std::string json_text(nlohmann::json const& json);

}  // namespace lanetorrent::cli

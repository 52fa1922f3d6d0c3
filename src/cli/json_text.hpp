// JSON output. Numbers for people go through base/format.hpp; text from a torrent, a tracker or a
// peer goes to the terminal through printable_text() (engine/printable_text.hpp).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace lanetorrent::cli {

// One JSON document on one line. Strings that are not UTF-8 (a tracker URL, a name) are written
// with U+FFFD in place of the bad bytes, where nlohmann's default would throw type_error.316.
std::string json_text(nlohmann::json const& json);

}  // namespace lanetorrent::cli

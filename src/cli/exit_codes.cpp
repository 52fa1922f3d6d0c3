#include "cli/exit_codes.hpp"

#include <fmt/format.h>

#include "engine/printable_text.hpp"

namespace lanetorrent::cli {

// A message may quote a torrent's name, a tracker's answer or a path: escaped, it stays one line
// and cannot steer the terminal.
int fail(ExitCode code, std::string const& message) {
    fmt::print(stderr, "lanetorrent-cli: error: {}\n", printable_text(message));
    return code;
}

void warn(std::string const& message) {
    fmt::print(stderr, "lanetorrent-cli: warning: {}\n", printable_text(message));
}

}  // namespace lanetorrent::cli

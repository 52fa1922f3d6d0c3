#include "cli/exit_codes.hpp"

#include <fmt/format.h>

#include "engine/printable_text.hpp"

namespace lanetorrent::cli {

namespace {
StatusLine* status_line = nullptr;
}  // namespace

void set_status_line(StatusLine* line) {
    status_line = line;
}

// A message may quote a torrent's name, a tracker's answer or a path: escaped, it stays one line
// and cannot steer the terminal.
int fail(ExitCode code, std::string const& message) {
    if (status_line) status_line->clear();
    fmt::print(stderr, "lanetorrent-cli: error: {}\n", printable_text(message));
    if (status_line) status_line->redraw();
    return code;
}

void warn(std::string const& message) {
    if (status_line) status_line->clear();
    fmt::print(stderr, "lanetorrent-cli: warning: {}\n", printable_text(message));
    if (status_line) status_line->redraw();
}

}  // namespace lanetorrent::cli

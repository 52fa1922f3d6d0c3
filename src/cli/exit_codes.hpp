#pragma once

#include <string>

namespace lanetorrent::cli {

// The conventional meanings scripts rely on (see docs/cli.md).
enum ExitCode : int {
    exit_success = 0,
    exit_failure = 1,  // something failed while running
    exit_usage = 2,    // the command line itself is wrong
};

// Prints "lanetorrent-cli: error: MESSAGE" on stderr and returns code, so commands can write
// `return fail(exit_usage, "...")`.
int fail(ExitCode code, std::string const& message);
void warn(std::string const& message);

// A live status line at the bottom of the terminal (the progress bar). While one is set, warn()
// and fail() clear it before they print and draw it again after, so messages scroll above it
// instead of running into it. Reporter sets itself on a terminal.
class StatusLine {
  public:
    virtual ~StatusLine() = default;
    virtual void clear() = 0;
    virtual void redraw() = 0;
};
void set_status_line(StatusLine* line);  // nullptr: none

}  // namespace lanetorrent::cli

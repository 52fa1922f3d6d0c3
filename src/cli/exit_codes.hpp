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

}  // namespace lanetorrent::cli

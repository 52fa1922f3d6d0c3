#include "cli/exit_codes.hpp"

#include <fmt/format.h>

namespace lanetorrent::cli {

int fail(ExitCode code, std::string const& message) {
    fmt::print(stderr, "lanetorrent-cli: error: {}\n", message);
    return code;
}

void warn(std::string const& message) {
    fmt::print(stderr, "lanetorrent-cli: warning: {}\n", message);
}

}  // namespace lanetorrent::cli

#include "cli/passphrase.hpp"

#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "engine/atomic_file.hpp"

namespace lanetorrent::cli {

std::string trim_line(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

Result<std::string> read_passphrase(std::string const& file, char const* prompt) {
    if (!file.empty()) {
        auto bytes = read_file(file, 64 * 1024);
        if (!bytes) return Error{bytes.error()};
        return trim_line(std::string(bytes->begin(), bytes->end()));
    }
    if (!::isatty(STDIN_FILENO)) {
        return Error{"no passphrase: use --passphrase-file FILE when not on a terminal"};
    }
    std::cerr << prompt << std::flush;
    termios saved{};
    ::tcgetattr(STDIN_FILENO, &saved);
    termios silent = saved;
    silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &silent);
    std::string passphrase;
    std::getline(std::cin, passphrase);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
    return passphrase;
}

}  // namespace lanetorrent::cli

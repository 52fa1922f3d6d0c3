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

namespace {

std::string_view without_line_end(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    return text;
}

}  // namespace

Result<wallet::SecretText> read_passphrase(std::string const& file, char const* prompt) {
    if (!file.empty()) {
        auto bytes = read_file(file, 64 * 1024);
        if (!bytes) return Error{bytes.error()};
        wallet::SecretText passphrase(without_line_end({bytes->data(), bytes->size()}));
        wallet::scrub(*bytes);
        return passphrase;
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
    std::string line;
    // Room up front, so getline does not reallocate and leave unwiped copies on the heap.
    line.reserve(4096);
    std::getline(std::cin, line);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
    wallet::SecretText passphrase(without_line_end(line));
    line.resize(line.capacity());
    wallet::scrub(line);
    return passphrase;
}

}  // namespace lanetorrent::cli

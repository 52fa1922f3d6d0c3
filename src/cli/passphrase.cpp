#include "cli/passphrase.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <vector>

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

constexpr std::size_t max_passphrase_file = 64 * 1024;

// Read to the end rather than ask for the size first: a pipe or /dev/stdin has none
// (std::filesystem::file_size fails there with "Operation not supported").
Result<wallet::SecretText> read_passphrase_file(std::string const& file) {
    int const fd = file == "-" ? ::dup(STDIN_FILENO) : ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error{"cannot read " + file + ": " + std::strerror(errno)};
    // One allocation, one byte past the limit to tell "too large" from "exactly the limit".
    std::vector<char> buffer(max_passphrase_file + 1);
    std::size_t used = 0;
    int read_errno = 0;
    while (used < buffer.size()) {
        auto const n = ::read(fd, buffer.data() + used, buffer.size() - used);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) read_errno = errno;
        if (n <= 0) break;
        used += static_cast<std::size_t>(n);
    }
    ::close(fd);
    if (read_errno != 0 || used > max_passphrase_file) {
        wallet::scrub(buffer);
        return Error{read_errno != 0 ? "cannot read " + file + ": " + std::strerror(read_errno)
                                     : file + " holds more than 64 KiB: not a passphrase"};
    }
    wallet::SecretText passphrase(without_line_end({buffer.data(), used}));
    wallet::scrub(buffer);
    return passphrase;
}

}  // namespace

Result<wallet::SecretText> read_passphrase(std::string const& file, char const* prompt) {
    if (!file.empty()) return read_passphrase_file(file);
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

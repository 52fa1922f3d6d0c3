// Reading a keystore passphrase, shared by `wallet` and the lane options of `download`.
#pragma once

#include <string>

#include "base/result.hpp"
#include "wallet/secret.hpp"

namespace lanetorrent::cli {

std::string trim_line(std::string text);  // without trailing CR/LF

// From `file` if given, else typed at the terminal without echo. Never from argv: it would be
// visible to every user in the process list. The buffers it reads through are wiped; the result
// wipes itself. `file` may be a pipe or a terminal as well as a file: /dev/stdin, a FIFO, bash's
// <(...), or "-" for standard input; it is read to its end (at most 64 KiB), never sized first.
Result<wallet::SecretText> read_passphrase(std::string const& file, char const* prompt);

}  // namespace lanetorrent::cli

// Key material and passphrases in memory. The process keeps them out of core dumps and away from
// other processes of the same user (keep_secrets_out_of_core_dumps, called first thing by both
// executables), and a SecretText wipes the passphrase it holds as soon as it goes away.
//
// What this does not cover (docs/wallet.md says it for users): root, or anyone who can read
// physical memory or /dev/mem; copies made outside our code (a terminal's or the stdio buffer's
// copy of a typed passphrase, Qt's copies of a line edit's text); and, for the short moments they
// exist, the stack copies of a secret a library function makes.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "base/result.hpp"

namespace lanetorrent::wallet {

// Makes this process undumpable (prctl PR_SET_DUMPABLE 0: the kernel writes no core file and
// hands no core to a crash collector; ptrace and /proc/PID/mem are closed to other processes of
// the same user, which only root or CAP_SYS_PTRACE can still open) and sets RLIMIT_CORE to 0, for
// a kernel whose suid_dumpable setting would still dump. An exec()ed child starts dumpable again.
// Errors name what could not be set; the caller may go on without it.
Status keep_secrets_out_of_core_dumps();

// Zeroes `bytes` in a way the compiler may not drop as a dead store (Botan::secure_scrub_memory),
// for buffers a secret passed through on its way into a SecretText.
void scrub(std::span<char> bytes);

// A passphrase or other short secret: one block from Botan's locked-memory pool when it has room
// (so it is not swapped out), zeroed when wiped, moved from or destroyed, and never copied.
// Converts to std::string_view, so it passes straight to Keystore.
class SecretText {
  public:
    SecretText() = default;
    explicit SecretText(std::string_view text);
    ~SecretText();
    SecretText(SecretText&& other) noexcept;
    SecretText& operator=(SecretText&& other) noexcept;
    SecretText(SecretText const&) = delete;
    SecretText& operator=(SecretText const&) = delete;

    std::string_view view() const { return {data_, size_}; }
    operator std::string_view() const { return view(); }  // NOLINT: meant to be implicit
    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }

    // Zeroes the bytes now and leaves the text empty; the block itself goes at destruction.
    void wipe();

    friend bool operator==(SecretText const& a, SecretText const& b);

  private:
    void release();

    char* data_ = nullptr;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
};

}  // namespace lanetorrent::wallet

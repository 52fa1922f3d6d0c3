// What a new wallet passphrase must be, and how strong it looks. The passphrase is all that
// protects the key once the keystore file is copied (a backup, a stolen disk): scrypt slows each
// guess down, but "abc" falls to the first guesses anyway. No dictionary dependency: length and
// character classes give the estimate, with the obvious patterns (one character repeated, a run
// such as "1234567890" or "qwertyuiop", a well-known password) marked down.
#pragma once

#include <QString>

#include "base/result.hpp"

namespace lanetorrent::ui {

constexpr int min_passphrase_length = 10;

enum class PassphraseStrength { too_short, weak, fair, good, strong };

struct PassphraseRating {
    PassphraseStrength strength = PassphraseStrength::too_short;
    double bits = 0;  // a rough estimate of the guesses it takes, log2
    QString label;    // "weak", "good", ...
    QString hint;     // one sentence: what makes it stronger, or that it is fine
};

PassphraseRating rate_passphrase(QString const& passphrase);

// A passphrase for a new or imported key: Ok, or a sentence saying why not (too short, one
// character repeated, a well-known password). Weak but long enough is allowed, with the hint.
Status check_new_passphrase(QString const& passphrase);

}  // namespace lanetorrent::ui

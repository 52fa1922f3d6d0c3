#include "base/passphrase_rules.hpp"

#include <QCoreApplication>
#include <QSet>
#include <QStringList>
#include <cmath>

namespace lanetorrent::ui {

namespace {

// The ratings' words under one context lupdate sees (a free tr() would land in the namespace's).
struct PassphraseRulesText {
    Q_DECLARE_TR_FUNCTIONS(PassphraseRules)
};

// Runs of neighbouring characters people type when asked for something long.
bool is_keyboard_or_alphabet_run(QString const& lower) {
    static QStringList const runs{
        QStringLiteral("01234567890123456789"),       QStringLiteral("98765432109876543210"),
        QStringLiteral("abcdefghijklmnopqrstuvwxyz"), QStringLiteral("qwertyuiopasdfghjklzxcvbnm"),
        QStringLiteral("qwertzuiopasdfghjklyxcvbnm"), QStringLiteral("azertyuiopqsdfghjklmwxcvbn")};
    for (auto const& run : runs) {
        if (run.contains(lower)) return true;
    }
    return false;
}

bool is_well_known(QString const& lower) {
    static QSet<QString> const known{
        QStringLiteral("password"),     QStringLiteral("password1"),   QStringLiteral("password12"),
        QStringLiteral("password123"),  QStringLiteral("passphrase"),  QStringLiteral("letmein123"),
        QStringLiteral("iloveyou123"),  QStringLiteral("1q2w3e4r5t"),  QStringLiteral("qwerty1234"),
        QStringLiteral("1qaz2wsx3edc"), QStringLiteral("trustno1234"), QStringLiteral("bittorrent"),
        QStringLiteral("lanetorrent"),  QStringLiteral("changeme123")};
    return known.contains(lower);
}

int distinct_characters(QString const& text) {
    QSet<QChar> seen;
    for (auto const c : text) seen.insert(c);
    return static_cast<int>(seen.size());
}

}  // namespace

PassphraseRating rate_passphrase(QString const& passphrase) {
    PassphraseRating rating;
    int const length = static_cast<int>(passphrase.size());
    bool lower = false, upper = false, digit = false, symbol = false, other = false;
    for (auto const c : passphrase) {
        if (c.unicode() < 128) {
            if (c.isLower()) {
                lower = true;
            } else if (c.isUpper()) {
                upper = true;
            } else if (c.isDigit()) {
                digit = true;
            } else {
                symbol = true;  // space and punctuation
            }
        } else {
            other = true;
        }
    }
    int const pool = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (symbol ? 33 : 0) +
                     (other ? 100 : 0);
    // Repeated characters add little: count each character past the distinct ones at 1 bit.
    int const distinct = distinct_characters(passphrase);
    rating.bits =
        pool > 0 ? distinct * std::log2(static_cast<double>(pool)) + (length - distinct) : 0;
    QString const folded = passphrase.toLower();
    if (length > 0 &&
        (distinct <= 2 || is_keyboard_or_alphabet_run(folded) || is_well_known(folded))) {
        rating.bits = std::min(rating.bits, 10.0);
    }

    if (length < min_passphrase_length) {
        rating.strength = PassphraseStrength::too_short;
    } else if (rating.bits < 45) {
        rating.strength = PassphraseStrength::weak;
    } else if (rating.bits < 60) {
        rating.strength = PassphraseStrength::fair;
    } else if (rating.bits < 80) {
        rating.strength = PassphraseStrength::good;
    } else {
        rating.strength = PassphraseStrength::strong;
    }

    int const classes = int(lower) + int(upper) + int(digit) + int(symbol) + int(other);
    switch (rating.strength) {
        case PassphraseStrength::too_short:
            rating.label = PassphraseRulesText::tr("too short");
            rating.hint = PassphraseRulesText::tr(
                              "At least %1 characters; a few unrelated words are easy to remember.")
                              .arg(min_passphrase_length);
            break;
        case PassphraseStrength::weak:
            rating.label = PassphraseRulesText::tr("weak");
            rating.hint = PassphraseRulesText::tr(
                "Easy to guess: use unrelated words, or more kinds of characters.");
            break;
        case PassphraseStrength::fair:
            rating.label = PassphraseRulesText::tr("fair");
            rating.hint =
                classes < 3
                    ? PassphraseRulesText::tr("Longer, or with digits and symbols, is safer.")
                    : PassphraseRulesText::tr(
                          "A few more characters make it much harder to guess.");
            break;
        case PassphraseStrength::good:
            rating.label = PassphraseRulesText::tr("good");
            rating.hint = PassphraseRulesText::tr(
                "Hard to guess. Keep it somewhere safe: nobody can recover it.");
            break;
        case PassphraseStrength::strong:
            rating.label = PassphraseRulesText::tr("strong");
            rating.hint = PassphraseRulesText::tr(
                "Very hard to guess. Keep it somewhere safe: nobody can recover it.");
            break;
    }
    return rating;
}

Status check_new_passphrase(QString const& passphrase) {
    int const length = static_cast<int>(passphrase.size());
    if (length == 0)
        return Error{PassphraseRulesText::tr("choose a passphrase: it protects the key on disk")
                         .toStdString()};
    if (length < min_passphrase_length) {
        return Error{PassphraseRulesText::tr("a passphrase needs at least %1 characters (this one "
                                             "has %2): it is all that protects the key when the "
                                             "keystore file is copied")
                         .arg(min_passphrase_length)
                         .arg(length)
                         .toStdString()};
    }
    QString const folded = passphrase.toLower();
    if (distinct_characters(passphrase) <= 2) {
        return Error{PassphraseRulesText::tr(
                         "a passphrase of one or two characters repeated is guessed at once")
                         .toStdString()};
    }
    if (is_keyboard_or_alphabet_run(folded) || is_well_known(folded)) {
        return Error{PassphraseRulesText::tr(
                         "that passphrase is among the first ones guessed; choose another")
                         .toStdString()};
    }
    return Ok{};
}

}  // namespace lanetorrent::ui

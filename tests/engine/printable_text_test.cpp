// printable_text() and valid_utf8(): what every name, path and URL from a torrent, a magnet link
// or a peer goes through before a terminal, a label or a JSON line shows it.
#include "engine/printable_text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lanetorrent {
namespace {

TEST(ValidUtf8, KeepsValidTextAsItIs) {
    for (std::string const& text : std::vector<std::string>{
             "", "plain ascii", "caf\xC3\xA9", "\xE2\x82\xAC 5", "\xF0\x9F\x98\x80 emoji",
             "\xEF\xBF\xBD already a replacement", std::string("nul\0inside", 10)}) {
        EXPECT_EQ(valid_utf8(text), text);
    }
}

TEST(ValidUtf8, ReplacesEachMaximalInvalidSubpartWithOneReplacementCharacter) {
    std::string const r = "\xEF\xBF\xBD";
    EXPECT_EQ(valid_utf8("a\xFF"
                         "b"),
              "a" + r + "b");                                  // never a lead byte
    EXPECT_EQ(valid_utf8("\x80\x80"), r + r);                  // stray continuations
    EXPECT_EQ(valid_utf8("\xC0\xAF"), r + r);                  // overlong '/'
    EXPECT_EQ(valid_utf8("\xE0\x80\xAF"), r + r + r);          // overlong, 3 bytes
    EXPECT_EQ(valid_utf8("\xED\xA0\x80"), r + r + r);          // a UTF-16 surrogate
    EXPECT_EQ(valid_utf8("\xF4\x90\x80\x80"), r + r + r + r);  // past U+10FFFF
    EXPECT_EQ(valid_utf8("\xE2\x82"), r);                      // truncated at the end
    EXPECT_EQ(valid_utf8("\xE2\x82x"), r + "x");               // truncated in the middle
    EXPECT_EQ(valid_utf8("\xF0\x9F\x98"), r);                  // truncated 4-byte form
    EXPECT_EQ(valid_utf8("latin1 caf\xE9!"), "latin1 caf" + r + "!");
}

TEST(PrintableText, EscapesC0DelAndC1) {
    EXPECT_EQ(printable_text("\x1b]0;owned\x07"), "\\x1B]0;owned\\x07");
    EXPECT_EQ(printable_text("a\nb\tc\rd"), "a\\x0Ab\\x09c\\x0Dd");
    EXPECT_EQ(printable_text("del\x7f"), "del\\x7F");
    EXPECT_EQ(printable_text(std::string("nul\0", 4)), "nul\\x00");
    // C1 as UTF-8 code points (U+009B is a one-character CSI on some terminals).
    EXPECT_EQ(printable_text("\xC2\x9B"
                             "2J"),
              "\\u009B2J");
    EXPECT_EQ(printable_text("\xC2\x85"), "\\u0085");
}

TEST(PrintableText, EscapesBidiControls) {
    // "gpj.exe" with a right-to-left override reads "exe.jpg".
    EXPECT_EQ(printable_text("photo\xE2\x80\xAEgpj.exe"), "photo\\u202Egpj.exe");
    EXPECT_EQ(printable_text("\xE2\x81\xA6x\xE2\x81\xA9"), "\\u2066x\\u2069");
    EXPECT_EQ(printable_text("\xE2\x80\x8F"), "\\u200F");
}

TEST(PrintableText, KeepsPrintableUnicodeAndRepairsInvalidBytes) {
    EXPECT_EQ(
        printable_text("Ubuntu 24.04 \xE2\x80\x94 r\xC3\xA9sum\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC"),
        "Ubuntu 24.04 \xE2\x80\x94 r\xC3\xA9sum\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC");
    EXPECT_EQ(printable_text("bad\xFF\x1b[2J"), "bad\xEF\xBF\xBD\\x1B[2J");
    // An escape is never re-read: a backslash stays a backslash.
    EXPECT_EQ(printable_text("C:\\x1B"), "C:\\x1B");
}

}  // namespace
}  // namespace lanetorrent

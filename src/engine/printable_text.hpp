// Text that came from a .torrent, a magnet link, a tracker or a peer is bytes someone else chose:
// it may not be UTF-8, and it may hold control characters that a terminal obeys (ESC ]0;...BEL
// retitles the window, ESC [2J clears it) or bidi overrides that make "gpj.exe" read "exe.jpg".
// These two functions make such text safe to show; what libtorrent uses (URLs to announce to,
// paths on disk) keeps its original bytes.
#pragma once

#include <string>
#include <string_view>

namespace lanetorrent {

// `bytes` with every invalid UTF-8 sequence (stray continuation bytes, overlong forms,
// surrogates, code points past U+10FFFF, truncated sequences) replaced by U+FFFD, one per
// maximal invalid subpart as Unicode recommends. What JSON output needs.
std::string valid_utf8(std::string_view bytes);

// valid_utf8(bytes) with control characters written as escapes, for a terminal or a label:
// C0 and DEL as \xNN (a tab or a newline too: a name is one line), C1 (U+0080-U+009F) and the
// bidi controls (U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) as \uNNNN. Backslashes are left
// alone: the result is for people to read, not to be parsed back.
std::string printable_text(std::string_view bytes);

}  // namespace lanetorrent

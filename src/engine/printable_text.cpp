#include "engine/printable_text.hpp"

#include <cstdint>
#include <cstdio>

namespace lanetorrent {

namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD

// The next code point of `bytes` from `at`: its value and length, or length 0 with `skip` set to
// the length of the maximal invalid subpart (at least 1) if the bytes there are not UTF-8.
struct Decoded {
    char32_t code_point = 0;
    std::size_t length = 0;
    std::size_t skip = 0;
};

Decoded decode(std::string_view bytes, std::size_t at) {
    auto const byte = [&](std::size_t i) { return static_cast<std::uint8_t>(bytes[i]); };
    std::uint8_t const lead = byte(at);
    if (lead < 0x80) return {lead, 1, 0};
    std::size_t length = 0;
    char32_t value = 0;
    // The second byte's range depends on the lead (Unicode table 3-7): this rules out overlong
    // forms, surrogates and values past U+10FFFF without decoding first.
    std::uint8_t low = 0x80;
    std::uint8_t high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        value = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        value = lead & 0x0F;
        if (lead == 0xE0) low = 0xA0;
        if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        value = lead & 0x07;
        if (lead == 0xF0) low = 0x90;
        if (lead == 0xF4) high = 0x8F;
    } else {
        return {0, 0, 1};
    }
    for (std::size_t i = 1; i < length; ++i) {
        if (at + i >= bytes.size()) return {0, 0, i};
        auto const next = byte(at + i);
        if (next < (i == 1 ? low : 0x80) || next > (i == 1 ? high : 0xBF)) return {0, 0, i};
        value = (value << 6) | (next & 0x3F);
    }
    return {value, length, 0};
}

bool is_control(char32_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x200E || c == 0x200F ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

template <typename OnCodePoint>
std::string transcode(std::string_view bytes, OnCodePoint on_code_point) {
    std::string out;
    out.reserve(bytes.size());
    std::size_t at = 0;
    while (at < bytes.size()) {
        auto const d = decode(bytes, at);
        if (d.length == 0) {
            out += replacement;
            at += d.skip;
            continue;
        }
        on_code_point(out, d.code_point, bytes.substr(at, d.length));
        at += d.length;
    }
    return out;
}

}  // namespace

std::string valid_utf8(std::string_view bytes) {
    return transcode(bytes,
                     [](std::string& out, char32_t, std::string_view encoded) { out += encoded; });
}

std::string printable_text(std::string_view bytes) {
    return transcode(bytes, [](std::string& out, char32_t c, std::string_view encoded) {
        if (!is_control(c)) {
            out += encoded;
            return;
        }
        char escape[8];
        if (c < 0x80) {
            std::snprintf(escape, sizeof escape, "\\x%02X", static_cast<unsigned>(c));
        } else {
            std::snprintf(escape, sizeof escape, "\\u%04X", static_cast<unsigned>(c));
        }
        out += escape;
    });
}

}  // namespace lanetorrent

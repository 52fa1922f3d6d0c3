// The Range header of a GET (RFC 9110 section 14), decided against the file's size. Pure: no
// sockets, so every case is tested on its own.
//
// What players send (docs/streaming.md): `bytes=N-` from libavformat (ffmpeg, mpv, Qt's FFmpeg
// backend), `bytes=a-b` now and then, no Range at all from GStreamer. Multiple ranges are never
// sent by a player; they get the whole file (a server may ignore Range), not a multipart body.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lanetorrent::stream {

// Longer Range values are ignored (the whole file is sent); a real one is under 100 bytes.
inline constexpr std::size_t max_range_header = 1024;

struct RangeDecision {
    enum class Kind {
        whole,          // 200: no Range, one we ignore (malformed, other unit, several ranges)
        part,           // 206 with Content-Range: bytes begin-(end-1)/size
        unsatisfiable,  // 416 with Content-Range: bytes */size
    };
    Kind kind = Kind::whole;
    std::int64_t begin = 0;  // the file's bytes [begin, end) to send
    std::int64_t end = 0;
};

// `header` is the Range field's value; call this only when the request has one.
RangeDecision decide_range(std::string_view header, std::int64_t size);

// The Content-Range value for a decision of kind part or unsatisfiable.
std::string content_range(RangeDecision const& decision, std::int64_t size);

}  // namespace lanetorrent::stream

// The Content-Type of a streamed file, from its extension. Players mostly sniff the container
// themselves, but GStreamer (Qt's default backend) picks its demuxer partly from this, and with
// `X-Content-Type-Options: nosniff` a browser shown the URL must not guess.
#pragma once

#include <string_view>

namespace lanetorrent::stream {

// Case-insensitive on the extension; application/octet-stream for anything unknown.
std::string_view media_type_for(std::string_view file_name);

}  // namespace lanetorrent::stream

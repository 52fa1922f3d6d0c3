#include "stream/media_type.hpp"

#include <array>
#include <string>
#include <utility>

namespace lanetorrent::stream {

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 24> types{{
    {"mp4", "video/mp4"},
    {"m4v", "video/mp4"},
    {"mkv", "video/x-matroska"},
    {"webm", "video/webm"},
    {"avi", "video/x-msvideo"},
    {"mov", "video/quicktime"},
    {"ts", "video/mp2t"},
    {"m2ts", "video/mp2t"},
    {"mpg", "video/mpeg"},
    {"mpeg", "video/mpeg"},
    {"ogv", "video/ogg"},
    {"flv", "video/x-flv"},
    {"wmv", "video/x-ms-wmv"},
    {"mp3", "audio/mpeg"},
    {"m4a", "audio/mp4"},
    {"aac", "audio/aac"},
    {"flac", "audio/flac"},
    {"ogg", "audio/ogg"},
    {"oga", "audio/ogg"},
    {"opus", "audio/ogg"},
    {"wav", "audio/wav"},
    {"mka", "audio/x-matroska"},
    {"srt", "text/plain; charset=utf-8"},
    {"vtt", "text/vtt; charset=utf-8"},
}};

}  // namespace

std::string_view media_type_for(std::string_view file_name) {
    auto const dot = file_name.rfind('.');
    if (dot == std::string_view::npos || file_name.size() - dot - 1 > 8) {
        return "application/octet-stream";
    }
    std::string extension(file_name.substr(dot + 1));
    for (char& c : extension) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    for (auto const& [known, type] : types) {
        if (extension == known) return type;
    }
    return "application/octet-stream";
}

}  // namespace lanetorrent::stream

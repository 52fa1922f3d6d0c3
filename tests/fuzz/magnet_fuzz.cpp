// libFuzzer target for magnet links (src/engine/torrent_source.cpp): whatever a user pastes or a
// second launch forwards. parse_magnet may refuse, but only with a sentence; what it accepts
// names a torrent (an info-hash) that describe() can read.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "engine/torrent_source.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const text(reinterpret_cast<char const*>(data), size);
    (void)lanetorrent::looks_like_magnet(text);
    auto const parsed = lanetorrent::parse_magnet(text);
    if (!parsed) {
        if (parsed.error().empty()) {
            std::fprintf(stderr, "magnet_fuzz: refused without a sentence\n");
            std::abort();
        }
        return 0;
    }
    auto const description = lanetorrent::describe(*parsed);
    if (description.id.empty() || description.has_metadata) {
        std::fprintf(stderr, "magnet_fuzz: accepted a magnet without an info-hash\n");
        std::abort();
    }
    return 0;
}

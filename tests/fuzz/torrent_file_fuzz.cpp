// libFuzzer target for .torrent files (src/engine/torrent_source.cpp): files users download from
// anywhere, dropped on the window or handed over by a second launch. load_torrent_bytes may
// refuse, but only with a sentence; a file it accepts must describe itself consistently.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "engine/torrent_source.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::span<char const> const bytes(reinterpret_cast<char const*>(data), size);
    auto const loaded = lanetorrent::load_torrent_bytes(bytes, "fuzz.torrent");
    if (!loaded) {
        if (loaded.error().empty()) {
            std::fprintf(stderr, "torrent_file_fuzz: refused without a sentence\n");
            std::abort();
        }
        return 0;
    }
    auto const description = lanetorrent::describe(*loaded);
    std::int64_t sum = 0;
    for (auto const& file : description.files) sum += file.size;
    if (!description.has_metadata || description.id.empty() || sum != description.total_size) {
        std::fprintf(stderr, "torrent_file_fuzz: accepted file describes itself inconsistently\n");
        std::abort();
    }
    return 0;
}

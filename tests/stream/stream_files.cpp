#include "stream_files.hpp"

#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>

namespace lanetorrent::stream::test {

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "lt-stream-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::string random_bytes(std::size_t size, std::uint64_t seed) {
    std::mt19937_64 generator(seed);
    std::string out(size, '\0');
    for (std::size_t i = 0; i < size; i += 8) {
        std::uint64_t const value = generator();
        for (std::size_t j = 0; j < 8 && i + j < size; ++j) {
            out[i + j] = static_cast<char>((value >> (8 * j)) & 0xff);
        }
    }
    return out;
}

void write_file(std::filesystem::path const& path, std::string const& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

void write_at(std::filesystem::path const& path, std::int64_t offset, std::string const& bytes) {
    std::fstream out(path, std::ios::binary | std::ios::in | std::ios::out);
    out.seekp(offset);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

FileGeometry sample_geometry(std::filesystem::path const& path, std::string const& name) {
    FileGeometry g;
    g.path = path;
    g.name = name;
    g.size = 3'000'000;
    g.offset_in_torrent = 100'000;
    g.piece_length = 256 * 1024;
    std::int64_t const torrent_size = g.offset_in_torrent + g.size + 50'000;
    g.num_pieces = static_cast<int>((torrent_size + g.piece_length - 1) / g.piece_length);
    return g;
}

}  // namespace lanetorrent::stream::test

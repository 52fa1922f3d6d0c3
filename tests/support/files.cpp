#include "files.hpp"

#include <algorithm>
#include <fstream>
#include <random>
#include <stdexcept>
#include <system_error>

namespace lanetorrent::test {

void write_random_file(const std::filesystem::path& path, std::uint64_t bytes, std::uint64_t seed) {
    if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path());
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    std::mt19937_64 random(seed);
    std::vector<std::uint64_t> chunk(1 << 17);  // 1 MiB
    while (bytes > 0) {
        std::generate(chunk.begin(), chunk.end(), std::ref(random));
        const std::uint64_t n = std::min<std::uint64_t>(bytes, chunk.size() * sizeof chunk[0]);
        out.write(reinterpret_cast<const char*>(chunk.data()), static_cast<std::streamsize>(n));
        bytes -= n;
    }
    if (!out.flush()) {
        throw std::runtime_error("cannot write " + path.string());
    }
}

bool files_identical(const std::filesystem::path& a, const std::filesystem::path& b) {
    std::error_code error;
    const auto size_a = std::filesystem::file_size(a, error);
    if (error) {
        return false;
    }
    const auto size_b = std::filesystem::file_size(b, error);
    if (error || size_a != size_b) {
        return false;
    }
    std::ifstream in_a(a, std::ios::binary);
    std::ifstream in_b(b, std::ios::binary);
    if (!in_a || !in_b) {
        return false;
    }
    std::vector<char> buffer_a(1 << 20);
    std::vector<char> buffer_b(buffer_a.size());
    for (;;) {
        in_a.read(buffer_a.data(), static_cast<std::streamsize>(buffer_a.size()));
        in_b.read(buffer_b.data(), static_cast<std::streamsize>(buffer_b.size()));
        const std::streamsize n = in_a.gcount();
        if (n != in_b.gcount() ||
            !std::equal(buffer_a.begin(), buffer_a.begin() + n, buffer_b.begin())) {
            return false;
        }
        if (n == 0 || !in_a || !in_b) {
            return in_a.eof() && in_b.eof();
        }
    }
}

std::vector<std::string> differing_files(const std::filesystem::path& expected,
                                         const std::filesystem::path& actual) {
    std::vector<std::string> result;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(expected)) {
        if (entry.is_regular_file()) {
            const auto relative = std::filesystem::relative(entry.path(), expected);
            if (!files_identical(entry.path(), actual / relative)) {
                result.push_back(relative.string());
            }
        }
    }
    std::sort(result.begin(), result.end());
    return result;
}

}  // namespace lanetorrent::test

#include "base/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace lanetorrent {
namespace fs = std::filesystem;

namespace {

std::string errno_text() {
    return std::strerror(errno);
}

// Closes the descriptor on every path out of write_file_atomically.
struct FileDescriptor {
    int fd = -1;
    ~FileDescriptor() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

Status write_file_atomically(fs::path const& path, std::span<char const> bytes) {
    auto const tmp = fs::path(path).concat(".tmp");
    FileDescriptor file{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)};
    if (file.fd < 0) return Error{"cannot write " + tmp.string() + ": " + errno_text()};
    for (std::size_t done = 0; done < bytes.size();) {
        auto const n = ::write(file.fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            auto const why = errno_text();
            ::unlink(tmp.c_str());
            return Error{"cannot write " + tmp.string() + ": " + why};
        }
        done += static_cast<std::size_t>(n);
    }
    // Without the fsync a crash after rename could leave the new name pointing at empty data.
    if (::fsync(file.fd) != 0) {
        auto const why = errno_text();
        ::unlink(tmp.c_str());
        return Error{"cannot flush " + tmp.string() + ": " + why};
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        auto const why = errno_text();
        ::unlink(tmp.c_str());
        return Error{"cannot replace " + path.string() + ": " + why};
    }
    // Make the rename itself durable.
    FileDescriptor dir{::open(path.parent_path().empty() ? "." : path.parent_path().c_str(),
                              O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (dir.fd >= 0) ::fsync(dir.fd);
    return Ok{};
}

Result<std::vector<char>> read_file(fs::path const& path, std::size_t max_bytes) {
    std::error_code ec;
    auto const size = fs::file_size(path, ec);
    if (ec) return Error{"cannot read " + path.string() + ": " + ec.message()};
    if (size > max_bytes) {
        return Error{path.string() + " is too large (" + std::to_string(size) + " bytes, limit " +
                     std::to_string(max_bytes) + ")"};
    }
    std::ifstream in(path, std::ios::binary);
    std::vector<char> bytes(size);
    if (!in || !in.read(bytes.data(), static_cast<std::streamsize>(size))) {
        return Error{"cannot read " + path.string() + ": " + errno_text()};
    }
    return bytes;
}

}  // namespace lanetorrent

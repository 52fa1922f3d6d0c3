#include "net.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace lanetorrent::test {
namespace {

class Socket {
  public:
    explicit Socket(int type) : fd_(::socket(AF_INET, type | SOCK_CLOEXEC, 0)) {
        if (fd_ < 0) {
            throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
        }
    }
    ~Socket() { ::close(fd_); }
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    int fd() const { return fd_; }

  private:
    int fd_;
};

bool bind_to(const Socket& socket, const std::string& ip, std::uint16_t port) {
    const sockaddr_in addr = ipv4_address(ip, port);
    return ::bind(socket.fd(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
}

void set_timeouts(const Socket& socket, std::chrono::milliseconds timeout) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    ::setsockopt(socket.fd(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(socket.fd(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

bool connect_to(const Socket& socket, const std::string& ip, std::uint16_t port) {
    const sockaddr_in addr = ipv4_address(ip, port);
    return ::connect(socket.fd(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
}

}  // namespace

std::string unique_loopback_ip() {
    static std::atomic<unsigned> counter{0};
    // pid_max can exceed 16 bits, but processes started together by one ctest run have nearby
    // pids, so their low 16 bits differ. After 253 addresses a process reuses its first ones,
    // whose clients are long gone by then.
    const auto pid = static_cast<unsigned>(::getpid());
    const unsigned host = 2 + counter++ % 253;  // 2..254
    return "127." + std::to_string((pid >> 8) & 0xff) + "." + std::to_string(pid & 0xff) + "." +
           std::to_string(host);
}

std::uint16_t free_port(const std::string& ip) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        Socket tcp(SOCK_STREAM);
        if (!bind_to(tcp, ip, 0)) {
            throw std::runtime_error("cannot bind " + ip + ": " + std::strerror(errno));
        }
        sockaddr_in bound{};
        socklen_t length = sizeof bound;
        ::getsockname(tcp.fd(), reinterpret_cast<sockaddr*>(&bound), &length);
        const std::uint16_t port = ntohs(bound.sin_port);
        Socket udp(SOCK_DGRAM);
        if (bind_to(udp, ip, port)) {
            return port;
        }
    }
    throw std::runtime_error("no port free for both TCP and UDP on " + ip);
}

bool wait_until_listening(const std::string& ip, std::uint16_t port,
                          std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        Socket socket(SOCK_STREAM);
        if (connect_to(socket, ip, port)) {
            return true;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

std::optional<std::string> http_get(const std::string& ip, std::uint16_t port,
                                    const std::string& target, std::chrono::milliseconds timeout) {
    Socket socket(SOCK_STREAM);
    set_timeouts(socket, timeout);
    if (!connect_to(socket, ip, port)) {
        return std::nullopt;
    }
    const std::string request =
        "GET " + target + " HTTP/1.0\r\nHost: " + ip + ":" + std::to_string(port) + "\r\n\r\n";
    if (::send(socket.fd(), request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
        return std::nullopt;
    }
    std::string response;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::recv(socket.fd(), buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return std::nullopt;
        }
        if (n == 0) {
            break;
        }
        response.append(buffer, static_cast<std::size_t>(n));
    }
    // "HTTP/1.x 200 ..." then headers, then the body after the first empty line.
    const std::size_t body = response.find("\r\n\r\n");
    if (body == std::string::npos || body < 12 || !response.starts_with("HTTP/1.") ||
        response.compare(8, 5, " 200 ") != 0) {
        return std::nullopt;
    }
    return response.substr(body + 4);
}

sockaddr_in ipv4_address(const std::string& ip, std::uint16_t port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    if (::inet_pton(AF_INET, ip.c_str(), &addr.sin_addr) != 1) {
        throw std::invalid_argument("not an IPv4 address: " + ip);
    }
    return addr;
}

}  // namespace lanetorrent::test

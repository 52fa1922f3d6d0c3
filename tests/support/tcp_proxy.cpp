#include "tcp_proxy.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "net.hpp"

namespace lanetorrent::test {
namespace {

// A response no HTTP/2 client can read: an HTTP/1.1 error, then bytes that are no frame.
constexpr char kGarbage[] =
    "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\n\r\nthis is not a Tron node\r\n"
    "\x01\x02\x03\xff\xfe";

void set_nonblocking(int fd) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

// -1 if the address cannot be bound (it stays free in practice: nobody else uses our address).
int open_listener(const std::string& ip, std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    const sockaddr_in addr = ipv4_address(ip, port);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd, 64) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

int connect_to(const std::string& ip, std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    const sockaddr_in addr = ipv4_address(ip, port);
    // Blocking is fine on loopback: the target accepts or refuses at once.
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    set_nonblocking(fd);
    return fd;
}

struct Pipe {
    int client = -1;
    int upstream = -1;  // -1 unless forwarding
    std::string to_client;
    std::string to_upstream;
    bool open = true;

    void close_both() {
        if (client >= 0) ::close(client);
        if (upstream >= 0) ::close(upstream);
        client = upstream = -1;
        open = false;
    }
};

// Reads what is there; false once the peer closed or failed.
bool drain(int fd, std::string* into) {
    char buffer[16384];
    for (;;) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n > 0) {
            if (into) into->append(buffer, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
}

// Writes what the socket takes; false if it failed.
bool flush(int fd, std::string& pending) {
    while (!pending.empty()) {
        const ssize_t n = ::send(fd, pending.data(), pending.size(), MSG_NOSIGNAL);
        if (n > 0) {
            pending.erase(0, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
    return true;
}

}  // namespace

const char* to_string(TcpProxy::Mode mode) {
    switch (mode) {
        case TcpProxy::Mode::forward:
            return "forward";
        case TcpProxy::Mode::refuse:
            return "refuse";
        case TcpProxy::Mode::blackhole:
            return "blackhole";
        case TcpProxy::Mode::garbage:
            return "garbage";
    }
    return "?";
}

TcpProxy::TcpProxy(std::string target_ip, std::uint16_t target_port)
    : ip_(unique_loopback_ip()),
      port_(free_port(ip_)),
      target_ip_(std::move(target_ip)),
      target_port_(target_port) {
    if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) {
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
    // Listening before the constructor returns: a client may dial endpoint() at once.
    const int listener = open_listener(ip_, port_);
    if (listener < 0) {
        ::close(wake_[0]);
        ::close(wake_[1]);
        throw std::runtime_error("cannot listen on " + endpoint() + ": " + std::strerror(errno));
    }
    thread_ = std::thread([this, listener] { run(listener); });
}

TcpProxy::TcpProxy(std::string const& target_endpoint)
    : TcpProxy(target_endpoint.substr(0, target_endpoint.rfind(':')),
               static_cast<std::uint16_t>(
                   std::stoi(target_endpoint.substr(target_endpoint.rfind(':') + 1)))) {}

TcpProxy::~TcpProxy() {
    stopping_ = true;
    const char byte = 's';
    (void)!::write(wake_[1], &byte, 1);
    thread_.join();
    ::close(wake_[0]);
    ::close(wake_[1]);
}

std::string TcpProxy::endpoint() const {
    return ip_ + ":" + std::to_string(port_);
}

void TcpProxy::set_mode(Mode mode) {
    {
        std::lock_guard lock(mutex_);
        mode_ = mode;
        ++generation_;
    }
    const char byte = 'm';
    (void)!::write(wake_[1], &byte, 1);
}

TcpProxy::Mode TcpProxy::mode() const {
    std::lock_guard lock(mutex_);
    return mode_;
}

void TcpProxy::run(int listener) {
    std::vector<Pipe> pipes;
    std::uint64_t seen_generation = 0;
    Mode mode = Mode::forward;
    auto close_all = [&] {
        for (auto& p : pipes) p.close_both();
        pipes.clear();
    };
    while (!stopping_) {
        {
            std::lock_guard lock(mutex_);
            if (generation_ != seen_generation) {
                seen_generation = generation_;
                mode = mode_;
                close_all();
            }
        }
        if (mode == Mode::refuse && listener >= 0) {
            ::close(listener);
            listener = -1;
        } else if (mode != Mode::refuse && listener < 0) {
            listener = open_listener(ip_, port_);
        }

        std::vector<pollfd> fds;
        fds.push_back({wake_[0], POLLIN, 0});
        if (listener >= 0) fds.push_back({listener, POLLIN, 0});
        const std::size_t first_pipe = fds.size();
        for (const auto& p : pipes) {
            fds.push_back(
                {p.client, static_cast<short>(POLLIN | (p.to_client.empty() ? 0 : POLLOUT)), 0});
            fds.push_back({p.upstream,
                           static_cast<short>(POLLIN | (p.to_upstream.empty() ? 0 : POLLOUT)),
                           0});  // poll ignores a negative fd
        }
        if (::poll(fds.data(), fds.size(), 200) < 0 && errno != EINTR) break;

        if (fds[0].revents & POLLIN) {
            char buffer[64];
            while (::read(wake_[0], buffer, sizeof buffer) > 0) {
            }
        }
        for (std::size_t i = 0; i < pipes.size(); ++i) {
            auto& p = pipes[i];
            const auto client_events = fds[first_pipe + 2 * i].revents;
            const auto upstream_events = fds[first_pipe + 2 * i + 1].revents;
            // Blackhole and garbage read and drop what the client sends; forward passes it on.
            std::string* sink = p.upstream >= 0 ? &p.to_upstream : nullptr;
            if ((client_events & (POLLIN | POLLHUP | POLLERR)) && !drain(p.client, sink)) {
                p.open = false;
            }
            if (p.upstream >= 0 && (upstream_events & (POLLIN | POLLHUP | POLLERR)) &&
                !drain(p.upstream, &p.to_client)) {
                p.open = false;
            }
            if (p.open && !flush(p.client, p.to_client)) p.open = false;
            if (p.open && p.upstream >= 0 && !flush(p.upstream, p.to_upstream)) p.open = false;
            if (!p.open) p.close_both();
        }
        std::erase_if(pipes, [](const Pipe& p) { return !p.open; });

        if (listener >= 0 && fds.size() > 1 && (fds[1].revents & POLLIN)) {
            for (;;) {
                const int client =
                    ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
                if (client < 0) break;
                ++accepted_;
                Pipe p;
                p.client = client;
                if (mode == Mode::forward) {
                    p.upstream = connect_to(target_ip_, target_port_);
                    if (p.upstream < 0) {
                        ::close(client);
                        continue;
                    }
                } else if (mode == Mode::garbage) {
                    p.to_client.assign(kGarbage, sizeof kGarbage - 1);
                }
                pipes.push_back(std::move(p));
            }
        }
    }
    close_all();
    if (listener >= 0) ::close(listener);
}

}  // namespace lanetorrent::test

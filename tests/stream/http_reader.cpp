#include "http_reader.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <thread>

namespace lanetorrent::stream {

namespace {

using Clock = std::chrono::steady_clock;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

class Socket {
  public:
    ~Socket() {
        if (fd_ >= 0) ::close(fd_);
    }
    Status connect(Url const& url) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd_ < 0) return Error{std::strerror(errno)};
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(url.port);
        if (::inet_pton(AF_INET, url.host.c_str(), &address.sin_addr) != 1) {
            return Error{"not an IPv4 address: " + url.host};
        }
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            return Error{std::string("connect: ") + std::strerror(errno)};
        }
        return Ok{};
    }
    Status send_all(std::string const& data) {
        std::size_t sent = 0;
        while (sent < data.size()) {
            auto const n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) return Error{std::string("send: ") + std::strerror(errno)};
            sent += static_cast<std::size_t>(n);
        }
        return Ok{};
    }
    // Up to `max` bytes; 0 at the end of the stream. Fails at `deadline`.
    Result<std::size_t> receive(char* buffer, std::size_t max, Clock::time_point deadline) {
        while (true) {
            auto const left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            if (left.count() <= 0) return Error{"timed out"};
            pollfd p{fd_, POLLIN, 0};
            int const ready = ::poll(&p, 1, static_cast<int>(std::min<long>(left.count(), 1000)));
            if (ready < 0 && errno != EINTR) return Error{std::strerror(errno)};
            if (ready <= 0) continue;
            auto const n = ::recv(fd_, buffer, max, 0);
            if (n < 0) return Error{std::string("recv: ") + std::strerror(errno)};
            return static_cast<std::size_t>(n);
        }
    }

  private:
    int fd_ = -1;
};

// Reads the status line and headers; what came after them stays in `rest`.
Result<HttpResponse> read_head(Socket& socket, std::string& rest, Clock::time_point deadline) {
    std::string data;
    char buffer[16384];
    std::size_t end = std::string::npos;
    while ((end = data.find("\r\n\r\n")) == std::string::npos) {
        auto const n = socket.receive(buffer, sizeof buffer, deadline);
        if (!n) return Error{n.error()};
        if (*n == 0) return Error{"connection closed before the headers ended"};
        data.append(buffer, *n);
        if (data.size() > 65536) return Error{"headers too long"};
    }
    HttpResponse response;
    auto const head = data.substr(0, end);
    rest = data.substr(end + 4);
    auto const first_line = head.substr(0, head.find("\r\n"));
    if (first_line.rfind("HTTP/1.", 0) != 0 || first_line.size() < 12) {
        return Error{"not an HTTP status line: " + first_line};
    }
    response.status = std::stoi(first_line.substr(9, 3));
    std::size_t at = first_line.size() + 2;
    while (at < head.size()) {
        auto const line_end = std::min(head.find("\r\n", at), head.size());
        auto const line = head.substr(at, line_end - at);
        if (auto const colon = line.find(':'); colon != std::string::npos) {
            auto value = line.substr(colon + 1);
            value.erase(0, value.find_first_not_of(' '));
            response.headers[lower(line.substr(0, colon))] = value;
        }
        at = line_end + 2;
    }
    return response;
}

std::string request_text(Url const& url, std::string const& method,
                         std::vector<std::pair<std::string, std::string>> const& headers) {
    std::string text = method + " " + url.target + " HTTP/1.1\r\nHost: " + url.host + ":" +
                       std::to_string(url.port) + "\r\nConnection: close\r\n";
    for (auto const& [name, value] : headers) text += name + ": " + value + "\r\n";
    return text + "\r\n";
}

}  // namespace

std::optional<Url> parse_url(std::string const& url) {
    std::string const scheme = "http://";
    if (url.rfind(scheme, 0) != 0) return std::nullopt;
    auto const slash = url.find('/', scheme.size());
    auto const authority = url.substr(
        scheme.size(), slash == std::string::npos ? std::string::npos : slash - scheme.size());
    auto const colon = authority.rfind(':');
    if (colon == std::string::npos) return std::nullopt;
    Url parsed;
    parsed.host = authority.substr(0, colon);
    try {
        parsed.port = static_cast<std::uint16_t>(std::stoi(authority.substr(colon + 1)));
    } catch (std::exception const&) {
        return std::nullopt;
    }
    parsed.target = slash == std::string::npos ? "/" : url.substr(slash);
    return parsed;
}

std::string HttpResponse::header(std::string const& name) const {
    auto const found = headers.find(lower(name));
    return found == headers.end() ? std::string() : found->second;
}

Result<HttpResponse> http_request(Url const& url, std::string const& method,
                                  std::vector<std::pair<std::string, std::string>> const& headers,
                                  std::chrono::milliseconds timeout) {
    auto const deadline = Clock::now() + timeout;
    Socket socket;
    if (auto const connected = socket.connect(url); !connected) return Error{connected.error()};
    if (auto const sent = socket.send_all(request_text(url, method, headers)); !sent) {
        return Error{sent.error()};
    }
    std::string rest;
    auto response = read_head(socket, rest, deadline);
    if (!response || method == "HEAD") return response;
    response->body = std::move(rest);
    char buffer[65536];
    while (true) {
        auto const n = socket.receive(buffer, sizeof buffer, deadline);
        if (!n)
            return Error{n.error() + " after " + std::to_string(response->body.size()) +
                         " bytes of the body"};
        if (*n == 0) break;
        response->body.append(buffer, *n);
    }
    return response;
}

Result<std::string> http_read_paced(Url const& url, std::int64_t bytes_per_second,
                                    std::chrono::milliseconds timeout) {
    auto const start = Clock::now();
    auto const deadline = start + timeout;
    Socket socket;
    if (auto const connected = socket.connect(url); !connected) return Error{connected.error()};
    if (auto const sent = socket.send_all(request_text(url, "GET", {})); !sent) {
        return Error{sent.error()};
    }
    std::string body;
    auto head = read_head(socket, body, deadline);
    if (!head) return Error{head.error()};
    if (head->status != 200) return Error{"status " + std::to_string(head->status)};
    char buffer[16384];
    while (true) {
        // Not ahead of the pace: a player reads as it plays.
        auto const due =
            start +
            std::chrono::microseconds(static_cast<std::int64_t>(
                static_cast<double>(body.size()) * 1e6 / static_cast<double>(bytes_per_second)));
        if (due > Clock::now()) std::this_thread::sleep_until(due);
        auto const n = socket.receive(buffer, sizeof buffer, deadline);
        if (!n) return Error{n.error() + " after " + std::to_string(body.size()) + " bytes"};
        if (*n == 0) break;
        body.append(buffer, *n);
    }
    return body;
}

}  // namespace lanetorrent::stream

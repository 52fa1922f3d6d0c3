#include "http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace lanetorrent::stream::test {

namespace {

using Clock = std::chrono::steady_clock;

std::string lower(std::string s) {
    for (char& c : s) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return s;
}

std::string trim(std::string const& s) {
    std::size_t b = 0;
    std::size_t e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
    return s.substr(b, e - b);
}

}  // namespace

std::string ResponseHead::header(std::string const& name) const {
    auto it = headers.find(lower(name));
    return it == headers.end() ? std::string() : it->second;
}

std::optional<std::size_t> ResponseHead::content_length() const {
    auto it = headers.find("content-length");
    if (it == headers.end()) return std::nullopt;
    return static_cast<std::size_t>(std::strtoull(it->second.c_str(), nullptr, 10));
}

HttpClient::HttpClient(std::uint16_t port, std::string const& ip) {
    int const fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        connect_errno_ = errno;
        return;
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    ::inet_pton(AF_INET, ip.c_str(), &address.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        connect_errno_ = errno;
        ::close(fd);
        return;
    }
    fd_ = fd;
}

HttpClient::~HttpClient() {
    close();
}

void HttpClient::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

bool HttpClient::send(std::string const& bytes) {
    std::size_t done = 0;
    while (fd_ >= 0 && done < bytes.size()) {
        ssize_t const n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return done == bytes.size();
}

bool HttpClient::receive(std::chrono::milliseconds timeout) {
    if (fd_ < 0 || closed_) return false;
    pollfd p{fd_, POLLIN, 0};
    int const ready = ::poll(&p, 1, static_cast<int>(std::max<long>(0, timeout.count())));
    if (ready <= 0) return false;
    char buffer[64 * 1024];
    ssize_t const n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) {
        closed_ = true;
        return false;
    }
    pending_.append(buffer, static_cast<std::size_t>(n));
    return true;
}

std::optional<ResponseHead> HttpClient::read_head(std::chrono::milliseconds timeout) {
    auto const deadline = Clock::now() + timeout;
    std::size_t end = std::string::npos;
    while ((end = pending_.find("\r\n\r\n")) == std::string::npos) {
        auto const left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0 || !receive(left)) return std::nullopt;
    }
    std::string const text = pending_.substr(0, end);
    pending_.erase(0, end + 4);

    ResponseHead head;
    std::size_t line_end = text.find("\r\n");
    std::string const status_line = text.substr(0, line_end);
    auto const space = status_line.find(' ');
    if (space == std::string::npos) return std::nullopt;
    head.status = std::atoi(status_line.c_str() + space + 1);
    while (line_end != std::string::npos) {
        std::size_t const start = line_end + 2;
        line_end = text.find("\r\n", start);
        std::string const line = text.substr(
            start, line_end == std::string::npos ? std::string::npos : line_end - start);
        auto const colon = line.find(':');
        if (colon == std::string::npos) continue;
        head.headers[lower(line.substr(0, colon))] = trim(line.substr(colon + 1));
    }
    return head;
}

std::string HttpClient::read_body(std::size_t bytes, std::chrono::milliseconds timeout) {
    auto const deadline = Clock::now() + timeout;
    while (pending_.size() < bytes) {
        auto const left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0 || !receive(left)) break;
    }
    std::size_t const n = std::min(bytes, pending_.size());
    std::string body = pending_.substr(0, n);
    pending_.erase(0, n);
    return body;
}

bool HttpClient::wait_closed(std::chrono::milliseconds timeout) {
    auto const deadline = Clock::now() + timeout;
    while (!closed_) {
        auto const left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return false;
        receive(left);
        pending_.clear();
    }
    return true;
}

std::string request_text(std::string const& method, std::string const& target, std::uint16_t port,
                         std::string const& extra) {
    return method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n" +
           extra + "\r\n";
}

std::optional<Response> fetch(std::uint16_t port, std::string const& raw_request, bool head_only) {
    HttpClient client(port);
    if (!client.connected() || !client.send(raw_request)) return std::nullopt;
    auto head = client.read_head();
    if (!head) return std::nullopt;
    Response response{*head, {}};
    if (!head_only) {
        response.body = client.read_body(head->content_length().value_or(0));
    }
    return response;
}

}  // namespace lanetorrent::stream::test

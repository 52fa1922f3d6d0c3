// A raw HTTP/1.1 client over a loopback TCP socket, for the streaming server's tests: it sends
// exactly the bytes a test writes (hostile targets and Host headers included) and reads with
// deadlines, so a test can assert that nothing arrives for a while.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace lanetorrent::stream::test {

struct ResponseHead {
    int status = 0;
    std::map<std::string, std::string> headers;  // names in lower case
    std::string header(std::string const& name) const;
    std::optional<std::size_t> content_length() const;
};

class HttpClient {
  public:
    // Connects at once; connected() says whether it worked.
    explicit HttpClient(std::uint16_t port, std::string const& ip = "127.0.0.1");
    ~HttpClient();
    HttpClient(HttpClient const&) = delete;
    HttpClient& operator=(HttpClient const&) = delete;

    bool connected() const { return fd_ >= 0; }
    int connect_errno() const { return connect_errno_; }
    bool send(std::string const& bytes);
    // The status line and headers; nullopt on timeout or a closed connection.
    std::optional<ResponseHead> read_head(
        std::chrono::milliseconds timeout = std::chrono::seconds(5));
    // Body bytes until `bytes` arrived, the deadline passed or the server closed (then closed()).
    std::string read_body(std::size_t bytes,
                          std::chrono::milliseconds timeout = std::chrono::seconds(5));
    // True once the server closed the connection (a read returned 0 or an error).
    bool closed() const { return closed_; }
    // Waits until the server closes the connection (reading and dropping whatever arrives).
    bool wait_closed(std::chrono::milliseconds timeout);
    void close();

  private:
    // Appends what arrives within `timeout` to pending_; false on timeout or close.
    bool receive(std::chrono::milliseconds timeout);

    int fd_ = -1;
    int connect_errno_ = 0;
    bool closed_ = false;
    std::string pending_;
};

struct Response {
    ResponseHead head;
    std::string body;
};

// "METHOD target HTTP/1.1" with Host 127.0.0.1:port and `extra` header lines (each ending in CRLF).
std::string request_text(std::string const& method, std::string const& target, std::uint16_t port,
                         std::string const& extra = {});

// One request on a fresh connection; the body is read up to Content-Length (none for HEAD).
std::optional<Response> fetch(std::uint16_t port, std::string const& raw_request,
                              bool head_only = false);

}  // namespace lanetorrent::stream::test

// A player's side of the loopback stream for the tests: plain blocking HTTP/1.1 over a socket
// (no library of ours, so the server is checked against an independent reader), one request per
// connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"

namespace lanetorrent::stream {

struct Url {
    std::string host;
    std::uint16_t port = 0;
    std::string target;  // path and query
};
// http://HOST:PORT/PATH only.
std::optional<Url> parse_url(std::string const& url);

struct HttpResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // names in lower case
    std::string body;
    std::string header(std::string const& name) const;  // empty if absent
};

// One request; the whole body (HEAD: none). Fails on a socket error or after `timeout`.
Result<HttpResponse> http_request(Url const& url, std::string const& method,
                                  std::vector<std::pair<std::string, std::string>> const& headers,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(60));

// GETs the whole file reading at most `bytes_per_second`, as a player playing in real time
// does, and returns the body.
Result<std::string> http_read_paced(Url const& url, std::int64_t bytes_per_second,
                                    std::chrono::milliseconds timeout);

}  // namespace lanetorrent::stream

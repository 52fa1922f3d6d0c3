// A TCP endpoint as users type it: "127.0.0.5:6881" or "[::1]:6881".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace lanetorrent {

struct Endpoint {
    std::string address;  // numeric IPv4 or IPv6, without brackets
    std::uint16_t port = 0;

    bool is_ipv6() const { return address.find(':') != std::string::npos; }
    bool is_loopback() const;
    // "1.2.3.4:5" or "[::1]:5", the form libtorrent's listen_interfaces and users expect.
    std::string to_string() const;
};

// Accepts numeric addresses only: a listen or peer address that needs DNS is almost always a typo
// in a test or script, and resolving it would hide that.
Result<Endpoint> parse_endpoint(std::string_view text);

}  // namespace lanetorrent

#pragma once

#include <netinet/in.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace lanetorrent::test {

// A 127.x.y.z address no other call returns, in this process or in any other test process running
// at the same time (x.y come from the pid, z from a counter; 127/8 is all loopback on Linux). Each
// client gets its own address, so clients identify each other by IP, ports never clash, and a
// tracker sees every client as a distinct peer. Never 127.0.0.1, never a .0 or .255 host part.
std::string unique_loopback_ip();

// ip:port as a socket address; throws std::invalid_argument if `ip` is not numeric IPv4.
sockaddr_in ipv4_address(const std::string& ip, std::uint16_t port);

// A port that is free for both TCP and UDP on `ip` (opentracker wants both), found by binding port
// 0. Nothing else uses our unique addresses, so it stays free until the client binds it.
std::uint16_t free_port(const std::string& ip);

// Polls until a TCP connection to ip:port succeeds.
bool wait_until_listening(const std::string& ip, std::uint16_t port,
                          std::chrono::milliseconds timeout);

// The body of a plain HTTP/1.0 GET (`target` is the path and query), or nullopt on any failure
// or a status other than 200.
std::optional<std::string> http_get(const std::string& ip, std::uint16_t port,
                                    const std::string& target,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace lanetorrent::test

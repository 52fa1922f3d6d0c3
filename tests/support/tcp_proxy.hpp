#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace lanetorrent::test {

// A loopback TCP proxy that a test switches at run time to play a server that misbehaves:
//   forward    a transparent pipe to the target;
//   refuse     no listener, so a connect is refused (the server is unreachable);
//   blackhole  accepts and reads, never answers (slower than any deadline);
//   garbage    answers every connection with bytes that are not HTTP/2 (a gRPC call fails).
// Switching closes every open connection, so a client's established channel meets the new
// behaviour at once instead of keeping a pipe opened earlier. One thread polls every socket; the
// destructor stops it and closes everything.
class TcpProxy {
  public:
    enum class Mode { forward, refuse, blackhole, garbage };

    // Listens on a fresh unique loopback address (see unique_loopback_ip) and forwards to
    // target_ip:target_port.
    TcpProxy(std::string target_ip, std::uint16_t target_port);
    // The same for a target given as "ip:port", as node addresses are.
    explicit TcpProxy(std::string const& target_endpoint);
    ~TcpProxy();
    TcpProxy(const TcpProxy&) = delete;
    TcpProxy& operator=(const TcpProxy&) = delete;

    std::string endpoint() const;  // ip:port to give the client
    void set_mode(Mode mode);
    Mode mode() const;
    // Connections accepted so far (in any mode): shows that the client really came through here.
    std::uint64_t accepted() const { return accepted_; }

  private:
    void run(int listener);  // owns the listening socket

    std::string ip_;
    std::uint16_t port_ = 0;
    std::string target_ip_;
    std::uint16_t target_port_ = 0;
    mutable std::mutex mutex_;
    Mode mode_ = Mode::forward;
    std::uint64_t generation_ = 0;  // bumped on every switch
    std::atomic<bool> stopping_{false};
    std::atomic<std::uint64_t> accepted_{0};
    int wake_[2] = {-1, -1};  // a pipe: set_mode and the destructor interrupt poll()
    std::thread thread_;
};

const char* to_string(TcpProxy::Mode mode);

}  // namespace lanetorrent::test

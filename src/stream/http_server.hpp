// The loopback HTTP server a player reads a torrent's file from while it downloads
// (docs/streaming.md, "The loopback server").
//
// It serves byte ranges of published PieceFiles at http://127.0.0.1:PORT/<token>/<name>, where the
// token is 128 random bits: only a process told the URL can read the file, and the URL's path is
// never mapped to a path on disk, so nothing outside the published files is reachable. A request
// for bytes not downloaded yet waits for them (however long) instead of sending zeros; each
// response is registered as a reader of its PieceFile, so the planner knows where to fetch next.
//
// Boost.Beast runs on one thread of its own; no exception leaves it (they are caught at the
// thread's edge and logged to stderr).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "stream/piece_file.hpp"

namespace lanetorrent::stream {

struct ServerOptions {
    std::uint16_t port = 0;  // on 127.0.0.1; 0 = any free port
    // Connections beyond this are closed as soon as they are accepted.
    int max_connections = 32;
    // A connection that sends no complete request for this long is closed. Not applied while a
    // response waits for a piece: a player waits minutes without complaint.
    std::chrono::milliseconds idle_timeout{30'000};
    // Bytes of a request's header (request line included); a larger one gets 400 and a close.
    std::uint32_t header_limit = 8 * 1024;
    // The most bytes written in one go, so one connection cannot hold the server's thread for
    // long and a player's new connection after a seek is answered at once.
    std::size_t chunk_bytes = 256 * 1024;
};

class StreamServer {
  public:
    // Binds 127.0.0.1:port (0 = any free port); runs its own thread.
    static Result<std::unique_ptr<StreamServer>> start(std::uint16_t port = 0);
    static Result<std::unique_ptr<StreamServer>> start(ServerOptions const& options);
    ~StreamServer();  // stops and joins
    StreamServer(StreamServer const&) = delete;
    StreamServer& operator=(StreamServer const&) = delete;

    std::uint16_t port() const;
    // Serves `file` at http://127.0.0.1:PORT/<random 128-bit token hex>/<url-encoded name>. The
    // same file published again keeps its URL. Empty if the system's random source failed.
    std::string publish(std::shared_ptr<PieceFile> file);
    // The URL stops working and the responses serving the file end (their connections close).
    void unpublish(std::shared_ptr<PieceFile> const& file);
    // Closes the listening socket and every connection and joins the thread. Idempotent.
    void stop();
    // Connections open now (for tests and diagnostics).
    int connections() const;

    struct Impl;

  private:
    explicit StreamServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// The URL path segment for a file name: RFC 3986 unreserved characters as they are, every other
// byte %XX.
std::string url_encode(std::string_view name);

}  // namespace lanetorrent::stream

#include "stream/http_server.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "stream/byte_range.hpp"
#include "stream/media_type.hpp"

namespace lanetorrent::stream {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr std::size_t token_bytes = 16;
constexpr std::size_t token_hex_length = 2 * token_bytes;
// How much a client may send while its response waits for a piece (a pipelined request); more
// and the connection is closed rather than buffered without bound.
constexpr std::size_t watch_read_bytes = 4096;
constexpr std::chrono::milliseconds accept_retry_delay{100};
constexpr int send_buffer_bytes = 256 * 1024;
// How long a connection we close after a response still reads (and drops) what the client sends.
constexpr std::chrono::seconds linger_time{2};

void log_error(std::string_view what) {
    std::fprintf(stderr, "stream server: %.*s\n", static_cast<int>(what.size()), what.data());
}

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return c - 'A' + 10;
}

// nullopt for a '%' not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out.push_back(s[i]);
            continue;
        }
        if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return std::nullopt;
        out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
        i += 2;
    }
    return out;
}

// Beast 1.74 hands out boost::string_view.
std::string_view view(beast::string_view s) {
    return {s.data(), s.size()};
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
               return lower(x) == lower(y);
           });
}

// Lets PieceFile callbacks, on any thread, hand work to the server's thread, and do nothing once
// the server is gone (a mark_have on the app thread may run a callback after stop()).
class Waker {
  public:
    explicit Waker(asio::io_context& io) : io_(&io) {}
    void post(std::function<void()> work) {
        std::lock_guard lock(mutex_);
        if (io_ != nullptr) asio::post(*io_, std::move(work));
    }
    void shut() {
        std::lock_guard lock(mutex_);
        io_ = nullptr;
    }

  private:
    std::mutex mutex_;
    asio::io_context* io_;
};

struct Published {
    std::string token;
    std::shared_ptr<PieceFile> file;
};

class Session;

}  // namespace

struct StreamServer::Impl {
    explicit Impl(ServerOptions const& opts) : options(opts) {}

    std::shared_ptr<PieceFile> find(std::string_view target) const;
    void accept();
    void on_accept(error_code ec, tcp::socket socket);
    void run_thread();
    void close_sessions(PieceFile const* only);  // all if null; on the server thread

    ServerOptions const options;
    std::uint16_t port = 0;
    std::atomic<int> connections{0};
    std::atomic<bool> stopped{false};

    mutable std::mutex published_mutex;
    std::vector<Published> published;

    // On the server thread only.
    std::map<Session*, std::weak_ptr<Session>> sessions;

    // Declared after what sessions use, so handlers (and the sessions they hold) destroyed with
    // the io_context still find them.
    asio::io_context io{1};
    tcp::acceptor acceptor{io};
    asio::steady_timer accept_retry{io};
    std::shared_ptr<Waker> waker = std::make_shared<Waker>(io);
    std::thread thread;
};

namespace {

// One connection: reads requests (keep-alive), writes each response in chunks, waits for pieces.
class Session : public std::enable_shared_from_this<Session> {
  public:
    Session(StreamServer::Impl& server, tcp::socket socket)
        : server_(server),
          socket_(std::move(socket)),
          idle_timer_(socket_.get_executor()),
          buffer_(2 * static_cast<std::size_t>(server.options.header_limit) + watch_read_bytes) {
        ++server_.connections;
    }

    ~Session() {
        end_response();
        server_.sessions.erase(this);
        --server_.connections;
    }

    Session(Session const&) = delete;
    Session& operator=(Session const&) = delete;

    void start() { read_request(); }

    bool serves(PieceFile const* file) const { return file_ != nullptr && file_.get() == file; }

    // Ends everything at once: the socket, the wait, the reader. The pending operations complete
    // with errors and drop their hold on the session.
    void close() {
        if (closed_) return;
        closed_ = true;
        error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_both, ignored);
        socket_.close(ignored);
        idle_timer_.cancel();
        end_response();
        server_.sessions.erase(this);
    }

  private:
    void read_request() {
        if (closed_) return;
        parser_.emplace();
        parser_->header_limit(server_.options.header_limit);
        parser_->body_limit(0);
        reading_ = true;
        arm_idle_timer();
        http::async_read(
            socket_, buffer_, *parser_,
            [self = shared_from_this()](error_code ec, std::size_t) { self->on_request(ec); });
    }

    void arm_idle_timer() {
        std::uint64_t const generation = ++idle_generation_;
        idle_timer_.expires_after(server_.options.idle_timeout);
        idle_timer_.async_wait([weak = weak_from_this(), generation](error_code ec) {
            auto self = weak.lock();
            if (!ec && self && self->reading_ && self->idle_generation_ == generation) {
                self->close();
            }
        });
    }

    void on_request(error_code ec) {
        reading_ = false;
        ++idle_generation_;
        idle_timer_.cancel();
        if (closed_) return;
        if (ec) {
            // A request we cannot parse (too large a header, a body, bad syntax) gets 400; a
            // client that went away or sent nothing gets nothing.
            if (ec.category() == http::make_error_code(http::error::end_of_stream).category() &&
                ec != http::error::end_of_stream && ec != http::error::partial_message) {
                keep_alive_ = false;
                respond_empty(11, http::status::bad_request);
            } else {
                close();
            }
            return;
        }
        handle(parser_->get());
    }

    bool host_allowed(std::string_view host) const {
        std::string const port = ":" + std::to_string(server_.port);
        if (host.size() <= port.size() || host.substr(host.size() - port.size()) != port) {
            return false;
        }
        std::string_view const name = host.substr(0, host.size() - port.size());
        return name == "127.0.0.1" || equals_ignoring_case(name, "localhost");
    }

    void handle(http::request<http::empty_body> const& request) {
        keep_alive_ = request.keep_alive();
        unsigned const version = request.version();
        // DNS rebinding: a web page whose host name resolves to 127.0.0.1 reaches this port from
        // the browser, but its requests name its own host.
        if (!host_allowed(view(request[http::field::host]))) {
            respond_empty(version, http::status::forbidden);
            return;
        }
        if (request.method() != http::verb::get && request.method() != http::verb::head) {
            response_ = {};
            response_.set(http::field::allow, "GET, HEAD");
            respond_empty(version, http::status::method_not_allowed, false);
            return;
        }
        std::shared_ptr<PieceFile> file = server_.find(view(request.target()));
        if (!file || file->closed()) {
            respond_empty(version, http::status::not_found);
            return;
        }

        std::int64_t const size = file->geometry().size;
        RangeDecision range{RangeDecision::Kind::whole, 0, size};
        auto const range_field = request.find(http::field::range);
        // We send no validators, so an If-Range can never match: RFC 9110 13.1.5 says send all.
        if (range_field != request.end() && request.find(http::field::if_range) == request.end()) {
            range = decide_range(view(range_field->value()), size);
        }

        response_ = {};
        response_.version(version);
        response_.keep_alive(keep_alive_);
        set_common_fields();
        if (range.kind == RangeDecision::Kind::unsatisfiable) {
            response_.result(http::status::range_not_satisfiable);
            response_.set(http::field::content_range, content_range(range, size));
            response_.content_length(0);
            write_without_body();
            return;
        }
        response_.result(range.kind == RangeDecision::Kind::part ? http::status::partial_content
                                                                 : http::status::ok);
        if (range.kind == RangeDecision::Kind::part) {
            response_.set(http::field::content_range, content_range(range, size));
        }
        response_.set(http::field::content_type,
                      std::string(media_type_for(file->geometry().name)));
        response_.content_length(static_cast<std::uint64_t>(range.end - range.begin));
        if (request.method() == http::verb::head || range.end == range.begin) {
            write_without_body();
            return;
        }

        file_ = std::move(file);
        offset_ = range.begin;
        end_ = range.end;
        reader_id_ = file_->open_reader(offset_, end_);
        if (chunk_.size() != server_.options.chunk_bytes)
            chunk_.resize(server_.options.chunk_bytes);
        response_.body().data = nullptr;
        response_.body().more = true;
        serializer_.emplace(response_);
        http::async_write_header(socket_, *serializer_,
                                 [self = shared_from_this()](error_code ec, std::size_t) {
                                     if (self->closed_) return;
                                     if (ec) return self->close();
                                     self->pump();
                                 });
    }

    void set_common_fields() {
        response_.set(http::field::accept_ranges, "bytes");
        response_.set(http::field::cache_control, "no-store");
        response_.set("X-Content-Type-Options", "nosniff");
    }

    // An error status with no body and no hint of why (a wrong token and a wrong name look alike).
    void respond_empty(unsigned version, http::status status, bool fresh = true) {
        if (fresh) response_ = {};
        response_.version(version);
        response_.result(status);
        response_.keep_alive(keep_alive_);
        set_common_fields();
        response_.content_length(0);
        write_without_body();
    }

    void write_without_body() {
        response_.body().data = nullptr;
        response_.body().size = 0;
        response_.body().more = false;
        serializer_.emplace(response_);
        http::async_write(socket_, *serializer_,
                          [self = shared_from_this()](error_code ec, std::size_t) {
                              self->on_response_done(ec);
                          });
    }

    // Writes the next chunk of readable bytes, or waits for the piece that holds offset_.
    void pump() {
        if (closed_) return;
        auto& body = response_.body();
        if (offset_ >= end_) {
            body.data = nullptr;
            body.size = 0;
            body.more = false;
            http::async_write(socket_, *serializer_,
                              [self = shared_from_this()](error_code ec, std::size_t) {
                                  self->on_response_done(ec);
                              });
            return;
        }
        std::size_t const wanted = static_cast<std::size_t>(
            std::min<std::int64_t>(end_ - offset_, static_cast<std::int64_t>(chunk_.size())));
        auto const got = file_->read(offset_, std::span<char>(chunk_.data(), wanted));
        if (!got) {
            // A closed file is the normal end of a stream; anything else is worth a line.
            if (!file_->closed()) log_error(got.error());
            close();
            return;
        }
        if (*got == 0) {
            wait_for_piece();
            return;
        }
        body.data = chunk_.data();
        body.size = *got;
        body.more = true;
        std::size_t const sent = *got;
        http::async_write(socket_, *serializer_,
                          [self = shared_from_this(), sent](error_code ec, std::size_t) {
                              if (self->closed_) return;
                              // need_buffer: the serializer wrote our chunk and wants the next.
                              if (ec && ec != http::error::need_buffer) return self->close();
                              self->offset_ += static_cast<std::int64_t>(sent);
                              self->file_->move_reader(self->reader_id_, self->offset_);
                              self->pump();
                          });
    }

    void wait_for_piece() {
        waiting_ = true;
        file_->set_waiting(reader_id_, true);
        std::shared_ptr<Waker> waker = server_.waker;
        ticket_ = file_->when_readable(offset_, [weak = weak_from_this(), waker] {
            waker->post([weak] {
                if (auto self = weak.lock()) self->on_readable();
            });
        });
        watch_client();
    }

    // While a response waits, nothing is written, so a player that gave up (closed the
    // connection after a seek) is noticed only by reading: this read ends with an error then.
    void watch_client() {
        if (watch_pending_ || closed_) return;
        std::size_t const room = buffer_.max_size() - buffer_.size();
        if (room == 0) {
            close();
            return;
        }
        watch_pending_ = true;
        socket_.async_read_some(
            buffer_.prepare(std::min(room, watch_read_bytes)),
            [self = shared_from_this()](error_code ec, std::size_t n) { self->on_watch(ec, n); });
    }

    void on_watch(error_code ec, std::size_t n) {
        watch_pending_ = false;
        if (closed_) return;
        if (!ec) {
            // Kept for the parser: the next request, sent before this response ended.
            buffer_.commit(n);
            if (waiting_) {
                watch_client();
            } else {
                pump();
            }
            return;
        }
        if (ec == asio::error::operation_aborted && !waiting_) {
            pump();  // cancelled by on_readable
            return;
        }
        close();
    }

    void on_readable() {
        if (closed_ || !waiting_) return;
        waiting_ = false;
        ticket_ = 0;
        file_->set_waiting(reader_id_, false);
        if (watch_pending_) {
            // Only one read at a time: on_watch continues once the watching read is cancelled.
            error_code ignored;
            socket_.cancel(ignored);
            return;
        }
        pump();
    }

    void on_response_done(error_code ec) {
        if (closed_) return;
        if (ec && ec != http::error::need_buffer) {
            close();
            return;
        }
        end_response();
        if (closed_) return;
        if (!keep_alive_) {
            close_after_response();
            return;
        }
        read_request();
    }

    // Ends a connection after a response that closes it. Our side stops sending, and what the
    // client still sends (the rest of an oversized request) is read and dropped for a moment:
    // closing a socket with unread input resets the connection, and the client could lose the
    // response before reading it (RFC 9112 9.6).
    void close_after_response() {
        error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_send, ignored);
        ++idle_generation_;
        idle_timer_.expires_after(linger_time);
        idle_timer_.async_wait([weak = weak_from_this()](error_code ec) {
            auto self = weak.lock();
            if (!ec && self) self->close();
        });
        drain();
    }

    void drain() {
        socket_.async_read_some(asio::buffer(discard_),
                                [self = shared_from_this()](error_code ec, std::size_t) {
                                    if (self->closed_) return;
                                    if (ec) return self->close();
                                    self->drain();
                                });
    }

    void end_response() {
        if (file_) {
            if (ticket_ != 0) file_->cancel(ticket_);
            if (reader_id_ != 0) file_->close_reader(reader_id_);
        }
        ticket_ = 0;
        reader_id_ = 0;
        waiting_ = false;
        file_.reset();
    }

    StreamServer::Impl& server_;
    tcp::socket socket_;
    asio::steady_timer idle_timer_;
    std::uint64_t idle_generation_ = 0;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::empty_body>> parser_;
    http::response<http::buffer_body> response_;
    std::optional<http::response_serializer<http::buffer_body>> serializer_;
    std::vector<char> chunk_;
    std::array<char, 4096> discard_{};

    std::shared_ptr<PieceFile> file_;
    int reader_id_ = 0;
    std::int64_t offset_ = 0;
    std::int64_t end_ = 0;
    std::uint64_t ticket_ = 0;
    bool keep_alive_ = false;
    bool reading_ = false;
    bool waiting_ = false;
    bool watch_pending_ = false;
    bool closed_ = false;
};

}  // namespace

std::shared_ptr<PieceFile> StreamServer::Impl::find(std::string_view target) const {
    // Only /<token>/<name>: no query, no absolute form, nothing else.
    if (target.size() < 2 + token_hex_length || target.front() != '/') return nullptr;
    std::string_view const token = target.substr(1, token_hex_length);
    if (target[1 + token_hex_length] != '/') return nullptr;
    std::string_view const encoded_name = target.substr(2 + token_hex_length);
    if (encoded_name.find('?') != std::string_view::npos) return nullptr;
    if (!std::all_of(token.begin(), token.end(), is_hex)) return nullptr;

    std::shared_ptr<PieceFile> match;
    {
        std::lock_guard lock(published_mutex);
        // Compared in constant time, so another local user cannot learn a token a byte at a
        // time from how long a wrong one takes.
        for (Published const& entry : published) {
            if (CRYPTO_memcmp(entry.token.data(), token.data(), token_hex_length) == 0) {
                match = entry.file;
            }
        }
    }
    if (!match) return nullptr;
    // The name is checked, never used: the file is the one published under the token.
    auto const name = percent_decode(encoded_name);
    if (!name || *name != match->geometry().name) return nullptr;
    return match;
}

void StreamServer::Impl::accept() {
    acceptor.async_accept(
        io, [this](error_code ec, tcp::socket socket) { on_accept(ec, std::move(socket)); });
}

void StreamServer::Impl::on_accept(error_code ec, tcp::socket socket) {
    if (stopped || !acceptor.is_open()) return;
    if (ec) {
        if (ec == asio::error::operation_aborted) return;
        // Out of descriptors and the like: try again shortly rather than spin.
        log_error("accept failed: " + ec.message());
        accept_retry.expires_after(accept_retry_delay);
        accept_retry.async_wait([this](error_code wait_ec) {
            if (!wait_ec) accept();
        });
        return;
    }
    if (connections.load() >= options.max_connections) {
        error_code ignored;
        socket.close(ignored);
    } else {
        error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        // A small send buffer keeps what the server has written close to what the player has
        // read: loopback autotuning grows it to ~4 MB (5 s of a 6 Mbit/s video), and the reader
        // positions the planner and the auto lane see would run that far ahead of playback.
        socket.set_option(asio::socket_base::send_buffer_size(send_buffer_bytes), ignored);
        auto session = std::make_shared<Session>(*this, std::move(socket));
        sessions.emplace(session.get(), session);
        session->start();
    }
    accept();
}

void StreamServer::Impl::close_sessions(PieceFile const* only) {
    std::vector<std::shared_ptr<Session>> doomed;
    for (auto const& [raw, weak] : sessions) {
        if (auto session = weak.lock()) {
            if (only == nullptr || session->serves(only)) doomed.push_back(std::move(session));
        }
    }
    for (auto const& session : doomed) session->close();
}

void StreamServer::Impl::run_thread() {
    while (true) {
        try {
            io.run();
            return;
        } catch (std::exception const& e) {
            log_error(std::string("unexpected error: ") + e.what());
        } catch (...) {
            log_error("unexpected error");
        }
    }
}

StreamServer::StreamServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

StreamServer::~StreamServer() {
    stop();
}

Result<std::unique_ptr<StreamServer>> StreamServer::start(std::uint16_t port) {
    ServerOptions options;
    options.port = port;
    return start(options);
}

Result<std::unique_ptr<StreamServer>> StreamServer::start(ServerOptions const& options) {
    try {
        auto impl = std::make_unique<Impl>(options);
        tcp::endpoint const endpoint(asio::ip::make_address_v4("127.0.0.1"), options.port);
        error_code ec;
        impl->acceptor.open(endpoint.protocol(), ec);
        if (!ec) impl->acceptor.bind(endpoint, ec);
        if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
        if (ec) {
            return Error{"Cannot listen on 127.0.0.1:" + std::to_string(options.port) +
                         " for streaming: " + ec.message() + "."};
        }
        impl->port = impl->acceptor.local_endpoint(ec).port();
        if (ec) return Error{"Cannot read the streaming server's port: " + ec.message() + "."};
        impl->accept();
        Impl* raw = impl.get();
        impl->thread = std::thread([raw] { raw->run_thread(); });
        return std::unique_ptr<StreamServer>(new StreamServer(std::move(impl)));
    } catch (std::exception const& e) {
        return Error{std::string("Cannot start the streaming server: ") + e.what() + "."};
    }
}

void StreamServer::stop() {
    if (!impl_ || impl_->stopped.exchange(true)) return;
    Impl* impl = impl_.get();
    try {
        asio::post(impl->io, [impl] {
            error_code ignored;
            impl->acceptor.close(ignored);
            impl->accept_retry.cancel();
            impl->close_sessions(nullptr);
            impl->io.stop();
        });
    } catch (std::exception const& e) {
        log_error(std::string("stopping: ") + e.what());
        impl->io.stop();
    }
    if (impl->thread.joinable()) impl->thread.join();
    impl->waker->shut();
}

std::uint16_t StreamServer::port() const {
    return impl_->port;
}

int StreamServer::connections() const {
    return impl_->connections.load();
}

std::string StreamServer::publish(std::shared_ptr<PieceFile> file) {
    if (!file) return {};
    try {
        std::string const prefix = "http://127.0.0.1:" + std::to_string(impl_->port) + "/";
        std::string const name = url_encode(file->geometry().name);
        std::lock_guard lock(impl_->published_mutex);
        for (Published const& entry : impl_->published) {
            if (entry.file == file) return prefix + entry.token + "/" + name;
        }
        unsigned char raw[token_bytes];
        if (RAND_bytes(raw, static_cast<int>(token_bytes)) != 1) {
            log_error("the system's random source failed; " + file->geometry().name +
                      " is not published");
            return {};
        }
        static constexpr char digits[] = "0123456789abcdef";
        std::string token;
        for (unsigned char byte : raw) {
            token.push_back(digits[byte >> 4]);
            token.push_back(digits[byte & 0x0f]);
        }
        impl_->published.push_back({token, std::move(file)});
        return prefix + token + "/" + name;
    } catch (std::exception const& e) {
        log_error(std::string("publishing: ") + e.what());
        return {};
    }
}

void StreamServer::unpublish(std::shared_ptr<PieceFile> const& file) {
    if (!file) return;
    {
        std::lock_guard lock(impl_->published_mutex);
        std::erase_if(impl_->published, [&](Published const& entry) { return entry.file == file; });
    }
    try {
        Impl* impl = impl_.get();
        PieceFile const* raw = file.get();
        // The pointer is compared, never dereferenced: sessions still serving it hold the file.
        asio::post(impl->io, [impl, raw] { impl->close_sessions(raw); });
    } catch (std::exception const& e) {
        log_error(std::string("unpublishing: ") + e.what());
    }
}

std::string url_encode(std::string_view name) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(name.size());
    for (char c : name) {
        auto const byte = static_cast<unsigned char>(c);
        bool const unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                                c == '~';
        if (unreserved) {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(digits[byte >> 4]);
            out.push_back(digits[byte & 0x0f]);
        }
    }
    return out;
}

}  // namespace lanetorrent::stream

// The loopback streaming server against a real file on disk and a raw HTTP client on loopback.
#include "stream/http_server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <future>
#include <thread>
#include <vector>

#include "http_client.hpp"
#include "stream_files.hpp"

namespace lanetorrent::stream {
namespace {

using namespace std::chrono_literals;
using test::fetch;
using test::HttpClient;
using test::request_text;

constexpr std::int64_t piece = 256 * 1024;
constexpr std::int64_t file_size = 3'000'000;

// Polls `condition` until it holds or `timeout` passes.
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = 5s) {
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

class StreamServerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        path_ = dir_.path() / "movie file.mp4";
        content_ = test::random_bytes(file_size, 42);
        test::write_file(path_, content_);
        start(ServerOptions{});
    }

    void start(ServerOptions const& options) {
        server_.reset();
        auto started = StreamServer::start(options);
        ASSERT_TRUE(started.ok()) << started.error();
        server_ = std::move(*started);
        file_ = std::make_shared<PieceFile>(test::sample_geometry(path_, "movie file.mp4"));
        file_->mark_have(std::vector<bool>(13, true));
        url_ = server_->publish(file_);
        std::string const prefix = "http://127.0.0.1:" + std::to_string(server_->port());
        ASSERT_EQ(url_.rfind(prefix, 0), 0u) << url_;
        target_ = url_.substr(prefix.size());
        token_ = target_.substr(1, 32);
    }

    // A file with only the pieces before `missing` on disk (the rest zeros, as in a sparse file
    // libtorrent has not written yet) and marked.
    std::shared_ptr<PieceFile> partial_file(int missing) {
        auto const geometry = test::sample_geometry(path_, "movie file.mp4");
        std::int64_t const available = geometry.bytes_of_piece(missing).first;
        test::write_file(path_, content_.substr(0, static_cast<std::size_t>(available)) +
                                    std::string(content_.size() - available, '\0'));
        server_->unpublish(file_);
        file_ = std::make_shared<PieceFile>(geometry);
        for (int p = 0; p < missing; ++p) file_->mark_have(p);
        url_ = server_->publish(file_);
        target_ = url_.substr(url_.find('/', 7));
        return file_;
    }

    // Writes piece `p` to disk and marks it, as the app does after libtorrent's hash check.
    void complete_piece(int p) {
        auto const [begin, end] = file_->geometry().bytes_of_piece(p);
        test::write_at(path_, begin,
                       content_.substr(static_cast<std::size_t>(begin),
                                       static_cast<std::size_t>(end - begin)));
        file_->mark_have(p);
    }

    std::string get(std::string const& target, std::string const& extra = {}) {
        return request_text("GET", target, server_->port(), extra);
    }

    test::TempDir dir_;
    std::filesystem::path path_;
    std::string content_;
    std::unique_ptr<StreamServer> server_;
    std::shared_ptr<PieceFile> file_;
    std::string url_;
    std::string target_;
    std::string token_;
};

TEST_F(StreamServerTest, TheUrlHasARandomTokenAndTheEncodedName) {
    EXPECT_EQ(target_, "/" + token_ + "/movie%20file.mp4");
    for (char c : token_) EXPECT_TRUE(std::isxdigit(static_cast<unsigned char>(c))) << token_;
    // Published again: the same URL. Another file: another token.
    EXPECT_EQ(server_->publish(file_), url_);
    auto other = std::make_shared<PieceFile>(test::sample_geometry(path_, "movie file.mp4"));
    std::string const other_url = server_->publish(other);
    EXPECT_NE(other_url, url_);
    EXPECT_NE(other_url.substr(0, other_url.rfind('/')), url_.substr(0, url_.rfind('/')));
}

TEST_F(StreamServerTest, GetWithoutRangeSendsTheWholeFile) {
    auto const response = fetch(server_->port(), get(target_));
    ASSERT_TRUE(response);
    EXPECT_EQ(response->head.status, 200);
    EXPECT_EQ(response->head.header("Content-Length"), std::to_string(file_size));
    EXPECT_EQ(response->head.header("Content-Type"), "video/mp4");
    EXPECT_EQ(response->head.header("Accept-Ranges"), "bytes");
    EXPECT_EQ(response->head.header("Cache-Control"), "no-store");
    EXPECT_EQ(response->head.header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(response->head.header("Content-Range"), "");
    EXPECT_TRUE(response->body == content_) << "body of " << response->body.size() << " bytes";
    EXPECT_EQ(file_->bytes_served(), file_size);
}

TEST_F(StreamServerTest, RangesGet206WithContentRange) {
    struct Case {
        std::string range;
        std::int64_t begin;
        std::int64_t end;  // exclusive
    };
    for (Case const& c : std::vector<Case>{{"bytes=0-0", 0, 1},
                                           {"bytes=1000-2999", 1000, 3000},
                                           {"bytes=2500000-", 2'500'000, file_size},
                                           {"bytes=-4096", file_size - 4096, file_size},
                                           {"bytes=2999000-9999999", 2'999'000, file_size},
                                           {"bytes=-99999999", 0, file_size}}) {
        auto const response = fetch(server_->port(), get(target_, "Range: " + c.range + "\r\n"));
        ASSERT_TRUE(response) << c.range;
        EXPECT_EQ(response->head.status, 206) << c.range;
        EXPECT_EQ(response->head.header("Content-Range"), "bytes " + std::to_string(c.begin) + "-" +
                                                              std::to_string(c.end - 1) + "/" +
                                                              std::to_string(file_size))
            << c.range;
        EXPECT_EQ(response->head.header("Content-Length"), std::to_string(c.end - c.begin));
        EXPECT_TRUE(response->body == content_.substr(static_cast<std::size_t>(c.begin),
                                                      static_cast<std::size_t>(c.end - c.begin)))
            << c.range;
    }
}

TEST_F(StreamServerTest, UnsatisfiableRangeGets416) {
    for (std::string const& range :
         std::vector<std::string>{"bytes=3000000-", "bytes=5000000-6000000", "bytes=-0"}) {
        auto const response = fetch(server_->port(), get(target_, "Range: " + range + "\r\n"));
        ASSERT_TRUE(response) << range;
        EXPECT_EQ(response->head.status, 416) << range;
        EXPECT_EQ(response->head.header("Content-Range"), "bytes */3000000");
        EXPECT_EQ(response->head.header("Content-Length"), "0");
    }
}

TEST_F(StreamServerTest, MalformedRangesAndIfRangeGetTheWholeFile) {
    for (std::string const& extra : std::vector<std::string>{
             "Range: bytes=20-10\r\n", "Range: items=0-10\r\n", "Range: bytes=0-10,20-30\r\n",
             "Range: bytes=0-10\r\nIf-Range: \"some-etag\"\r\n"}) {
        auto const response = fetch(server_->port(), get(target_, extra));
        ASSERT_TRUE(response) << extra;
        EXPECT_EQ(response->head.status, 200) << extra;
        EXPECT_EQ(response->head.header("Content-Length"), std::to_string(file_size));
        EXPECT_EQ(response->body.size(), content_.size());
    }
}

TEST_F(StreamServerTest, HeadHasTheHeadersAndNoBody) {
    HttpClient client(server_->port());
    ASSERT_TRUE(
        client.send(request_text("HEAD", target_, server_->port(), "Range: bytes=100-199\r\n")));
    auto const head = client.read_head();
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 206);
    EXPECT_EQ(head->header("Content-Length"), "100");
    EXPECT_EQ(head->header("Content-Range"), "bytes 100-199/3000000");
    EXPECT_EQ(head->header("Content-Type"), "video/mp4");
    // No body follows: the next bytes on the connection are the next response's.
    ASSERT_TRUE(client.send(request_text("HEAD", target_, server_->port())));
    auto const second = client.read_head();
    ASSERT_TRUE(second);
    EXPECT_EQ(second->status, 200);
    EXPECT_EQ(second->header("Content-Length"), "3000000");
    EXPECT_EQ(client.read_body(1, 200ms), "");
    EXPECT_TRUE(file_->readers().empty());
}

TEST_F(StreamServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
    HttpClient client(server_->port());
    for (int i = 0; i < 5; ++i) {
        std::int64_t const begin = i * 500'000;
        ASSERT_TRUE(client.send(get(target_, "Range: bytes=" + std::to_string(begin) + "-" +
                                                 std::to_string(begin + 99'999) + "\r\n")));
        auto const head = client.read_head();
        ASSERT_TRUE(head) << i;
        EXPECT_EQ(head->status, 206);
        EXPECT_TRUE(client.read_body(100'000) == content_.substr(begin, 100'000)) << i;
    }
    EXPECT_FALSE(client.closed());
    // Two requests sent together (pipelined) are answered in order.
    ASSERT_TRUE(
        client.send(get(target_, "Range: bytes=0-9\r\n") + get(target_, "Range: bytes=10-19\r\n")));
    ASSERT_TRUE(client.read_head());
    EXPECT_EQ(client.read_body(10), content_.substr(0, 10));
    ASSERT_TRUE(client.read_head());
    EXPECT_EQ(client.read_body(10), content_.substr(10, 10));
}

TEST_F(StreamServerTest, ConnectionCloseIsHonoured) {
    HttpClient client(server_->port());
    ASSERT_TRUE(client.send(get(target_, "Range: bytes=0-9\r\nConnection: close\r\n")));
    ASSERT_TRUE(client.read_head());
    EXPECT_EQ(client.read_body(10), content_.substr(0, 10));
    EXPECT_TRUE(client.wait_closed(2s));
}

TEST_F(StreamServerTest, FourConcurrentReadersGetTheirOwnRanges) {
    std::vector<std::future<bool>> results;
    for (int i = 0; i < 4; ++i) {
        results.push_back(std::async(std::launch::async, [this, i] {
            std::int64_t const begin = 123'457 * (i + 1);
            std::int64_t const end = begin + 700'000 + i * 100'000;
            auto const response =
                fetch(server_->port(), get(target_, "Range: bytes=" + std::to_string(begin) + "-" +
                                                        std::to_string(end - 1) + "\r\n"));
            return response && response->head.status == 206 &&
                   response->body == content_.substr(begin, end - begin);
        }));
    }
    for (auto& result : results) EXPECT_TRUE(result.get());
}

TEST_F(StreamServerTest, ConcurrentReadersAreAllRegisteredWhileTheyWait) {
    partial_file(5);
    std::vector<std::unique_ptr<HttpClient>> clients;
    for (int i = 0; i < 4; ++i) {
        clients.push_back(std::make_unique<HttpClient>(server_->port()));
        std::int64_t const begin = file_->geometry().bytes_of_piece(5 + i).first + 10;
        ASSERT_TRUE(
            clients.back()->send(get(target_, "Range: bytes=" + std::to_string(begin) + "-\r\n")));
    }
    ASSERT_TRUE(eventually([&] {
        auto const readers = file_->readers();
        return readers.size() == 4 &&
               std::all_of(readers.begin(), readers.end(),
                           [](ReaderState const& r) { return r.waiting_since.has_value(); });
    }));
    for (int p = 5; p <= 11; ++p) complete_piece(p);
    for (int i = 0; i < 4; ++i) {
        std::int64_t const begin = file_->geometry().bytes_of_piece(5 + i).first + 10;
        auto const head = clients[i]->read_head();
        ASSERT_TRUE(head);
        EXPECT_EQ(head->status, 206);
        EXPECT_TRUE(clients[i]->read_body(file_size - begin) == content_.substr(begin)) << i;
    }
}

TEST_F(StreamServerTest, ARequestForAMissingPieceWaitsThenGetsTheRealBytes) {
    partial_file(4);
    std::int64_t const available = file_->geometry().bytes_of_piece(4).first;
    HttpClient client(server_->port());
    ASSERT_TRUE(client.send(get(target_, "Range: bytes=1000-\r\n")));
    auto const head = client.read_head();
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 206);
    EXPECT_EQ(head->header("Content-Length"), std::to_string(file_size - 1000));

    // The prefix that is there arrives; nothing past it for 300 ms, zeros least of all.
    std::string body = client.read_body(available - 1000);
    ASSERT_EQ(body.size(), static_cast<std::size_t>(available - 1000));
    EXPECT_EQ(client.read_body(1, 300ms), "");
    EXPECT_FALSE(client.closed());
    ASSERT_TRUE(eventually([&] {
        auto const readers = file_->readers();
        return readers.size() == 1 && readers[0].waiting_since && readers[0].offset == available;
    }));

    std::thread app([&] {
        for (int p = 4; p <= 11; ++p) complete_piece(p);
    });
    body += client.read_body(file_size - available);
    app.join();
    EXPECT_EQ(body.size(), static_cast<std::size_t>(file_size - 1000));
    EXPECT_TRUE(body == content_.substr(1000));
    ASSERT_TRUE(eventually([&] { return file_->readers().empty(); }));
}

TEST_F(StreamServerTest, AWaitingResponseIsNotCutByTheIdleTimeout) {
    ServerOptions options;
    options.idle_timeout = 100ms;
    start(options);
    partial_file(2);
    HttpClient client(server_->port());
    std::int64_t const begin = file_->geometry().bytes_of_piece(2).first;
    ASSERT_TRUE(client.send(get(target_, "Range: bytes=" + std::to_string(begin) + "-\r\n")));
    ASSERT_TRUE(client.read_head());
    EXPECT_EQ(client.read_body(1, 400ms), "");
    EXPECT_FALSE(client.closed());
    complete_piece(2);
    auto const piece_bytes = file_->geometry().bytes_of_piece(2);
    EXPECT_TRUE(client.read_body(piece_bytes.second - begin) ==
                content_.substr(begin, piece_bytes.second - begin));
}

TEST_F(StreamServerTest, AnIdleConnectionIsClosed) {
    ServerOptions options;
    options.idle_timeout = 150ms;
    start(options);
    HttpClient silent(server_->port());
    ASSERT_TRUE(silent.connected());
    HttpClient slow(server_->port());
    ASSERT_TRUE(slow.send("GET " + target_ + " HTTP/1.1\r\nHo"));  // and never the rest
    auto const begin = std::chrono::steady_clock::now();
    EXPECT_TRUE(silent.wait_closed(3s));
    EXPECT_TRUE(slow.wait_closed(3s));
    EXPECT_LT(std::chrono::steady_clock::now() - begin, 2s);
    EXPECT_TRUE(eventually([&] { return server_->connections() == 0; }));
}

TEST_F(StreamServerTest, WrongTokenOrOtherPathsGet404WithNoHint) {
    std::string const other_token(32, 'a');
    std::string const name = target_.substr(34);
    for (std::string const& target :
         std::vector<std::string>{"/" + other_token + "/" + name, "/" + token_, "/" + token_ + "/",
                                  "/" + token_ + "/x.mp4", "/" + token_ + "/" + name + "?x=1", "/",
                                  "/favicon.ico", "/" + token_.substr(0, 31) + "/" + name,
                                  "/" + token_ + "0/" + name, "/" + token_ + "/movie+file.mp4",
                                  "/" + token_ + "/movie%20file.mp4%00", "/" + token_ + "/%zz"}) {
        auto const response = fetch(server_->port(), get(target));
        ASSERT_TRUE(response) << target;
        EXPECT_EQ(response->head.status, 404) << target;
        EXPECT_EQ(response->head.header("Content-Length"), "0") << target;
    }
    // Upper-case hex in the token is the same token: the comparison is on what was issued.
    std::string upper = token_;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper != token_) {
        auto const response = fetch(server_->port(), get("/" + upper + "/" + name));
        ASSERT_TRUE(response);
        EXPECT_EQ(response->head.status, 404);
    }
}

TEST_F(StreamServerTest, TraversalAttemptsNeverReachAnotherFile) {
    std::string const secret = "SECRET-" + test::random_bytes(64, 9);
    test::write_file(dir_.path() / "secret.txt", secret);
    auto other = std::make_shared<PieceFile>(test::sample_geometry(path_, "other.mkv"));
    other->mark_have(std::vector<bool>(13, true));
    std::string const other_url = server_->publish(other);
    std::string const other_token = other_url.substr(other_url.size() - 32 - 10, 32);
    std::string const t = "/" + token_ + "/";
    for (std::string const& target : std::vector<std::string>{
             t + "../secret.txt", t + "%2e%2e/secret.txt", t + "%2E%2E%2Fsecret.txt",
             t + "..%2fsecret.txt", t + "..%5csecret.txt", t + "movie%20file.mp4/../secret.txt",
             t + "./movie%20file.mp4", t + "%2fetc%2fpasswd", t + "/etc/passwd",
             "/" + token_ + "/../" + token_ + "/movie%20file.mp4", "/../" + token_ + "/secret.txt",
             "/etc/passwd", "//etc/passwd", dir_.path().string() + "/secret.txt",
             "http://127.0.0.1:" + std::to_string(server_->port()) + "/etc/passwd", t + "other.mkv",
             "/" + other_token + "/movie%20file.mp4", "*"}) {
        auto const response = fetch(server_->port(), get(target));
        ASSERT_TRUE(response) << target;
        EXPECT_EQ(response->head.status, 404) << target;
        EXPECT_TRUE(response->body.empty()) << target;
    }
    // The other file is there under its own token.
    auto const ok = fetch(server_->port(),
                          get(other_url.substr(other_url.find('/', 7)), "Range: bytes=0-9\r\n"));
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->head.status, 206);
}

TEST_F(StreamServerTest, AForeignHostIsRejected) {
    std::string const port = std::to_string(server_->port());
    for (std::string const& host : std::vector<std::string>{
             "evil.com", "evil.com:" + port, "127.0.0.1", "localhost", "127.0.0.1:1",
             "127.0.0.2:" + port, "localhost.evil.com:" + port, "[::1]:" + port, ""}) {
        auto const response =
            fetch(server_->port(), "GET " + target_ + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
        ASSERT_TRUE(response) << host;
        EXPECT_EQ(response->head.status, 403) << host;
        EXPECT_TRUE(response->body.empty());
    }
    auto const without_host = fetch(server_->port(), "GET " + target_ + " HTTP/1.0\r\n\r\n");
    ASSERT_TRUE(without_host);
    EXPECT_EQ(without_host->head.status, 403);
    for (std::string const& host :
         std::vector<std::string>{"127.0.0.1:" + port, "localhost:" + port, "LocalHost:" + port}) {
        auto const response =
            fetch(server_->port(),
                  "GET " + target_ + " HTTP/1.1\r\nHost: " + host + "\r\nRange: bytes=0-0\r\n\r\n");
        ASSERT_TRUE(response) << host;
        EXPECT_EQ(response->head.status, 206) << host;
    }
}

TEST_F(StreamServerTest, OnlyGetAndHeadAreAllowed) {
    for (std::string const& method :
         std::vector<std::string>{"POST", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
        auto const response = fetch(server_->port(), request_text(method, target_, server_->port(),
                                                                  "Content-Length: 0\r\n"));
        ASSERT_TRUE(response) << method;
        EXPECT_EQ(response->head.status, 405) << method;
        EXPECT_EQ(response->head.header("Allow"), "GET, HEAD");
    }
}

TEST_F(StreamServerTest, BadRequestsAreRefusedAndClosed) {
    // A header over the limit.
    HttpClient big(server_->port());
    ASSERT_TRUE(big.send(get(target_, "X-Filler: " + std::string(20'000, 'x') + "\r\n")));
    auto const big_head = big.read_head();
    ASSERT_TRUE(big_head);
    EXPECT_EQ(big_head->status, 400);
    EXPECT_TRUE(big.wait_closed(2s));
    // A GET with a body.
    HttpClient body(server_->port());
    ASSERT_TRUE(body.send(get(target_, "Content-Length: 5\r\n") + "hello"));
    auto const body_head = body.read_head();
    ASSERT_TRUE(body_head);
    EXPECT_EQ(body_head->status, 400);
    EXPECT_TRUE(body.wait_closed(2s));
    // Not HTTP.
    HttpClient garbage(server_->port());
    ASSERT_TRUE(
        garbage.send(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) + "\r\n\r\n"));
    EXPECT_TRUE(garbage.wait_closed(2s));
}

TEST_F(StreamServerTest, TheServerListensOnlyOn127001) {
    HttpClient other_loopback(server_->port(), "127.0.0.2");
    EXPECT_FALSE(other_loopback.connected());
    EXPECT_EQ(other_loopback.connect_errno(), ECONNREFUSED);

    // Every other IPv4 address of this machine.
    ifaddrs* list = nullptr;
    ASSERT_EQ(::getifaddrs(&list), 0);
    int tried = 0;
    for (ifaddrs* entry = list; entry != nullptr; entry = entry->ifa_next) {
        if (entry->ifa_addr == nullptr || entry->ifa_addr->sa_family != AF_INET) continue;
        char text[INET_ADDRSTRLEN] = {};
        auto const* address = reinterpret_cast<sockaddr_in*>(entry->ifa_addr);
        ::inet_ntop(AF_INET, &address->sin_addr, text, sizeof text);
        if (std::string(text) == "127.0.0.1") continue;
        HttpClient client(server_->port(), text);
        EXPECT_FALSE(client.connected()) << text;
        ++tried;
    }
    ::freeifaddrs(list);
    std::printf("also refused on %d other local addresses\n", tried);

    HttpClient loopback(server_->port(), "127.0.0.1");
    EXPECT_TRUE(loopback.connected());
}

TEST_F(StreamServerTest, AClientThatLeavesWhileWaitingReleasesItsReader) {
    partial_file(3);
    HttpClient client(server_->port());
    std::int64_t const begin = file_->geometry().bytes_of_piece(3).first;
    ASSERT_TRUE(client.send(get(target_, "Range: bytes=" + std::to_string(begin) + "-\r\n")));
    ASSERT_TRUE(client.read_head());
    ASSERT_TRUE(eventually([&] {
        auto const readers = file_->readers();
        return readers.size() == 1 && readers[0].waiting_since;
    }));
    ASSERT_EQ(server_->connections(), 1);
    auto const left = std::chrono::steady_clock::now();
    client.close();
    ASSERT_TRUE(eventually([&] { return file_->readers().empty(); }, 2s));
    auto const released = std::chrono::steady_clock::now() - left;
    std::printf("reader released %lld ms after the client closed\n",
                static_cast<long long>(
                    std::chrono::duration_cast<std::chrono::milliseconds>(released).count()));
    EXPECT_TRUE(eventually([&] { return server_->connections() == 0; }));
    // The piece arriving later finds no one to wake.
    complete_piece(3);
}

TEST_F(StreamServerTest, AClientThatLeavesMidBodyReleasesItsReader) {
    HttpClient client(server_->port());
    ASSERT_TRUE(client.send(get(target_)));
    ASSERT_TRUE(client.read_head());
    EXPECT_EQ(client.read_body(1000).size(), 1000u);
    client.close();
    EXPECT_TRUE(eventually([&] { return file_->readers().empty(); }, 2s));
    EXPECT_TRUE(eventually([&] { return server_->connections() == 0; }, 2s));
}

TEST_F(StreamServerTest, ClosingTheFileEndsAWaitingResponse) {
    partial_file(6);
    std::int64_t const begin = file_->geometry().bytes_of_piece(6).first;
    HttpClient client(server_->port());
    ASSERT_TRUE(client.send(get(target_, "Range: bytes=" + std::to_string(begin - 10) + "-\r\n")));
    ASSERT_TRUE(client.read_head());
    EXPECT_EQ(client.read_body(10).size(), 10u);
    ASSERT_TRUE(eventually([&] { return !file_->readers().empty(); }));
    std::thread app([&] { file_->close(); });
    app.join();
    // The connection ends short of Content-Length: the player sees an error, not zeros.
    EXPECT_TRUE(client.wait_closed(2s));
    EXPECT_TRUE(eventually([&] { return file_->readers().empty(); }));
    // And the URL is gone for new requests.
    auto const after = fetch(server_->port(), get(target_));
    ASSERT_TRUE(after);
    EXPECT_EQ(after->head.status, 404);
}

TEST_F(StreamServerTest, UnpublishEndsResponsesAndTheUrl) {
    partial_file(6);
    HttpClient client(server_->port());
    ASSERT_TRUE(client.send(get(target_, "Range: bytes=2000000-\r\n")));
    ASSERT_TRUE(client.read_head());
    ASSERT_TRUE(eventually([&] { return !file_->readers().empty(); }));
    server_->unpublish(file_);
    EXPECT_TRUE(client.wait_closed(2s));
    EXPECT_TRUE(eventually([&] { return file_->readers().empty(); }));
    auto const after = fetch(server_->port(), get(target_));
    ASSERT_TRUE(after);
    EXPECT_EQ(after->head.status, 404);
}

TEST_F(StreamServerTest, ConnectionsBeyondTheCapAreClosed) {
    ServerOptions options;
    options.max_connections = 3;
    start(options);
    std::vector<std::unique_ptr<HttpClient>> clients;
    for (int i = 0; i < 3; ++i) clients.push_back(std::make_unique<HttpClient>(server_->port()));
    ASSERT_TRUE(eventually([&] { return server_->connections() == 3; }));
    HttpClient extra(server_->port());
    EXPECT_TRUE(extra.wait_closed(2s));
    // The first three still work.
    ASSERT_TRUE(clients[0]->send(get(target_, "Range: bytes=0-9\r\n")));
    auto const head = clients[0]->read_head();
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 206);
    // One leaves; a new one gets in.
    clients[1]->close();
    ASSERT_TRUE(eventually([&] { return server_->connections() == 2; }));
    auto const response = fetch(server_->port(), get(target_, "Range: bytes=0-9\r\n"));
    ASSERT_TRUE(response);
    EXPECT_EQ(response->head.status, 206);
}

TEST_F(StreamServerTest, StopEndsWaitingResponsesAndJoins) {
    partial_file(6);
    HttpClient client(server_->port());
    ASSERT_TRUE(client.send(get(target_, "Range: bytes=2000000-\r\n")));
    ASSERT_TRUE(client.read_head());
    ASSERT_TRUE(eventually([&] { return !file_->readers().empty(); }));
    HttpClient idle(server_->port());
    auto const begin = std::chrono::steady_clock::now();
    server_->stop();
    EXPECT_LT(std::chrono::steady_clock::now() - begin, 1s);
    EXPECT_TRUE(client.wait_closed(1s));
    EXPECT_TRUE(idle.wait_closed(1s));
    EXPECT_TRUE(file_->readers().empty());
    // A piece marked after the server is gone wakes nothing and breaks nothing.
    complete_piece(6);
    std::uint16_t const port = server_->port();
    server_.reset();
    file_->close();
    HttpClient refused(port);
    EXPECT_FALSE(refused.connected());
}

TEST_F(StreamServerTest, AnEmptyFileIsServedAsEmpty) {
    test::write_file(dir_.path() / "empty.mp3", "");
    FileGeometry geometry;
    geometry.path = dir_.path() / "empty.mp3";
    geometry.name = "empty.mp3";
    geometry.size = 0;
    geometry.offset_in_torrent = 3 * piece;
    geometry.piece_length = static_cast<int>(piece);
    geometry.num_pieces = 4;
    auto empty = std::make_shared<PieceFile>(geometry);
    std::string const url = server_->publish(empty);
    auto const response =
        fetch(server_->port(), get(url.substr(url.find('/', 7)), "Range: bytes=0-\r\n"));
    ASSERT_TRUE(response);
    EXPECT_EQ(response->head.status, 200);
    EXPECT_EQ(response->head.header("Content-Length"), "0");
    EXPECT_EQ(response->head.header("Content-Type"), "audio/mpeg");
}

TEST(StreamServerStartTest, ATakenPortIsAClearError) {
    auto first = StreamServer::start(0);
    ASSERT_TRUE(first.ok()) << first.error();
    auto second = StreamServer::start((*first)->port());
    ASSERT_FALSE(second.ok());
    EXPECT_NE(second.error().find("127.0.0.1:" + std::to_string((*first)->port())),
              std::string::npos)
        << second.error();
}

}  // namespace
}  // namespace lanetorrent::stream

// A client-name flood against a real seller (issue 13): 100 raw TCP peers, each from its own
// 127.x address, send the BitTorrent handshake and a BEP 10 extended handshake whose `v` (the
// client name) is as long as libtorrent lets through to the lanes plugin, and keep their
// connections open. Before the fix, 100 names of 1 MB took a `lanetorrent-cli seed --payee`
// from 30 MB to 564 MB of memory and 773 MB of disk writes: every name was kept whole and the
// ledger's live_peers table was rewritten with all of them every second. With the lanes fix
// alone (a name stored as 64 printable bytes, live_peers written when it changes) the ledger
// stayed small, but the seller still grew by 194 MiB: libtorrent keeps each name whole and the
// 1 MiB receive buffer it grew for it. The engine now closes such a connection before libtorrent
// keeps anything (engine/handshake_bounds.hpp).
//
// libtorrent 2.0.8 refuses any message whose length prefix is over 1 MiB (packet_too_large in
// bt_peer_connection::on_receive), so the largest extended handshake it hands to the plugins is
// 1 MiB, of which the name here takes all but the framing and the bencoded keys.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <thread>

#include "cli.hpp"
#include "cli_lanes.hpp"
#include "engine/handshake_bounds.hpp"
#include "engine/torrent_creator.hpp"
#include "files.hpp"
#include "net.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "tron/bytes.hpp"
#include "tron/keys.hpp"

namespace lanetorrent::lanes {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr int kPeers = 100;
constexpr std::int64_t MiB = 1 << 20;
// libtorrent's cap on one message (bt_peer_connection.cpp: "don't accept packets larger than
// 1 MB"), counted from the message id on.
constexpr std::size_t kMaxMessageBytes = 1024 * 1024;

constexpr std::string_view kHandshakeHead = "d1:mde1:v";

// The longest name for which the bencoded extended handshake {"m": {}, "v": name}, with its
// message id (20) and extended id (0), is exactly libtorrent's cap.
std::size_t largest_name_bytes() {
    std::size_t name = kMaxMessageBytes - 2 - kHandshakeHead.size() - 2;  // ':' and the last 'e'
    // The length's own digits count too.
    while (2 + kHandshakeHead.size() + std::to_string(name).size() + 1 + name + 1 >
           kMaxMessageBytes) {
        --name;
    }
    return name;
}

std::string extended_handshake(std::size_t name_bytes, char fill) {
    return std::string(kHandshakeHead) + std::to_string(name_bytes) + ":" +
           std::string(name_bytes, fill) + "e";
}

std::string big_endian32(std::size_t n) {
    std::string out(4, '\0');
    for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((n >> (24 - 8 * i)) & 0xff);
    return out;
}

// One raw connection: BitTorrent handshake with the extension-protocol bit, then `message`.
class RawPeer {
  public:
    RawPeer(std::string const& source_ip, std::string const& ip, std::uint16_t port)
        : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
        if (fd_ < 0) return;
        // libtorrent reads the 100 MiB of a flood in 10-15 s on this machine, shared among them.
        timeval tv{60, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        auto const from = test::ipv4_address(source_ip, 0);
        auto const to = test::ipv4_address(ip, port);
        connected_ = ::bind(fd_, reinterpret_cast<sockaddr const*>(&from), sizeof from) == 0 &&
                     ::connect(fd_, reinterpret_cast<sockaddr const*>(&to), sizeof to) == 0;
    }
    ~RawPeer() {
        if (fd_ >= 0) ::close(fd_);
    }
    RawPeer(RawPeer const&) = delete;
    RawPeer& operator=(RawPeer const&) = delete;

    bool connected() const { return connected_; }

    bool send_all(std::string_view bytes) {
        while (!bytes.empty()) {
            auto const n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }

    // Reads whatever the seller sent so far without waiting; false once it closed the connection.
    bool still_open() {
        char buffer[16384];
        for (;;) {
            auto const n = ::recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
            if (n > 0) continue;
            if (n < 0 && errno == EINTR) continue;
            return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
        }
    }

  private:
    int fd_;
    bool connected_ = false;
};

std::string handshake(std::string const& info_hash_hex, int index) {
    std::string out;
    out.push_back(19);
    out += "BitTorrent protocol";
    std::string reserved(8, '\0');
    reserved[5] = 0x10;  // BEP 10: extension protocol
    out += reserved;
    auto const hash = tron::from_hex(info_hash_hex);
    if (hash) out.append(reinterpret_cast<char const*>(hash->data()), hash->size());
    std::ostringstream id;
    id << "-FL0001-" << std::setw(12) << std::setfill('0') << index;
    out += id.str();
    return out;
}

// /proc/<pid>/status VmRSS in bytes, or -1.
std::int64_t rss_bytes(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with("VmRSS:")) return std::stoll(line.substr(6)) * 1024;
    }
    return -1;
}

// A field of /proc/<pid>/io (write_bytes, rchar), or -1 where it cannot be read: the CLI makes
// itself undumpable, so only root (CAP_SYS_PTRACE) may read another process's io counters.
std::int64_t io_counter(pid_t pid, std::string const& field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/io");
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with(field + ":")) return std::stoll(line.substr(field.size() + 1));
    }
    return -1;
}

// What the seller's ledger has had written to its write-ahead log: SQLite appends every commit
// to the WAL as frames of (24 + page size) bytes, and the index in `<ledger>-shm` holds the
// number of valid frames (mxFrame, offset 16 of the WalIndexHdr, native byte order). The WAL
// header's checkpoint sequence number (offset 12, big-endian) changes when the log starts over
// from its first frame.
struct WalMark {
    std::uint32_t checkpoint_sequence = 0;
    std::uint32_t frames = 0;
    std::uint32_t page_size = 0;
};
std::optional<WalMark> wal_mark(fs::path const& ledger) {
    std::ifstream wal(ledger.string() + "-wal", std::ios::binary);
    std::ifstream shm(ledger.string() + "-shm", std::ios::binary);
    unsigned char header[32];
    unsigned char index[24];
    if (!wal.read(reinterpret_cast<char*>(header), sizeof header) ||
        !shm.read(reinterpret_cast<char*>(index), sizeof index)) {
        return std::nullopt;
    }
    auto const be32 = [&](int at) {
        return std::uint32_t{header[at]} << 24 | std::uint32_t{header[at + 1]} << 16 |
               std::uint32_t{header[at + 2]} << 8 | std::uint32_t{header[at + 3]};
    };
    WalMark mark;
    mark.page_size = be32(8);
    mark.checkpoint_sequence = be32(12);
    std::memcpy(&mark.frames, index + 16, sizeof mark.frames);
    return mark;
}

// A `lanetorrent-cli seed --payee` with a devnet, and what one flood did to it.
class ClientNameFloodTest : public ::testing::Test {
  protected:
    struct Figures {
        int sent = 0;                       // peers whose whole handshake the seller took
        int open = 0;                       // of them, still connected 5 s later
        double seconds = 0;                 // until the last handshake was sent
        std::int64_t rss_growth = 0;        // VmRSS after minus before
        std::int64_t ledger_written = 0;    // WAL frames the ledger appended
        std::int64_t process_written = -1;  // write_bytes, -1 where /proc/<pid>/io is closed
        std::vector<std::string> clients;   // what `lanes status --json` lists afterwards
    };

    void SetUp() override {
        ASSERT_TRUE(devnet_.start(dir_.path(), {}));
        auto const content = dir_.subdir("seed-data");
        test::write_random_file(content / "payload.bin", 4 * MiB, 1313);
        CreateOptions create;
        create.content = content / "payload.bin";
        auto const created = create_torrent(create);
        ASSERT_TRUE(created) << created.error();
        auto const torrent_file = dir_.path() / "payload.torrent";
        std::ofstream(torrent_file, std::ios::binary)
            .write(created->bytes.data(), static_cast<std::streamsize>(created->bytes.size()));
        info_hash_ = test::info_hash(torrent_file.string());

        seed_ip_ = test::unique_loopback_ip();
        seed_port_ = test::free_port(seed_ip_);
        auto const payee = tron::PrivateKey::generate().address();
        seller_ = std::make_unique<test::Process>(
            "seller",
            test::cli_command({"--profile", profile().string(), "seed", torrent_file.string(),
                               "--data", content.string(), "--listen",
                               seed_ip_ + ":" + std::to_string(seed_port_), "--payee",
                               payee.base58(), "--node", devnet_.node, "--solidity-node",
                               devnet_.solidity, "--seconds", "120", "--json"}),
            dir_.path());
        ASSERT_TRUE(
            seller_->wait_for_line([](auto l) { return test::is_event(l, "checked"); }, 60s))
            << seller_->stderr_text();
        ASSERT_TRUE(test::wait_until_listening(seed_ip_, seed_port_, 10s))
            << seller_->stderr_text();
        // The seller writes its live peers within a second of starting its lanes.
        auto const deadline = std::chrono::steady_clock::now() + 10s;
        while (!wal_mark(ledger()) && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(100ms);
        }
        ASSERT_TRUE(wal_mark(ledger())) << "no ledger WAL at " << ledger();
    }

    fs::path profile() const { return dir_.path() / "seller"; }
    fs::path ledger() const { return profile() / "data" / "lanes.sqlite"; }

    // kPeers raw peers, each from its own address and all at once, send the handshake and an
    // extended handshake with a name of `name_bytes` copies of `fill`, and stay connected.
    Figures flood(std::size_t name_bytes, char fill) {
        Figures f;
        auto const wal_before = wal_mark(ledger());
        auto const rss_before = rss_bytes(seller_->pid());
        auto const written_before = io_counter(seller_->pid(), "write_bytes");

        auto const message = extended_handshake(name_bytes, fill);
        auto const framed = big_endian32(message.size() + 2) + std::string("\x14\x00", 2) + message;
        // One connection after the other (libtorrent listens with a queue of 5: a burst of 100
        // connects overflows it, and the kernel resets some of them), each saying its handshake
        // at once (libtorrent drops a connection that is silent for 10 s); then all of them
        // send their names together.
        std::vector<std::unique_ptr<RawPeer>> peers;
        std::atomic<int> sent{0};
        auto const started = std::chrono::steady_clock::now();
        {
            std::vector<std::jthread> senders;
            for (int i = 0; i < kPeers; ++i) {
                auto& peer = *peers.emplace_back(
                    std::make_unique<RawPeer>(test::unique_loopback_ip(), seed_ip_, seed_port_));
                if (!peer.connected() || !peer.send_all(handshake(info_hash_, i))) continue;
                senders.emplace_back([&] {
                    if (peer.send_all(framed)) ++sent;
                });
            }
        }
        f.sent = sent;
        f.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        // A few seconds of the flood: before the fix, live_peers took every name again each
        // second.
        std::this_thread::sleep_for(5s);
        for (auto& peer : peers) f.open += peer->still_open() ? 1 : 0;

        f.rss_growth = rss_bytes(seller_->pid()) - rss_before;
        auto const written_after = io_counter(seller_->pid(), "write_bytes");
        if (written_before >= 0 && written_after >= 0) {
            f.process_written = written_after - written_before;
        }
        auto const wal_after = wal_mark(ledger());
        EXPECT_TRUE(wal_before && wal_after);
        if (wal_before && wal_after) {
            // A log that started over counts every frame of its new round (a lower bound; a
            // correct seller writes a few frames a second, far from SQLite's 1,000-page
            // checkpoint).
            auto const frames = wal_after->checkpoint_sequence == wal_before->checkpoint_sequence
                                    ? std::int64_t{wal_after->frames} - wal_before->frames
                                    : std::int64_t{wal_after->frames};
            f.ledger_written = frames * (24 + std::int64_t{wal_after->page_size});
        }
        EXPECT_TRUE(seller_->running()) << seller_->stderr_text();

        auto const status =
            test::run_cli({"--profile", profile().string(), "lanes", "status", "--json"});
        EXPECT_EQ(status.exit_code, 0) << status.err;
        if (status.exit_code == 0) {
            auto const shown = nlohmann::json::parse(status.out);
            for (auto const& row : shown["peers"]) {
                f.clients.push_back(row.value("client", ""));
            }
        }
        std::cout << "[ flood    ] " << f.sent << " of " << kPeers << " peers sent a "
                  << framed.size() << "-byte extended handshake (a name of " << name_bytes
                  << " bytes) in " << f.seconds << " s; " << f.open
                  << " still connected 5 s later; seller RSS " << rss_before / 1024
                  << " KiB, growth " << f.rss_growth / 1024 << " KiB; ledger WAL frames written "
                  << f.ledger_written << " bytes; process write_bytes " << f.process_written
                  << "; lanes status lists " << f.clients.size() << " peers" << std::endl;
        return f;
    }

    test::TempDir dir_{"lanes-name-flood"};
    Devnet devnet_;
    std::string info_hash_;
    std::string seed_ip_;
    std::uint16_t seed_port_ = 0;
    std::unique_ptr<test::Process> seller_;
};

// The flood: the longest name libtorrent lets through. The seller closes each of these
// connections before libtorrent keeps the name (engine/handshake_bounds.hpp), so neither memory
// nor the ledger grows with them.
TEST_F(ClientNameFloodTest, HundredPeersWithMegabyteNamesLeaveMemoryAndLedgerWritesBounded) {
    auto const f = flood(largest_name_bytes(), 'v');
    EXPECT_EQ(f.sent, kPeers) << "the flood did not reach the seller";
    EXPECT_LT(f.rss_growth, 16 * MiB);
    EXPECT_LT(f.ledger_written, MiB);
    // Everything the seller wrote to disk: ledger, WAL, resume data and its own output.
    if (f.process_written >= 0) {
        EXPECT_LT(f.process_written, MiB);
    }
    EXPECT_EQ(f.open, 0) << "a peer with a 1 MiB name stays connected";
}

// The longest name a connection may keep, in control characters: the peers stay, the ledger
// and `lanes status` show at most 64 printable bytes of each name, and live_peers is not
// rewritten every second.
TEST_F(ClientNameFloodTest, HundredPeersWithLongestAcceptedNamesAreStoredBounded) {
    auto const f = flood(max_peer_client_name_bytes, '\x1b');
    EXPECT_EQ(f.sent, kPeers);
    EXPECT_EQ(f.open, kPeers) << "a peer with a name within bounds was dropped";
    EXPECT_LT(f.rss_growth, 16 * MiB);
    EXPECT_LT(f.ledger_written, MiB);
    if (f.process_written >= 0) {
        EXPECT_LT(f.process_written, MiB);
    }
    ASSERT_EQ(f.clients.size(), static_cast<std::size_t>(kPeers));
    for (auto const& client : f.clients) {
        EXPECT_EQ(client, std::string(64, '?'));
    }
}

}  // namespace
}  // namespace lanetorrent::lanes

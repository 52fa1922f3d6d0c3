#include "torn_peer.hpp"

#include "net.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <fstream>

#if defined(__SANITIZE_ADDRESS__)
// In libasan, but not declared in GCC 12's sanitizer headers.
extern "C" void __sanitizer_purge_allocator();
#endif

namespace lanetorrent::lanes::test {
namespace {

void put_u32(std::string& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}

// <length><id><payload>, as BEP 3 frames every message after the handshake.
void put_message(std::string& out, std::uint8_t id, std::string const& payload) {
    put_u32(out, static_cast<std::uint32_t>(payload.size() + 1));
    out.push_back(static_cast<char>(id));
    out += payload;
}

std::string conversation(std::string const& info_hash) {
    std::string out;
    out.push_back(19);
    out += "BitTorrent protocol";
    std::string reserved(8, '\0');
    reserved[5] = 0x10;  // BEP 10 extension protocol
    out += reserved + info_hash + "-TP0001-torn-peer-00";
    constexpr std::uint8_t extended = 20;
    put_message(out, extended, std::string(1, '\0') + "d1:md8:ln_lanesi3eee");
    // An ln_lanes-sized message under an id the seller may or may not have given ln_lanes.
    put_message(out, extended, std::string(1, '\1') + "d1:ti1e4:lanei2e5:pricei0ee");
    std::string request;
    put_u32(request, 0);
    put_u32(request, 0);
    put_u32(request, 16 * 1024);
    put_message(out, 6, request);
    return out;
}

}  // namespace

TornPeer::TornPeer(std::string ip, std::string const& info_hash)
    : ip_(std::move(ip)), conversation_(conversation(info_hash)) {}

bool TornPeer::connect_and_cut(Endpoint const& seller, std::size_t cut, bool reset) {
    int const fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    auto const local = lanetorrent::test::ipv4_address(ip_, 0);
    auto const remote = lanetorrent::test::ipv4_address(seller.address, seller.port);
    bool ok = ::bind(fd, reinterpret_cast<sockaddr const*>(&local), sizeof local) == 0 &&
              ::connect(fd, reinterpret_cast<sockaddr const*>(&remote), sizeof remote) == 0;
    if (ok) {
        auto const size = std::min(cut, conversation_.size());
        ok = ::send(fd, conversation_.data(), size, MSG_NOSIGNAL) == static_cast<ssize_t>(size);
    }
    if (reset) {
        linger const abort{1, 0};  // close() sends RST instead of FIN
        ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
    }
    ::close(fd);
    return ok;
}

long rss_anon_kib() {
#if defined(__SANITIZE_ADDRESS__)
    // AddressSanitizer keeps freed memory in a quarantine (256 MiB by default) to catch use after
    // free; those pages would read as growth. Empty it first, so leaks are what is measured.
    __sanitizer_purge_allocator();
#endif
    std::ifstream status("/proc/self/status");
    std::string key;
    long value = -1;
    while (status >> key) {
        if (key == "RssAnon:") {
            status >> value;
            break;
        }
        status.ignore(1 << 10, '\n');
    }
    return value;
}

}  // namespace lanetorrent::lanes::test

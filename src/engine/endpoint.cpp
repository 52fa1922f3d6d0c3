#include "engine/endpoint.hpp"

#include <boost/asio/ip/address.hpp>
#include <charconv>

namespace lanetorrent {

bool Endpoint::is_loopback() const {
    boost::system::error_code ec;
    auto const addr = boost::asio::ip::make_address(address, ec);
    return !ec && addr.is_loopback();
}

std::string Endpoint::to_string() const {
    return (is_ipv6() ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

Result<Endpoint> parse_endpoint(std::string_view text) {
    auto const bad = [&](std::string_view why) {
        return Error{"'" + std::string(text) + "' is not an IP:PORT address (" + std::string(why) +
                     ")"};
    };
    std::string_view host;
    std::string_view port_text;
    if (text.starts_with('[')) {
        auto const close = text.find("]:");
        if (close == std::string_view::npos) return bad("expected [IPv6]:PORT");
        host = text.substr(1, close - 1);
        port_text = text.substr(close + 2);
    } else {
        auto const colon = text.rfind(':');
        if (colon == std::string_view::npos) return bad("missing :PORT");
        host = text.substr(0, colon);
        port_text = text.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) return bad("write IPv6 as [ADDRESS]:PORT");
    }
    unsigned port = 0;
    auto const [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || port > 65535 ||
        port_text.empty()) {
        return bad("port must be a number from 0 to 65535");
    }
    boost::system::error_code addr_ec;
    auto const addr = boost::asio::ip::make_address(std::string(host), addr_ec);
    if (addr_ec) return bad("not a numeric IP address");
    return Endpoint{addr.to_string(), static_cast<std::uint16_t>(port)};
}

}  // namespace lanetorrent

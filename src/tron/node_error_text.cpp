#include "tron/node_error_text.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace lanetorrent::tron {

namespace {

bool mentions(std::string text, std::string const& needle) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text.find(needle) != std::string::npos;
}

std::string reason_of(std::string const& grpc_text) {
    if (mentions(grpc_text, "refused")) return "connection refused";
    // gRPC's words for a server whose first bytes are not HTTP/2.
    if (mentions(grpc_text, "http1") || mentions(grpc_text, "http/1")) {
        return "something answers there, but not gRPC: is it the node's HTTP port?";
    }
    if (mentions(grpc_text, "dns") || mentions(grpc_text, "resolve")) return "unknown host name";
    // gRPC checks the name after the handshake: "Peer name HOST is not in peer certificate".
    if (auto const at = grpc_text.find("Peer name "); at != std::string::npos) {
        auto const start = at + std::string_view("Peer name ").size();
        auto const end = grpc_text.find(" is not in peer certificate", start);
        if (end != std::string::npos) {
            return "its TLS certificate is not for " + grpc_text.substr(start, end - start);
        }
    }
    if (mentions(grpc_text, "certificate verify failed")) {
        return "its TLS certificate is not signed by a trusted CA; trust the node's CA with a CA "
               "file";
    }
    if (mentions(grpc_text, "wrong version number")) {
        return "it does not speak TLS: turn TLS off for this node";
    }
    if (mentions(grpc_text, "ssl") || mentions(grpc_text, "handshake") ||
        mentions(grpc_text, "tls")) {
        return "the TLS handshake failed: check the TLS setting";
    }
    if (mentions(grpc_text, "unreachable")) return "network unreachable";
    if (mentions(grpc_text, "reset") || mentions(grpc_text, "closed")) {
        // Also what a TLS setting that does not match the node looks like, but a node that
        // restarts or a proxy that drops the connection does the same, so no guess here.
        return "the connection was closed";
    }
    return "no connection";
}

}  // namespace

std::string plain_node_error(NodeError const& error, NodeConfig const& node) {
    using Kind = NodeError::Kind;
    switch (error.kind) {
        case Kind::unreachable:
            return "cannot reach the Tron node at " + node.wallet_address + " (" +
                   reason_of(error.message) + ")";
        case Kind::timeout:
            return "the Tron node at " + node.wallet_address + " did not answer within " +
                   std::to_string(node.deadline.count() / 1000) + " s";
        default:
            return error.message;
    }
}

}  // namespace lanetorrent::tron

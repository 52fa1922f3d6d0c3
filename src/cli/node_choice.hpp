// Which Tron node (and token) a command uses: the flags given, else what the desktop app saved in
// the same profile (Settings > Node), else the local lanetorrent-devnet on 127.0.0.1:50051.
#pragma once

#include <string>

#include "base/profile.hpp"
#include "base/result.hpp"
#include "tron/client.hpp"

namespace lanetorrent::cli {

// The node flags as given; empty strings were not given.
struct NodeFlags {
    std::string node;           // --node
    std::string solidity_node;  // --solidity-node
    bool tls = false;           // --tls
    std::string ca_file;        // --ca-file
    std::string asset;          // --asset
};

struct ChosenNode {
    tron::NodeConfig config;
    std::string asset;  // TRC-10 id
};

// --node replaces the profile's node altogether (its solidity node then defaults to the devnet's
// unless --solidity-node is given); without --node, the profile's node is used, with
// --solidity-node and --tls still applied on top. --asset likewise beats the profile's token.
// Errors: --ca-file without TLS, or a settings file that cannot be read.
Result<ChosenNode> choose_node(Profile const& profile, NodeFlags const& flags);

}  // namespace lanetorrent::cli

#include "wallet/node_probe.hpp"

#include "tron/node_error_text.hpp"

namespace lanetorrent::wallet {

Result<std::string> probe_node(tron::NodeConfig node) {
    node.attempts = 1;
    tron::TronClient client(node);
    auto head = client.head_block();
    if (!head) return Error{tron::plain_node_error(head.failure(), node)};
    auto solid = client.solid_head_block();
    if (!solid) {
        auto const why = tron::plain_node_error(solid.failure(), node);
        return Error{"the full node answers (block " + std::to_string(head->number) +
                     ") but the solidity node at " + node.solidity_address + " does not: " + why};
    }
    return "connected to " + node.wallet_address + ": block " + std::to_string(head->number) +
           ", solidified block " + std::to_string(solid->number);
}

}  // namespace lanetorrent::wallet

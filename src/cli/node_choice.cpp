#include "cli/node_choice.hpp"

#include "wallet/node_settings.hpp"

namespace lanetorrent::cli {

Result<ChosenNode> choose_node(Profile const& profile, NodeFlags const& flags) {
    ChosenNode chosen;
    chosen.asset = "1002000";  // BTT
    if (flags.node.empty()) {
        auto saved = wallet::read_saved_node(wallet::settings_file(profile));
        if (!saved) return Error{saved.error()};
        if (*saved) {
            chosen.config = (*saved)->node;
            chosen.asset = (*saved)->asset;
        }
    } else {
        chosen.config.wallet_address = flags.node;
    }
    if (!flags.solidity_node.empty()) chosen.config.solidity_address = flags.solidity_node;
    chosen.config.tls = chosen.config.tls || flags.tls;
    if (!flags.ca_file.empty() && !chosen.config.tls) return Error{"--ca-file needs --tls"};
    chosen.config.ca_file = flags.ca_file;
    if (!flags.asset.empty()) chosen.asset = flags.asset;
    return chosen;
}

}  // namespace lanetorrent::cli

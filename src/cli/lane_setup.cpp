#include "cli/lane_setup.hpp"

#include <sstream>

#include "cli/node_choice.hpp"
#include "cli/passphrase.hpp"
#include "wallet/keystore.hpp"

namespace lanetorrent::cli {

namespace {

Result<lanes::LaneShares> parse_shares(std::string const& text) {
    lanes::LaneShares shares;
    std::stringstream items(text);
    std::string item;
    int index = 0;
    while (std::getline(items, item, ',')) {
        if (index >= lanes::lane_count) break;
        try {
            std::size_t used = 0;
            shares.permille[index] = std::stoi(item, &used);
            if (used != item.size()) throw std::invalid_argument(item);
        } catch (std::exception const&) {
            return Error{"--lane-shares: '" + item + "' is not a whole number"};
        }
        ++index;
    }
    if (index != lanes::lane_count || std::getline(items, item)) {
        return Error{"--lane-shares: give three numbers, slow,medium,fast (e.g. 100,300,600)"};
    }
    return shares;
}

}  // namespace

std::pair<lanes::Lane, lanes::Caps> lane_choice(LaneCliOptions const& options) {
    auto const lane = lanes::lane_from_string(options.lane).value_or(lanes::Lane::slow);
    return {lane, lanes::Caps{options.max_price, options.max_per_torrent, options.max_per_day}};
}

Result<std::optional<lanes::LaneConfig>> lane_config(Profile const& profile,
                                                     TransferOptions const& options) {
    auto const& cli = options.lanes;
    auto const node =
        choose_node(profile, {cli.node, cli.solidity_node, cli.tls, cli.ca_file, cli.asset});
    if (!node) return Error{node.error()};
    lanes::LaneConfig config;
    config.ledger_file = profile.data_dir() / "lanes.sqlite";
    config.node = node->config;
    if (options.mode == TransferMode::seed) {
        if (cli.payee.empty()) return std::optional<lanes::LaneConfig>{};
        auto payee = tron::Address::parse(cli.payee);
        if (!payee) return Error{"--payee: " + payee.error()};
        auto shares = parse_shares(cli.shares);
        if (!shares) return Error{shares.error()};
        lanes::SellConfig sell(*payee);
        sell.asset = node->asset;
        sell.price_per_gib = {0, cli.price_medium, cli.price_fast};
        sell.shares = *shares;
        sell.settle_threshold = cli.settle_threshold;
        sell.min_payout = cli.min_settlement > 0 ? cli.min_settlement : cli.settle_threshold;
        sell.upload_budget = static_cast<std::int64_t>(options.max_up_kib) * 1024;
        config.sell = sell;
        return std::optional(std::move(config));
    }
    auto const [lane, caps] = lane_choice(cli);
    // `stream --lane auto` buys whenever the playback needs it (its start included), so it needs
    // the wallet as a paid lane does.
    bool const auto_lane = cli.lane == "auto";
    if (lane == lanes::Lane::slow && !auto_lane) return std::optional<lanes::LaneConfig>{};
    if (caps.max_price_per_gib <= 0) {
        return Error{"--lane " + cli.lane + " needs --max-price (the most you pay per GiB)"};
    }
    auto const keystore = cli.keystore.empty() ? profile.data_dir() / "keystore.json"
                                               : std::filesystem::path(cli.keystore);
    auto passphrase = read_passphrase(cli.passphrase_file, "Keystore passphrase: ");
    if (!passphrase) return Error{passphrase.error()};
    auto key = wallet::Keystore::unlock(keystore, *passphrase);
    if (!key) return Error{key.error()};
    config.buy = lanes::BuyConfig{.key = std::move(key.value()),
                                  .asset = node->asset,
                                  .default_lane = lane,
                                  .default_caps = caps};
    return std::optional(std::move(config));
}

}  // namespace lanetorrent::cli

#include "devnet/config.hpp"

#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tron/address.hpp"
#include "tron/bytes.hpp"
#include "tron/keys.hpp"

namespace lanetorrent::devnet {
namespace {

Result<std::int64_t> parse_amount(std::string_view text, std::string_view what) {
    std::int64_t value = 0;
    auto const [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 0) {
        return Error{"invalid " + std::string(what) + " amount '" + std::string(text) + "'"};
    }
    return value;
}

}  // namespace

Result<GenesisAccount> parse_fund(std::string const& text) {
    auto const equals = text.find('=');
    auto const comma = text.find(',', equals == std::string::npos ? 0 : equals);
    if (equals == std::string::npos || comma == std::string::npos) {
        return Error{"expected ADDRESS=TRX_SUN,BTT_UNITS, got '" + text + "'"};
    }
    auto address = tron::Address::parse(std::string_view(text).substr(0, equals));
    if (!address) return Error{address.error()};
    auto trx = parse_amount(std::string_view(text).substr(equals + 1, comma - equals - 1), "TRX");
    if (!trx) return Error{trx.error()};
    auto btt = parse_amount(std::string_view(text).substr(comma + 1), "BTT");
    if (!btt) return Error{btt.error()};
    return GenesisAccount{address->wire(), trx.value(), btt.value()};
}

Result<Genesis> read_genesis(std::filesystem::path const& file) {
    std::ifstream in(file);
    if (!in) return Error{"cannot read " + file.string()};
    try {
        auto const json = nlohmann::json::parse(in);
        Genesis genesis;
        genesis.timestamp_ms = json.value("timestamp_ms", std::int64_t{0});
        genesis.asset_id = json.value("asset_id", genesis.asset_id);
        genesis.asset_name = json.value("asset_name", genesis.asset_name);
        genesis.asset_abbr = json.value("asset_abbr", genesis.asset_abbr);
        genesis.asset_precision = json.value("asset_precision", genesis.asset_precision);
        for (auto const& entry : json.value("accounts", nlohmann::json::array())) {
            auto address = tron::Address::parse(entry.at("address").get<std::string>());
            if (!address) return Error{file.string() + ": " + address.error()};
            genesis.accounts.push_back({address->wire(), entry.value("trx_sun", std::int64_t{0}),
                                        entry.value("btt_units", std::int64_t{0})});
        }
        return genesis;
    } catch (nlohmann::json::exception const& e) {
        return Error{file.string() + ": " + e.what()};
    }
}

Status write_genesis(std::filesystem::path const& file, Genesis const& genesis) {
    nlohmann::json json;
    json["timestamp_ms"] = genesis.timestamp_ms;
    json["asset_id"] = genesis.asset_id;
    json["asset_name"] = genesis.asset_name;
    json["asset_abbr"] = genesis.asset_abbr;
    json["asset_precision"] = genesis.asset_precision;
    json["accounts"] = nlohmann::json::array();
    for (std::size_t i = 0; i < genesis.accounts.size(); ++i) {
        auto const& account = genesis.accounts[i];
        auto address = tron::Address::from_bytes(std::span(
            reinterpret_cast<std::uint8_t const*>(account.address.data()), account.address.size()));
        if (!address) return Error{address.error()};
        nlohmann::json entry = {{"address", address->base58()},
                                {"trx_sun", account.trx_sun},
                                {"btt_units", account.btt_units}};
        if (i < genesis.demo_private_keys.size()) {
            entry["private_key"] = genesis.demo_private_keys[i];
        }
        json["accounts"].push_back(std::move(entry));
    }
    std::ofstream out(file);
    out << json.dump(2) << '\n';
    out.close();
    if (!out) return Error{"cannot write " + file.string()};
    if (!genesis.demo_private_keys.empty()) {
        // Demo keys guard only test money, but a key file readable by everyone is a bad habit.
        std::error_code ignored;
        std::filesystem::permissions(
            file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
            ignored);
    }
    return Ok{};
}

Genesis demo_genesis(int count) {
    Genesis genesis;
    for (int i = 0; i < count; ++i) {
        auto const key = tron::PrivateKey::generate();
        genesis.accounts.push_back({key.address().wire(), 10'000'000'000, 1'000'000'000'000});
        genesis.demo_private_keys.push_back(tron::to_hex(key.secret()));
    }
    return genesis;
}

}  // namespace lanetorrent::devnet

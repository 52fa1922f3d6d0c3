// `wallet`: the BTT wallet on the command line. Keys stay in the encrypted keystore; the private
// key is never printed (except by an explicit, confirmed export) and never logged.
//
// Sending, the record of sent transfers and their status live in the wallet core (src/wallet),
// shared with the desktop app: `send` and `history` here only parse options and print.
#include <fmt/format.h>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/atomic_file.hpp"
#include "base/format.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/json_text.hpp"
#include "cli/node_choice.hpp"
#include "cli/passphrase.hpp"
#include "engine/printable_text.hpp"
#include "tron/client.hpp"
#include "tron/clock.hpp"
#include "tron/message_signing.hpp"
#include "tron/node_error_text.hpp"
#include "wallet/keystore.hpp"
#include "wallet/send.hpp"
#include "wallet/sent_store.hpp"
#include "wallet/tracking.hpp"

namespace lanetorrent::cli {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// A hex private key from stdin (import, derive): never from argv.
Result<tron::PrivateKey> read_key_from_stdin() {
    std::string line;
    std::getline(std::cin, line);
    auto key = tron::PrivateKey::from_hex(trim_line(line));
    if (!key) return Error{"stdin does not hold a private key: " + key.error()};
    return key;
}

// The node and token: the flags, else the profile's node setting, else the local devnet.
Result<ChosenNode> node_config(Profile const& profile, WalletOptions const& options) {
    auto chosen = choose_node(profile, {options.node, options.solidity_node, options.tls,
                                        options.ca_file, options.asset});
    if (!chosen) return chosen;
    if (!options.api_key_file.empty()) {
        auto key = read_file(options.api_key_file, 4096);
        if (!key) return Error{"--api-key-file: " + key.error()};
        chosen->config.api_key = trim_line(std::string(key->begin(), key->end()));
    }
    return chosen;
}

// How amounts of a token are written: BTT's decimals are known; any other token's come from the
// node's record of it (its abbreviation is the node's text: bounded and escaped).
struct Token {
    int decimals = btt_decimals;
    std::string symbol = "BTT";
};

Result<Token> token_of(tron::TronClient& client, tron::NodeConfig const& node,
                       std::string const& asset) {
    if (asset == "1002000") return Token{};
    auto info = client.asset(asset);
    if (!info) return Error{"asset " + asset + ": " + tron::plain_node_error(info.failure(), node)};
    auto symbol = printable_text(info->abbr.empty() ? info->name : info->abbr);
    if (symbol.size() > 16) symbol = symbol.substr(0, 16);
    return Token{info->precision, symbol.empty() ? "units" : symbol};
}

// --amount: decimal tokens ("1.5"), or with --units a whole number of base units.
Result<std::int64_t> amount_of(WalletOptions const& options, Token const& token) {
    auto const parsed = parse_amount(options.amount, options.units ? 0 : token.decimals);
    if (!parsed) {
        if (options.units && parsed.failure().kind == AmountError::Kind::too_many_decimals) {
            return Error{"--amount with --units is a whole number of base units, got " +
                         options.amount};
        }
        return Error{"--amount: " + parsed.error()};
    }
    if (parsed.value() <= 0) return Error{"--amount must be more than zero"};
    return parsed.value();
}

void print(WalletOptions const& options, nlohmann::json const& json, std::string const& text) {
    if (options.json) {
        fmt::print("{}\n", json_text(json));
    } else {
        fmt::print("{}\n", text);
    }
}

// Waits until the transaction is in a block (and, if asked, solidified) or has expired.
int track(WalletOptions const& options, tron::TronClient& client,
          wallet::SignedTransfer const& transfer, nlohmann::json result) {
    auto const hex = transfer.txid_hex();
    auto const target = options.wait == "solidified" ? wallet::TransferState::solidified
                                                     : wallet::TransferState::confirmed;
    auto progress =
        wallet::wait_for_transfer(client, transfer.txid, transfer.expiration_ms(), target);
    if (!progress) return fail(exit_failure, progress.error());
    if (progress->state == wallet::TransferState::expired) {
        return fail(exit_failure, "transaction " + hex + " expired without confirmation");
    }
    result["status"] = wallet::to_string(progress->state);
    result["block"] = progress->block;
    result["fee_sun"] = progress->fee_sun;
    if (progress->state == wallet::TransferState::failed) {
        print(options, result, "transaction " + hex + " failed on chain");
        return exit_failure;
    }
    print(options, result,
          fmt::format("{} {} in block {}", hex, result["status"].get<std::string>(),
                      progress->block));
    return exit_success;
}

int run_send(Profile const& profile, WalletOptions const& options) {
    auto to = tron::Address::parse(options.to);
    if (!to) return fail(exit_usage, "--to: " + to.error());
    auto chosen = node_config(profile, options);
    if (!chosen) return fail(exit_failure, chosen.error());
    tron::TronClient client(chosen->config);
    // A malformed amount is refused before the passphrase is asked for; BTT's decimals are
    // known without the node.
    auto const token = chosen->asset == "1002000" ? Result<Token>(Token{})
                                                  : token_of(client, chosen->config, chosen->asset);
    if (!token) return fail(exit_failure, token.error());
    auto const amount = amount_of(options, *token);
    if (!amount) return fail(exit_usage, amount.error());
    auto passphrase = read_passphrase(options.passphrase_file, "Keystore passphrase: ");
    if (!passphrase) return fail(exit_failure, passphrase.error());
    auto key = wallet::Keystore::unlock(options.keystore, passphrase.value());
    if (!key) return fail(exit_failure, key.error());

    auto transfer =
        wallet::prepare_transfer(client, key.value(), {to.value(), chosen->asset, *amount});
    if (!transfer) return fail(exit_failure, transfer.error());
    auto result = wallet::describe(transfer.value());
    if (options.dry_run) {
        print(options, result, fmt::format("signed {} (not broadcast)", transfer->txid_hex()));
        return exit_success;
    }

    auto store = wallet::SentStore::of(profile);
    if (auto sent = wallet::record_and_broadcast(client, store, transfer.value()); !sent) {
        return fail(exit_failure, sent.error());
    }
    result["status"] = "pending";
    if (options.wait == "none") {
        print(options, result, fmt::format("sent {}", transfer->txid_hex()));
        return exit_success;
    }
    return track(options, client, transfer.value(), result);
}

int run_history(Profile const& profile, WalletOptions const& options) {
    auto chosen = node_config(profile, options);
    if (!chosen) return fail(exit_failure, chosen.error());
    tron::TronClient client(chosen->config);
    nlohmann::json entries = nlohmann::json::array();
    for (auto const& record : wallet::SentStore::of(profile).list()) {
        auto txid = wallet::parse_txid(record.txid);
        if (!txid) continue;
        auto progress = wallet::check_transfer(client, txid.value(), record.expiration_ms);
        std::string const state =
            progress ? wallet::to_string(progress->state) : "unknown (" + progress.error() + ")";
        entries.push_back({{"txID", record.txid},
                           {"to", record.to},
                           {"asset", record.asset},
                           {"amount", record.amount},
                           {"status", state}});
    }
    if (options.json) {
        fmt::print("{}\n", json_text(entries));
    } else {
        for (auto const& e : entries) {
            auto const units = e["amount"].get<std::int64_t>();
            auto const asset = e["asset"].get<std::string>();
            // BTT in BTT; another token's decimals would cost a node call per record.
            auto const amount = asset == "1002000" && !options.units
                                    ? format_btt(units)
                                    : fmt::format("{} units of asset {}", units, asset);
            fmt::print("{}  {:>22}  to {}  {}\n", e["txID"].get<std::string>(), amount,
                       e["to"].get<std::string>(), e["status"].get<std::string>());
        }
    }
    return exit_success;
}

}  // namespace

int run_wallet(Profile const& profile, WalletOptions options) {
    if (options.keystore.empty()) {
        if (auto created = profile.create_directories(); !created) {
            return fail(exit_failure, created.error());
        }
        options.keystore = (profile.data_dir() / "keystore.json").string();
    }
    auto const& command = options.command;

    if (command == "derive") {
        auto key = read_key_from_stdin();
        if (!key) return fail(exit_failure, key.error());
        auto const address = key->address();
        print(options, {{"hex", address.hex()}, {"base58", address.base58()}},
              address.hex() + " " + address.base58());
        return exit_success;
    }
    // Only test suites ask for the cheap cost (`--test-only-cheap-kdf`); unlocking always uses
    // the cost the file records.
    auto const kdf = options.test_only_cheap_kdf ? wallet::test_only_cheap : wallet::ScryptParams{};
    if (command == "create" || command == "import") {
        std::error_code ec;
        fs::create_directories(fs::path(options.keystore).parent_path(), ec);
        std::optional<tron::PrivateKey> key;
        if (command == "import") {
            auto read = read_key_from_stdin();
            if (!read) return fail(exit_failure, read.error());
            key = read.value();
        }
        auto passphrase = read_passphrase(options.passphrase_file, "New keystore passphrase: ");
        if (!passphrase) return fail(exit_failure, passphrase.error());
        if (passphrase->empty()) return fail(exit_usage, "the passphrase must not be empty");
        if (key) {
            if (auto status = wallet::Keystore::import(options.keystore, *key, *passphrase, kdf);
                !status) {
                return fail(exit_failure, status.error());
            }
        } else if (auto created = wallet::Keystore::create(options.keystore, *passphrase, kdf);
                   !created) {
            return fail(exit_failure, created.error());
        }
        auto const address = wallet::Keystore::address_of(options.keystore);
        if (!address) return fail(exit_failure, address.error());
        print(options, {{"address", address->base58()}, {"keystore", options.keystore}},
              fmt::format("{} (keystore {})", address->base58(), options.keystore));
        return exit_success;
    }
    if (command == "address") {
        auto address = wallet::Keystore::address_of(options.keystore);
        if (!address) return fail(exit_failure, address.error());
        print(options, {{"address", address->base58()}, {"hex", address->hex()}},
              address->base58());
        return exit_success;
    }
    if (command == "balance") {
        auto address = options.address.empty() ? wallet::Keystore::address_of(options.keystore)
                                               : tron::Address::parse(options.address);
        if (!address)
            return fail(options.address.empty() ? exit_failure : exit_usage, address.error());
        auto chosen = node_config(profile, options);
        if (!chosen) return fail(exit_failure, chosen.error());
        auto const& asset = chosen->asset;
        tron::TronClient client(chosen->config);
        auto balances = client.balances(address.value());
        if (!balances) {
            return fail(exit_failure, tron::plain_node_error(balances.failure(), chosen->config));
        }
        std::int64_t trx = 0;
        std::int64_t units = 0;
        if (balances.value()) {
            trx = (*balances)->trx_sun;
            if (auto it = (*balances)->assets.find(asset); it != (*balances)->assets.end()) {
                units = it->second;
            }
        }
        auto const token =
            options.units ? Result<Token>(Token{}) : token_of(client, chosen->config, asset);
        if (!token) return fail(exit_failure, token.error());
        nlohmann::json json{{"address", address->base58()},
                            {"exists", balances.value().has_value()},
                            {"trx_sun", trx},
                            {"trx", plain_amount(trx, trx_decimals)},
                            {"asset", asset},
                            {"asset_units", units}};
        if (!options.units) {
            json["asset_amount"] = plain_amount(units, token->decimals);
            json["asset_symbol"] = token->symbol;
        }
        // TRX pays the network's fees (bandwidth, and 1.1 TRX to create a recipient's account).
        auto const text = options.units
                              ? fmt::format("{}: {} units of asset {}, {} sun TRX",
                                            address->base58(), units, asset, trx)
                              : fmt::format("{}: {} (asset {}), {} for fees", address->base58(),
                                            format_token(units, token->decimals, token->symbol),
                                            asset, format_trx(trx));
        print(options, json, text + (balances.value() ? "" : " (account not activated)"));
        return exit_success;
    }
    if (command == "change-passphrase") {
        auto old_passphrase = read_passphrase(options.passphrase_file, "Current passphrase: ");
        if (!old_passphrase) return fail(exit_failure, old_passphrase.error());
        WalletOptions for_new = options;
        for_new.passphrase_file = options.new_passphrase_file;
        auto new_passphrase = read_passphrase(for_new.passphrase_file, "New passphrase: ");
        if (!new_passphrase) return fail(exit_failure, new_passphrase.error());
        if (options.new_passphrase_file.empty()) {
            auto repeated = read_passphrase(for_new.passphrase_file, "New passphrase again: ");
            if (!repeated || repeated.value() != new_passphrase.value()) {
                return fail(exit_failure, "the new passphrases differ; nothing changed");
            }
        }
        if (auto changed = wallet::Keystore::change_passphrase(options.keystore, *old_passphrase,
                                                               *new_passphrase, kdf);
            !changed) {
            return fail(exit_failure, changed.error());
        }
        print(options, {{"changed", true}}, "passphrase changed");
        return exit_success;
    }
    if (command == "export") {
        // Printing a private key hands over the money; it takes an explicit yes.
        if (!options.confirm_export) {
            if (!::isatty(STDIN_FILENO)) {
                return fail(exit_usage,
                            "export prints the private key: confirm with "
                            "--yes-print-private-key");
            }
            std::cerr << "Anyone who sees the private key can spend this wallet's money.\n"
                         "Type EXPORT to print it: "
                      << std::flush;
            std::string answer;
            std::getline(std::cin, answer);
            if (answer != "EXPORT") return fail(exit_failure, "export cancelled");
        }
        auto passphrase = read_passphrase(options.passphrase_file, "Keystore passphrase: ");
        if (!passphrase) return fail(exit_failure, passphrase.error());
        auto key = wallet::Keystore::unlock(options.keystore, passphrase.value());
        if (!key) return fail(exit_failure, key.error());
        fmt::print("{}\n", tron::to_hex(key->secret()));
        return exit_success;
    }
    if (command == "send") return run_send(profile, options);
    if (command == "history") return run_history(profile, options);
    if (command == "sign-message") {
        auto passphrase = read_passphrase(options.passphrase_file, "Keystore passphrase: ");
        if (!passphrase) return fail(exit_failure, passphrase.error());
        auto key = wallet::Keystore::unlock(options.keystore, passphrase.value());
        if (!key) return fail(exit_failure, key.error());
        auto const signature = tron::sign_message(key.value(), options.message);
        auto const hex = tron::to_hex(signature);
        print(options, {{"address", key->address().base58()}, {"signature", hex}}, hex);
        return exit_success;
    }
    if (command == "verify-message") {
        auto signature = tron::from_hex(options.signature);
        if (!signature) return fail(exit_usage, "--signature: " + signature.error());
        auto claimed = tron::Address::parse(options.address);
        if (!claimed) return fail(exit_usage, "--address: " + claimed.error());
        auto signer = tron::recover_message_signer(options.message, signature.value());
        bool const valid = signer && signer.value() == claimed.value();
        print(options, {{"valid", valid}, {"signer", signer ? signer->base58() : ""}},
              valid ? "valid signature by " + claimed->base58()
                    : "INVALID: not signed by " + claimed->base58());
        return valid ? exit_success : exit_failure;
    }
    return fail(exit_usage, "unknown wallet command " + command);
}

}  // namespace lanetorrent::cli

// `wallet`: the BTT wallet on the command line. Keys stay in the encrypted keystore; the private
// key is never printed (except by an explicit, confirmed export) and never logged.
//
// Every signed transfer is written to the profile (data/wallet/sent/<txid>.json) before it is
// broadcast. A retry after a lost answer re-sends those exact bytes (the node answers "duplicate",
// which is success), so one intent never becomes two different signed payments; `history` reads
// the same files and asks the node where each one stands.
#include <fmt/format.h>
#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/passphrase.hpp"
#include "engine/atomic_file.hpp"
#include "tron/client.hpp"
#include "tron/clock.hpp"
#include "tron/message_signing.hpp"
#include "tron/transaction.hpp"
#include "wallet/keystore.hpp"

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

Result<tron::NodeConfig> node_config(WalletOptions const& options) {
    tron::NodeConfig config;
    config.wallet_address = options.node;
    config.solidity_address = options.solidity_node;
    config.tls = options.tls;
    if (!options.api_key_file.empty()) {
        auto key = read_file(options.api_key_file, 4096);
        if (!key) return Error{"--api-key-file: " + key.error()};
        config.api_key = trim_line(std::string(key->begin(), key->end()));
    }
    return config;
}

void print(WalletOptions const& options, nlohmann::json const& json, std::string const& text) {
    if (options.json) {
        fmt::print("{}\n", json.dump());
    } else {
        fmt::print("{}\n", text);
    }
}

fs::path sent_dir(Profile const& profile) {
    return profile.data_dir() / "wallet" / "sent";
}

std::string transaction_hex(protocol::Transaction const& tx) {
    auto const bytes = tx.SerializeAsString();
    return tron::to_hex({reinterpret_cast<std::uint8_t const*>(bytes.data()), bytes.size()});
}

std::string raw_data_hex(protocol::Transaction const& tx) {
    auto const bytes = tx.raw_data().SerializeAsString();
    return tron::to_hex({reinterpret_cast<std::uint8_t const*>(bytes.data()), bytes.size()});
}

using tron::now_ms;

// Waits until the transaction is in a block (and, if asked, solidified) or has expired.
int track(WalletOptions const& options, tron::TronClient& client, tron::Hash32 const& txid,
          std::int64_t expiration_ms, nlohmann::json result) {
    auto const hex = tron::to_hex(txid);
    for (bool solid : {false, true}) {
        if (solid && options.wait != "solidified") break;
        while (true) {
            auto status = client.transaction_status(txid, solid);
            if (!status) return fail(exit_failure, status.error());
            if (status.value()) {
                auto const& s = **status;
                result["status"] = s.failed ? "failed" : (solid ? "solidified" : "confirmed");
                result["block"] = s.block_number;
                result["fee_sun"] = s.fee_sun;
                if (s.failed) {
                    print(options, result, "transaction " + hex + " failed on chain");
                    return exit_failure;
                }
                break;
            }
            // Unconfirmed past expiration plus a few blocks: the node dropped it.
            if (!solid && now_ms() > expiration_ms + 10'000) {
                return fail(exit_failure, "transaction " + hex + " expired without confirmation");
            }
            std::this_thread::sleep_for(500ms);
        }
    }
    print(options, result,
          fmt::format("{} {} in block {}", hex, result["status"].get<std::string>(),
                      result["block"].get<std::int64_t>()));
    return exit_success;
}

int run_send(Profile const& profile, WalletOptions const& options) {
    auto to = tron::Address::parse(options.to);
    if (!to) return fail(exit_usage, "--to: " + to.error());
    if (options.amount <= 0) return fail(exit_usage, "--amount must be a positive whole number");
    auto passphrase = read_passphrase(options.passphrase_file, "Keystore passphrase: ");
    if (!passphrase) return fail(exit_failure, passphrase.error());
    auto key = wallet::Keystore::unlock(options.keystore, passphrase.value());
    if (!key) return fail(exit_failure, key.error());

    auto config = node_config(options);
    if (!config) return fail(exit_failure, config.error());
    tron::TronClient client(config.value());
    auto asset = client.asset(options.asset);
    if (!asset) return fail(exit_failure, asset.error());
    auto head = client.head_block();
    if (!head) return fail(exit_failure, head.error());

    tron::AssetTransfer transfer{key->address(), to.value(), options.asset, options.amount};
    auto tx = tron::build_asset_transfer(transfer, head.value(), now_ms());
    tron::sign_transaction(tx, key.value());
    auto const txid = tron::transaction_id(tx);
    auto const& signature = tx.signature(0);
    nlohmann::json result = {
        {"txID", tron::to_hex(txid)},
        {"raw_data_hex", raw_data_hex(tx)},
        {"signature",
         tron::to_hex({reinterpret_cast<std::uint8_t const*>(signature.data()), signature.size()})},
        {"from", key->address().base58()},
        {"to", to->base58()},
        {"asset", options.asset},
        {"amount", options.amount},
    };
    if (options.dry_run) {
        print(options, result, fmt::format("signed {} (not broadcast)", tron::to_hex(txid)));
        return exit_success;
    }

    std::error_code ec;
    fs::create_directories(sent_dir(profile), ec);
    auto record = result;
    record["transaction_hex"] = transaction_hex(tx);
    record["expiration"] = tx.raw_data().expiration();
    auto const record_text = record.dump();
    if (auto saved = write_file_atomically(sent_dir(profile) / (tron::to_hex(txid) + ".json"),
                                           {record_text.data(), record_text.size()});
        !saved) {
        return fail(exit_failure, "not sent: " + saved.error());
    }
    auto sent = client.broadcast(tx);
    if (!sent) return fail(exit_failure, sent.error());
    result["status"] = "pending";
    if (options.wait == "none") {
        print(options, result, fmt::format("sent {}", tron::to_hex(txid)));
        return exit_success;
    }
    return track(options, client, txid, tx.raw_data().expiration(), result);
}

int run_history(Profile const& profile, WalletOptions const& options) {
    auto config = node_config(options);
    if (!config) return fail(exit_failure, config.error());
    tron::TronClient client(config.value());
    std::error_code ec;
    nlohmann::json entries = nlohmann::json::array();
    for (auto const& file : fs::directory_iterator(sent_dir(profile), ec)) {
        auto bytes = read_file(file.path(), 1024 * 1024);
        if (!bytes) continue;
        auto record = nlohmann::json::parse(bytes->begin(), bytes->end(), nullptr, false);
        if (record.is_discarded() || !record.contains("txID")) continue;
        auto txid_bytes = tron::from_hex(record["txID"].get<std::string>());
        if (!txid_bytes || txid_bytes->size() != 32) continue;
        tron::Hash32 txid{};
        std::copy(txid_bytes->begin(), txid_bytes->end(), txid.begin());
        std::string state = "pending";
        if (auto solid = client.transaction_status(txid, true); solid && solid.value()) {
            state = (*solid)->failed ? "failed" : "solidified";
        } else if (auto head = client.transaction_status(txid, false); head && head.value()) {
            state = (*head)->failed ? "failed" : "confirmed";
        } else if (!head) {
            state = "unknown (" + head.error() + ")";
        } else if (now_ms() > record.value("expiration", std::int64_t{0}) + 10'000) {
            state = "expired";
        }
        entries.push_back({{"txID", record["txID"]},
                           {"to", record["to"]},
                           {"asset", record["asset"]},
                           {"amount", record["amount"]},
                           {"status", state}});
    }
    if (options.json) {
        fmt::print("{}\n", entries.dump());
    } else {
        for (auto const& e : entries) {
            fmt::print("{}  {:>14} {}  to {}  {}\n", e["txID"].get<std::string>(),
                       e["amount"].get<std::int64_t>(), e["asset"].get<std::string>(),
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
            if (auto status = wallet::Keystore::import(options.keystore, *key, *passphrase);
                !status) {
                return fail(exit_failure, status.error());
            }
        } else if (auto created = wallet::Keystore::create(options.keystore, *passphrase);
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
        auto config = node_config(options);
        if (!config) return fail(exit_failure, config.error());
        tron::TronClient client(config.value());
        auto balances = client.balances(address.value());
        if (!balances) return fail(exit_failure, balances.error());
        std::int64_t trx = 0;
        std::int64_t units = 0;
        if (balances.value()) {
            trx = (*balances)->trx_sun;
            if (auto it = (*balances)->assets.find(options.asset);
                it != (*balances)->assets.end()) {
                units = it->second;
            }
        }
        print(options,
              {{"address", address->base58()},
               {"exists", balances.value().has_value()},
               {"trx_sun", trx},
               {"asset", options.asset},
               {"asset_units", units}},
              fmt::format("{}: {} sun TRX, {} units of asset {}{}", address->base58(), trx, units,
                          options.asset, balances.value() ? "" : " (account not activated)"));
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
                                                               *new_passphrase);
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

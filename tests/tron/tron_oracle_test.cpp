// TronWeb (tests/tron/oracle) as an independent oracle: random keys and transfers made at test
// time go through our code and through TronWeb, and every answer must agree in both directions.
//
// The private keys travel only down the pipe to node's stdin. Failure messages name addresses,
// never keys, and node's answers (which contain no keys) go to a temporary file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "lanes/protocol.hpp"
#include "tron/address.hpp"
#include "tron/bytes.hpp"
#include "tron/keys.hpp"
#include "tron/message_signing.hpp"
#include "tron/transaction.hpp"

namespace lanetorrent::tron {
namespace {

using nlohmann::json;

constexpr int case_count = 20;

std::span<std::uint8_t const> as_bytes(std::string const& s) {
    return {reinterpret_cast<std::uint8_t const*>(s.data()), s.size()};
}

struct Case {
    PrivateKey key;
    Address to;
    AssetTransfer transfer;
    BlockReference block;
    std::int64_t now_ms = 0;
    protocol::Transaction signed_tx;
    std::string message;
    Signature message_signature{};
    std::string iou_text;
    std::string proof_text;
};

// Runs the oracle with `request` on stdin and returns its stdout parsed.
json ask_oracle(json const& request) {
    auto const installed =
        std::filesystem::path(TRON_ORACLE_SCRIPT).parent_path() / "node_modules" / "tronweb";
    if (!std::filesystem::exists(installed)) {
        throw std::runtime_error("TronWeb is not installed in " + installed.parent_path().string() +
                                 "; run the tron_oracle_npm_ci test first (ctest -L oracle does)");
    }
    auto const out_path = std::filesystem::temp_directory_path() /
                          ("tron-oracle-" + std::to_string(::getpid()) + ".json");
    auto const command = std::string("\"") + TRON_NODE + "\" \"" + TRON_ORACLE_SCRIPT + "\" > \"" +
                         out_path.string() + "\"";
    FILE* pipe = ::popen(command.c_str(), "w");
    if (!pipe) throw std::runtime_error("cannot start node");
    auto const text = request.dump();
    auto const written = std::fwrite(text.data(), 1, text.size(), pipe);
    auto const status = ::pclose(pipe);
    std::ifstream in(out_path);
    std::stringstream answer;
    answer << in.rdbuf();
    std::filesystem::remove(out_path);
    if (written != text.size() || status != 0) {
        throw std::runtime_error("the oracle failed (exit status " + std::to_string(status) + ")");
    }
    return json::parse(answer.str());
}

std::string random_message(std::mt19937_64& rng) {
    // Mixed ASCII and multi-byte UTF-8, so the TIP-191 length must count bytes.
    static constexpr char const* pieces[] = {
        "pay ",         "piece ", "\xc3\xa9t\xc3\xa9 ", "\xe2\x82\xbf",
        "LaneTorrent ", "42 ",    "\xf0\x9f\x8c\x8a",   "\n"};
    std::string out;
    auto const n = 1 + rng() % 12;
    for (std::size_t i = 0; i < n; ++i) out += pieces[rng() % std::size(pieces)];
    return out;
}

TEST(TronOracle, TronWebAgreesOnRandomKeysAndTransfers) {
    std::random_device seed_source;
    auto const seed = (std::uint64_t{seed_source()} << 32) | seed_source();
    std::mt19937_64 rng(seed);
    // The seed only shapes the public parts (amounts, blocks, messages); keys come from the OS.
    SCOPED_TRACE("transfer seed " + std::to_string(seed));

    std::vector<Case> cases;
    json request = json::array();
    for (int i = 0; i < case_count; ++i) {
        auto key = PrivateKey::generate();
        auto const to = PrivateKey::generate().address();
        // Below 2^53: TronWeb carries int64 fields as JavaScript numbers.
        std::int64_t const amount = 1 + static_cast<std::int64_t>(rng() % (std::uint64_t{1} << 53));
        AssetTransfer transfer{key.address(), to, std::to_string(1'000'000 + rng() % 9'000'000),
                               amount};
        BlockReference block;
        block.number = static_cast<std::int64_t>(rng() % 100'000'000);
        for (auto& b : block.id) b = static_cast<std::uint8_t>(rng());
        block.timestamp_ms = 1'600'000'000'000 + static_cast<std::int64_t>(rng() % 400'000'000'000);
        auto const now_ms = block.timestamp_ms + static_cast<std::int64_t>(rng() % 3'000);
        auto tx = build_asset_transfer(transfer, block, now_ms);
        sign_transaction(tx, key);
        auto message = random_message(rng);
        auto const message_signature = sign_message(key, message);
        // The lane protocol's IOU and proof, signed by the payer (the transfer's owner).
        auto const seq = 1 + static_cast<std::int64_t>(rng() % 1'000'000);
        lanes::msg::Iou const iou{key.address(), to, transfer.asset_id, amount, seq, false, {}};
        auto const random_fill = [&rng](auto& bytes) {
            for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
        };
        std::array<std::uint8_t, 20> info_hash;
        random_fill(info_hash);
        lanes::ProofContext proof{to_hex(info_hash), transfer.asset_id, to, key.address()};
        random_fill(proof.seeder_nonce);
        random_fill(proof.payer_nonce);
        random_fill(proof.seeder_peer_id);
        random_fill(proof.payer_peer_id);
        auto const iou_text = lanes::iou_text(iou);
        auto const proof_text = lanes::proof_text(proof);

        auto const& raw = tx.raw_data();
        request.push_back({
            {"key", to_hex(key.secret())},
            {"our_address", key.address().base58()},
            {"to", to.base58()},
            {"asset_id", transfer.asset_id},
            {"amount", amount},
            {"ref_block_bytes", to_hex(as_bytes(raw.ref_block_bytes()))},
            {"ref_block_hash", to_hex(as_bytes(raw.ref_block_hash()))},
            {"expiration", raw.expiration()},
            {"timestamp", raw.timestamp()},
            {"raw_data_hex", to_hex(as_bytes(raw.SerializeAsString()))},
            {"txid", to_hex(transaction_id(tx))},
            {"signature", to_hex(as_bytes(tx.signature(0)))},
            {"message", message},
            {"message_signature", to_hex(message_signature)},
            {"iou_text", iou_text},
            {"iou_signature", to_hex(sign_message(key, iou_text))},
            {"proof_text", proof_text},
            {"proof_signature", to_hex(sign_message(key, proof_text))},
        });
        cases.push_back({key, to, transfer, block, now_ms, tx, message, message_signature, iou_text,
                         proof_text});
    }

    auto const answers = ask_oracle(request);
    request.clear();  // drop the keys' hex copies as soon as they are no longer needed
    ASSERT_TRUE(answers.is_array());
    ASSERT_EQ(answers.size(), cases.size());

    for (std::size_t i = 0; i < cases.size(); ++i) {
        auto const& c = cases[i];
        auto const& a = answers[i];
        auto const owner = c.key.address();
        SCOPED_TRACE("case " + std::to_string(i) + ", owner " + owner.base58() + ", to " +
                     c.to.base58());
        ASSERT_FALSE(a.contains("error")) << a["error"].get<std::string>();

        // Addresses: TronWeb derives the same one from the key, and accepts ours.
        EXPECT_EQ(a["address"], owner.base58());
        EXPECT_EQ(a["address_hex"], owner.hex());
        EXPECT_TRUE(a["address_valid"].get<bool>());

        // Our raw_data as TronWeb decodes it.
        auto const raw_hex = to_hex(as_bytes(c.signed_tx.raw_data().SerializeAsString()));
        auto const txid = to_hex(transaction_id(c.signed_tx));
        auto const& decoded = a["decoded"];
        auto const& value = decoded["contract"][0]["parameter"]["value"];
        EXPECT_EQ(decoded["contract"][0]["type"], "TransferAssetContract");
        EXPECT_EQ(decoded["contract"][0]["parameter"]["type_url"], transfer_asset_type_url);
        EXPECT_EQ(value["owner_address"], owner.hex());
        EXPECT_EQ(value["to_address"], c.to.hex());
        EXPECT_EQ(value["asset_name"], to_hex(as_bytes(c.transfer.asset_id)));
        EXPECT_EQ(value["amount"].get<std::int64_t>(), c.transfer.amount);
        auto const low16 = static_cast<std::uint64_t>(c.block.number) & 0xffff;
        std::uint8_t const ref_bytes[2] = {static_cast<std::uint8_t>(low16 >> 8),
                                           static_cast<std::uint8_t>(low16)};
        EXPECT_EQ(decoded["ref_block_bytes"], to_hex(ref_bytes));
        EXPECT_EQ(decoded["ref_block_hash"], to_hex(std::span(c.block.id).subspan(8, 8)));
        EXPECT_EQ(decoded["expiration"].get<std::int64_t>(), c.block.timestamp_ms + 60'000);
        EXPECT_EQ(decoded["timestamp"].get<std::int64_t>(), c.now_ms);
        EXPECT_EQ(a["reencoded_hex"], raw_hex) << "google-protobuf re-encodes our bytes unchanged";
        EXPECT_EQ(a["txid"], txid);

        // Our signature, checked by TronWeb.
        EXPECT_TRUE(a["tx_check"].get<bool>());
        EXPECT_EQ(a["recovered"], owner.base58());

        // The other way: TronWeb's own build of the same transfer equals ours byte for byte, and
        // its signature is ours with v = 27/28, which our recovery accepts.
        EXPECT_EQ(a["built_raw_data_hex"], raw_hex);
        EXPECT_EQ(a["built_txid"], txid);
        auto const our_signature = to_hex(as_bytes(c.signed_tx.signature(0)));
        auto const tronweb_signature = a["built_signature"].get<std::string>();
        EXPECT_EQ(tronweb_signature.substr(0, 128), our_signature.substr(0, 128));
        auto const tronweb_bytes = from_hex(tronweb_signature);
        ASSERT_TRUE(tronweb_bytes) << tronweb_bytes.error();
        EXPECT_EQ(tronweb_bytes.value()[64], c.signed_tx.signature(0).back() + 27);
        auto const signer = recover_signer(transaction_id(c.signed_tx), tronweb_bytes.value());
        ASSERT_TRUE(signer) << signer.error();
        EXPECT_EQ(signer.value(), owner);

        // TIP-191 both ways: TronWeb verifies ours, we verify TronWeb's, and RFC 6979 makes them
        // identical.
        EXPECT_EQ(a["message_signer"], owner.base58());
        auto const theirs = from_hex(a["message_signature"].get<std::string>());
        ASSERT_TRUE(theirs) << theirs.error();
        EXPECT_EQ(to_hex(theirs.value()), to_hex(c.message_signature));
        auto const message_signer = recover_message_signer(c.message, theirs.value());
        ASSERT_TRUE(message_signer) << message_signer.error();
        EXPECT_EQ(message_signer.value(), owner);

        // TronWeb's verifyMessageV2 recovers the payer from our lane IOU and proof signatures.
        EXPECT_EQ(a["iou_signer"], owner.base58()) << c.iou_text;
        EXPECT_EQ(a["proof_signer"], owner.base58()) << c.proof_text;
    }
}

}  // namespace
}  // namespace lanetorrent::tron

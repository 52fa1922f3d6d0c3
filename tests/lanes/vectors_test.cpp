// The worked examples of docs/lane-protocol.md as test vectors (tests/lanes/vectors/*.json): fixed
// keys, exact signed texts, TIP-191 digests and signatures, bencoded bodies, a framed message, the
// handshake dictionaries, and a signed settlement transaction. An independent implementation can
// check itself against the same files; this test checks that ours produces every value exactly,
// and reads every body back to the same message.
//
// The vectors were generated with this code and cross-checked with TronWeb 6.5.1 (signMessage,
// verifyMessageV2, sendToken with a fixed blockHeader, trx.sign) and a separate bencoder.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>

#include "lanes/lane.hpp"
#include "lanes/protocol.hpp"
#include "tron/bytes.hpp"
#include "tron/keys.hpp"
#include "tron/message_signing.hpp"
#include "tron/transaction.hpp"

#ifndef LANES_VECTORS_DIR
#error "LANES_VECTORS_DIR must name tests/lanes/vectors"
#endif

namespace lanetorrent::lanes {
namespace {

using nlohmann::json;

json load(std::string const& name) {
    std::ifstream in(std::string(LANES_VECTORS_DIR) + "/" + name);
    if (!in) throw std::runtime_error("cannot open vector file " + name);
    return json::parse(in);
}

tron::Bytes bytes_of(std::string const& hex) {
    auto bytes = tron::from_hex(hex);
    if (!bytes) throw std::runtime_error("bad hex in a vector: " + bytes.error());
    return std::move(bytes).value();
}

std::string string_of(std::string const& hex) {
    auto const bytes = bytes_of(hex);
    return {bytes.begin(), bytes.end()};
}

template <std::size_t N>
std::array<std::uint8_t, N> array_of(std::string const& hex) {
    auto const bytes = bytes_of(hex);
    if (bytes.size() != N) throw std::runtime_error("a vector's byte string has the wrong length");
    std::array<std::uint8_t, N> out{};
    std::copy(bytes.begin(), bytes.end(), out.begin());
    return out;
}

std::string hex_of(std::string_view text) {
    return tron::to_hex({reinterpret_cast<std::uint8_t const*>(text.data()), text.size()});
}

template <std::size_t N>
std::string hex_of(std::array<std::uint8_t, N> const& bytes) {
    return tron::to_hex(bytes);
}

tron::PrivateKey key_of(json const& file, char const* which) {
    auto key = tron::PrivateKey::from_hex(file.at(which).get<std::string>());
    if (!key) throw std::runtime_error(key.error());
    return key.value();
}

tron::Address address_of(std::string const& hex) {
    auto address = tron::Address::from_bytes(bytes_of(hex));
    if (!address) throw std::runtime_error(address.error());
    return address.value();
}

Lane lane_of(json const& value) {
    auto const lane = lane_from_string(value.get<std::string>());
    if (!lane) throw std::runtime_error("bad lane in a vector");
    return *lane;
}

// The keys and addresses every file states: the payer is private key 1, the payee key 2.
void expect_keys(json const& file) {
    auto const payer = key_of(file, "payer_private_key").address();
    auto const payee = key_of(file, "payee_private_key").address();
    EXPECT_EQ(payer.base58(), file.at("payer"));
    EXPECT_EQ(payee.base58(), file.at("payee"));
    EXPECT_EQ(hex_of(payer.wire()), file.at("payer_hex"));
    EXPECT_EQ(hex_of(payee.wire()), file.at("payee_hex"));
}

// The body decodes to exactly `expected`.
void expect_decodes_to(std::string const& body, Message const& expected) {
    auto const decoded = decode(body);
    ASSERT_TRUE(decoded) << decoded.error();
    ASSERT_TRUE(decoded->has_value());
    EXPECT_EQ(**decoded, expected);
}

TEST(LaneVectors, Ious) {
    auto const file = load("iou.json");
    expect_keys(file);
    auto const key = key_of(file, "payer_private_key");
    auto const payee = key_of(file, "payee_private_key").address();
    ASSERT_FALSE(file.at("cases").empty());
    for (auto const& c : file.at("cases")) {
        SCOPED_TRACE(c.at("name").get<std::string>());
        msg::Iou iou{key.address(),
                     payee,
                     file.at("asset"),
                     c.at("amount"),
                     c.at("seq"),
                     c.at("final").get<int>() == 1,
                     {}};
        auto const text = iou_text(iou);
        EXPECT_EQ(text, c.at("text"));
        EXPECT_EQ(hex_of(tron::tip191_digest(text)), c.at("tip191_digest"));
        iou.signature = tron::sign_message(key, text);
        EXPECT_EQ(hex_of(iou.signature), c.at("signature"));
        auto const signer = tron::recover_message_signer(text, iou.signature);
        ASSERT_TRUE(signer) << signer.error();
        EXPECT_EQ(signer->base58(), file.at("payer"));
        auto const body = string_of(c.at("message_hex"));
        EXPECT_EQ(hex_of(encode(iou)), c.at("message_hex"));
        expect_decodes_to(body, iou);
    }
}

TEST(LaneVectors, Proofs) {
    auto const file = load("proof.json");
    expect_keys(file);
    auto const key = key_of(file, "payer_private_key");
    ASSERT_FALSE(file.at("cases").empty());
    for (auto const& c : file.at("cases")) {
        SCOPED_TRACE(c.at("name").get<std::string>());
        ProofContext const context{.info_hash_hex = c.at("torrent"),
                                   .asset = file.at("asset"),
                                   .payee = key_of(file, "payee_private_key").address(),
                                   .payer = key.address(),
                                   .seeder_nonce = array_of<nonce_bytes>(c.at("seeder_nonce")),
                                   .payer_nonce = array_of<nonce_bytes>(c.at("payer_nonce")),
                                   .seeder_peer_id = array_of<20>(c.at("seeder_peer_id")),
                                   .payer_peer_id = array_of<20>(c.at("payer_peer_id"))};
        auto const text = proof_text(context);
        EXPECT_EQ(text, c.at("text"));
        EXPECT_EQ(hex_of(tron::tip191_digest(text)), c.at("tip191_digest"));
        auto const signature = tron::sign_message(key, text);
        EXPECT_EQ(hex_of(signature), c.at("signature"));
        auto const signer = tron::recover_message_signer(text, signature);
        ASSERT_TRUE(signer) << signer.error();
        EXPECT_EQ(signer->base58(), file.at("payer"));
        msg::Prove const prove{key.address(), signature};
        EXPECT_EQ(hex_of(encode(prove)), c.at("message_hex"));
        expect_decodes_to(string_of(c.at("message_hex")), prove);
    }
}

TEST(LaneVectors, Settlement) {
    auto const file = load("settlement.json");
    expect_keys(file);
    auto const key = key_of(file, "payer_private_key");
    auto const payee = key_of(file, "payee_private_key").address();
    ASSERT_FALSE(file.at("cases").empty());
    for (auto const& c : file.at("cases")) {
        SCOPED_TRACE(c.at("name").get<std::string>());
        Units const from = c.at("from");
        Units const to = c.at("to");
        EXPECT_EQ(c.at("amount").get<Units>(), to - from);
        tron::BlockReference ref;
        ref.number = c.at("ref_block_number");
        ref.id = array_of<32>(c.at("ref_block_id"));
        ref.timestamp_ms = c.at("ref_block_timestamp_ms");
        tron::AssetTransfer const transfer{key.address(), payee, file.at("asset"), to - from};
        auto tx = tron::build_asset_transfer(transfer, ref, c.at("timestamp_ms"));
        auto const& raw = tx.raw_data();
        EXPECT_EQ(hex_of(raw.ref_block_bytes()), c.at("ref_block_bytes"));
        EXPECT_EQ(hex_of(raw.ref_block_hash()), c.at("ref_block_hash"));
        EXPECT_EQ(raw.expiration(), c.at("expiration_ms").get<std::int64_t>());
        EXPECT_EQ(raw.timestamp(), c.at("timestamp_ms").get<std::int64_t>());
        ASSERT_EQ(raw.contract_size(), 1);
        EXPECT_EQ(raw.contract(0).parameter().type_url(), c.at("type_url"));
        EXPECT_EQ(hex_of(raw.contract(0).parameter().value()), c.at("contract_hex"));
        EXPECT_EQ(hex_of(raw.SerializeAsString()), c.at("raw_data_hex"));
        auto const txid = tron::transaction_id(tx);
        EXPECT_EQ(hex_of(txid), c.at("txid"));
        tron::sign_transaction(tx, key);
        ASSERT_EQ(tx.signature_size(), 1);
        EXPECT_EQ(hex_of(tx.signature(0)), c.at("signature"));
        EXPECT_EQ(hex_of(tx.SerializeAsString()), c.at("transaction_hex"));

        // Both ways of writing v recover to the payer.
        for (char const* field : {"signature", "signature_v27"}) {
            auto const signer = tron::recover_signer(txid, bytes_of(c.at(field)));
            ASSERT_TRUE(signer) << field << ": " << signer.error();
            EXPECT_EQ(signer->base58(), file.at("payer")) << field;
        }

        // What a seller reads back out of the settlement message.
        protocol::Transaction parsed;
        ASSERT_TRUE(parsed.ParseFromString(string_of(c.at("transaction_hex"))));
        EXPECT_EQ(hex_of(tron::transaction_id(parsed)), c.at("txid"));
        auto const contract = tron::asset_transfer_of(parsed);
        ASSERT_TRUE(contract) << contract.error();
        EXPECT_EQ(contract->owner_address(), key.address().wire());
        EXPECT_EQ(contract->to_address(), payee.wire());
        EXPECT_EQ(contract->asset_name(), file.at("asset").get<std::string>());
        EXPECT_EQ(contract->amount(), to - from);

        msg::SettleRequest const request{from, to};
        EXPECT_EQ(hex_of(encode(request)), c.at("settle_req_hex"));
        expect_decodes_to(string_of(c.at("settle_req_hex")), request);
        msg::Settlement const settlement{from, to, tx.SerializeAsString()};
        EXPECT_EQ(hex_of(encode(settlement)), c.at("settlement_message_hex"));
        expect_decodes_to(string_of(c.at("settlement_message_hex")), settlement);
        msg::Receipt const receipt{txid, "pending", to};
        EXPECT_EQ(hex_of(encode(receipt)), c.at("receipt_pending_hex"));
        expect_decodes_to(string_of(c.at("receipt_pending_hex")), receipt);
    }
}

// A message built from a vector's fields (hex for byte strings).
Message message_of(std::string const& type, json const& f) {
    if (type == "prove") return msg::Prove{address_of(f.at("payer")), array_of<65>(f.at("sig"))};
    if (type == "request") return msg::Request{lane_of(f.at("lane")), f.at("max_price")};
    if (type == "grant") {
        return msg::Grant{lane_of(f.at("lane")), f.at("price"), f.at("window"),
                          f.at("reconnect").get<int>() == 1, f.at("reason")};
    }
    if (type == "iou") {
        return msg::Iou{address_of(f.at("payer")),
                        address_of(f.at("payee")),
                        f.at("asset"),
                        f.at("amount"),
                        f.at("seq"),
                        f.at("final").get<int>() == 1,
                        array_of<65>(f.at("sig"))};
    }
    if (type == "settle_req") return msg::SettleRequest{f.at("from"), f.at("to")};
    if (type == "settlement")
        return msg::Settlement{f.at("from"), f.at("to"), string_of(f.at("tx"))};
    if (type == "receipt")
        return msg::Receipt{array_of<32>(f.at("txid")), f.at("status"), f.at("to")};
    if (type == "reject") return msg::Reject{f.at("code"), f.at("msg")};
    if (type == "state") {
        return msg::ChannelState{f.at("amount"), f.at("seq"), array_of<65>(f.at("sig")),
                                 f.at("settled")};
    }
    throw std::runtime_error("unknown message type in a vector: " + type);
}

TEST(LaneVectors, Messages) {
    auto const file = load("messages.json");
    std::set<int> types;
    for (auto const& c : file.at("messages")) {
        SCOPED_TRACE(c.at("name").get<std::string>());
        auto const message = message_of(c.at("type"), c.at("fields"));
        EXPECT_EQ(message_type(message), c.at("t").get<int>());
        types.insert(message_type(message));
        auto const body = string_of(c.at("body_hex"));
        if (c.contains("body")) {
            EXPECT_EQ(body, c.at("body").get<std::string>());
        }
        EXPECT_EQ(hex_of(encode(message)), c.at("body_hex"));
        expect_decodes_to(body, message);
    }
    EXPECT_EQ(types, (std::set<int>{1, 2, 3, 4, 5, 6, 7, 8, 9})) << "every type has a vector";
}

Offer offer_of(json const& f) {
    Offer offer{address_of(f.at("payee")),          f.at("asset").get<std::string>(),
                f.at("precision").get<int>(),       {},
                f.at("window").get<std::int64_t>(), f.at("step").get<std::int64_t>(),
                f.at("settle").get<Units>(),        std::nullopt};
    for (int i = 0; i < lane_count; ++i) {
        auto const& terms = f.at("lanes").at(to_string(static_cast<Lane>(i)));
        auto& lane = offer.lanes[static_cast<std::size_t>(i)];
        lane.price_per_gib = terms.value("price", Units{0});
        lane.share_permille = terms.at("share");
    }
    if (f.contains("min_settle")) offer.min_settlement = f.at("min_settle").get<Units>();
    return offer;
}

TEST(LaneVectors, Handshakes) {
    auto const file = load("messages.json");
    ASSERT_FALSE(file.at("hellos").empty());
    for (auto const& c : file.at("hellos")) {
        SCOPED_TRACE(c.at("name").get<std::string>());
        auto const& f = c.at("fields");
        Hello hello;
        hello.version = f.at("v");
        hello.nonce = array_of<nonce_bytes>(f.at("nonce"));
        if (f.contains("offer")) hello.offer = offer_of(f.at("offer"));
        EXPECT_EQ(hex_of(encode_hello(hello)), c.at("body_hex"));
        auto const decoded = decode_hello(string_of(c.at("body_hex")));
        ASSERT_TRUE(decoded) << decoded.error();
        EXPECT_EQ(decoded.value(), hello);
    }
    for (auto const& c : file.at("malformed_hellos")) {
        SCOPED_TRACE(c.at("name").get<std::string>());
        auto const decoded = decode_hello(string_of(c.at("body_hex")));
        ASSERT_FALSE(decoded);
        EXPECT_NE(decoded.error().find(c.at("field").get<std::string>()), std::string::npos)
            << decoded.error();
    }
}

TEST(LaneVectors, Frames) {
    auto const file = load("messages.json");
    ASSERT_FALSE(file.at("frames").empty());
    for (auto const& c : file.at("frames")) {
        SCOPED_TRACE(c.at("name").get<std::string>());
        EXPECT_EQ(hex_of(frame(c.at("peer_message_id"), string_of(c.at("body_hex")))),
                  c.at("frame_hex"));
    }
}

TEST(LaneVectors, UnknownTypesAreIgnored) {
    auto const file = load("messages.json");
    for (auto const& c : file.at("ignored")) {
        SCOPED_TRACE(c.at("name").get<std::string>());
        auto const decoded = decode(string_of(c.at("body_hex")));
        ASSERT_TRUE(decoded) << decoded.error();
        EXPECT_FALSE(decoded->has_value());
    }
}

TEST(LaneVectors, MalformedBodiesNameTheirField) {
    auto const file = load("messages.json");
    ASSERT_FALSE(file.at("malformed").empty());
    for (auto const& c : file.at("malformed")) {
        SCOPED_TRACE(c.at("name").get<std::string>());
        auto const decoded = decode(string_of(c.at("body_hex")));
        ASSERT_FALSE(decoded);
        EXPECT_NE(decoded.error().find(c.at("field").get<std::string>()), std::string::npos)
            << decoded.error();
    }
}

}  // namespace
}  // namespace lanetorrent::lanes

// The Tron primitives against published and independently reproduced vectors (tron-facts §3.4,
// §3.5 and TronWeb's sign-message tests), plus the error sentences a user sees.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "core/contract/balance_contract.pb.h"
#include "tron/address.hpp"
#include "tron/bytes.hpp"
#include "tron/keys.hpp"
#include "tron/message_signing.hpp"
#include "tron/transaction.hpp"

namespace lanetorrent::tron {
namespace {

Bytes hex(std::string_view text) {
    auto bytes = from_hex(text);
    EXPECT_TRUE(bytes) << bytes.error();
    return bytes ? bytes.value() : Bytes{};
}

PrivateKey key(std::string_view text) {
    auto parsed = PrivateKey::from_hex(text);
    if (!parsed) throw std::runtime_error(parsed.error());
    return parsed.value();
}

Address address(std::string_view text) {
    auto parsed = Address::parse(text);
    if (!parsed) throw std::runtime_error(parsed.error());
    return parsed.value();
}

std::span<std::uint8_t const> as_bytes(std::string const& s) {
    return {reinterpret_cast<std::uint8_t const*>(s.data()), s.size()};
}

constexpr char key_one[] = "0000000000000000000000000000000000000000000000000000000000000001";
constexpr char key_two[] = "0000000000000000000000000000000000000000000000000000000000000002";

TEST(TronBytes, HexRoundTripsAndRejectsBadText) {
    EXPECT_EQ(to_hex(hex("0x00Ff7A")), "00ff7a");
    EXPECT_EQ(to_hex(hex("")), "");
    EXPECT_FALSE(from_hex("abc"));
    auto bad = from_hex("zz");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().find("non-hex"), std::string::npos) << bad.error();
}

TEST(TronBytes, HashesMatchKnownDigests) {
    EXPECT_EQ(to_hex(sha256(as_bytes("abc"))),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // Keccak-256 (padding 0x01), which differs from FIPS SHA3-256 of the same input.
    EXPECT_EQ(to_hex(keccak256(as_bytes(""))),
              "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
}

struct AddressVector {
    char const* key;
    char const* hex;
    char const* base58;
};

TEST(TronAddress, MatchesReferenceVectors) {
    AddressVector const vectors[] = {
        {key_one, "417e5f4552091a69125d5dfcb7b8c2659029395bdf",
         "TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC"},
        {key_two, "412b5ad5c4795c026514f8317c7a215e218dccd6cf",
         "TDvSsdrNM5eeXNL3czpa6AxLDHZA9nwe9K"},
        {"0000000000000000000000000000000000000000000000000000000000000003",
         "416813eb9362372eef6200f3b1dbc3f819671cba69", "TKTX96CBxr5kvhjsDHcqoiPWZageGxoTW3"},
        {"097c8ba8a310f39a41a667d35a20000cd21d58c7322484b584c4ada8ebd3ec06",
         "41713ca8ee9c3db6bdc947b8e0c7846645307e6e63", "TLHx2Ta9WwtwDjgGxyeifHs5ipmJrJAbZ3"},
    };
    for (auto const& v : vectors) {
        auto const derived = key(v.key).address();
        EXPECT_EQ(derived.hex(), v.hex);
        EXPECT_EQ(derived.base58(), v.base58);
        EXPECT_EQ(address(v.base58), derived);
        EXPECT_EQ(address(v.hex), derived);
        EXPECT_EQ(address(std::string("0x") + v.hex), derived);
        EXPECT_EQ(derived.wire().size(), 21u);
    }
}

void expect_parse_error(std::string_view text, std::string_view expected) {
    auto parsed = Address::parse(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_NE(parsed.error().find(expected), std::string::npos) << parsed.error();
    // One sentence: no line breaks, and no full stop in the middle.
    EXPECT_EQ(parsed.error().find('\n'), std::string::npos) << parsed.error();
    EXPECT_EQ(parsed.error().find(". "), std::string::npos) << parsed.error();
}

TEST(TronAddress, ParseErrorsSayWhatIsWrong) {
    expect_parse_error("TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HD", "has a bad checksum");
    expect_parse_error("TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2H",
                       "must be 34 characters starting with T");
    expect_parse_error("TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2H0", "'0' is not a Base58 character");
    expect_parse_error("TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2Hl", "'l' is not a Base58 character");
    expect_parse_error("427e5f4552091a69125d5dfcb7b8c2659029395bdf", "must start with 41");
    expect_parse_error("417e5f4552091a69125d5dfcb7b8c2659029395b", "must be 42 hex digits");
    expect_parse_error("417e5f4552091a69125d5dfcb7b8c2659029395bdg", "non-hex");
    expect_parse_error("", "is not a Tron address");
    expect_parse_error("1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "is not a Tron address");
    // A Base58Check string with a valid checksum that is not a 0x41 address (a Bitcoin one with
    // the first character changed would fail the checksum, so build one from bytes instead).
    auto const raw = hex("417e5f4552091a69125d5dfcb7b8c2659029395bdf");
    EXPECT_FALSE(Address::from_bytes(std::span(raw).first(20)));
    auto const zero_prefix = hex("007e5f4552091a69125d5dfcb7b8c2659029395bdf");
    EXPECT_FALSE(Address::from_bytes(zero_prefix));
}

TEST(TronAddress, ErrorsNeverEchoAPrivateKey) {
    for (auto const* text :
         {"097c8ba8a310f39a41a667d35a20000cd21d58c7322484b584c4ada8ebd3ec06",
          "0x097c8ba8a310f39a41a667d35a20000cd21d58c7322484b584c4ada8ebd3ec06"}) {
        auto parsed = Address::parse(text);
        ASSERT_FALSE(parsed);
        EXPECT_EQ(parsed.error().find("097c8b"), std::string::npos) << "the key leaked";
        EXPECT_FALSE(Address::from_hex(text));
        EXPECT_EQ(Address::from_hex(text).error().find("097c8b"), std::string::npos);
    }
}

TEST(TronKeys, RejectsInvalidPrivateKeys) {
    EXPECT_FALSE(PrivateKey::from_hex(std::string(64, '0')));
    // The curve order n and n + 1 are out of range; n - 1 is the largest valid key.
    EXPECT_FALSE(
        PrivateKey::from_hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"));
    EXPECT_FALSE(
        PrivateKey::from_hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142"));
    EXPECT_TRUE(
        PrivateKey::from_hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140"));
    EXPECT_FALSE(PrivateKey::from_hex("01"));
    auto bad = PrivateKey::from_hex(std::string(63, 'a') + "x");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().find("aaaa"), std::string::npos) << bad.error();
    EXPECT_TRUE(PrivateKey::from_hex(std::string("0x") + key_one));
}

TEST(TronKeys, GeneratedKeysAreDistinctAndSignVerifiably) {
    auto const a = PrivateKey::generate();
    auto const b = PrivateKey::generate();
    EXPECT_NE(a.secret(), b.secret());
    EXPECT_NE(a.address(), b.address());
    auto const copy = a;
    EXPECT_EQ(copy.address(), a.address());

    auto const digest = sha256(as_bytes("LaneTorrent"));
    auto const signature = a.sign_digest(digest);
    EXPECT_LE(signature[64], 1);
    EXPECT_EQ(signature, a.sign_digest(digest)) << "RFC 6979 signatures are deterministic";
    auto const signer = recover_signer(digest, signature);
    ASSERT_TRUE(signer) << signer.error();
    EXPECT_EQ(signer.value(), a.address());
}

constexpr char secp256k1_order[] =
    "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

// n - s, big-endian, with the recovery id flipped: the same signature in its high-S form.
Signature high_s_form(Signature const& signature) {
    auto const n = hex(secp256k1_order);
    Signature out = signature;
    int borrow = 0;
    for (int i = 31; i >= 0; --i) {
        int const d =
            n[static_cast<std::size_t>(i)] - signature[32 + static_cast<std::size_t>(i)] - borrow;
        borrow = d < 0;
        out[32 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(d + (borrow ? 256 : 0));
    }
    out[64] = signature[64] ^ 1;
    return out;
}

TEST(TronKeys, RecoversEveryAcceptedSignatureForm) {
    auto const signer = key(key_one);
    for (int i = 0; i < 8; ++i) {
        auto const digest = sha256(as_bytes("message " + std::to_string(i)));
        auto const low = signer.sign_digest(digest);
        // Low-S: the top half of s is never set.
        EXPECT_LT(low[32], 0x80);
        auto ethereum_style = low;
        ethereum_style[64] += 27;
        auto const high = high_s_form(low);
        EXPECT_GE(high[32], 0x7f);
        auto high_ethereum_style = high;
        high_ethereum_style[64] += 27;
        for (auto const& form : {low, ethereum_style, high, high_ethereum_style}) {
            auto recovered = recover_signer(digest, form);
            ASSERT_TRUE(recovered) << recovered.error();
            EXPECT_EQ(recovered.value(), signer.address()) << "v = " << int(form[64]);
        }
    }
}

TEST(TronKeys, RejectsMalformedSignatures) {
    auto const digest = sha256(as_bytes("x"));
    auto signature = key(key_one).sign_digest(digest);
    EXPECT_FALSE(recover_signer(digest, std::span(signature).first(64)));
    for (std::uint8_t v : {2, 26, 29, 255}) {
        auto bad = signature;
        bad[64] = v;
        auto result = recover_signer(digest, bad);
        ASSERT_FALSE(result);
        EXPECT_NE(result.error().find("recovery byte"), std::string::npos) << result.error();
    }
    Signature zero{};
    EXPECT_FALSE(recover_signer(digest, zero));
    auto overflow = signature;
    std::fill_n(overflow.begin(), 32, 0xff);
    EXPECT_FALSE(recover_signer(digest, overflow));
    // A different digest still recovers some key, but not the signer's.
    auto other = recover_signer(sha256(as_bytes("y")), signature);
    EXPECT_TRUE(!other || other.value() != key(key_one).address());
}

// TronWeb test/testcases/src/sign-message.ts, first vector.
TEST(TronMessage, MatchesTronWebVector) {
    EXPECT_EQ(to_hex(tip191_digest("hello world")),
              "cf02daeb2bea196ed5692322a66ed50080ce74ff8cb711199f1b04f3c13bc10d");
    auto const signature = sign_message(key(key_one), "hello world");
    EXPECT_EQ(to_hex(signature),
              "0dc0b53d525e0103a6013061cf18e60cf158809149f2b8994a545af65a7004cb"
              "1eeaff560e801ab51b28df5d42549aa024c2aa7e9d34de1e01294b9afb5e6c7e1c");
    auto const signer = recover_message_signer("hello world", signature);
    ASSERT_TRUE(signer) << signer.error();
    EXPECT_EQ(signer->base58(), "TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC");

    auto recid_style = signature;
    recid_style[64] -= 27;
    EXPECT_EQ(recover_message_signer("hello world", recid_style).value(), signer.value());
    auto other = recover_message_signer("hello world!", signature);
    EXPECT_TRUE(!other || other.value() != signer.value());
}

TEST(TronMessage, LengthCountsBytesNotCharacters) {
    // "é" is two UTF-8 bytes, so the header says 2 and the digest differs from a 1-byte message.
    auto const signature = sign_message(key(key_two), "\xc3\xa9");
    EXPECT_EQ(recover_message_signer("\xc3\xa9", signature).value(), key(key_two).address());
    EXPECT_NE(tip191_digest("\xc3\xa9"), tip191_digest("e"));
}

// Vector A: TransferContract from the java-tron HTTP docs (createtransaction.md).
TEST(TronTransaction, OfficialTransferContractVector) {
    auto const raw_hex =
        "0a0229272208939ece39d08a7abe40d8c483c1dd335a67080112630a2d747970652e676f6f676c6561706973"
        "2e636f6d2f70726f746f636f6c2e5472616e73666572436f6e747261637412320a1541dd791d6b49e190062d"
        "650e6a23c575510d35f2f912154192ad11c1bf16b3b14b0bd6b5c7e2db73a0b5e83a18c0843d70d68780c1dd"
        "33";
    auto const raw = hex(raw_hex);
    protocol::Transaction transaction;
    ASSERT_TRUE(
        transaction.mutable_raw_data()->ParseFromArray(raw.data(), static_cast<int>(raw.size())));
    EXPECT_EQ(to_hex(as_bytes(transaction.raw_data().SerializeAsString())), raw_hex)
        << "re-serializing is canonical";
    EXPECT_EQ(to_hex(transaction_id(transaction)),
              "6303c7639f591407ef9f34a7ac8c9c9a21151f5a6af21924502515734fc267ab");
    auto const transfer = asset_transfer_of(transaction);
    ASSERT_FALSE(transfer);
    EXPECT_NE(transfer.error().find("TransferContract"), std::string::npos) << transfer.error();
}

// Vector B: TronWeb's SIGNED_HEX_TRANSACTION (test/helpers/config.ts), signed with v = 01.
TEST(TronTransaction, TronWebSignedTransferVector) {
    auto const signed_bytes = hex(
        "0a85010a02380a220830202d4c1473d46640d8edabfea72f5a67080112630a2d747970652e676f6f676c6561"
        "7069732e636f6d2f70726f746f636f6c2e5472616e73666572436f6e747261637412320a1541fbbb1a37f9fb"
        "c18a3e2b8fd8c0823251cd3b8ee8121541af4852489314e72ffae825238c52d0e1ffff1ead18c0843d70f182"
        "cffca72f1241fa301a789dc51714be33b0f298e3f990650bec285ab628ab8ea5f18aeb3466643ca89b604d9d"
        "f74fa19a11235e0d7ab974322f0097eefe0b7efb38ea9ce4cf6601");
    protocol::Transaction transaction;
    ASSERT_TRUE(
        transaction.ParseFromArray(signed_bytes.data(), static_cast<int>(signed_bytes.size())));
    auto const txid = transaction_id(transaction);
    EXPECT_EQ(to_hex(txid), "04d6b2fc0de48335e3f159ca8b33fffb366fe01d3fcd159dd50e8c5d7fce296b");
    ASSERT_EQ(transaction.signature_size(), 1);
    auto const signer = recover_signer(txid, as_bytes(transaction.signature(0)));
    ASSERT_TRUE(signer) << signer.error();
    EXPECT_EQ(signer->hex(), "41fbbb1a37f9fbc18a3e2b8fd8c0823251cd3b8ee8");
    EXPECT_EQ(signer->base58(), "TYvEkK4fJ8aGVwLTxX6Qyw48ewD6BAvbYv");

    protocol::TransferContract contract;
    ASSERT_TRUE(contract.ParseFromString(transaction.raw_data().contract(0).parameter().value()));
    EXPECT_EQ(contract.owner_address(), signer->wire());
}

BlockReference vector_c_block() {
    // Any id whose bytes 8..16 are the vector's ref_block_hash and a number ending in 0x380a.
    BlockReference ref;
    ref.number = 0x1234380a;
    auto const id = hex("000000001234380a30202d4c1473d466aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    std::copy(id.begin(), id.end(), ref.id.begin());
    ref.timestamp_ms = 1625641645784 - 60'000;
    return ref;
}

// Vector C (tron-facts §3.5): a BTT transfer from key 1 to key 2, self-computed and checked
// against TronWeb by the oracle tests.
TEST(TronTransaction, AssetTransferVector) {
    AssetTransfer const transfer{key(key_one).address(), key(key_two).address(), "1002000",
                                 1'000'000};
    auto transaction = build_asset_transfer(transfer, vector_c_block(), 1625638027633);
    EXPECT_EQ(
        to_hex(as_bytes(transaction.raw_data().SerializeAsString())),
        "0a02380a220830202d4c1473d46640d8edabfea72f5a75080212710a32747970652e676f6f676c65617069"
        "732e636f6d2f70726f746f636f6c2e5472616e736665724173736574436f6e7472616374123b0a07313030"
        "323030301215417e5f4552091a69125d5dfcb7b8c2659029395bdf1a15412b5ad5c4795c026514f8317c7a"
        "215e218dccd6cf20c0843d70f182cffca72f");
    auto const txid = transaction_id(transaction);
    EXPECT_EQ(to_hex(txid), "ac8f4370766ac607753903d7d320958097b3bc59e6a516854aad49f9716e91de");

    sign_transaction(transaction, key(key_one));
    ASSERT_EQ(transaction.signature_size(), 1);
    EXPECT_EQ(
        to_hex(as_bytes(transaction.signature(0))),
        "a9a7af8f16e8a9ae3d557d011b4b53bd33d3aa0de1249922a3c98f0ac606676a1dd39e46ca6090b94f2ef1"
        "00509fb42a88893d19d51d9f08b339f9db5733bfe300");
    EXPECT_EQ(transaction.ByteSizeLong(), 217u) << "bandwidth 217 + 64 = 281";
    EXPECT_EQ(recover_signer(txid, as_bytes(transaction.signature(0))).value(), transfer.owner);

    auto const contract = asset_transfer_of(transaction);
    ASSERT_TRUE(contract) << contract.error();
    EXPECT_EQ(contract->asset_name(), "1002000");
    EXPECT_EQ(contract->owner_address(), transfer.owner.wire());
    EXPECT_EQ(contract->to_address(), transfer.to.wire());
    EXPECT_EQ(contract->amount(), 1'000'000);
}

TEST(TronTransaction, UsesTheBlockReferenceAndExpiration) {
    AssetTransfer const transfer{key(key_one).address(), key(key_two).address(), "1000001", 5};
    BlockReference ref;
    ref.number = 70'000;  // 0x11170: the low 16 bits are 0x1170
    for (std::size_t i = 0; i < ref.id.size(); ++i) ref.id[i] = static_cast<std::uint8_t>(i);
    ref.timestamp_ms = 1'700'000'000'000;
    auto const transaction = build_asset_transfer(transfer, ref, 1'700'000'001'234, 120'000);
    auto const& raw = transaction.raw_data();
    EXPECT_EQ(to_hex(as_bytes(raw.ref_block_bytes())), "1170");
    EXPECT_EQ(to_hex(as_bytes(raw.ref_block_hash())), "08090a0b0c0d0e0f");
    EXPECT_EQ(raw.expiration(), 1'700'000'120'000);
    EXPECT_EQ(raw.timestamp(), 1'700'000'001'234);
    EXPECT_EQ(raw.ref_block_num(), 0);
    EXPECT_EQ(raw.fee_limit(), 0);
    EXPECT_TRUE(raw.data().empty()) << "a memo would cost a fee";
    ASSERT_EQ(raw.contract_size(), 1);
    EXPECT_EQ(raw.contract(0).parameter().type_url(), transfer_asset_type_url);
}

TEST(TronTransaction, AssetTransferOfRejectsOtherShapes) {
    AssetTransfer const transfer{key(key_one).address(), key(key_two).address(), "1002000", 1};
    auto const good = build_asset_transfer(transfer, vector_c_block(), 0);
    ASSERT_TRUE(asset_transfer_of(good));

    auto two = good;
    *two.mutable_raw_data()->add_contract() = good.raw_data().contract(0);
    EXPECT_FALSE(asset_transfer_of(two));

    protocol::Transaction none;
    EXPECT_FALSE(asset_transfer_of(none));

    auto wrong_url = good;
    wrong_url.mutable_raw_data()->mutable_contract(0)->mutable_parameter()->set_type_url(
        "type.googleapis.com/protocol.TransferContract");
    EXPECT_FALSE(asset_transfer_of(wrong_url));

    auto other_host = good;
    other_host.mutable_raw_data()->mutable_contract(0)->mutable_parameter()->set_type_url(
        "example.com/protocol.TransferAssetContract");
    EXPECT_TRUE(asset_transfer_of(other_host));

    auto garbage = good;
    garbage.mutable_raw_data()->mutable_contract(0)->mutable_parameter()->set_value("\xff\xff");
    EXPECT_FALSE(asset_transfer_of(garbage));

    auto bad_owner = good;
    protocol::TransferAssetContract contract;
    contract.ParseFromString(good.raw_data().contract(0).parameter().value());
    contract.set_owner_address("\x41\x01");
    bad_owner.mutable_raw_data()->mutable_contract(0)->mutable_parameter()->set_value(
        contract.SerializeAsString());
    EXPECT_FALSE(asset_transfer_of(bad_owner));
}

}  // namespace
}  // namespace lanetorrent::tron

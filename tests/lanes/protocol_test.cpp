// The lane protocol codec (docs/lane-protocol.md): byte-exact encodings, round trips of every
// message, the signed texts, and the malformed input a peer can send, each of which must come back
// as one sentence naming the field and never as an exception or a wrong value.
#include <gtest/gtest.h>

#include <libtorrent/bdecode.hpp>
#include <libtorrent/bencode.hpp>
#include <libtorrent/entry.hpp>
#include <limits>
#include <string>

#include "lanes/lane.hpp"
#include "lanes/protocol.hpp"
#include "tron/bytes.hpp"
#include "tron/keys.hpp"
#include "tron/message_signing.hpp"

namespace lanetorrent::lanes {
namespace {

constexpr char key_one[] = "0000000000000000000000000000000000000000000000000000000000000001";
constexpr char key_two[] = "0000000000000000000000000000000000000000000000000000000000000002";
constexpr std::int64_t two_pow_62 = std::int64_t{1} << 62;

tron::PrivateKey key(std::string_view text) {
    auto parsed = tron::PrivateKey::from_hex(text);
    if (!parsed) throw std::runtime_error(parsed.error());
    return parsed.value();
}

tron::Address payer() {
    return key(key_one).address();
}  // TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC
tron::Address payee() {
    return key(key_two).address();
}  // TDvSsdrNM5eeXNL3czpa6AxLDHZA9nwe9K

template <std::size_t N>
std::array<std::uint8_t, N> counting(std::uint8_t first) {
    std::array<std::uint8_t, N> out{};
    for (std::size_t i = 0; i < N; ++i) out[i] = static_cast<std::uint8_t>(first + i);
    return out;
}

msg::Iou sample_iou() {
    return {payer(), payee(), "1002000", 123'456, 7, false, counting<65>(1)};
}

Offer sample_offer() {
    Offer offer{payee(), "1002000", 6, {}, 4 << 20, 1 << 20, 1'000'000, 250'000};
    offer.lanes[0] = {0, 200};
    offer.lanes[1] = {50'000, 300};
    offer.lanes[2] = {200'000, 500};
    return offer;
}

std::vector<Message> every_message() {
    return {
        msg::Prove{payer(), counting<65>(9)},
        msg::Request{Lane::fast, 200'000},
        msg::Grant{Lane::medium, 50'000, 4 << 20, true, "a new lane needs a new connection"},
        sample_iou(),
        msg::SettleRequest{100, 123'456},
        msg::Settlement{100, 123'456, std::string("\x0a\x02\x00\xff signed tx", 14)},
        msg::Receipt{counting<32>(0xe0), "confirmed", 123'456},
        msg::Reject{"stale_iou", "seq 7 is not above 9"},
        msg::ChannelState{123'456, 7, counting<65>(3), 100'000},
    };
}

// The message as a mutable bencoded dictionary, to break one field at a time.
lt::entry entry_of(std::string const& body) {
    lt::error_code ec;
    auto const node = lt::bdecode({body.data(), static_cast<std::ptrdiff_t>(body.size())}, ec);
    EXPECT_FALSE(ec) << ec.message();
    return lt::entry(node);
}

std::string bencode(lt::entry const& e) {
    std::string out;
    lt::bencode(std::back_inserter(out), e);
    return out;
}

lt::entry iou_entry() {
    return entry_of(encode(sample_iou()));
}

// The error decode() gives, or "" when it accepted the body.
std::string decode_error(std::string const& body) {
    auto decoded = decode(body);
    return decoded ? "" : decoded.error();
}

std::string entry_error(lt::entry const& e) {
    return decode_error(bencode(e));
}

std::string hello_error(lt::entry const& e) {
    auto decoded = decode_hello(bencode(e));
    return decoded ? "" : decoded.error();
}

lt::entry hello_entry() {
    Hello hello{protocol_version, counting<nonce_bytes>(0), sample_offer()};
    return entry_of(encode_hello(hello));
}

// ---- lanes and money ----

TEST(Lane, NamesRoundTrip) {
    for (auto lane : {Lane::slow, Lane::medium, Lane::fast}) {
        EXPECT_EQ(lane_from_string(to_string(lane)), lane);
    }
    EXPECT_STREQ(to_string(Lane::medium), "medium");
    EXPECT_EQ(lane_from_string("Fast"), std::nullopt);
    EXPECT_EQ(lane_from_string(""), std::nullopt);
    EXPECT_EQ(lane_from_string(std::string_view("fast\0", 5)), std::nullopt);
}

TEST(Lane, CostIsExactAndRoundsDown) {
    EXPECT_EQ(cost_of(0, 1'000'000), 0);
    EXPECT_EQ(cost_of(bytes_per_gib, 1'000'000), 1'000'000);
    EXPECT_EQ(cost_of(bytes_per_gib - 1, 1), 0);
    EXPECT_EQ(cost_of(bytes_per_gib, 1), 1);
    // 1.5 GiB at 3 per GiB is 4.5: the payer owes 4.
    EXPECT_EQ(cost_of(3 * (bytes_per_gib / 2), 3), 4);
    // 1 TiB at 10^7 per GiB: the product (2^40 * 10^7) overflows 64 bits, the cost does not.
    EXPECT_EQ(cost_of(std::int64_t{1} << 40, 10'000'000), 10'240'000'000);
    constexpr auto max = std::numeric_limits<std::int64_t>::max();
    EXPECT_EQ(cost_of(max, bytes_per_gib), max);
    EXPECT_EQ(cost_of(max, 1), max >> 30);
    EXPECT_EQ(cost_of(max, max), max) << "saturates instead of wrapping";
    EXPECT_EQ(cost_of(-1, 1'000), 0);
    EXPECT_EQ(cost_of(bytes_per_gib, -1'000), 0);
}

TEST(Lane, RoundingPerSegmentNeverOvercharges) {
    // Paying per IOU step rounds down each segment; the sum never exceeds the cost of the total.
    std::int64_t const step = 1'000'003;
    Units sum = 0;
    for (int i = 0; i < 1000; ++i) sum += cost_of(step, 123'457);
    EXPECT_LE(sum, cost_of(step * 1000, 123'457));
    EXPECT_GE(sum, cost_of(step * 1000, 123'457) - 1000);
}

// ---- encodings ----

TEST(LaneProtocol, MessageTypesFollowVariantOrder) {
    auto const messages = every_message();
    for (std::size_t i = 0; i < messages.size(); ++i) {
        EXPECT_EQ(message_type(messages[i]), static_cast<int>(i) + 1);
    }
}

TEST(LaneProtocol, EncodingIsByteExactBencoding) {
    // Keys sorted, integers as i...e, "t" among them (docs/lane-protocol.md, worked example).
    EXPECT_EQ(encode(msg::Request{Lane::fast, 200'000}), "d4:lane4:fast9:max_pricei200000e1:ti2ee");
    EXPECT_EQ(encode(msg::SettleRequest{0, 1500}), "d4:fromi0e1:ti5e2:toi1500ee");
    EXPECT_EQ(encode(msg::Grant{Lane::slow, 0, 0, false, "window exceeded"}),
              "d4:lane4:slow5:pricei0e6:reason15:window exceeded9:reconnecti0e1:ti3e6:windowi0ee");
    EXPECT_EQ(encode(msg::Reject{"no_proof", ""}), "d4:code8:no_proof3:msg0:1:ti8ee");
    auto const prove = encode(msg::Prove{payer(), counting<65>(0)});
    EXPECT_EQ(prove.substr(0, 12), "d5:payer21:\x41");
    EXPECT_EQ(prove.size(), std::string("d5:payer21:3:sig65:1:ti1ee").size() + 21 + 65);
}

TEST(LaneProtocol, EveryMessageRoundTrips) {
    for (auto const& message : every_message()) {
        auto const body = encode(message);
        auto decoded = decode(body);
        ASSERT_TRUE(decoded) << decoded.error() << " for t=" << message_type(message);
        ASSERT_TRUE(decoded.value().has_value()) << "t=" << message_type(message);
        EXPECT_EQ(*decoded.value(), message) << "t=" << message_type(message);
        EXPECT_EQ(encode(*decoded.value()), body) << "the encoding is canonical";
    }
}

TEST(LaneProtocol, RangeLimitsAreInclusive) {
    msg::Iou iou = sample_iou();
    iou.amount = two_pow_62;
    iou.seq = two_pow_62;
    iou.final = true;
    auto decoded = decode(encode(iou));
    ASSERT_TRUE(decoded) << decoded.error();
    EXPECT_EQ(std::get<msg::Iou>(**decoded), iou);

    iou.amount = 0;
    iou.seq = 1;
    EXPECT_EQ(decode_error(encode(iou)), "");
    EXPECT_EQ(decode_error(encode(msg::Request{Lane::slow, 1'000'000'000'000'000})), "");
    EXPECT_EQ(decode_error(encode(
                  msg::Grant{Lane::fast, 0, std::int64_t{1} << 40, false, std::string(200, 'r')})),
              "");
    EXPECT_EQ(decode_error(encode(msg::Settlement{0, 1, std::string(4096, 't')})), "");
    EXPECT_EQ(decode_error(encode(msg::Reject{std::string(64, 'c'), std::string(200, 'm')})), "");
}

TEST(LaneProtocol, FrameAddsLengthAndExtendedIds) {
    EXPECT_EQ(frame(3, "de"), std::string("\0\0\0\x04\x14\x03"
                                          "de",
                                          8));
    auto const body = encode(sample_iou());
    auto const framed = frame(200, body);
    ASSERT_EQ(framed.size(), body.size() + 6);
    auto const length = (std::uint32_t{static_cast<std::uint8_t>(framed[2])} << 8) |
                        static_cast<std::uint8_t>(framed[3]);
    EXPECT_EQ(framed.substr(0, 2), std::string(2, '\0'));
    EXPECT_EQ(length, body.size() + 2);
    EXPECT_EQ(static_cast<std::uint8_t>(framed[5]), 200);
    EXPECT_EQ(framed.substr(6), body);
}

// ---- malformed bodies ----

TEST(LaneProtocolMalformed, BrokenBencodingIsAnError) {
    for (std::string const body : {"", "d", "de1", "le", "i1e", "4:spam", "d1:ti1e", "x"}) {
        auto const error = decode_error(body);
        EXPECT_EQ(error.rfind("message: ", 0), 0u) << "body " << body << ": " << error;
    }
    EXPECT_EQ(decode_error("le"), "message: not a dictionary");
    EXPECT_EQ(decode_error("d1:ti5e4:fromi0e2:toi1ee"
                           "x"),
              "message: bytes follow the dictionary");
}

TEST(LaneProtocolMalformed, EveryTruncationIsAnError) {
    for (auto const& message : every_message()) {
        auto const body = encode(message);
        for (std::size_t n = 0; n < body.size(); ++n) {
            auto decoded = decode(body.substr(0, n));
            EXPECT_FALSE(decoded) << "t=" << message_type(message) << " cut at " << n;
        }
    }
}

TEST(LaneProtocolMalformed, OversizeIsAnError) {
    auto e = iou_entry();
    e["padding"] = std::string(max_message_bytes, 'p');
    EXPECT_EQ(entry_error(e), "message: larger than 8192 bytes");
    // Exactly at the limit is fine.
    auto const base = bencode(iou_entry());
    e["padding"] = std::string(0, 'p');
    auto const overhead = bencode(e).size();
    e["padding"] = std::string(max_message_bytes - overhead - 3, 'p');  // "8139:" vs "0:"
    auto const body = bencode(e);
    ASSERT_EQ(body.size(), max_message_bytes);
    EXPECT_EQ(decode_error(body), "");
}

TEST(LaneProtocolMalformed, TypeField) {
    auto e = iou_entry();
    e.dict().erase("t");
    EXPECT_EQ(entry_error(e), "message: t is missing");
    e["t"] = "4";
    EXPECT_EQ(entry_error(e), "message: t must be an integer");
}

TEST(LaneProtocolMalformed, UnknownTypesAreIgnoredNotErrors) {
    std::int64_t const types[] = {0, 10, 21, -1, std::numeric_limits<std::int64_t>::max()};
    for (auto t : types) {
        lt::entry e;
        e["t"] = t;
        e["whatever"] = "a later version's field";
        auto decoded = decode(bencode(e));
        ASSERT_TRUE(decoded) << decoded.error();
        EXPECT_FALSE(decoded.value().has_value()) << "t=" << t;
    }
    // ...but an unknown type must still be a well-formed dictionary.
    EXPECT_FALSE(decode("d1:ti10e"));
}

TEST(LaneProtocolMalformed, ExtraKeysAreIgnored) {
    auto e = iou_entry();
    e["zz_future"]["nested"].list().push_back(lt::entry("value"));
    e["aa"] = 42;
    auto decoded = decode(bencode(e));
    ASSERT_TRUE(decoded) << decoded.error();
    EXPECT_EQ(std::get<msg::Iou>(**decoded), sample_iou());
}

TEST(LaneProtocolMalformed, DeepNestingIsRefused) {
    std::string deep = "d1:ti2e4:lane4:fast9:max_pricei1e1:z";
    deep += std::string(40, 'l') + std::string(40, 'e') + "e";
    auto const error = decode_error(deep);
    EXPECT_EQ(error.rfind("message: not valid bencoding", 0), 0u) << error;
}

TEST(LaneProtocolMalformed, Prove) {
    lt::entry e = entry_of(encode(msg::Prove{payer(), counting<65>(0)}));
    auto bad = e;
    bad["payer"] = payer().wire().substr(0, 20);
    EXPECT_EQ(entry_error(bad), "prove: payer: a Tron address is 21 bytes, not 20");
    bad["payer"] = payer().wire() + "x";
    EXPECT_EQ(entry_error(bad), "prove: payer: a Tron address is 21 bytes, not 22");
    bad["payer"] = "\x42" + payer().wire().substr(1);
    EXPECT_EQ(entry_error(bad), "prove: payer: a Tron address must start with the byte 0x41");
    bad["payer"] = payer().base58();
    EXPECT_NE(entry_error(bad), "") << "Base58 text is not the wire form";
    bad = e;
    bad["sig"] = std::string(64, 's');
    EXPECT_EQ(entry_error(bad), "prove: sig must be exactly 65 bytes");
    bad["sig"] = std::string(66, 's');
    EXPECT_EQ(entry_error(bad), "prove: sig must be exactly 65 bytes");
    bad["sig"] = 65;
    EXPECT_EQ(entry_error(bad), "prove: sig must be a string");
    bad.dict().erase("sig");
    EXPECT_EQ(entry_error(bad), "prove: sig is missing");
}

TEST(LaneProtocolMalformed, Request) {
    auto const e = entry_of(encode(msg::Request{Lane::fast, 5}));
    auto bad = e;
    bad["lane"] = "turbo";
    EXPECT_EQ(entry_error(bad), "request: lane must be \"slow\", \"medium\" or \"fast\"");
    bad["lane"] = 2;
    EXPECT_EQ(entry_error(bad), "request: lane must be a string");
    bad = e;
    bad["max_price"] = -1;
    EXPECT_EQ(entry_error(bad), "request: max_price must be 0..10^15");
    bad["max_price"] = 1'000'000'000'000'001;
    EXPECT_EQ(entry_error(bad), "request: max_price must be 0..10^15");
    bad["max_price"] = "5";
    EXPECT_EQ(entry_error(bad), "request: max_price must be an integer");
}

TEST(LaneProtocolMalformed, Grant) {
    auto const e = entry_of(encode(msg::Grant{Lane::fast, 10, 100, false, "ok"}));
    auto bad = e;
    bad["reconnect"] = 2;
    EXPECT_EQ(entry_error(bad), "grant: reconnect must be 0 or 1");
    bad = e;
    bad["reason"] = std::string(201, 'r');
    EXPECT_EQ(entry_error(bad), "grant: reason must be 0..200 bytes");
    bad = e;
    bad["window"] = (std::int64_t{1} << 40) + 1;
    EXPECT_EQ(entry_error(bad), "grant: window must be 0..2^40");
    bad["window"] = -1;
    EXPECT_EQ(entry_error(bad), "grant: window must be 0..2^40");
    bad = e;
    bad["lane"] = "slow";
    EXPECT_EQ(entry_error(bad), "grant: a slow lane's price must be 0");
    bad = e;
    bad.dict().erase("reason");
    EXPECT_EQ(entry_error(bad), "grant: reason is missing");
}

TEST(LaneProtocolMalformed, Iou) {
    auto bad = iou_entry();
    bad["amount"] = -1;
    EXPECT_EQ(entry_error(bad), "iou: amount must be 0..2^62");
    bad["amount"] = two_pow_62 + 1;
    EXPECT_EQ(entry_error(bad), "iou: amount must be 0..2^62");
    bad["amount"] = std::numeric_limits<std::int64_t>::min();
    EXPECT_EQ(entry_error(bad), "iou: amount must be 0..2^62");
    bad = iou_entry();
    bad["seq"] = 0;
    EXPECT_EQ(entry_error(bad), "iou: seq must be 1..2^62");
    bad = iou_entry();
    bad["final"] = -1;
    EXPECT_EQ(entry_error(bad), "iou: final must be 0 or 1");
    bad = iou_entry();
    bad["payee"] = std::string(1, '\0') + payee().wire().substr(1);
    EXPECT_EQ(entry_error(bad), "iou: payee: a Tron address must start with the byte 0x41");
    for (std::string const asset :
         {"", "01002000", "1002000x", "-1", " 1002000", "12345678901234567890"}) {
        bad = iou_entry();
        bad["asset"] = asset;
        EXPECT_NE(entry_error(bad), "") << "asset \"" << asset << "\"";
    }
    bad["asset"] = "1002000x";
    EXPECT_EQ(entry_error(bad),
              "iou: asset must be a TRC-10 id: decimal digits without a leading zero");
    bad = iou_entry();
    bad["sig"] = std::string(65 * 2, '0');
    EXPECT_EQ(entry_error(bad), "iou: sig must be exactly 65 bytes") << "hex is not the wire form";
    // The first problem is reported, in field order.
    bad = iou_entry();
    bad.dict().erase("payer");
    bad["seq"] = -5;
    EXPECT_EQ(entry_error(bad), "iou: payer is missing");
}

TEST(LaneProtocolMalformed, SettleRequestAndSettlement) {
    auto bad = entry_of(encode(msg::SettleRequest{5, 6}));
    bad["to"] = 5;
    EXPECT_EQ(entry_error(bad), "settle_req: from must be less than to");
    bad["to"] = 4;
    EXPECT_EQ(entry_error(bad), "settle_req: from must be less than to");
    bad["to"] = -4;
    EXPECT_EQ(entry_error(bad), "settle_req: to must be 0..2^62");

    auto const e = entry_of(encode(msg::Settlement{5, 6, "tx"}));
    bad = e;
    bad["tx"] = "";
    EXPECT_EQ(entry_error(bad), "settlement: tx must be 1..4096 bytes");
    bad["tx"] = std::string(4097, 't');
    EXPECT_EQ(entry_error(bad), "settlement: tx must be 1..4096 bytes");
    bad = e;
    bad["from"] = 7;
    EXPECT_EQ(entry_error(bad), "settlement: from must be less than to");
    bad = e;
    bad.dict().erase("tx");
    EXPECT_EQ(entry_error(bad), "settlement: tx is missing");
}

TEST(LaneProtocolMalformed, ReceiptAndReject) {
    auto const receipt = entry_of(encode(msg::Receipt{counting<32>(0), "pending", 6}));
    auto bad = receipt;
    bad["txid"] = std::string(31, 'x');
    EXPECT_EQ(entry_error(bad), "receipt: txid must be exactly 32 bytes");
    bad = receipt;
    bad["status"] = "done";
    EXPECT_EQ(entry_error(bad),
              "receipt: status must be \"pending\", \"confirmed\", \"solidified\" or \"failed\"");
    bad["status"] = "Pending";
    EXPECT_NE(entry_error(bad), "");
    bad = receipt;
    bad["to"] = -1;
    EXPECT_EQ(entry_error(bad), "receipt: to must be 0..2^62");

    auto const reject = entry_of(encode(msg::Reject{"bad_iou", "sig"}));
    bad = reject;
    bad["code"] = "";
    EXPECT_EQ(entry_error(bad), "reject: code must be 1..64 bytes");
    bad["code"] = std::string(65, 'c');
    EXPECT_EQ(entry_error(bad), "reject: code must be 1..64 bytes");
    bad = reject;
    bad["msg"] = std::string(201, 'm');
    EXPECT_EQ(entry_error(bad), "reject: msg must be 0..200 bytes");
}

TEST(LaneProtocolMalformed, ChannelState) {
    auto const state = entry_of(encode(msg::ChannelState{500, 3, counting<65>(0), 200}));
    auto bad = state;
    bad["settled"] = 501;
    EXPECT_EQ(entry_error(bad), "state: settled must not exceed the amount");
    bad = state;
    bad["seq"] = 0;
    EXPECT_EQ(entry_error(bad), "state: an amount needs a seq");
    bad = state;
    bad["sig"] = std::string(64, 's');
    EXPECT_EQ(entry_error(bad), "state: sig must be exactly 65 bytes");
    bad = state;
    bad.dict().erase("settled");
    EXPECT_EQ(entry_error(bad), "state: settled is missing");
    // A channel with no IOU yet: all zeros.
    EXPECT_EQ(decode_error(encode(msg::ChannelState{0, 0, {}, 0})), "");
}

TEST(LaneHello, ClientNamesAreBoundedAndPrintable) {
    EXPECT_EQ(printable_client_name("LaneTorrent 0.4"), "LaneTorrent 0.4");
    EXPECT_EQ(printable_client_name("evil\x1b]0;title\x07"), "evil?]0;title?");
    EXPECT_EQ(printable_client_name(std::string(1 << 20, 'v')).size(), max_client_name_bytes);
    EXPECT_EQ(printable_client_name("caf\xc3\xa9"), "caf??");
}

// ---- the handshake ----

TEST(LaneHello, RoundTripsWithAndWithoutOffer) {
    Hello const buyer{protocol_version, counting<nonce_bytes>(0x10), std::nullopt};
    auto decoded = decode_hello(encode_hello(buyer));
    ASSERT_TRUE(decoded) << decoded.error();
    EXPECT_EQ(decoded.value(), buyer);
    EXPECT_EQ(encode_hello(buyer),
              "d5:nonce16:" + std::string(buyer.nonce.begin(), buyer.nonce.end()) + "1:vi2ee");

    Hello const seller{protocol_version, counting<nonce_bytes>(0x20), sample_offer()};
    decoded = decode_hello(encode_hello(seller));
    ASSERT_TRUE(decoded) << decoded.error();
    EXPECT_EQ(decoded.value(), seller);
    EXPECT_LE(encode_hello(seller).size(), 2048u);
}

TEST(LaneHello, LaterVersionsAndExtraKeysAreAccepted) {
    auto e = hello_entry();
    e["v"] = 7;
    e["future"] = "x";
    e["offer"]["future"] = 1;
    e["offer"]["lanes"]["ludicrous"]["price"] = 9;
    e["offer"]["lanes"]["slow"]["price"] = 0;  // allowed, if 0
    auto decoded = decode_hello(bencode(e));
    ASSERT_TRUE(decoded) << decoded.error();
    EXPECT_EQ(decoded->version, 7);
    EXPECT_EQ(decoded->offer, sample_offer());
}

TEST(LaneHello, Malformed) {
    auto check = [](auto mutate, std::string const& expected) {
        auto e = hello_entry();
        mutate(e);
        EXPECT_EQ(hello_error(e), expected);
    };
    check([](lt::entry& e) { e["v"] = 0; }, "hello: v must be at least 1");
    check([](lt::entry& e) { e["v"] = std::int64_t{1} << 40; }, "hello: v must be at least 1");
    check([](lt::entry& e) { e["nonce"] = std::string(15, 'n'); },
          "hello: nonce must be exactly 16 bytes");
    check([](lt::entry& e) { e.dict().erase("nonce"); }, "hello: nonce is missing");
    check([](lt::entry& e) { e["offer"] = "yes"; }, "hello: offer must be a dictionary");
    check([](lt::entry& e) { e["offer"].dict().erase("payee"); }, "hello: offer: payee is missing");
    check([](lt::entry& e) { e["offer"]["precision"] = 19; },
          "hello: offer: precision must be 0..18");
    check([](lt::entry& e) { e["offer"]["window"] = 0; }, "hello: offer: window must be 1..2^30");
    check([](lt::entry& e) { e["offer"]["window"] = bytes_per_gib + 1; },
          "hello: offer: window must be 1..2^30");
    check([](lt::entry& e) { e["offer"]["step"] = (4 << 20) + 1; },
          "hello: offer: step must not exceed window");
    check([](lt::entry& e) { e["offer"]["step"] = 0; }, "hello: offer: step must be 1..2^30");
    check([](lt::entry& e) { e["offer"]["settle"] = -1; }, "hello: offer: settle must be 0..2^62");
    check([](lt::entry& e) { e["offer"]["asset"] = "BTT"; },
          "hello: offer: asset must be a TRC-10 id: decimal digits without a leading zero");
    check([](lt::entry& e) { e["offer"]["lanes"].dict().erase("fast"); },
          "hello: offer: lanes: fast is missing");
    check([](lt::entry& e) { e["offer"]["lanes"]["slow"]["price"] = 1; },
          "hello: offer: lanes: slow: price must be 0");
    check([](lt::entry& e) { e["offer"]["lanes"]["medium"].dict().erase("price"); },
          "hello: offer: lanes: medium: price is missing");
    check([](lt::entry& e) { e["offer"]["lanes"]["fast"]["price"] = 1'000'000'000'000'001; },
          "hello: offer: lanes: fast: price must be 0..10^15");
    check([](lt::entry& e) { e["offer"]["lanes"]["fast"]["share"] = -1; },
          "hello: offer: lanes: fast: share must be 0..1000");
    check([](lt::entry& e) { e["offer"]["lanes"]["fast"]["share"] = 501; },
          "hello: offer: lanes: the shares must add up to at most 1000");
    check([](lt::entry& e) { e["pad"] = std::string(2048, 'p'); }, "hello: larger than 2048 bytes");
    EXPECT_FALSE(decode_hello("d1:vi1e"));
    EXPECT_FALSE(decode_hello("l1:ve"));
}

// ---- what gets signed ----

ProofContext sample_context() {
    return {"d1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4",
            "1002000",
            payee(),
            payer(),
            counting<nonce_bytes>(0x00),
            counting<nonce_bytes>(0xf0),
            counting<20>(0x40),
            counting<20>(0x60)};
}

TEST(LaneSigning, ProofTextIsExact) {
    EXPECT_EQ(proof_text(sample_context()),
              "LaneTorrent lane proof v1\n"
              "torrent: d1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4\n"
              "asset: 1002000\n"
              "payee: TDvSsdrNM5eeXNL3czpa6AxLDHZA9nwe9K\n"
              "payer: TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC\n"
              "seeder-nonce: 000102030405060708090a0b0c0d0e0f\n"
              "payer-nonce: f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff\n"
              "seeder-peer-id: 404142434445464748494a4b4c4d4e4f50515253\n"
              "payer-peer-id: 606162636465666768696a6b6c6d6e6f70717273");
}

TEST(LaneSigning, IouTextIsExactAndLeavesFinalOut) {
    auto iou = sample_iou();
    auto const text = iou_text(iou);
    EXPECT_EQ(text,
              "LaneTorrent IOU v1\n"
              "payer: TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC\n"
              "payee: TDvSsdrNM5eeXNL3czpa6AxLDHZA9nwe9K\n"
              "asset: 1002000\n"
              "amount: 123456\n"
              "seq: 7");
    iou.final = true;
    iou.signature = counting<65>(100);
    EXPECT_EQ(iou_text(iou), text);
    iou.amount = two_pow_62;
    EXPECT_NE(iou_text(iou).find("\namount: 4611686018427387904\n"), std::string::npos);
}

TEST(LaneSigning, SignedProofRecoversThePayerOnlyInItsOwnContext) {
    auto const context = sample_context();
    auto const signature = tron::sign_message(key(key_one), proof_text(context));
    // Through the wire and back, as the seeder sees it.
    auto decoded = decode(encode(msg::Prove{payer(), signature}));
    ASSERT_TRUE(decoded) << decoded.error();
    auto const& prove = std::get<msg::Prove>(**decoded);
    auto const signer = tron::recover_message_signer(proof_text(context), prove.signature);
    ASSERT_TRUE(signer) << signer.error();
    EXPECT_EQ(signer.value(), payer());

    // Another connection (a fresh nonce or peer id) or another seeder: not the payer.
    auto replayed = context;
    replayed.seeder_nonce[15] ^= 1;
    auto other = tron::recover_message_signer(proof_text(replayed), prove.signature);
    EXPECT_TRUE(!other || other.value() != payer());
    auto relayed = context;
    relayed.payer_peer_id[0] ^= 1;
    other = tron::recover_message_signer(proof_text(relayed), prove.signature);
    EXPECT_TRUE(!other || other.value() != payer());
    auto elsewhere = context;
    elsewhere.payee =
        key("0000000000000000000000000000000000000000000000000000000000000003").address();
    other = tron::recover_message_signer(proof_text(elsewhere), prove.signature);
    EXPECT_TRUE(!other || other.value() != payer());
}

TEST(LaneSigning, SignedIouSurvivesTheWireAndBindsTheAmount) {
    auto iou = sample_iou();
    iou.signature = tron::sign_message(key(key_one), iou_text(iou));
    auto decoded = decode(encode(iou));
    ASSERT_TRUE(decoded) << decoded.error();
    auto const& received = std::get<msg::Iou>(**decoded);
    auto const signer = tron::recover_message_signer(iou_text(received), received.signature);
    ASSERT_TRUE(signer) << signer.error();
    EXPECT_EQ(signer.value(), received.payer);

    auto forged = received;
    forged.amount += 1;
    auto const other = tron::recover_message_signer(iou_text(forged), forged.signature);
    EXPECT_TRUE(!other || other.value() != received.payer);
}

}  // namespace
}  // namespace lanetorrent::lanes

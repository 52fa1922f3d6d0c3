// The lane protocol on the wire (docs/lane-protocol.md is the specification; this is its codec).
// A BEP 10 extension named "ln_lanes": its handshake entry carries the offer, and every message is
// one bencoded dictionary whose "t" names its type. Decoding is strict and never trusts a length:
// anything malformed is an error value, never an exception or a crash (there is a fuzz target).
//
// Signatures are not checked here (the seller and buyer check them with tron/message_signing);
// this layer only guarantees shapes and sizes.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "base/result.hpp"
#include "lanes/lane.hpp"
#include "tron/address.hpp"
#include "tron/keys.hpp"

namespace lanetorrent::lanes {

inline constexpr char const* extension_name = "ln_lanes";
inline constexpr int protocol_version = 2;
// The id under which we receive our messages (BEP 10 lets each side choose its own; libtorrent's
// built-in extensions use 1-8).
inline constexpr int local_message_id = 21;
// Bigger messages are a protocol violation: the largest honest one, a settlement transaction, is
// well under 1 KiB.
inline constexpr std::size_t max_message_bytes = 8 * 1024;
inline constexpr std::size_t nonce_bytes = 16;

using Nonce = std::array<std::uint8_t, nonce_bytes>;

// What a seeder sells. Announced in the extended handshake.
struct LaneTerms {
    Units price_per_gib = 0;  // 0 for slow
    int share_permille = 0;   // the lane's share of the seeder's upload when lanes compete
    friend bool operator==(LaneTerms const&, LaneTerms const&) = default;
};

struct Offer {
    tron::Address payee;
    std::string asset;  // TRC-10 id, ASCII decimal ("1002000")
    int precision = 6;
    std::array<LaneTerms, lane_count> lanes;  // indexed by Lane
    std::int64_t initial_window_bytes = 0;    // credit before the first IOU must arrive
    std::int64_t iou_step_bytes = 0;          // how often the seeder expects an IOU
    Units settle_threshold = 0;               // unsettled amount that triggers a settlement
    // v2: a smaller tail is carried in the channel rather than settled at the end of a download
    // (asked for at the next meeting or after the settle interval). Absent (v1 sellers):
    // settle_threshold.
    std::optional<Units> min_settlement;
    friend bool operator==(Offer const&, Offer const&) = default;
};

// Our part of the extended handshake (top-level key "ln_lanes").
struct Hello {
    int version = protocol_version;
    Nonce nonce{};
    std::optional<Offer> offer;  // only peers that sell lanes
    friend bool operator==(Hello const&, Hello const&) = default;
};

namespace msg {

// 1: the downloader proves it controls `payer` (TIP-191 over proof_text()).
struct Prove {
    tron::Address payer;
    tron::Signature signature{};
    friend bool operator==(Prove const&, Prove const&) = default;
};
// 2: the downloader asks for a lane, paying at most max_price per GiB.
struct Request {
    Lane lane = Lane::slow;
    Units max_price_per_gib = 0;
    friend bool operator==(Request const&, Request const&) = default;
};
// 3: the seeder states the lane this connection is in from now on and what each byte costs.
struct Grant {
    Lane lane = Lane::slow;
    Units price_per_gib = 0;
    std::int64_t window_bytes = 0;  // credit the seeder extends now
    bool reconnect = false;         // the seeder closes this connection; dial it again
    std::string reason;             // why, for people reading logs ("window exceeded", ...)
    friend bool operator==(Grant const&, Grant const&) = default;
};
// 4: a signed cumulative IOU (TIP-191 over iou_text()).
struct Iou {
    tron::Address payer;
    tron::Address payee;
    std::string asset;
    Units amount = 0;      // cumulative, for everything this payer owes this payee in asset
    std::int64_t seq = 0;  // strictly increasing with amount
    bool final = false;    // the payer has finished with this torrent: settle when convenient
    tron::Signature signature{};
    friend bool operator==(Iou const&, Iou const&) = default;
};
// 5: the seeder asks for an on-chain transfer of (to - from).
struct SettleRequest {
    Units from = 0;  // cumulative amount already settled (the seeder's view)
    Units to = 0;    // cumulative amount to settle up to (<= the latest IOU)
    friend bool operator==(SettleRequest const&, SettleRequest const&) = default;
};
// 6: the downloader answers with a signed TransferAssetContract (serialized protocol.Transaction).
struct Settlement {
    Units from = 0;
    Units to = 0;
    std::string transaction;  // bytes
    friend bool operator==(Settlement const&, Settlement const&) = default;
};
// 7: the seeder reports what became of a settlement.
struct Receipt {
    std::array<std::uint8_t, 32> txid{};
    std::string status;  // "pending", "confirmed", "solidified", "failed"
    Units to = 0;
    friend bool operator==(Receipt const&, Receipt const&) = default;
};
// 8: something the peer sent was refused.
struct Reject {
    std::string code;  // see docs/lane-protocol.md, "Errors"
    std::string message;
    friend bool operator==(Reject const&, Reject const&) = default;
};

// 9 (v2): the seeder tells a proven payer where their channel stands: the payer's own latest IOU
// (its signature lets a payer whose ledger is behind verify and continue from it) and what
// settlements in a block have paid.
struct ChannelState {
    Units amount = 0;             // the latest IOU's amount (0 with seq 0: none yet)
    std::int64_t seq = 0;         // the latest IOU's seq
    tron::Signature signature{};  // the latest IOU's signature (zeros with seq 0)
    Units settled = 0;            // cumulative amount of the settlements in a block
    friend bool operator==(ChannelState const&, ChannelState const&) = default;
};

}  // namespace msg

using Message = std::variant<msg::Prove, msg::Request, msg::Grant, msg::Iou, msg::SettleRequest,
                             msg::Settlement, msg::Receipt, msg::Reject, msg::ChannelState>;

// The "t" value of each alternative, in variant order starting at 1.
int message_type(Message const& message);

std::string encode(Message const& message);  // the bencoded body, without BEP 10 framing
// std::nullopt with no error: a well-formed message of a type we do not know (ignored, so later
// versions can add types). An Error: malformed, oversize, or a field out of range.
Result<std::optional<Message>> decode(std::string_view body);

// The dictionary stored under "ln_lanes" in the extended handshake, and back.
std::string encode_hello(Hello const& hello);  // bencoded dict
Result<Hello> decode_hello(std::string_view bencoded_dict);

// Wraps a body for the wire: 4-byte length, 20 (extended), the peer's id for our extension (1..255,
// from its handshake's "m"), body.
std::string frame(int peer_message_id, std::string_view body);

// Everything a proof binds, so it cannot be replayed on another connection or relayed.
struct ProofContext {
    std::string info_hash_hex;  // the torrent's id as the engine shows it
    std::string asset;
    tron::Address payee;
    tron::Address payer;
    Nonce seeder_nonce{};
    Nonce payer_nonce{};
    std::array<std::uint8_t, 20> seeder_peer_id{};
    std::array<std::uint8_t, 20> payer_peer_id{};
};
std::string proof_text(ProofContext const& context);

// A peer's client name (the extended handshake's "v") as it may be stored and shown: at most 64
// bytes, printable ASCII only (anything else becomes '?'), so a peer can neither make us store a
// megabyte per connection nor put control sequences on a terminal.
inline constexpr std::size_t max_client_name_bytes = 64;
std::string printable_client_name(std::string_view name);
std::string iou_text(msg::Iou const& iou);  // everything but the signature

}  // namespace lanetorrent::lanes

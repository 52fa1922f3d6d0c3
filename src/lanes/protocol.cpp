#include "lanes/protocol.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <libtorrent/bdecode.hpp>
#include <libtorrent/bencode.hpp>
#include <libtorrent/entry.hpp>
#include <libtorrent/error_code.hpp>
#include <limits>
#include <utility>

#include "tron/bytes.hpp"

namespace lanetorrent::lanes {

namespace {

// docs/lane-protocol.md, "Messages" and "Extension header": every limit here is one there.
constexpr std::size_t max_hello_bytes = 2 * 1024;
constexpr std::size_t max_reason_bytes = 200;
constexpr std::size_t max_code_bytes = 64;
constexpr std::size_t max_transaction_bytes = 4 * 1024;
constexpr std::size_t max_asset_digits = 19;
// Unknown keys may hold any value, but not one that makes the parser recurse or allocate without
// bound. Honest messages nest three deep (hello -> offer -> lanes -> lane) and hold ~30 items.
constexpr int max_depth = 16;
constexpr int max_items = 4096;

struct Range {
    std::int64_t min;
    std::int64_t max;
    char const* text;  // how the error sentence states it
};

constexpr std::int64_t two_pow_62 = std::int64_t{1} << 62;
constexpr Range amount_range{0, two_pow_62, "0..2^62"};
constexpr Range seq_range{1, two_pow_62, "1..2^62"};
constexpr Range window_range{0, std::int64_t{1} << 40, "0..2^40"};
constexpr Range price_range{0, 1'000'000'000'000'000, "0..10^15"};
constexpr Range flag_range{0, 1, "0 or 1"};
constexpr Range version_range{1, std::numeric_limits<int>::max(), "at least 1"};
constexpr Range precision_range{0, 18, "0..18"};
constexpr Range share_range{0, 1000, "0..1000"};
constexpr Range offer_window_range{1, bytes_per_gib, "1..2^30"};
constexpr Range zero_range{0, 0, "0"};
constexpr Range any_range{std::numeric_limits<std::int64_t>::min(),
                          std::numeric_limits<std::int64_t>::max(), "an integer"};

constexpr char const* receipt_statuses[] = {"pending", "confirmed", "solidified", "failed"};

std::span<std::uint8_t const> as_bytes(std::string_view text) {
    return {reinterpret_cast<std::uint8_t const*>(text.data()), text.size()};
}

// libtorrent's string_view is boost's.
std::string_view text_of(lt::bdecode_node const& node) {
    auto const value = node.string_value();
    return {value.data(), value.size()};
}

template <class Bytes>
std::string raw(Bytes const& bytes) {
    return {bytes.begin(), bytes.end()};
}

// libtorrent's int_value() wraps at the edges (i-9223372036854775808e reads as something else), so
// the token's text is parsed again, exactly; nullopt beyond int64.
std::optional<std::int64_t> exact_integer(lt::bdecode_node const& node) {
    auto const token = node.data_section();  // "i...e"
    if (token.size() < 3) return std::nullopt;
    auto const* first = token.data() + 1;
    auto const* last = token.data() + token.size() - 1;
    std::int64_t value = 0;
    auto const [end, ec] = std::from_chars(first, last, value);
    if (ec != std::errc{} || end != last) return std::nullopt;
    return value;
}

bool valid_asset(std::string_view asset) {
    return !asset.empty() && asset.size() <= max_asset_digits && asset[0] != '0' &&
           std::all_of(asset.begin(), asset.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Reads the fields of one bencoded dictionary. The first failure is kept and every later read
// returns a placeholder, so a decoder reads all its fields and checks failed() once.
class Reader {
  public:
    Reader(lt::bdecode_node dict, std::string where) : dict_(std::move(dict)), where_(where) {}

    bool failed() const { return error_.has_value(); }
    Error const& error() const { return *error_; }

    void check(bool condition, std::string const& sentence) {
        if (!condition) fail(sentence);
    }

    // A nested dictionary's reader reports through its parent.
    void adopt(Reader const& inner) {
        if (!error_) error_ = inner.error_;
    }

    bool has(char const* key) const {
        return dict_.dict_find(key).type() != lt::bdecode_node::none_t;
    }

    std::int64_t integer(char const* key, Range range) {
        auto const node = find(key, lt::bdecode_node::int_t, "an integer");
        if (!node) return range.min;
        auto const value = exact_integer(*node);
        if (!value || *value < range.min || *value > range.max) {
            fail(std::string(key) + " must be " + range.text);
            return range.min;
        }
        return *value;
    }

    bool flag(char const* key) { return integer(key, flag_range) == 1; }

    std::string_view bytes(char const* key, std::size_t min, std::size_t max) {
        auto const node = find(key, lt::bdecode_node::string_t, "a string");
        if (!node) return {};
        auto const value = text_of(*node);
        if (value.size() < min || value.size() > max) {
            fail(std::string(key) + " must be " + std::to_string(min) + ".." + std::to_string(max) +
                 " bytes");
            return {};
        }
        return value;
    }

    template <std::size_t N>
    std::array<std::uint8_t, N> fixed(char const* key) {
        std::array<std::uint8_t, N> out{};
        auto const node = find(key, lt::bdecode_node::string_t, "a string");
        if (!node) return out;
        auto const value = text_of(*node);
        if (value.size() != N) {
            fail(std::string(key) + " must be exactly " + std::to_string(N) + " bytes");
        } else {
            std::copy(value.begin(), value.end(), out.begin());
        }
        return out;
    }

    std::optional<tron::Address> address(char const* key) {
        auto const node = find(key, lt::bdecode_node::string_t, "a string");
        if (!node) return std::nullopt;
        auto address = tron::Address::from_bytes(as_bytes(text_of(*node)));
        if (!address) {
            fail(std::string(key) + ": " + address.error());
            return std::nullopt;
        }
        return address.value();
    }

    Lane lane(char const* key) {
        auto const name = bytes(key, 0, 16);
        auto const lane = lane_from_string(name);
        if (!failed() && !lane)
            fail(std::string(key) + " must be \"slow\", \"medium\" or \"fast\"");
        return lane.value_or(Lane::slow);
    }

    std::string asset(char const* key) {
        auto const value = bytes(key, 1, max_asset_digits);
        if (!failed() && !valid_asset(value)) {
            fail(std::string(key) + " must be a TRC-10 id: decimal digits without a leading zero");
        }
        return std::string(value);
    }

    lt::bdecode_node dict(char const* key) {
        auto const node = find(key, lt::bdecode_node::dict_t, "a dictionary");
        return node ? *node : lt::bdecode_node{};
    }

  private:
    std::optional<lt::bdecode_node> find(char const* key, lt::bdecode_node::type_t type,
                                         char const* type_name) {
        if (failed()) return std::nullopt;
        auto node = dict_.dict_find(key);
        if (node.type() == lt::bdecode_node::none_t) {
            fail(std::string(key) + " is missing");
            return std::nullopt;
        }
        if (node.type() != type) {
            fail(std::string(key) + " must be " + type_name);
            return std::nullopt;
        }
        return node;
    }

    void fail(std::string const& sentence) {
        if (!error_) error_ = Error{where_ + ": " + sentence};
    }

    lt::bdecode_node dict_;
    std::string where_;
    std::optional<Error> error_;
};

// One bencoded dictionary filling the whole of `text`, nothing before or after it.
Result<lt::bdecode_node> parse_dict(std::string_view text, std::size_t max_bytes,
                                    std::string const& where) {
    if (text.size() > max_bytes) {
        return Error{where + ": larger than " + std::to_string(max_bytes) + " bytes"};
    }
    lt::error_code ec;
    auto root = lt::bdecode({text.data(), static_cast<std::ptrdiff_t>(text.size())}, ec, nullptr,
                            max_depth, max_items);
    if (ec) return Error{where + ": not valid bencoding (" + ec.message() + ")"};
    if (root.type() != lt::bdecode_node::dict_t) return Error{where + ": not a dictionary"};
    if (root.data_section().size() != static_cast<std::ptrdiff_t>(text.size())) {
        return Error{where + ": bytes follow the dictionary"};
    }
    return root;
}

// ---- messages, one decoder each; the caller has already read "t" ----

Result<msg::Prove> decode_prove(Reader r) {
    auto payer = r.address("payer");
    auto const signature = r.fixed<65>("sig");
    if (r.failed()) return r.error();
    return msg::Prove{*payer, signature};
}

Result<msg::Request> decode_request(Reader r) {
    msg::Request m;
    m.lane = r.lane("lane");
    m.max_price_per_gib = r.integer("max_price", price_range);
    if (r.failed()) return r.error();
    return m;
}

Result<msg::Grant> decode_grant(Reader r) {
    msg::Grant m;
    m.lane = r.lane("lane");
    m.price_per_gib = r.integer("price", price_range);
    m.window_bytes = r.integer("window", window_range);
    m.reconnect = r.flag("reconnect");
    m.reason = r.bytes("reason", 0, max_reason_bytes);
    r.check(m.lane != Lane::slow || m.price_per_gib == 0, "a slow lane's price must be 0");
    if (r.failed()) return r.error();
    return m;
}

Result<msg::Iou> decode_iou(Reader r) {
    auto payer = r.address("payer");
    auto payee = r.address("payee");
    auto asset = r.asset("asset");
    auto const amount = r.integer("amount", amount_range);
    auto const seq = r.integer("seq", seq_range);
    auto const is_final = r.flag("final");
    auto const signature = r.fixed<65>("sig");
    if (r.failed()) return r.error();
    return msg::Iou{*payer, *payee, std::move(asset), amount, seq, is_final, signature};
}

// from < to: a settlement moves a positive amount (Tron refuses a transfer of 0).
Result<std::pair<Units, Units>> read_span(Reader& r) {
    auto const from = r.integer("from", amount_range);
    auto const to = r.integer("to", amount_range);
    r.check(from < to, "from must be less than to");
    if (r.failed()) return r.error();
    return std::pair{from, to};
}

Result<msg::SettleRequest> decode_settle_request(Reader r) {
    auto span = read_span(r);
    if (!span) return span.failure();
    return msg::SettleRequest{span->first, span->second};
}

Result<msg::Settlement> decode_settlement(Reader r) {
    auto span = read_span(r);
    if (!span) return span.failure();
    auto const tx = r.bytes("tx", 1, max_transaction_bytes);
    if (r.failed()) return r.error();
    return msg::Settlement{span->first, span->second, std::string(tx)};
}

Result<msg::Receipt> decode_receipt(Reader r) {
    msg::Receipt m;
    m.txid = r.fixed<32>("txid");
    m.status = r.bytes("status", 1, 16);
    m.to = r.integer("to", amount_range);
    r.check(std::ranges::find(receipt_statuses, m.status) != std::end(receipt_statuses),
            "status must be \"pending\", \"confirmed\", \"solidified\" or \"failed\"");
    if (r.failed()) return r.error();
    return m;
}

Result<msg::Reject> decode_reject(Reader r) {
    msg::Reject m;
    m.code = r.bytes("code", 1, max_code_bytes);
    m.message = r.bytes("msg", 0, max_reason_bytes);
    if (r.failed()) return r.error();
    return m;
}

Result<msg::ChannelState> decode_channel_state(Reader r) {
    msg::ChannelState m;
    m.amount = r.integer("amount", amount_range);
    m.seq = r.integer("seq", amount_range);
    m.signature = r.fixed<65>("sig");
    m.settled = r.integer("settled", amount_range);
    r.check(m.seq > 0 || m.amount == 0, "an amount needs a seq");
    r.check(m.settled <= m.amount, "settled must not exceed the amount");
    if (r.failed()) return r.error();
    return m;
}

template <class T>
Result<std::optional<Message>> as_message(Result<T> decoded) {
    if (!decoded) return decoded.failure();
    return std::optional<Message>{std::move(decoded).value()};
}

// ---- encoding ----

lt::entry to_entry(msg::Prove const& m) {
    lt::entry e;
    e["payer"] = m.payer.wire();
    e["sig"] = raw(m.signature);
    return e;
}

lt::entry to_entry(msg::Request const& m) {
    lt::entry e;
    e["lane"] = to_string(m.lane);
    e["max_price"] = m.max_price_per_gib;
    return e;
}

lt::entry to_entry(msg::Grant const& m) {
    lt::entry e;
    e["lane"] = to_string(m.lane);
    e["price"] = m.price_per_gib;
    e["window"] = m.window_bytes;
    e["reconnect"] = m.reconnect ? 1 : 0;
    e["reason"] = m.reason;
    return e;
}

lt::entry to_entry(msg::Iou const& m) {
    lt::entry e;
    e["payer"] = m.payer.wire();
    e["payee"] = m.payee.wire();
    e["asset"] = m.asset;
    e["amount"] = m.amount;
    e["seq"] = m.seq;
    e["final"] = m.final ? 1 : 0;
    e["sig"] = raw(m.signature);
    return e;
}

lt::entry to_entry(msg::SettleRequest const& m) {
    lt::entry e;
    e["from"] = m.from;
    e["to"] = m.to;
    return e;
}

lt::entry to_entry(msg::Settlement const& m) {
    lt::entry e;
    e["from"] = m.from;
    e["to"] = m.to;
    e["tx"] = m.transaction;
    return e;
}

lt::entry to_entry(msg::Receipt const& m) {
    lt::entry e;
    e["txid"] = raw(m.txid);
    e["status"] = m.status;
    e["to"] = m.to;
    return e;
}

lt::entry to_entry(msg::Reject const& m) {
    lt::entry e;
    e["code"] = m.code;
    e["msg"] = m.message;
    return e;
}

lt::entry to_entry(msg::ChannelState const& m) {
    lt::entry e;
    e["amount"] = m.amount;
    e["seq"] = m.seq;
    e["sig"] = raw(m.signature);
    e["settled"] = m.settled;
    return e;
}

std::string bencode(lt::entry const& e) {
    std::string out;
    lt::bencode(std::back_inserter(out), e);
    return out;
}

// ---- the handshake ----

lt::entry offer_entry(Offer const& offer) {
    lt::entry e;
    e["payee"] = offer.payee.wire();
    e["asset"] = offer.asset;
    e["precision"] = offer.precision;
    for (int i = 0; i < lane_count; ++i) {
        auto const& terms = offer.lanes[static_cast<std::size_t>(i)];
        auto& lane = e["lanes"][to_string(static_cast<Lane>(i))];
        // slow is free by definition, so its price is not sent.
        if (i != static_cast<int>(Lane::slow)) lane["price"] = terms.price_per_gib;
        lane["share"] = terms.share_permille;
    }
    e["window"] = offer.initial_window_bytes;
    e["step"] = offer.iou_step_bytes;
    e["settle"] = offer.settle_threshold;
    if (offer.min_settlement) e["min_settle"] = *offer.min_settlement;
    return e;
}

// A lane's terms; slow may carry a price, but only 0.
std::optional<LaneTerms> decode_terms(Reader& lanes, Lane lane) {
    auto const name = to_string(lane);
    auto const dict = lanes.dict(name);
    if (lanes.failed()) return std::nullopt;
    Reader r(dict, "hello: offer: lanes: " + std::string(name));
    LaneTerms terms;
    if (lane != Lane::slow || r.has("price")) {
        terms.price_per_gib = r.integer("price", lane == Lane::slow ? zero_range : price_range);
    }
    terms.share_permille = static_cast<int>(r.integer("share", share_range));
    lanes.adopt(r);
    if (r.failed()) return std::nullopt;
    return terms;
}

Result<std::array<LaneTerms, lane_count>> decode_lanes(lt::bdecode_node const& node) {
    Reader r(node, "hello: offer: lanes");
    std::array<LaneTerms, lane_count> lanes{};
    int share_sum = 0;
    for (int i = 0; i < lane_count && !r.failed(); ++i) {
        auto terms = decode_terms(r, static_cast<Lane>(i));
        if (terms) lanes[static_cast<std::size_t>(i)] = *terms;
        if (terms) share_sum += terms->share_permille;
    }
    r.check(share_sum <= 1000, "the shares must add up to at most 1000");
    if (r.failed()) return r.error();
    return lanes;
}

Result<Offer> decode_offer(lt::bdecode_node const& node) {
    Reader r(node, "hello: offer");
    auto payee = r.address("payee");
    auto asset = r.asset("asset");
    auto const precision = static_cast<int>(r.integer("precision", precision_range));
    auto const lanes_node = r.dict("lanes");
    auto const window = r.integer("window", offer_window_range);
    auto const step = r.integer("step", offer_window_range);
    auto const settle = r.integer("settle", amount_range);
    std::optional<Units> min_settlement;
    if (r.has("min_settle")) min_settlement = r.integer("min_settle", amount_range);
    r.check(step <= window, "step must not exceed window");
    r.check(!min_settlement || *min_settlement <= settle, "min_settle must not exceed settle");
    if (r.failed()) return r.error();
    auto lanes = decode_lanes(lanes_node);
    if (!lanes) return lanes.failure();
    return Offer{*payee, std::move(asset), precision, *lanes, window, step, settle, min_settlement};
}

}  // namespace

int message_type(Message const& message) {
    return static_cast<int>(message.index()) + 1;
}

std::string encode(Message const& message) {
    // encode trusts its input: messages are built from state that was validated on the way in.
    auto e = std::visit([](auto const& m) { return to_entry(m); }, message);
    e["t"] = message_type(message);
    return bencode(e);
}

Result<std::optional<Message>> decode(std::string_view body) {
    auto root = parse_dict(body, max_message_bytes, "message");
    if (!root) return root.failure();
    Reader t_reader(root.value(), "message");
    auto const type = t_reader.integer("t", any_range);
    if (t_reader.failed()) return t_reader.error();
    auto const& dict = root.value();
    switch (type) {
        case 1:
            return as_message(decode_prove({dict, "prove"}));
        case 2:
            return as_message(decode_request({dict, "request"}));
        case 3:
            return as_message(decode_grant({dict, "grant"}));
        case 4:
            return as_message(decode_iou({dict, "iou"}));
        case 5:
            return as_message(decode_settle_request({dict, "settle_req"}));
        case 6:
            return as_message(decode_settlement({dict, "settlement"}));
        case 7:
            return as_message(decode_receipt({dict, "receipt"}));
        case 8:
            return as_message(decode_reject({dict, "reject"}));
        case 9:
            return as_message(decode_channel_state({dict, "state"}));
        default:
            return std::optional<Message>{};  // a later version's message: ignored
    }
}

std::string encode_hello(Hello const& hello) {
    lt::entry e;
    e["v"] = hello.version;
    e["nonce"] = raw(hello.nonce);
    if (hello.offer) e["offer"] = offer_entry(*hello.offer);
    return bencode(e);
}

Result<Hello> decode_hello(std::string_view bencoded_dict) {
    auto root = parse_dict(bencoded_dict, max_hello_bytes, "hello");
    if (!root) return root.failure();
    Reader r(root.value(), "hello");
    Hello hello;
    // A later version keeps v1's fields, so anything from 1 up is spoken to as v1.
    hello.version = static_cast<int>(r.integer("v", version_range));
    hello.nonce = r.fixed<nonce_bytes>("nonce");
    auto const has_offer = r.has("offer");
    auto const offer_node = has_offer ? r.dict("offer") : lt::bdecode_node{};
    if (r.failed()) return r.error();
    if (has_offer) {
        auto offer = decode_offer(offer_node);
        if (!offer) return offer.failure();
        hello.offer = std::move(offer).value();
    }
    return hello;
}

std::string frame(int peer_message_id, std::string_view body) {
    // BEP 3 length prefix (big-endian, counting the two id bytes), then BEP 10's message id 20.
    auto const length = static_cast<std::uint32_t>(body.size() + 2);
    std::string out;
    out.reserve(body.size() + 6);
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(length >> shift));
    out.push_back(static_cast<char>(20));
    out.push_back(static_cast<char>(peer_message_id));
    out.append(body);
    return out;
}

std::string proof_text(ProofContext const& c) {
    return "LaneTorrent lane proof v1\ntorrent: " + c.info_hash_hex + "\nasset: " + c.asset +
           "\npayee: " + c.payee.base58() + "\npayer: " + c.payer.base58() +
           "\nseeder-nonce: " + tron::to_hex(c.seeder_nonce) +
           "\npayer-nonce: " + tron::to_hex(c.payer_nonce) +
           "\nseeder-peer-id: " + tron::to_hex(c.seeder_peer_id) +
           "\npayer-peer-id: " + tron::to_hex(c.payer_peer_id);
}

std::string printable_client_name(std::string_view name) {
    std::string out;
    out.reserve(std::min(name.size(), max_client_name_bytes));
    for (char c : name.substr(0, max_client_name_bytes)) {
        out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out;
}

std::string iou_text(msg::Iou const& iou) {
    return "LaneTorrent IOU v1\npayer: " + iou.payer.base58() + "\npayee: " + iou.payee.base58() +
           "\nasset: " + iou.asset + "\namount: " + std::to_string(iou.amount) +
           "\nseq: " + std::to_string(iou.seq);
}

}  // namespace lanetorrent::lanes

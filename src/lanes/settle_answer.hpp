// How a payer answers a seller's settle_req. Apart from the session, so that the rules (one
// debt, one transfer; never sign a range twice) are tested against a real ledger without a
// seller on the other end.
#pragma once

#include <optional>
#include <string>

#include "lanes/lane_store.hpp"
#include "lanes/protocol.hpp"

namespace lanetorrent::lanes {

struct SettleAnswer {
    enum class Kind {
        resend,  // hand over `settlement` again, byte for byte
        sign,    // sign a new transfer for [request.from, request.to)
        refuse,  // reject as bad_settle_req, for `why`
    };
    Kind kind = Kind::refuse;
    std::optional<SettlementRecord> settlement;  // resend
    std::string why;                             // refuse
};

// `recovered_settled`: what the seller said, in a channel state that came with our own latest
// IOU, that settlements in a block have paid (another device of ours paid them). It can only
// raise where our settlements end: a range below it is never signed again.
SettleAnswer answer_settle_request(msg::SettleRequest const& request, LaneStore const& ledger,
                                   ChannelKey const& spend, Units recovered_settled = 0);

}  // namespace lanetorrent::lanes

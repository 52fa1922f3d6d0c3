#include "lanes/settle_answer.hpp"

#include <algorithm>

namespace lanetorrent::lanes {

SettleAnswer answer_settle_request(msg::SettleRequest const& request, LaneStore const& ledger,
                                   ChannelKey const& spend, Units recovered_settled) {
    using Kind = SettleAnswer::Kind;
    auto const state = ledger.channel(spend);
    if (request.to > state.iou_amount || request.to <= request.from) {
        return {Kind::refuse, std::nullopt, "settle_req asks for more than our IOUs"};
    }
    // One debt, one transfer: an open settlement (signed, pending, confirmed) of the range asked
    // for is sent again as is.
    auto const open = ledger.open_settlement(spend);
    if (open && open->from == request.from) return {Kind::resend, open, {}};
    // The seller may see our open settlement in a block before we do and ask for the range after
    // it: our settlements end there, so that is the next one to sign.
    Units const settled_to = std::max(open ? std::max(open->to, state.settled) : state.settled,
                                      std::min(recovered_settled, state.iou_amount));
    // A range we already settled (a seller killed before it recorded our settlement, which we
    // then broadcast ourselves): hand over that same settlement again, so both ledgers count it.
    if (request.from < settled_to) {
        for (auto const& done : ledger.settlements(Role::spend)) {
            if (done.channel == spend && done.from == request.from &&
                done.status != SettlementStatus::failed) {
                return {Kind::resend, done, {}};
            }
        }
    }
    if (request.from != settled_to) {
        return {Kind::refuse, std::nullopt,
                "settle_req starts at " + std::to_string(request.from) +
                    " but our settlements end at " + std::to_string(settled_to)};
    }
    return {Kind::sign, std::nullopt, {}};
}

}  // namespace lanetorrent::lanes

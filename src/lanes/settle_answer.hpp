// How a payer answers a seller's settle_req. Apart from the session, so that the rules (one
// debt, one transfer; never sign a range twice) are tested against a real ledger without a
// seller on the other end.
#pragma once

#include <optional>
#include <string>

#include "lanes/ledger.hpp"
#include "lanes/protocol.hpp"

namespace lanetorrent::lanes {

struct SettleAnswer {
    enum class Kind {
        resend,  // hand over `settlement` again, byte for byte
        sign,    // sign a new transfer for [request.from, request.to)
        refuse,  // reject as malformed, for `why`
    };
    Kind kind = Kind::refuse;
    std::optional<SettlementRecord> settlement;  // resend
    std::string why;                             // refuse
};

SettleAnswer answer_settle_request(msg::SettleRequest const& request, Ledger const& ledger,
                                   ChannelKey const& spend);

}  // namespace lanetorrent::lanes

#include "lanes/seller_rules.hpp"

#include <algorithm>

namespace lanetorrent::lanes {

Units window_units(CreditTerms const& terms) {
    return cost_of(terms.window_bytes, std::max<Units>(terms.price_per_gib, 1));
}

Units exposure_bound(CreditTerms const& terms) {
    return window_units(terms) + std::max<Units>(terms.settle_threshold, 0);
}

char const* reason_text(Credit credit) {
    switch (credit) {
        case Credit::ok:
            return "requested";
        case Credit::window_exceeded:
            return "window exceeded";
        case Credit::awaiting_settlement:
            return "awaiting settlement";
    }
    return "requested";
}

Credit credit_verdict(ChannelMoney const& money, CreditTerms const& terms, Credit held) {
    Units const window = window_units(terms);
    Units const bound = exposure_bound(terms);
    // Held back: the margin the payer must regain before it is served again.
    Units const margin = held == Credit::ok ? 0 : window / 2;
    if (money.unsigned_debt() > window - margin) return Credit::window_exceeded;
    if (money.exposure() > bound - margin) return Credit::awaiting_settlement;
    return Credit::ok;
}

std::optional<SettleRange> settlement_due(ChannelMoney const& money, SettlePolicy const& policy,
                                          SettleSituation const& situation) {
    Units const unsettled = money.unsettled();
    if (situation.in_flight || unsettled <= 0) return std::nullopt;
    bool const due =
        unsettled >= policy.threshold ||
        (unsettled >= policy.min_payout && (situation.payer_done || situation.payer_back)) ||
        situation.overdue;
    if (!due) return std::nullopt;
    return SettleRange{money.confirmed, money.promised};
}

RangeVerdict settlement_range_verdict(SettleRange const& offered, ChannelMoney const& money,
                                      std::optional<SettleRange> const& asked) {
    if (offered.from != money.confirmed || offered.to <= offered.from ||
        offered.to > money.promised) {
        return RangeVerdict::bad;
    }
    Units const wanted = asked ? asked->to : money.promised;
    return offered.to >= wanted ? RangeVerdict::covers : RangeVerdict::partial;
}

bool iou_beyond_service(Units amount, ChannelMoney const& money, CreditTerms const& terms) {
    Units const served = std::max(money.accrued, money.promised);
    return amount > served && amount - served > window_units(terms);
}

}  // namespace lanetorrent::lanes

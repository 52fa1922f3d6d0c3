// An account's TRX and one token's balance, as the wallet shows them.
#pragma once

#include <cstdint>
#include <string>

#include "tron/client.hpp"

namespace lanetorrent::wallet {

struct AccountBalances {
    bool exists = false;  // false: never activated (no transfer has reached it yet)
    std::int64_t trx_sun = 0;
    std::int64_t asset_units = 0;  // base units of `asset`
};

tron::NodeResult<AccountBalances> fetch_balances(tron::TronClient& client,
                                                 tron::Address const& address,
                                                 std::string const& asset);

}  // namespace lanetorrent::wallet

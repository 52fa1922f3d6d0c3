#include "wallet/balances.hpp"

namespace lanetorrent::wallet {

tron::NodeResult<AccountBalances> fetch_balances(tron::TronClient& client,
                                                 tron::Address const& address,
                                                 std::string const& asset) {
    auto balances = client.balances(address);
    if (!balances) return balances.failure();
    AccountBalances result;
    if (auto const& account = balances.value()) {
        result.exists = true;
        result.trx_sun = account->trx_sun;
        if (auto it = account->assets.find(asset); it != account->assets.end()) {
            result.asset_units = it->second;
        }
    }
    return result;
}

}  // namespace lanetorrent::wallet

// What a transfer burns once the sender's free bandwidth (600 bytes a day on mainnet) is used up,
// at the mainnet defaults (docs: /work/shared/reference/tron-facts.md section 4.5). The node
// decides the real figure; these are for showing a person an estimate before they sign.
#pragma once

#include <cstdint>

namespace lanetorrent::wallet {

// A signed single-contract transfer is about 217 bytes; bandwidth counts 64 more.
inline constexpr std::int64_t transfer_bandwidth_bytes = 281;
inline constexpr std::int64_t sun_per_bandwidth_byte = 1'000;
// A transfer that creates the recipient's account: 0.1 TRX for bandwidth plus 1 TRX.
inline constexpr std::int64_t new_account_fee_sun = 1'100'000;

inline constexpr std::int64_t transfer_fee_estimate_sun(bool new_recipient = false) {
    return new_recipient ? new_account_fee_sun : transfer_bandwidth_bytes * sun_per_bandwidth_byte;
}

}  // namespace lanetorrent::wallet

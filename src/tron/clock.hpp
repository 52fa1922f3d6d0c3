// Tron's clock: block timestamps, transaction timestamps and expirations are Unix milliseconds.
#pragma once

#include <chrono>
#include <cstdint>

namespace lanetorrent::tron {

inline std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace lanetorrent::tron

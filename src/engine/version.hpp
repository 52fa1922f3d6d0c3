#pragma once

#include <string>

#include <libtorrent/version.hpp>

namespace lanetorrent {

inline constexpr char const* version = "0.1.0";

// Sent to trackers and shown in torrents we create.
inline std::string user_agent() {
    return std::string("LaneTorrent/") + version + " libtorrent/" + lt::version();
}

}  // namespace lanetorrent

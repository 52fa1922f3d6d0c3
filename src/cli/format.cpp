#include "cli/format.hpp"

#include <fmt/format.h>

namespace lanetorrent::cli {

std::string format_bytes(std::int64_t bytes) {
    static constexpr char const* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", value, units[unit]);
}

std::string format_rate(std::int64_t bytes_per_second) {
    return format_bytes(bytes_per_second) + "/s";
}

std::string format_duration(std::optional<std::int64_t> seconds) {
    if (!seconds) return "-";
    auto const s = *seconds;
    if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
    return fmt::format("{}:{:02}", s / 60, s % 60);
}

std::string json_text(nlohmann::json const& json) {
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace lanetorrent::cli

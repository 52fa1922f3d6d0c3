#include "base/profile.hpp"

#include <cstdlib>
#include <system_error>

namespace lanetorrent {
namespace fs = std::filesystem;

namespace {

fs::path xdg_dir(char const* variable, fs::path const& fallback_below_home) {
    // The spec says relative values are invalid and must be ignored.
    if (char const* value = std::getenv(variable); value && fs::path(value).is_absolute()) {
        return value;
    }
    char const* home = std::getenv("HOME");
    return fs::path(home && *home ? home : "/tmp") / fallback_below_home;
}

}  // namespace

Profile Profile::from_environment() {
    return Profile(xdg_dir("XDG_CONFIG_HOME", ".config") / "lanetorrent",
                   xdg_dir("XDG_DATA_HOME", ".local/share") / "lanetorrent");
}

Profile Profile::in_directory(fs::path const& dir) {
    auto const absolute = fs::absolute(dir);
    return Profile(absolute / "config", absolute / "data");
}

Status Profile::create_directories() const {
    for (auto const& dir : {config_dir_, data_dir_, resume_dir()}) {
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (ec) return Error{"cannot create directory " + dir.string() + ": " + ec.message()};
        fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    }
    return Ok{};
}

}  // namespace lanetorrent

// The engine's small value types: endpoints, profiles, listen-interface parsing, settings.
#include <gtest/gtest.h>

#include <cstdlib>

#include "base/profile.hpp"
#include "engine/endpoint.hpp"
#include "engine/settings.hpp"
#include "temp_dir.hpp"

namespace lanetorrent {
namespace {

TEST(Endpoint, ParsesIpv4AndBracketedIpv6) {
    auto v4 = parse_endpoint("127.0.0.5:6881");
    ASSERT_TRUE(v4) << v4.error();
    EXPECT_EQ(v4->address, "127.0.0.5");
    EXPECT_EQ(v4->port, 6881);
    EXPECT_TRUE(v4->is_loopback());
    EXPECT_EQ(v4->to_string(), "127.0.0.5:6881");

    auto v6 = parse_endpoint("[::1]:0");
    ASSERT_TRUE(v6) << v6.error();
    EXPECT_EQ(v6->address, "::1");
    EXPECT_TRUE(v6->is_ipv6());
    EXPECT_TRUE(v6->is_loopback());
    EXPECT_EQ(v6->to_string(), "[::1]:0");

    EXPECT_FALSE(parse_endpoint("192.0.2.1:1")->is_loopback());
}

TEST(Endpoint, RejectsWhatIsNotANumericEndpoint) {
    for (char const* bad : {"", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1",
                            "127.0.0.1:80x", "localhost:80", "::1:80", "[::1]80", "1.2.3:80"}) {
        auto parsed = parse_endpoint(bad);
        EXPECT_FALSE(parsed) << bad;
        if (!parsed) {
            EXPECT_NE(parsed.error().find(bad), std::string::npos) << parsed.error();
        }
    }
}

class ProfileTest : public ::testing::Test {
  protected:
    void SetUp() override {
        for (char const* name : {"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"}) {
            if (char const* value = std::getenv(name)) saved_.emplace_back(name, value);
        }
    }
    void TearDown() override {
        for (char const* name : {"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"}) ::unsetenv(name);
        for (auto const& [name, value] : saved_) ::setenv(name.c_str(), value.c_str(), 1);
    }
    std::vector<std::pair<std::string, std::string>> saved_;
};

TEST_F(ProfileTest, FollowsXdgVariables) {
    ::setenv("XDG_CONFIG_HOME", "/xdg/config", 1);
    ::setenv("XDG_DATA_HOME", "/xdg/data", 1);
    auto const profile = Profile::from_environment();
    EXPECT_EQ(profile.config_dir(), "/xdg/config/lanetorrent");
    EXPECT_EQ(profile.data_dir(), "/xdg/data/lanetorrent");
    EXPECT_EQ(profile.resume_dir(), "/xdg/data/lanetorrent/resume");
}

TEST_F(ProfileTest, FallsBackToHomeWhenUnsetOrRelative) {
    ::setenv("HOME", "/home/someone", 1);
    ::unsetenv("XDG_CONFIG_HOME");
    ::setenv("XDG_DATA_HOME", "relative/path", 1);  // invalid per the spec
    auto const profile = Profile::from_environment();
    EXPECT_EQ(profile.config_dir(), "/home/someone/.config/lanetorrent");
    EXPECT_EQ(profile.data_dir(), "/home/someone/.local/share/lanetorrent");
}

TEST_F(ProfileTest, ExplicitDirectoryHoldsEverythingAndIsPrivate) {
    test::TempDir dir;
    auto const profile = Profile::in_directory(dir.path() / "p");
    EXPECT_EQ(profile.config_dir(), dir.path() / "p" / "config");
    EXPECT_EQ(profile.data_dir(), dir.path() / "p" / "data");
    ASSERT_TRUE(profile.create_directories());
    auto const perms = std::filesystem::status(profile.resume_dir()).permissions();
    EXPECT_EQ(perms & std::filesystem::perms::all, std::filesystem::perms::owner_all);
}

TEST(Settings, OutgoingInterfaceIsTheSingleListenIp) {
    EXPECT_EQ(single_listen_ip("127.0.0.5:6881"), "127.0.0.5");
    EXPECT_EQ(single_listen_ip("[::1]:6881"), "::1");
    EXPECT_EQ(single_listen_ip("127.0.0.5:6881,127.0.0.5:6882"), "127.0.0.5");
    EXPECT_EQ(single_listen_ip("127.0.0.5:6881,127.0.0.6:6881"), "");
    EXPECT_EQ(single_listen_ip("0.0.0.0:6881,[::]:6881"), "");
    EXPECT_EQ(single_listen_ip("eth0:6881"), "");
}

TEST(Settings, NoQueueCapsStopSeeds) {
    auto const pack = to_settings_pack(EngineSettings{});
    using sp = lt::settings_pack;
    EXPECT_EQ(pack.get_int(sp::active_seeds), -1);
    EXPECT_EQ(pack.get_int(sp::active_downloads), -1);
    EXPECT_EQ(pack.get_int(sp::active_limit), -1);
    EXPECT_EQ(pack.get_int(sp::active_tracker_limit), -1);
}

// Connection slots are what many small torrents run out of first (docs/soak.md).
TEST(Settings, IdleConnectionsGiveWayWithinAMinute) {
    auto const pack = to_settings_pack(EngineSettings{});
    using sp = lt::settings_pack;
    EXPECT_EQ(pack.get_int(sp::inactivity_timeout), 20);
    EXPECT_EQ(pack.get_int(sp::min_reconnect_time), 10);
}

TEST(Settings, LocalOnlySwitchesOffDiscovery) {
    EngineSettings settings;
    settings.listen_interfaces = "127.0.0.9:7000";
    settings.make_local_only();
    auto const pack = to_settings_pack(settings);
    using sp = lt::settings_pack;
    EXPECT_FALSE(pack.get_bool(sp::enable_dht));
    EXPECT_FALSE(pack.get_bool(sp::enable_lsd));
    EXPECT_FALSE(pack.get_bool(sp::enable_upnp));
    EXPECT_FALSE(pack.get_bool(sp::enable_natpmp));
    EXPECT_EQ(pack.get_str(sp::outgoing_interfaces), "127.0.0.9");
}

}  // namespace
}  // namespace lanetorrent

// Alternative speed limits: the schedule rule at chosen times, and the Session putting the limits
// that hold into the engine.
#include <gtest/gtest.h>

#include <QSignalSpy>

#include "base/alt_speed.hpp"
#include "base_test_support.hpp"
#include "temp_dir.hpp"

namespace lanetorrent::ui {
namespace {

using namespace std::chrono_literals;

// 2026-12-04 is a Friday, 2026-12-05 a Saturday, 2026-12-07 a Monday.
QDateTime at(int day, int hour, int minute = 0) {
    return QDateTime(QDate(2026, 12, day), QTime(hour, minute));
}

TEST(AltSpeed, ManualHoldsWhateverTheSchedule) {
    AltSpeed alt;
    EXPECT_FALSE(alt_speed_active(alt, at(7, 21)));
    alt.manual = true;
    EXPECT_TRUE(alt_speed_active(alt, at(7, 12)));
}

TEST(AltSpeed, ADaytimePeriod) {
    AltSpeed alt;
    alt.scheduled = true;
    alt.from = QTime(9, 0);
    alt.to = QTime(17, 30);
    EXPECT_FALSE(alt_speed_active(alt, at(7, 8, 59)));
    EXPECT_TRUE(alt_speed_active(alt, at(7, 9, 0)));
    EXPECT_TRUE(alt_speed_active(alt, at(7, 17, 29)));
    EXPECT_FALSE(alt_speed_active(alt, at(7, 17, 30)));
    alt.days = AltSpeed::Days::weekends;
    EXPECT_FALSE(alt_speed_active(alt, at(7, 12)));
    EXPECT_TRUE(alt_speed_active(alt, at(5, 12)));
}

TEST(AltSpeed, APeriodPastMidnightBelongsToTheDayItStarts) {
    AltSpeed alt;
    alt.scheduled = true;
    alt.from = QTime(20, 0);
    alt.to = QTime(8, 0);
    alt.days = AltSpeed::Days::weekdays;
    EXPECT_TRUE(alt_speed_active(alt, at(4, 23)));   // Friday evening
    EXPECT_TRUE(alt_speed_active(alt, at(5, 7)));    // Saturday morning: Friday's night
    EXPECT_FALSE(alt_speed_active(alt, at(5, 21)));  // Saturday evening
    EXPECT_FALSE(alt_speed_active(alt, at(7, 7)));   // Monday morning: Sunday's night
    EXPECT_TRUE(alt_speed_active(alt, at(7, 20)));
    EXPECT_FALSE(alt_speed_active(alt, at(7, 12)));
    // An empty period is never active.
    alt.to = alt.from;
    EXPECT_FALSE(alt_speed_active(alt, at(7, 20)));
}

TEST(AltSpeed, EffectiveLimitsInBytes) {
    AltSpeed alt;
    alt.upload_kib = 64;
    alt.download_kib = 256;
    EXPECT_EQ(effective_limits(alt, {1000, 0}, at(7, 12)), (std::pair{1000 * 1024, 0}));
    alt.manual = true;
    EXPECT_EQ(effective_limits(alt, {1000, 0}, at(7, 12)), (std::pair{64 * 1024, 256 * 1024}));
}

TEST(AltSpeed, TheSessionAppliesTheLimitsThatHoldAndKeepsThemAcrossARestart) {
    lanetorrent::test::TempDir dir("ui-alt-speed");
    test::TestProfile profile(dir.path());
    profile.settings->set_rate_limits_kib(2048, 4096);
    auto session = profile.open();
    EXPECT_EQ(session->applied_limits(), (std::pair{2048 * 1024, 4096 * 1024}));
    EXPECT_FALSE(session->alt_speed_active());

    AltSpeed alt;
    alt.upload_kib = 64;
    alt.download_kib = 128;
    alt.manual = true;
    profile.settings->set_alt_speed(alt);
    QSignalSpy changed(session.get(), &Session::altSpeedChanged);
    ASSERT_TRUE(test::pump_until([&] { return session->alt_speed_active(); }, 3s));
    EXPECT_EQ(session->applied_limits(), (std::pair{64 * 1024, 128 * 1024}));
    ASSERT_EQ(changed.count(), 1);
    EXPECT_TRUE(changed.at(0).at(0).toBool());

    // The settings file keeps them: a restarted session starts with the alternative limits.
    session.reset();
    AppSettings reread(profile.profile);
    EXPECT_EQ(reread.alt_speed().upload_kib, 64);
    EXPECT_TRUE(reread.alt_speed().manual);
    session = profile.open();
    EXPECT_EQ(session->applied_limits(), (std::pair{64 * 1024, 128 * 1024}));
}

}  // namespace
}  // namespace lanetorrent::ui

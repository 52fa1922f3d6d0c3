// Alternative speed limits, as qBittorrent has them: a second pair of global limits (say, for
// the evening, when the household watches video) switched on by hand or by a schedule. The rule
// is a pure function of the settings and the local time, so it is tested without waiting for 8 pm.
#pragma once

#include <QDateTime>
#include <QTime>
#include <utility>

namespace lanetorrent::ui {

struct AltSpeed {
    enum class Days { every_day, weekdays, weekends };
    int upload_kib = 0;  // 0 = unlimited
    int download_kib = 0;
    bool manual = false;  // on by hand, whatever the schedule says
    bool scheduled = false;
    QTime from{20, 0};
    QTime to{8, 0};  // before `from`: the period runs past midnight
    Days days = Days::every_day;
};

// Whether the alternative limits hold at local time `now`. A period that runs past midnight
// belongs to the day it starts on (Friday 20:00 - Saturday 08:00 is a weekday's evening).
bool alt_speed_active(AltSpeed const& alt, QDateTime const& now);

// The global limits in bytes/s that hold: the alternative ones when active, else `normal_kib`.
std::pair<int, int> effective_limits(AltSpeed const& alt, std::pair<int, int> normal_kib,
                                     QDateTime const& now);

}  // namespace lanetorrent::ui

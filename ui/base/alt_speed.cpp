#include "base/alt_speed.hpp"

namespace lanetorrent::ui {

namespace {

bool day_matches(AltSpeed::Days days, int day_of_week) {  // 1 = Monday .. 7 = Sunday
    bool const weekend = day_of_week >= 6;
    switch (days) {
        case AltSpeed::Days::every_day:
            return true;
        case AltSpeed::Days::weekdays:
            return !weekend;
        case AltSpeed::Days::weekends:
            return weekend;
    }
    return true;
}

}  // namespace

bool alt_speed_active(AltSpeed const& alt, QDateTime const& now) {
    if (alt.manual) return true;
    if (!alt.scheduled || !alt.from.isValid() || !alt.to.isValid() || alt.from == alt.to) {
        return false;
    }
    auto const time = now.time();
    auto const date = now.date();
    if (alt.from < alt.to) {
        return time >= alt.from && time < alt.to && day_matches(alt.days, date.dayOfWeek());
    }
    // Past midnight: the evening part counts for today, the morning part for yesterday.
    if (time >= alt.from) return day_matches(alt.days, date.dayOfWeek());
    if (time < alt.to) return day_matches(alt.days, date.addDays(-1).dayOfWeek());
    return false;
}

std::pair<int, int> effective_limits(AltSpeed const& alt, std::pair<int, int> normal_kib,
                                     QDateTime const& now) {
    auto const kib =
        alt_speed_active(alt, now) ? std::pair{alt.upload_kib, alt.download_kib} : normal_kib;
    return {kib.first * 1024, kib.second * 1024};
}

}  // namespace lanetorrent::ui

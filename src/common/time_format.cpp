#include "common/time_format.hpp"

#include <chrono>
#include <cstdio>

namespace chanrong {
namespace {

bool ReadDigits(std::string_view s, size_t pos, size_t n, int& out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}

}  // namespace

std::string FormatIsoUtc(TimestampMs t) {
    using namespace std::chrono;
    const auto tp = sys_time<milliseconds>(milliseconds(t));
    const auto day = floor<days>(tp);
    const year_month_day ymd(day);
    const hh_mm_ss hms(floor<seconds>(tp - day));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()), int(hms.hours().count()), int(hms.minutes().count()),
                  int(hms.seconds().count()));
    return buf;
}

std::optional<TimestampMs> ParseIsoTimestamp(std::string_view s) {
    using namespace std::chrono;
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (!ReadDigits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !ReadDigits(s, 5, 2, mo) || s[7] != '-' ||
        !ReadDigits(s, 8, 2, d))
        return std::nullopt;
    const year_month_day ymd{year(y), month(unsigned(mo)), day(unsigned(d))};
    if (!ymd.ok()) return std::nullopt;
    std::int64_t offset_minutes = 0;
    if (s.size() > 10) {
        if ((s[10] != 'T' && s[10] != ' ') || s.size() < 20 || !ReadDigits(s, 11, 2, h) || s[13] != ':' ||
            !ReadDigits(s, 14, 2, mi) || s[16] != ':' || !ReadDigits(s, 17, 2, sec) || h > 23 || mi > 59 || sec > 59)
            return std::nullopt;
        std::string_view zone = s.substr(19);
        if (zone == "Z") {
        } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
            int zh, zm;
            if (!ReadDigits(zone, 1, 2, zh) || !ReadDigits(zone, 4, 2, zm) || zh > 14 || zm > 59) return std::nullopt;
            offset_minutes = (zh * 60 + zm) * (zone[0] == '+' ? 1 : -1);
        } else {
            return std::nullopt;
        }
    }
    const auto tp = sys_days(ymd) + hours(h) + minutes(mi) + seconds(sec) - minutes(offset_minutes);
    return duration_cast<milliseconds>(tp.time_since_epoch()).count();
}

}  // namespace chanrong

#include "finance/working_calendar.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

#include "common/embedded_data.hpp"

namespace chanrong::finance {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

constexpr std::string_view kDataFile = "working-calendar.csv";
constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string_view Trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
    return text;
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    for (size_t start = 0;;) {
        const size_t end = text.find(separator, start);
        parts.push_back(Trim(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start)));
        if (end == std::string_view::npos) return parts;
        start = end + 1;
    }
}

bool IsWeekend(sys_days day) {
    const std::chrono::weekday wd{day};
    return wd == std::chrono::Saturday || wd == std::chrono::Sunday;
}

// floor(a / b) for b > 0.
long long FloorDiv(long long a, long long b) {
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

// Monday-to-Friday days in (-∞, day], up to a constant: 1970-01-05 was a Monday.
long long WeekdaysThrough(sys_days day) {
    const long long x = day.time_since_epoch().count() - 4 + 1;  // days in [1970-01-05, day]
    const long long weeks = FloorDiv(x, 7);
    return 5 * weeks + std::min(x - 7 * weeks, 5LL);
}

Error CalendarError(size_t line, const std::string& message) {
    return Error::Field("working_calendar", "invalid", "第 " + std::to_string(line) + " 行: " + message);
}

}  // namespace

std::optional<sys_days> ParseIsoDate(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    int parts[3] = {0, 0, 0};
    const size_t starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
    for (int i = 0; i < 3; ++i)
        for (size_t k = starts[i]; k < starts[i] + lengths[i]; ++k) {
            if (text[k] < '0' || text[k] > '9') return std::nullopt;
            parts[i] = parts[i] * 10 + (text[k] - '0');
        }
    if (parts[0] < 1) return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year(parts[0]), std::chrono::month(unsigned(parts[1])),
                                          std::chrono::day(unsigned(parts[2]))};
    if (!ymd.ok()) return std::nullopt;
    return sys_days(ymd);
}

std::string FormatIsoDate(sys_days day) {
    const std::chrono::year_month_day ymd(day);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
    return buffer;
}

Result<WorkingCalendar> WorkingCalendar::Parse(std::string_view csv) {
    if (csv.starts_with(kBom)) csv.remove_prefix(kBom.size());
    WorkingCalendar calendar;
    bool header_seen = false;
    size_t line_number = 0;
    for (auto raw : Split(csv, '\n')) {
        ++line_number;
        const auto line = Trim(raw);
        if (line.empty() || line.front() == '#') continue;
        const auto cells = Split(line, ',');
        if (!header_seen) {
            if (cells.size() < 2 || cells[0] != "date" || cells[1] != "kind")
                return Fail(CalendarError(line_number, "表头应为 date,kind"));
            header_seen = true;
            continue;
        }
        if (cells.size() < 2) return Fail(CalendarError(line_number, "应有日期和类型两列"));
        const auto day = ParseIsoDate(cells[0]);
        if (!day) return Fail(CalendarError(line_number, "日期“" + std::string(cells[0]) + "”应为 YYYY-MM-DD"));
        if (calendar.holidays_.contains(*day) || calendar.workdays_.contains(*day))
            return Fail(CalendarError(line_number, "日期 " + std::string(cells[0]) + " 重复"));
        if (cells[1] == "holiday") {
            calendar.holidays_.insert(*day);
        } else if (cells[1] == "workday") {
            if (!IsWeekend(*day))
                return Fail(CalendarError(line_number, "调休上班日 " + std::string(cells[0]) + " 不是周末"));
            calendar.workdays_.insert(*day);
        } else {
            return Fail(CalendarError(line_number,
                                      "类型“" + std::string(cells[1]) + "”应为 holiday（放假）或 workday（调休上班）"));
        }
    }
    if (!header_seen) return Fail(Error::Field("working_calendar", "invalid", "工作日历为空：缺少表头 date,kind"));
    return calendar;
}

bool WorkingCalendar::IsWorkingDay(sys_days day) const {
    if (workdays_.contains(day)) return true;
    if (holidays_.contains(day)) return false;
    return !IsWeekend(day);
}

bool WorkingCalendar::IsWorkingDay(std::string_view date) const {
    const auto day = ParseIsoDate(date);
    return day && IsWorkingDay(*day);
}

sys_days WorkingCalendar::AddWorkingDays(sys_days day, int n) const {
    if (n <= 0) {
        while (!IsWorkingDay(day)) day += days(1);
        return day;
    }
    while (n > 0) {
        day += days(1);
        if (IsWorkingDay(day)) --n;
    }
    return day;
}

std::string WorkingCalendar::AddWorkingDays(std::string_view date, int n) const {
    const auto day = ParseIsoDate(date);
    return day ? FormatIsoDate(AddWorkingDays(*day, n)) : std::string();
}

int WorkingCalendar::WorkingDaysBetween(sys_days from, sys_days to) const {
    if (to < from) return -WorkingDaysBetween(to, from);
    long long count = WeekdaysThrough(to) - WeekdaysThrough(from);
    // Listed days in (from, to]: holidays on weekdays are taken off, make-up workdays (weekends) are added.
    for (auto it = holidays_.upper_bound(from); it != holidays_.end() && *it <= to; ++it)
        if (!IsWeekend(*it)) --count;
    for (auto it = workdays_.upper_bound(from); it != workdays_.end() && *it <= to; ++it) ++count;
    return static_cast<int>(count);
}

int WorkingCalendar::WorkingDaysBetween(std::string_view from, std::string_view to) const {
    const auto a = ParseIsoDate(from);
    const auto b = ParseIsoDate(to);
    return a && b ? WorkingDaysBetween(*a, *b) : 0;
}

bool WorkingCalendar::CoversYear(int year) const {
    const sys_days first{std::chrono::year(year) / std::chrono::January / 1};
    const sys_days last{std::chrono::year(year) / std::chrono::December / 31};
    auto listed = [&](const std::set<sys_days>& set) {
        auto it = set.lower_bound(first);
        return it != set.end() && *it <= last;
    };
    return listed(holidays_) || listed(workdays_);
}

const WorkingCalendar& DefaultWorkingCalendar() {
    static const WorkingCalendar calendar = [] {
        auto parsed = WorkingCalendar::Parse(EmbeddedFile(kDataFile));
        if (parsed) return std::move(*parsed);
        spdlog::critical("embedded {} is missing or invalid: {}", kDataFile, parsed.error().message);
        return WorkingCalendar{};
    }();
    return calendar;
}

}  // namespace chanrong::finance

#pragma once
// The working-day calendar (工作日历): weekends are non-working unless listed as make-up working days (调休上班),
// listed holidays are non-working, everything else is a working day. Kept as data (data/working-calendar.csv,
// embedded in the binary) so an administrator can add next year's State Council notice without a release.
// Pure: no database.

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace chanrong::finance {

/// Parses a strict "YYYY-MM-DD" (exactly ten characters, a real calendar date, year 0001–9999); nullopt otherwise.
std::optional<std::chrono::sys_days> ParseIsoDate(std::string_view text);

/// "YYYY-MM-DD".
std::string FormatIsoDate(std::chrono::sys_days day);

class WorkingCalendar {
public:
    /// A calendar with no listed days: Monday to Friday work, weekends do not.
    WorkingCalendar() = default;

    /// Parses the calendar CSV. The first line that is neither blank nor a comment ('#' first) is the header and
    /// must begin with the columns `date,kind`; further columns (e.g. a note) are ignored. Each row is a date
    /// (YYYY-MM-DD) and a kind: `holiday` (a non-working day; listing a holiday's weekend days too is fine) or
    /// `workday` (a make-up working day, which must fall on a Saturday or Sunday). Lines may end with CRLF; a
    /// UTF-8 BOM, blank lines, comment lines and spaces around cells are ignored. Quoting is not supported. Errors
    /// are invalid_argument naming field "working_calendar" with the line ("第 3 行: …"): a missing or wrong
    /// header, a bad date or kind, a date listed twice, a make-up workday on a weekday.
    static Result<WorkingCalendar> Parse(std::string_view csv);

    /// Whether `date` (YYYY-MM-DD) is a working day. An invalid date is a caller's bug (validate input with
    /// ParseIsoDate) and answers false.
    bool IsWorkingDay(std::string_view date) const;
    bool IsWorkingDay(std::chrono::sys_days day) const;

    /// The n-th working day after `date` (n ≥ 1; days after `date` only, so WorkingDaysBetween(date, result) == n).
    /// n = 0 gives `date` itself when it is a working day, else the next working day; negative n is taken as 0.
    /// An invalid date answers "".
    std::string AddWorkingDays(std::string_view date, int n) const;
    std::chrono::sys_days AddWorkingDays(std::chrono::sys_days day, int n) const;

    /// The number of working days in (from, to]: from excluded, to included. When to < from the count is
    /// negative: WorkingDaysBetween(a, b) == -WorkingDaysBetween(b, a). An invalid date answers 0.
    int WorkingDaysBetween(std::string_view from, std::string_view to) const;
    int WorkingDaysBetween(std::chrono::sys_days from, std::chrono::sys_days to) const;

    /// Whether the data lists any day of `year`: outside the covered years only weekends are non-working, so a
    /// caller can warn that next year's notice is missing.
    bool CoversYear(int year) const;

    const std::set<std::chrono::sys_days>& holidays() const { return holidays_; }
    const std::set<std::chrono::sys_days>& workdays() const { return workdays_; }

private:
    std::set<std::chrono::sys_days> holidays_;  ///< listed non-working days
    std::set<std::chrono::sys_days> workdays_;  ///< listed make-up working days (weekends)
};

/// The calendar embedded from data/working-calendar.csv (China's public holidays per the State Council notices),
/// parsed on first use. Should the embedded file ever fail to parse, the error is logged and the calendar has no
/// listed days (weekends only).
const WorkingCalendar& DefaultWorkingCalendar();

}  // namespace chanrong::finance

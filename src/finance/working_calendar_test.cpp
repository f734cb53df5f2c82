#include "finance/working_calendar.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace chanrong::finance {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

sys_days D(std::string_view text) {
    auto day = ParseIsoDate(text);
    EXPECT_TRUE(day) << text;
    return day.value_or(sys_days{});
}

WorkingCalendar MustParse(std::string_view csv) {
    auto calendar = WorkingCalendar::Parse(csv);
    EXPECT_TRUE(calendar) << calendar.error().message;
    return calendar ? std::move(*calendar) : WorkingCalendar{};
}

// The State Council notices for 2025 and 2026, written out independently of data/working-calendar.csv.
struct Period {
    const char* first;
    const char* last;
};
const std::vector<Period> kHolidayPeriods = {
    {"2025-01-01", "2025-01-01"}, {"2025-01-28", "2025-02-04"}, {"2025-04-04", "2025-04-06"},
    {"2025-05-01", "2025-05-05"}, {"2025-05-31", "2025-06-02"}, {"2025-10-01", "2025-10-08"},
    {"2026-01-01", "2026-01-03"}, {"2026-02-15", "2026-02-23"}, {"2026-04-04", "2026-04-06"},
    {"2026-05-01", "2026-05-05"}, {"2026-06-19", "2026-06-21"}, {"2026-09-25", "2026-09-27"},
    {"2026-10-01", "2026-10-07"},
};
const std::vector<const char*> kMakeUpDays = {"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28",
                                              "2025-10-11", "2026-01-04", "2026-02-14", "2026-02-28",
                                              "2026-05-09", "2026-09-20", "2026-10-10"};

// ---- dates ---------------------------------------------------------------------------------------------------

TEST(IsoDate, ParsesOnlyRealDatesInStrictForm) {
    EXPECT_EQ(FormatIsoDate(D("2025-01-01")), "2025-01-01");
    EXPECT_EQ(FormatIsoDate(D("2024-02-29")), "2024-02-29");
    EXPECT_EQ(FormatIsoDate(D("2000-02-29")), "2000-02-29");
    EXPECT_EQ(FormatIsoDate(D("0001-01-01")), "0001-01-01");
    EXPECT_EQ(FormatIsoDate(D("9999-12-31")), "9999-12-31");
    EXPECT_EQ(D("2025-01-02") - D("2025-01-01"), days(1));
    EXPECT_EQ(D("2025-03-01") - D("2025-02-28"), days(1));
    for (std::string_view bad : {"", "2025-02-29", "1900-02-29", "2025-13-01", "2025-00-10", "2025-04-31", "2025-01-00",
                                 "0000-01-01", "2025-1-01", "2025-01-1", "2025/01/01", "20250101", " 2025-01-01",
                                 "2025-01-01 ", "2025-01-01T00:00:00Z", "2025-0a-01", "+025-01-01", "2025-01-01\r"})
        EXPECT_FALSE(ParseIsoDate(bad)) << bad;
}

// ---- parsing -------------------------------------------------------------------------------------------------

TEST(WorkingCalendarParse, AcceptsCrlfBomCommentsBlankLinesAndExtraColumns) {
    auto calendar = MustParse(
        "\xEF\xBB\xBF# comment before the header\r\n"
        "date,kind,note\r\n"
        "\r\n"
        "2025-01-01,holiday,元旦\r\n"
        "# another comment\r\n"
        " 2025-01-26 , workday \r\n"
        "2025-02-01,holiday");  // a weekend holiday, no final newline
    EXPECT_EQ(calendar.holidays().size(), 2u);
    EXPECT_EQ(calendar.workdays().size(), 1u);
    EXPECT_FALSE(calendar.IsWorkingDay("2025-01-01"));
    EXPECT_TRUE(calendar.IsWorkingDay("2025-01-26"));
    EXPECT_FALSE(calendar.IsWorkingDay("2025-02-01"));
    EXPECT_TRUE(calendar.IsWorkingDay("2025-01-02"));
}

TEST(WorkingCalendarParse, HeaderOnlyIsAnEmptyCalendar) {
    auto calendar = MustParse("date,kind\n");
    EXPECT_TRUE(calendar.holidays().empty());
    EXPECT_TRUE(calendar.workdays().empty());
    EXPECT_FALSE(calendar.CoversYear(2025));
}

TEST(WorkingCalendarParse, RefusesBadInputNamingTheLine) {
    struct Case {
        const char* csv;
        const char* line;  // expected "第 N 行" or nullptr for no line
    };
    const std::vector<Case> cases = {
        {"", nullptr},
        {"# only a comment\n\n", nullptr},
        {"day,kind\n2025-01-01,holiday\n", "第 1 行"},
        {"kind,date\n", "第 1 行"},
        {"date\n", "第 1 行"},
        {"\n2025-01-01,holiday\n", "第 2 行"},  // no header: the first row is taken as one
        {"date,kind\n2025-01-01\n", "第 2 行"},
        {"date,kind\n2025-02-30,holiday\n", "第 2 行"},
        {"date,kind\n2025/01/01,holiday\n", "第 2 行"},
        {"date,kind\n2025-01-01,Holiday\n", "第 2 行"},
        {"date,kind\n2025-01-01,\n", "第 2 行"},
        {"date,kind\n2025-01-01,vacation\n", "第 2 行"},
        {"date,kind\r\n2025-01-01,holiday\r\n2025-01-01,holiday\r\n", "第 3 行"},
        {"date,kind\n2025-01-25,workday\n2025-01-25,holiday\n", "第 3 行"},
        {"date,kind\n2025-01-27,workday\n", "第 2 行"},  // a Monday cannot be a make-up working day
    };
    for (const auto& c : cases) {
        auto parsed = WorkingCalendar::Parse(c.csv);
        ASSERT_FALSE(parsed) << c.csv;
        EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument) << c.csv;
        ASSERT_EQ(parsed.error().fields.size(), 1u) << c.csv;
        EXPECT_EQ(parsed.error().fields[0].field, "working_calendar") << c.csv;
        if (c.line) {
            EXPECT_NE(parsed.error().message.find(c.line), std::string::npos) << parsed.error().message;
        }
    }
}

// ---- the plain rules on a hand-made calendar -----------------------------------------------------------------

TEST(WorkingCalendar, WithoutDataOnlyWeekendsRest) {
    const WorkingCalendar plain;
    // 2027-03-01 is a Monday.
    const std::vector<bool> week = {true, true, true, true, true, false, false};
    for (int i = 0; i < 14; ++i) EXPECT_EQ(plain.IsWorkingDay(D("2027-03-01") + days(i)), week[i % 7]) << i;
    EXPECT_EQ(plain.AddWorkingDays("2027-03-05", 1), "2027-03-08");  // Friday + 1 → Monday
    EXPECT_EQ(plain.AddWorkingDays("2027-03-06", 0), "2027-03-08");  // Saturday + 0 → Monday
    EXPECT_EQ(plain.AddWorkingDays("2027-03-06", 1), "2027-03-08");  // Saturday + 1 → Monday
    EXPECT_EQ(plain.AddWorkingDays("2027-03-01", 5), "2027-03-08");
    EXPECT_EQ(plain.AddWorkingDays("2027-03-01", 10), "2027-03-15");
    EXPECT_EQ(plain.WorkingDaysBetween("2027-03-01", "2027-03-08"), 5);
    EXPECT_EQ(plain.WorkingDaysBetween("2027-03-05", "2027-03-07"), 0);
    EXPECT_EQ(plain.WorkingDaysBetween("2027-03-05", "2027-03-08"), 1);
}

TEST(WorkingCalendar, InvalidDatesAnswerNeutrally) {
    const auto& calendar = DefaultWorkingCalendar();
    EXPECT_FALSE(calendar.IsWorkingDay("2025-02-30"));
    EXPECT_FALSE(calendar.IsWorkingDay(""));
    EXPECT_EQ(calendar.AddWorkingDays("not a date", 1), "");
    EXPECT_EQ(calendar.WorkingDaysBetween("2025-01-01", "2025-13-01"), 0);
    EXPECT_EQ(calendar.WorkingDaysBetween("x", "2025-01-10"), 0);
}

// ---- the shipped calendar ------------------------------------------------------------------------------------

TEST(DefaultWorkingCalendar, MatchesTheStateCouncilNoticesDayByDay) {
    const auto& calendar = DefaultWorkingCalendar();
    std::set<sys_days> holidays, make_up;
    for (const auto& period : kHolidayPeriods)
        for (auto day = D(period.first); day <= D(period.last); day += days(1)) holidays.insert(day);
    for (auto day : kMakeUpDays) make_up.insert(D(day));
    EXPECT_EQ(calendar.holidays(), holidays);
    EXPECT_EQ(calendar.workdays(), make_up);
    int checked = 0;
    for (auto day = D("2024-12-01"); day <= D("2027-01-31"); day += days(1), ++checked) {
        const std::chrono::weekday wd{day};
        const bool weekend = wd == std::chrono::Saturday || wd == std::chrono::Sunday;
        const bool expected = make_up.contains(day) || (!holidays.contains(day) && !weekend);
        EXPECT_EQ(calendar.IsWorkingDay(day), expected) << FormatIsoDate(day);
        EXPECT_EQ(calendar.IsWorkingDay(FormatIsoDate(day)), expected) << FormatIsoDate(day);
    }
    EXPECT_EQ(checked, 792);
}

TEST(DefaultWorkingCalendar, Weekends) {
    const auto& calendar = DefaultWorkingCalendar();
    EXPECT_FALSE(calendar.IsWorkingDay("2025-03-08"));  // Saturday
    EXPECT_FALSE(calendar.IsWorkingDay("2025-03-09"));  // Sunday
    EXPECT_TRUE(calendar.IsWorkingDay("2025-03-07"));   // Friday
    EXPECT_TRUE(calendar.IsWorkingDay("2025-03-10"));   // Monday
    EXPECT_FALSE(calendar.IsWorkingDay("2027-06-05"));  // a Saturday beyond the data
    EXPECT_TRUE(calendar.IsWorkingDay("2027-06-07"));   // a Monday beyond the data
}

TEST(DefaultWorkingCalendar, HolidaysAndMakeUpDays) {
    const auto& calendar = DefaultWorkingCalendar();
    EXPECT_FALSE(calendar.IsWorkingDay("2025-01-01"));  // 元旦, a Wednesday
    EXPECT_TRUE(calendar.IsWorkingDay("2025-01-02"));
    EXPECT_TRUE(calendar.IsWorkingDay("2025-01-26"));   // Sunday, 调休上班
    EXPECT_TRUE(calendar.IsWorkingDay("2025-01-27"));   // Monday before the Spring Festival
    EXPECT_FALSE(calendar.IsWorkingDay("2025-01-28"));  // 除夕
    EXPECT_FALSE(calendar.IsWorkingDay("2025-02-04"));  // last day off, a Tuesday
    EXPECT_TRUE(calendar.IsWorkingDay("2025-02-05"));
    EXPECT_TRUE(calendar.IsWorkingDay("2025-02-08"));   // Saturday, 调休上班
    EXPECT_FALSE(calendar.IsWorkingDay("2025-02-09"));  // the Sunday after is off
    EXPECT_FALSE(calendar.IsWorkingDay("2025-04-04"));  // 清明, Friday
    EXPECT_TRUE(calendar.IsWorkingDay("2025-04-27"));   // Sunday, 调休上班
    EXPECT_FALSE(calendar.IsWorkingDay("2025-05-05"));  // 劳动节, Monday
    EXPECT_FALSE(calendar.IsWorkingDay("2025-06-02"));  // 端午, Monday
    EXPECT_TRUE(calendar.IsWorkingDay("2025-09-28"));   // Sunday, 调休上班
    EXPECT_FALSE(calendar.IsWorkingDay("2025-10-08"));  // 国庆中秋, Wednesday
    EXPECT_TRUE(calendar.IsWorkingDay("2025-10-09"));
    EXPECT_TRUE(calendar.IsWorkingDay("2025-10-11"));   // Saturday, 调休上班
    EXPECT_TRUE(calendar.IsWorkingDay("2026-01-04"));   // Sunday, 调休上班
    EXPECT_FALSE(calendar.IsWorkingDay("2026-02-23"));  // 春节, Monday
    EXPECT_TRUE(calendar.IsWorkingDay("2026-02-28"));   // Saturday, 调休上班
    EXPECT_FALSE(calendar.IsWorkingDay("2026-09-25"));  // 中秋, Friday
    EXPECT_TRUE(calendar.IsWorkingDay("2026-09-20"));   // Sunday, 调休上班
    EXPECT_TRUE(calendar.IsWorkingDay("2026-10-10"));   // Saturday, 调休上班
}

TEST(DefaultWorkingCalendar, CoversYears) {
    const auto& calendar = DefaultWorkingCalendar();
    EXPECT_FALSE(calendar.CoversYear(2024));
    EXPECT_TRUE(calendar.CoversYear(2025));
    EXPECT_TRUE(calendar.CoversYear(2026));
    EXPECT_FALSE(calendar.CoversYear(2027));
}

TEST(DefaultWorkingCalendar, WorkingDaysPerYear) {
    // 365 days − 104 weekend days − 13 statutory holidays = 248 in both years; make-up days balance the bridges.
    const auto& calendar = DefaultWorkingCalendar();
    EXPECT_EQ(calendar.WorkingDaysBetween("2024-12-31", "2025-12-31"), 248);
    EXPECT_EQ(calendar.WorkingDaysBetween("2025-12-31", "2026-12-31"), 248);
    EXPECT_EQ(calendar.WorkingDaysBetween("2026-12-31", "2024-12-31"), -496);
}

TEST(DefaultWorkingCalendar, AddZeroDays) {
    const auto& calendar = DefaultWorkingCalendar();
    EXPECT_EQ(calendar.AddWorkingDays("2025-03-10", 0), "2025-03-10");  // working: itself
    EXPECT_EQ(calendar.AddWorkingDays("2025-03-08", 0), "2025-03-10");  // Saturday → Monday
    EXPECT_EQ(calendar.AddWorkingDays("2025-01-28", 0), "2025-02-05");  // first day of the Spring Festival
    EXPECT_EQ(calendar.AddWorkingDays("2025-01-25", 0), "2025-01-26");  // Saturday → the make-up Sunday
    EXPECT_EQ(calendar.AddWorkingDays("2025-01-26", 0), "2025-01-26");  // make-up day is working
    EXPECT_EQ(calendar.AddWorkingDays("2025-10-01", 0), "2025-10-09");
    EXPECT_EQ(calendar.AddWorkingDays("2025-03-10", -3), "2025-03-10");  // negative is taken as 0
}

TEST(DefaultWorkingCalendar, SpansAcrossTheSpringFestival2025) {
    const auto& calendar = DefaultWorkingCalendar();
    EXPECT_EQ(calendar.AddWorkingDays("2025-01-24", 1), "2025-01-26");  // Friday → make-up Sunday
    EXPECT_EQ(calendar.AddWorkingDays("2025-01-24", 2), "2025-01-27");
    EXPECT_EQ(calendar.AddWorkingDays("2025-01-24", 3), "2025-02-05");
    EXPECT_EQ(calendar.AddWorkingDays("2025-01-27", 1), "2025-02-05");  // over the whole break
    EXPECT_EQ(calendar.AddWorkingDays("2025-01-27", 3), "2025-02-07");
    EXPECT_EQ(calendar.AddWorkingDays("2025-01-27", 4), "2025-02-08");  // make-up Saturday
    EXPECT_EQ(calendar.AddWorkingDays("2025-01-27", 5), "2025-02-10");
    EXPECT_EQ(calendar.AddWorkingDays("2025-01-30", 1), "2025-02-05");      // from inside the break
    EXPECT_EQ(calendar.WorkingDaysBetween("2025-01-24", "2025-02-07"), 5);  // 26, 27, 5, 6, 7
    EXPECT_EQ(calendar.WorkingDaysBetween("2025-01-27", "2025-02-04"), 0);
    EXPECT_EQ(calendar.WorkingDaysBetween("2025-01-27", "2025-02-05"), 1);
    EXPECT_EQ(calendar.WorkingDaysBetween("2025-01-28", "2025-02-05"), 1);
    EXPECT_EQ(calendar.WorkingDaysBetween("2025-02-07", "2025-01-24"), -5);
}

TEST(DefaultWorkingCalendar, SpansAcrossNationalDay2025) {
    const auto& calendar = DefaultWorkingCalendar();
    EXPECT_EQ(calendar.AddWorkingDays("2025-09-26", 1), "2025-09-28");  // Friday → make-up Sunday
    EXPECT_EQ(calendar.AddWorkingDays("2025-09-28", 1), "2025-09-29");
    EXPECT_EQ(calendar.AddWorkingDays("2025-09-29", 2), "2025-10-09");
    EXPECT_EQ(calendar.AddWorkingDays("2025-09-30", 1), "2025-10-09");
    EXPECT_EQ(calendar.AddWorkingDays("2025-09-30", 3), "2025-10-11");  // make-up Saturday
    EXPECT_EQ(calendar.AddWorkingDays("2025-09-30", 4), "2025-10-13");
    EXPECT_EQ(calendar.AddWorkingDays("2025-09-30", 5), "2025-10-14");
    EXPECT_EQ(calendar.WorkingDaysBetween("2025-09-30", "2025-10-31"), 18);  // 9, 10, 11, then 3 × 5
    EXPECT_EQ(calendar.WorkingDaysBetween("2025-09-26", "2025-10-12"), 6);   // 28, 29, 30, 9, 10, 11
    EXPECT_EQ(calendar.WorkingDaysBetween("2025-10-01", "2025-10-08"), 0);
}

TEST(DefaultWorkingCalendar, SpansIn2026) {
    const auto& calendar = DefaultWorkingCalendar();
    EXPECT_EQ(calendar.AddWorkingDays("2025-12-31", 1), "2026-01-04");  // over 元旦 to the make-up Sunday
    EXPECT_EQ(calendar.AddWorkingDays("2026-02-13", 1), "2026-02-14");  // Friday → make-up Saturday
    EXPECT_EQ(calendar.AddWorkingDays("2026-02-14", 1), "2026-02-24");
    EXPECT_EQ(calendar.AddWorkingDays("2026-09-30", 1), "2026-10-08");
    EXPECT_EQ(calendar.AddWorkingDays("2026-10-09", 1), "2026-10-10");
}

TEST(DefaultWorkingCalendar, CountingAgreesWithDayByDayWalk) {
    const auto& calendar = DefaultWorkingCalendar();
    const auto first = D("2024-12-20"), last = D("2027-01-10");
    for (auto from = first; from <= last; from += days(3)) {
        int walked = 0;
        for (auto to = from; to <= last && to <= from + days(60); to += days(1)) {
            if (to > from && calendar.IsWorkingDay(to)) ++walked;
            ASSERT_EQ(calendar.WorkingDaysBetween(from, to), walked)
                << FormatIsoDate(from) << " → " << FormatIsoDate(to);
            ASSERT_EQ(calendar.WorkingDaysBetween(to, from), -walked);
        }
        for (int n = 0; n <= 12; ++n) {
            const auto result = calendar.AddWorkingDays(from, n);
            ASSERT_TRUE(calendar.IsWorkingDay(result));
            if (n > 0) {
                ASSERT_EQ(calendar.WorkingDaysBetween(from, result), n) << FormatIsoDate(from) << " + " << n;
                ASSERT_EQ(calendar.WorkingDaysBetween(from, result - days(1)), n - 1);
            }
        }
    }
}

TEST(DefaultWorkingCalendar, LongSpansBeforeTheEpochToo) {
    const WorkingCalendar plain;
    // 1969-12-29 was a Monday; four full weeks hold 20 weekdays.
    EXPECT_EQ(plain.WorkingDaysBetween(D("1969-12-28"), D("1970-01-25")), 20);
    EXPECT_EQ(plain.WorkingDaysBetween(D("1960-01-03"), D("1960-01-10")), 5);
    EXPECT_EQ(plain.AddWorkingDays("1969-12-31", 3), "1970-01-05");
}

}  // namespace
}  // namespace chanrong::finance

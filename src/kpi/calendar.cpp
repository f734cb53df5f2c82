#include "kpi/calendar.hpp"

#include <chrono>

namespace chanrong::kpi {
namespace {

std::chrono::year_month_day Parts(int yyyymmdd) {
    return std::chrono::year_month_day{std::chrono::year{yyyymmdd / 10000},
                                       std::chrono::month{static_cast<unsigned>(yyyymmdd / 100 % 100)},
                                       std::chrono::day{static_cast<unsigned>(yyyymmdd % 100)}};
}

}  // namespace

bool IsValidDate(int yyyymmdd) {
    if (yyyymmdd < 19000101 || yyyymmdd > 99991231) return false;
    return Parts(yyyymmdd).ok();
}

int DayNumber(int yyyymmdd) {
    return static_cast<int>(std::chrono::sys_days{Parts(yyyymmdd)}.time_since_epoch().count());
}

int DateOfDay(int day_number) {
    const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day_number}}};
    return static_cast<int>(ymd.year()) * 10000 + static_cast<int>(static_cast<unsigned>(ymd.month())) * 100 +
           static_cast<int>(static_cast<unsigned>(ymd.day()));
}

int MonthEnd(int yyyymm) {
    const std::chrono::year_month_day_last last{
        std::chrono::year{yyyymm / 100},
        std::chrono::month_day_last{std::chrono::month{static_cast<unsigned>(yyyymm % 100)}}};
    return yyyymm * 100 + static_cast<int>(static_cast<unsigned>(last.day()));
}

int AddMonths(int yyyymm, int months) {
    const int index = yyyymm / 100 * 12 + (yyyymm % 100 - 1) + months;
    const int year = index >= 0 ? index / 12 : (index - 11) / 12;
    return year * 100 + (index - year * 12) + 1;
}

int MonthsBetween(int from, int to) {
    return (to / 100 * 12 + to % 100) - (from / 100 * 12 + from % 100);
}

}  // namespace chanrong::kpi

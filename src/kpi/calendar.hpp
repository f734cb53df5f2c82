#pragma once
// Civil dates as yyyymmdd integers (20250331) and yyyymm periods (202503), the way the KPI engine keys time.
// Pure arithmetic on the proleptic Gregorian calendar; no time zones (business dates are Beijing dates).

namespace chanrong::kpi {

/// True when `yyyymmdd` names a real calendar day (year 1900..9999).
bool IsValidDate(int yyyymmdd);

/// Days since 1970-01-01 of a valid date (negative before it).
int DayNumber(int yyyymmdd);

/// The yyyymmdd of a day number (inverse of DayNumber).
int DateOfDay(int day_number);

/// Last day of the month of `yyyymm`, e.g. 202402 → 20240229.
int MonthEnd(int yyyymm);

/// The yyyymm of `months` months after `yyyymm` (negative goes back): AddMonths(202411, 3) == 202502.
int AddMonths(int yyyymm, int months);

/// Whole months from period `from` to period `to` (yyyymm): MonthsBetween(202411, 202502) == 3.
int MonthsBetween(int from, int to);

/// Dec 31 of `year`.
inline int YearEnd(int year) {
    return year * 10000 + 1231;
}

/// Year, month and day parts of a yyyymmdd.
inline int YearOf(int yyyymmdd) {
    return yyyymmdd / 10000;
}
inline int PeriodOf(int yyyymmdd) {
    return yyyymmdd / 100;
}

}  // namespace chanrong::kpi

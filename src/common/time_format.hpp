#pragma once
// ISO-8601 formatting and parsing of UTC timestamps.

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"

namespace chanrong {

/// "2026-11-21T10:33:00Z" (second precision; milliseconds are dropped).
std::string FormatIsoUtc(TimestampMs t);

/// The business date of `clock` now, "YYYY-MM-DD" (the UTC calendar day).
inline std::string TodayIso(const Clock& clock) { return FormatIsoUtc(clock.NowMs()).substr(0, 10); }

/// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SSZ" and "YYYY-MM-DDTHH:MM:SS+08:00"; nullopt when invalid.
std::optional<TimestampMs> ParseIsoTimestamp(std::string_view text);

}  // namespace chanrong

#pragma once
// Progress of a target: the projection of an indicator's trend to the target date (Dec 31 of the target year)
// and the status rule. Pure integer arithmetic; the rule is documented in src/kpi/README.md.
//
// Projection: the trend is the average daily change of the indicator's level between the first and the last
// sample of the window (by default the month-ends of the last 12 months, the last sample being the as-of day):
//     slope = (level_last − level_first) / (day_last − day_first)
//     projected_level(t) = level(as_of) + slope × (t − as_of)            (rounded toward zero)
// For cumulative, balance, snapshot and ratio targets projected = projected_level(due). For in_year targets the
// level is the cumulative flow, so projected = projected_level(due) − level(Dec 31 of the year before), that
// baseline itself projected when it is still in the future. Fewer than two samples (or all on one day): no
// trend, projected = current.
//
// Status, in this order:
//   as_of ≥ due        met if the value at the due date satisfies the comparator, else missed
//   no value           no_data
//   current satisfies  met
//   projected satisfies on_track
//   projected near     at_risk: ≥ / >: projected ≥ 90 % of target; ~: |projected − target| ≤ 10 % of target
//   otherwise          behind
// Satisfies: ">=" value ≥ target; ">" value > target; "~" |value − target| ≤ tolerance (ppm targets: 10,000 ppm
// = one percentage point; other value types: 1 % of the target).

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kpi/catalogue.hpp"

namespace chanrong::kpi {

enum class TargetStatus { kMet, kOnTrack, kAtRisk, kBehind, kMissed, kNoData };

/// "met", "on_track", "at_risk", "behind", "missed", "no_data".
std::string_view TargetStatusName(TargetStatus status);

struct ProgressRule {
    int at_risk_percent = 90;                ///< ≥ / >: projected at or above this share of the target is at risk
    int about_band_percent = 10;             ///< ~: |projected − target| within this share of the target is at risk
    long long about_tolerance_ppm = 10'000;  ///< ~ on a ppm target: met within ± this
    int about_tolerance_percent = 1;         ///< ~ on other value types: met within ± this share of the target
};

/// A (day, level) sample of the indicator's trend; days are yyyymmdd.
struct LevelSample {
    int day = 0;
    long long level = 0;
};

struct ProgressInput {
    Kind kind = Kind::kCumulative;
    ValueType value_type = ValueType::kCount;
    int as_of = 0;  ///< yyyymmdd
    /// The indicator's value at min(as_of, due); in_year: of the target year (0 before it starts). nullopt: unknown.
    std::optional<long long> current;
    std::vector<LevelSample> levels;            ///< ascending by day, the last one at as_of; may be empty
    std::optional<long long> year_start_level;  ///< in_year: level at Dec 31 of the year before, when ≤ as_of
};

struct Progress {
    TargetStatus status = TargetStatus::kNoData;
    std::optional<long long> current;
    std::optional<long long> projected;  ///< value expected at the due date (nullopt when unknown or past due)
    long long target = 0;
    int due = 0;  ///< yyyymmdd
};

/// True when `value` satisfies the target's comparator under `rule`.
bool Satisfies(const Target& target, ValueType value_type, long long value, const ProgressRule& rule = {});

/// Projected value at `due` from the input's trend (see above); nullopt when current is unknown.
std::optional<long long> Project(const ProgressInput& input, int due);

/// The status of `target` from `input`.
Progress Assess(const Target& target, const ProgressInput& input, const ProgressRule& rule = {});

}  // namespace chanrong::kpi

#pragma once
// The indicator catalogue and the pilot's yearly targets, as data: data/kpi-indicators.csv and
// data/pilot-targets.csv (both embedded in the binary). Parsing validates every row; a bad row fails the whole
// load with invalid_argument naming the file, the line and the field.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "kpi/metric.hpp"

namespace chanrong::kpi {

/// How an indicator's value relates to time.
enum class Kind {
    kCumulative,  ///< everything since the beginning, across years, up to the day
    kBalance,     ///< an outstanding balance at the end of the day
    kInYear,      ///< from Jan 1 of the day's year up to the day
    kSnapshot,    ///< a level on the day (directory size, a reported figure)
    kRatio,       ///< numerator / denominator, in parts per million
};

enum class Source { kPlatform, kReported };

std::string_view KindName(Kind kind);
std::optional<Kind> ParseKind(std::string_view name);

struct Indicator {
    std::string id;  ///< stable snake_case id, referenced by targets and snapshots
    std::string name_zh, name_en;
    std::string unit_zh;  ///< display unit (家, 笔, 元, 比例 …); money is held in fen whatever it shows
    ValueType value_type = ValueType::kCount;
    Kind kind = Kind::kCumulative;
    Source source = Source::kPlatform;
    std::string metric_text;               ///< as written: "financings_amount", "a/b" for a ratio, "" if reported
    std::optional<MetricRef> metric;       ///< platform: the metric (a ratio's numerator)
    std::optional<MetricRef> denominator;  ///< platform ratio: the denominator
    std::vector<Dimension> breakdowns;     ///< dimensions shown besides the total
    std::vector<std::string> responsible_units;
    std::string source_clause;
};

/// How a target compares: value >= target, value > target, or value within a tolerance of target ("~").
enum class Comparator { kAtLeast, kMoreThan, kAbout };
/// ">=", ">" or "~" and back.
std::optional<Comparator> ParseComparator(std::string_view text);
std::string_view ComparatorText(Comparator comparator);

struct Target {
    std::string id;  ///< P24-01 …
    int year = 0;    ///< due at Dec 31 of this year
    std::string indicator_id;
    std::string area_zh;
    Comparator comparator = Comparator::kAtLeast;
    long long value = 0;  ///< in the indicator's value type (fen, count, ppm)
    std::vector<std::string> responsible_units;
    std::string source_clause;
};

struct Catalogue {
    std::vector<Indicator> indicators;
    std::vector<Target> targets;
    /// The indicator with `id`, or nullptr.
    const Indicator* Find(std::string_view id) const;
};

/// Parses data/kpi-indicators.csv: id,name_zh,name_en,unit,value_type,kind,source,metric,breakdowns,
/// responsible_units,source_clause. Checks ids are unique, the metric fits the kind (flow metrics for cumulative
/// and in_year, stock metrics for balance and snapshot, "num/den" and ppm for a platform ratio, no metric for a
/// reported indicator) and each breakdown is one the metric's data allows.
Result<std::vector<Indicator>> ParseIndicators(std::string_view csv);

/// Parses data/pilot-targets.csv (the plan's table plus indicator_id): the target's kind must equal its
/// indicator's; the value is converted to the indicator's value type (元 → fen, a ratio → ppm).
Result<std::vector<Target>> ParseTargets(std::string_view csv, const std::vector<Indicator>& indicators);

Result<Catalogue> LoadCatalogue(std::string_view indicators_csv, std::string_view targets_csv);

/// The catalogue shipped in the binary.
Result<Catalogue> LoadEmbeddedCatalogue();

}  // namespace chanrong::kpi

#pragma once
// Evaluating an indicator on a day from the store, by kind:
//   cumulative  flow over [store's first day, day]                       (across years)
//   in_year     flow over [Jan 1 of day's year, day]
//   balance     stock at the end of day (amount − repayments paid ≤ day, loans disbursed ≤ day)
//   snapshot    stock at the end of day (directory size) or, reported, the latest report ≤ day
//   ratio       numerator × 1,000,000 / denominator in ppm, each part evaluated in its own nature (a flow
//               cumulatively, a stock on the day); rounded half away from zero; unknown when the denominator is 0
// Reported indicators take the latest report on or before the day; an in_year report counts only within its
// own year. No report → unknown.

#include <optional>

#include "common/error.hpp"
#include "kpi/catalogue.hpp"
#include "kpi/kpi_store.hpp"

namespace chanrong::kpi {

/// An indicator with its metrics resolved against a store's dimensions.
struct BoundIndicator {
    const Indicator* indicator = nullptr;
    BoundMetric metric;       ///< platform only
    BoundMetric denominator;  ///< platform ratio only
};

/// not_found when a directory code of the metric is not among the store's directories.
Result<BoundIndicator> BindIndicator(const KpiStore& store, const Indicator& indicator);

/// The indicator's value at the end of `day` in `slot` (Slot{} = total); nullopt when unknown.
std::optional<long long> Evaluate(const KpiStore& store, const BoundIndicator& bound, Slot slot, int day);

/// The level the trend of an indicator is projected on: for in_year indicators the cumulative flow (so a year
/// boundary is not a cliff), for every other kind the value itself.
std::optional<long long> Level(const KpiStore& store, const BoundIndicator& bound, int day);

/// a × 1,000,000 / b rounded half away from zero; nullopt when b == 0.
std::optional<long long> RatioPpm(long long a, long long b);

}  // namespace chanrong::kpi

#include "kpi/evaluate.hpp"

#include "kpi/calendar.hpp"

namespace chanrong::kpi {
namespace {

long long Natural(const KpiStore& store, const BoundMetric& metric, Slot slot, int day) {
    return InfoOf(metric.metric).flow ? store.Flow(metric, slot, store.first_day(), day)
                                      : store.Stock(metric, slot, day);
}

std::optional<long long> EvaluateReported(const KpiStore& store, const Indicator& ind, Slot slot, int day) {
    if (slot.dimension != Dimension::kTotal) return std::nullopt;
    const auto report = store.Reported(ind.id, day);
    if (!report) return std::nullopt;
    if (ind.kind == Kind::kInYear && YearOf(report->first) != YearOf(day)) return std::nullopt;
    return report->second;
}

}  // namespace

Result<BoundIndicator> BindIndicator(const KpiStore& store, const Indicator& indicator) {
    BoundIndicator bound{&indicator, {}, {}};
    if (indicator.source == Source::kReported) return bound;
    auto metric = store.Bind(*indicator.metric);
    if (!metric) return Fail(metric.error());
    bound.metric = *metric;
    if (indicator.denominator) {
        auto den = store.Bind(*indicator.denominator);
        if (!den) return Fail(den.error());
        bound.denominator = *den;
    }
    return bound;
}

std::optional<long long> RatioPpm(long long a, long long b) {
    if (b == 0) return std::nullopt;
    const __int128 num = static_cast<__int128>(a) * 1'000'000;
    const __int128 den = b < 0 ? -static_cast<__int128>(b) : b;
    const __int128 n = b < 0 ? -num : num;
    const __int128 q = (n >= 0 ? n + den / 2 : n - den / 2) / den;
    return static_cast<long long>(q);
}

std::optional<long long> Evaluate(const KpiStore& store, const BoundIndicator& bound, Slot slot, int day) {
    const Indicator& ind = *bound.indicator;
    if (ind.source == Source::kReported) return EvaluateReported(store, ind, slot, day);
    switch (ind.kind) {
        case Kind::kCumulative: return store.Flow(bound.metric, slot, store.first_day(), day);
        case Kind::kInYear: return store.Flow(bound.metric, slot, YearOf(day) * 10000 + 101, day);
        case Kind::kBalance:
        case Kind::kSnapshot: return store.Stock(bound.metric, slot, day);
        case Kind::kRatio:
            if (slot.dimension != Dimension::kTotal) return std::nullopt;
            return RatioPpm(Natural(store, bound.metric, slot, day), Natural(store, bound.denominator, slot, day));
    }
    return std::nullopt;
}

std::optional<long long> Level(const KpiStore& store, const BoundIndicator& bound, int day) {
    const Indicator& ind = *bound.indicator;
    if (ind.kind != Kind::kInYear) return Evaluate(store, bound, {}, day);
    if (ind.source == Source::kPlatform) return store.Flow(bound.metric, {}, store.first_day(), day);
    // A reported in-year figure: its level is the sum of the full years before plus this year's report.
    std::optional<long long> level;
    for (int year = YearOf(store.first_day()); year <= YearOf(day); ++year) {
        const auto value = Evaluate(store, bound, {}, year == YearOf(day) ? day : YearEnd(year));
        if (value) level = level.value_or(0) + *value;
    }
    return level;
}

}  // namespace chanrong::kpi

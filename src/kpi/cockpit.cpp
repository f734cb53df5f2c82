#include "kpi/cockpit.hpp"

#include <algorithm>

#include "kpi/calendar.hpp"

namespace chanrong::kpi {
namespace {

// Month-ends of the `months` − 1 months before the as-of month, then the as-of day itself.
std::vector<int> TrendDays(int as_of, int months) {
    std::vector<int> days;
    for (int back = months - 1; back >= 1; --back) days.push_back(MonthEnd(AddMonths(PeriodOf(as_of), -back)));
    days.push_back(as_of);
    return days;
}

long long RankValue(const InstitutionFigures& f, RankingKey key) {
    switch (key) {
        case RankingKey::kManufacturingBalance: return f.manufacturing_balance_fen;
        case RankingKey::kFirstLoanCount: return f.first_loan_count;
        case RankingKey::kFirstLoanAmount: return f.first_loan_amount_fen;
        case RankingKey::kGreenBalance: return f.green_balance_fen;
        case RankingKey::kLoansAmount: return f.loans_amount_fen;
    }
    return 0;
}

bool Lagging(TargetStatus status) {
    return status == TargetStatus::kAtRisk || status == TargetStatus::kBehind || status == TargetStatus::kMissed ||
           status == TargetStatus::kNoData;
}

}  // namespace

void RankInstitutions(std::vector<InstitutionFigures>& rows, RankingKey key) {
    std::sort(rows.begin(), rows.end(), [key](const auto& a, const auto& b) {
        const long long va = RankValue(a, key), vb = RankValue(b, key);
        return va != vb ? va > vb : a.institution_id < b.institution_id;
    });
}

Result<CockpitEngine> CockpitEngine::Create(const KpiStore& store, const Catalogue& catalogue) {
    CockpitEngine engine(store, catalogue);
    engine.bound_.reserve(catalogue.indicators.size());
    for (const auto& indicator : catalogue.indicators) {
        auto bound = BindIndicator(store, indicator);
        if (!bound) return Fail(bound.error());
        engine.bound_.push_back(*bound);
    }
    return engine;
}

const BoundIndicator* CockpitEngine::Bound(const std::string& indicator_id) const {
    for (const auto& b : bound_)
        if (b.indicator->id == indicator_id) return &b;
    return nullptr;
}

IndicatorFigure CockpitEngine::Figure(const BoundIndicator& bound, int as_of, const CockpitOptions& options) const {
    IndicatorFigure figure{bound.indicator, Evaluate(*store_, bound, {}, as_of), {}, {}};
    if (options.breakdowns) {
        for (const Dimension dim : bound.indicator->breakdowns) {
            Breakdown breakdown{dim, {}};
            const int values = store_->SlotCount(dim);
            const bool partition = dim != Dimension::kDirectory;
            for (int i = 0; i < values; ++i) {
                const auto index = static_cast<std::uint8_t>(partition && i == values - 1 ? kNone : i);
                breakdown.cells.push_back({index, Evaluate(*store_, bound, Slot{dim, index}, as_of)});
            }
            figure.breakdowns.push_back(std::move(breakdown));
        }
    }
    for (const int day : TrendDays(as_of, options.trend_months))
        figure.trend.push_back({day, Evaluate(*store_, bound, {}, day)});
    return figure;
}

TargetProgress CockpitEngine::Assess(const Target& target, int as_of, const CockpitOptions& options) const {
    const BoundIndicator* bound = Bound(target.indicator_id);
    TargetProgress out{&target, bound ? bound->indicator : nullptr, {}, {}};
    if (!bound) return out;
    const Indicator& ind = *bound->indicator;
    const int due = YearEnd(target.year);
    ProgressInput input{ind.kind, ind.value_type, as_of, std::nullopt, {}, std::nullopt};
    const int day = std::min(as_of, due);
    if (ind.kind == Kind::kInYear && YearOf(day) < target.year)
        input.current = Level(*store_, *bound, day) ? std::optional<long long>(0) : std::nullopt;  // not begun
    else
        input.current = Evaluate(*store_, *bound, {}, day);
    if (as_of < due) {
        for (const int d : TrendDays(as_of, options.trend_months))
            if (const auto level = Level(*store_, *bound, d)) input.levels.push_back({d, *level});
        if (ind.kind == Kind::kInYear && YearEnd(target.year - 1) <= as_of)
            input.year_start_level = Level(*store_, *bound, YearEnd(target.year - 1));
    }
    out.progress = kpi::Assess(target, input, options.rule);
    if (Lagging(out.progress.status))
        out.accountable_units = target.responsible_units.empty() ? ind.responsible_units : target.responsible_units;
    return out;
}

Cockpit CockpitEngine::Refresh(int as_of, const CockpitOptions& options) const {
    Cockpit cockpit;
    cockpit.as_of = as_of;
    cockpit.figures.reserve(bound_.size());
    for (const auto& bound : bound_) cockpit.figures.push_back(Figure(bound, as_of, options));
    cockpit.targets.reserve(catalogue_->targets.size());
    for (const auto& target : catalogue_->targets) cockpit.targets.push_back(Assess(target, as_of, options));
    const int from = options.ranking_from != 0 ? options.ranking_from : YearOf(as_of) * 100 + 1;
    cockpit.ranking = store_->Institutions(from, PeriodOf(as_of));
    RankInstitutions(cockpit.ranking, options.ranking_key);
    return cockpit;
}

}  // namespace chanrong::kpi

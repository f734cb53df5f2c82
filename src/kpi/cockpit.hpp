#pragma once
// The cockpit (驾驶舱): every indicator of the catalogue on a day with its breakdowns and 12-month trend, the
// progress of every target with the responsible units of the lagging ones, and the institution ranking of the
// monitoring bulletin (指标监测通报). A refresh reads the store's running sums only — its cost does not grow with
// the number of loans.

#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "kpi/catalogue.hpp"
#include "kpi/evaluate.hpp"
#include "kpi/kpi_store.hpp"
#include "kpi/progress.hpp"

namespace chanrong::kpi {

/// One cell of a breakdown: a dimension value index (kNone: unclassified) and the indicator's value in it.
struct BreakdownCell {
    std::uint8_t index = 0;
    std::optional<long long> value;
};

struct Breakdown {
    Dimension dimension = Dimension::kTotal;
    std::vector<BreakdownCell> cells;  ///< every value of the dimension in index order, then kNone (not directory)
};

struct TrendPoint {
    int day = 0;  ///< yyyymmdd: month-ends, the last one the as-of day
    std::optional<long long> value;
};

struct IndicatorFigure {
    const Indicator* indicator = nullptr;
    std::optional<long long> value;
    std::vector<Breakdown> breakdowns;  ///< in the catalogue's order
    std::vector<TrendPoint> trend;      ///< oldest first
};

struct TargetProgress {
    const Target* target = nullptr;
    const Indicator* indicator = nullptr;
    Progress progress;
    /// Who answers for it when it lags (at_risk, behind, missed, no_data): the target's units, else the
    /// indicator's; empty otherwise.
    std::vector<std::string> accountable_units;
};

/// How the institution ranking is ordered (descending, ties by institution id).
enum class RankingKey { kManufacturingBalance, kFirstLoanCount, kFirstLoanAmount, kGreenBalance, kLoansAmount };

struct CockpitOptions {
    int trend_months = 12;  ///< trend points: the month-ends before the as-of month, then the as-of day
    bool breakdowns = true;
    int ranking_from = 0;  ///< yyyymm; 0: January of the as-of year
    RankingKey ranking_key = RankingKey::kManufacturingBalance;
    ProgressRule rule;
};

struct Cockpit {
    int as_of = 0;
    std::vector<IndicatorFigure> figures;  ///< catalogue order
    std::vector<TargetProgress> targets;   ///< catalogue order
    std::vector<InstitutionFigures> ranking;
};

/// Binds a catalogue to a store once; both must outlive the engine.
class CockpitEngine {
public:
    /// not_found when an indicator names a directory the store does not know.
    static Result<CockpitEngine> Create(const KpiStore& store, const Catalogue& catalogue);

    /// The whole cockpit at the end of `as_of` (yyyymmdd).
    Cockpit Refresh(int as_of, const CockpitOptions& options = {}) const;

    /// One indicator's figure (value, breakdowns, trend).
    IndicatorFigure Figure(const BoundIndicator& bound, int as_of, const CockpitOptions& options) const;

    /// Progress of one target as seen at the end of `as_of`.
    TargetProgress Assess(const Target& target, int as_of, const CockpitOptions& options = {}) const;

    const std::vector<BoundIndicator>& indicators() const { return bound_; }
    const KpiStore& store() const { return *store_; }
    const Catalogue& catalogue() const { return *catalogue_; }

private:
    CockpitEngine(const KpiStore& store, const Catalogue& catalogue) : store_(&store), catalogue_(&catalogue) {}
    const BoundIndicator* Bound(const std::string& indicator_id) const;

    const KpiStore* store_;
    const Catalogue* catalogue_;
    std::vector<BoundIndicator> bound_;
};

/// Sorts institution figures by `key` (descending, ties by id ascending).
void RankInstitutions(std::vector<InstitutionFigures>& rows, RankingKey key);

}  // namespace chanrong::kpi

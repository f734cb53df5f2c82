#pragma once
// The KPI engine's aggregated store: every fact is folded, as it arrives, into day × slot running sums
// (FenwickGrid), so any metric on any day — cumulative since the beginning, over a window, or a balance — is a
// handful of O(log days) reads, independent of how many loans there are. A slot is the total or one value of a
// breakdown dimension (4+4+6 class, district, institution kind, directory); breakdowns are one dimension at a
// time (marginals), not cross products. Per institution a month × measure grid feeds the 指标监测通报 ranking.
//
// Balance rule: a loan's outstanding balance at the end of day d is its amount minus its repayments paid on or
// before d, for loans disbursed on or before d. Maturity does not end a balance: a matured, unpaid loan is
// overdue and still outstanding. Facts can be retracted (exact inverse), so corrections keep the sums right.
//
// Not thread-safe for writes; concurrent const reads are safe outside a batch.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/error.hpp"
#include "kpi/facts.hpp"
#include "kpi/fenwick_grid.hpp"
#include "kpi/metric.hpp"

namespace chanrong::kpi {

struct StoreOptions {
    Dimensions dimensions;
    int first_day = 20150101;  ///< facts dated before are refused; reads before it are 0
    int last_day = 20351231;   ///< facts dated after are refused; reads after it see everything
};

/// One cell of a breakdown: the total, or value `index` of a dimension (kNone: the unclassified cell of
/// class446 / district / institution_kind; directory has none, since a member may be in several or none).
struct Slot {
    Dimension dimension = Dimension::kTotal;
    std::uint8_t index = 0;
};

/// A metric resolved against the store's dimensions (directory code → index).
struct BoundMetric {
    Metric metric = Metric::kFinancingsCount;
    int directory = -1;
};

/// One institution's figures for the monitoring bulletin (指标监测通报): flows over the months of a period,
/// balances at the end of its last month.
struct InstitutionFigures {
    long long institution_id = 0;
    std::uint8_t kind = kNone;
    long long loans_count = 0, loans_amount_fen = 0;
    long long first_loan_count = 0, first_loan_amount_fen = 0;
    long long manufacturing_amount_fen = 0, green_amount_fen = 0, tech_amount_fen = 0;
    long long loan_balance_fen = 0, manufacturing_balance_fen = 0, mid_long_mfg_balance_fen = 0;
    long long green_balance_fen = 0, tech_balance_fen = 0;
};

class KpiStore {
public:
    /// invalid_argument for a bad window or more than kMaxDirectories directories / 254 values of a dimension.
    static Result<KpiStore> Create(StoreOptions options);

    const Dimensions& dimensions() const { return options_.dimensions; }
    int first_day() const { return options_.first_day; }
    int last_day() const { return options_.last_day; }

    Status AddInstitution(const InstitutionFact& fact);
    Status AddEnterprise(const EnterpriseFact& fact) { return Apply(fact, 1); }
    Status RetractEnterprise(const EnterpriseFact& fact) { return Apply(fact, -1); }
    /// A loan with the repayments it carries. invalid_argument for bad dates, amounts, indices or repayments
    /// exceeding the amount; not_found for an institution never added.
    Status AddLoan(const LoanFact& fact) { return Apply(fact, 1); }
    Status RetractLoan(const LoanFact& fact) { return Apply(fact, -1); }
    /// A repayment arriving after its loan; `loan` gives the loan's facts (its own repayments are ignored).
    Status AddRepayment(const LoanFact& loan, const RepaymentFact& repayment) { return Apply(loan, repayment, 1); }
    Status RetractRepayment(const LoanFact& loan, const RepaymentFact& r) { return Apply(loan, r, -1); }
    Status AddDirectoryStay(const DirectoryStayFact& fact) { return Apply(fact, 1); }
    Status RetractDirectoryStay(const DirectoryStayFact& fact) { return Apply(fact, -1); }
    Status AddEvent(const EventFact& fact) { return Apply(fact, 1); }
    Status RetractEvent(const EventFact& fact) { return Apply(fact, -1); }
    /// A reported figure; a later report for the same indicator and day replaces the earlier one.
    Status AddReported(const ReportedFact& fact);

    /// Bulk loading: additions become O(1) until EndBatch() rebuilds the sums. No reads in between.
    void BeginBatch();
    void EndBatch();

    /// not_found for a directory code not among the dimensions.
    Result<BoundMetric> Bind(const MetricRef& ref) const;

    /// Sum of a flow metric over days [from, to] (yyyymmdd, inclusive) in `slot`; 0 for a slot the metric
    /// does not break down by.
    long long Flow(const BoundMetric& metric, Slot slot, int from, int to) const;
    /// Level of a stock metric at the end of `day`.
    long long Stock(const BoundMetric& metric, Slot slot, int day) const;
    /// Latest figure reported for `indicator_id` on or before `day`, with its date.
    std::optional<std::pair<int, long long>> Reported(const std::string& indicator_id, int day) const;

    /// Figures of every institution, flows over periods [from_period, to_period] (yyyymm), in id order.
    std::vector<InstitutionFigures> Institutions(int from_period, int to_period) const;

    /// Number of values of `dimension` including its unclassified cell (1 for kTotal).
    int SlotCount(Dimension dimension) const;
    std::size_t MemoryBytes() const;

private:
    struct Layout {
        int offset[5] = {-1, -1, -1, -1, -1};
        int size[5] = {0, 0, 0, 0, 0};
        int count = 0;
        int Of(Slot slot) const;
    };
    struct InstitutionEntry {
        std::uint8_t kind = kNone;
        FenwickGrid months;
    };

    explicit KpiStore(StoreOptions options);
    Layout MakeLayout(std::initializer_list<Dimension> dims) const;
    Status CheckDay(int yyyymmdd, const char* field) const;
    Status CheckIndex(std::uint8_t index, std::size_t size, const char* field) const;
    Status CheckLoan(const LoanFact& fact) const;
    std::size_t DayBucket(int yyyymmdd) const;
    std::size_t MonthBucket(int yyyymmdd) const;
    int LoanSlots(const LoanFact& fact, std::uint8_t kind, int* out) const;

    Status Apply(const EnterpriseFact& fact, int sign);
    Status Apply(const LoanFact& fact, int sign);
    Status Apply(const LoanFact& loan, const RepaymentFact& repayment, int sign);
    Status Apply(const DirectoryStayFact& fact, int sign);
    Status Apply(const EventFact& fact, int sign);
    void Post(const LoanFact& loan, std::uint8_t kind, InstitutionEntry& inst, int measure, int day, long long v);

    long long LoanSeries(int family, int measure, Slot slot, int from, int to) const;

    StoreOptions options_;
    int first_day_number_ = 0;
    int first_period_ = 0;
    std::size_t days_ = 0, months_ = 0;
    bool in_batch_ = false;
    Layout loan_layout_, enterprise_layout_, institution_layout_, directory_layout_;
    FenwickGrid loans_, enterprises_, institutions_, events_, directories_;
    std::unordered_map<long long, std::size_t> institution_index_;
    std::vector<long long> institution_ids_;
    std::vector<InstitutionEntry> institution_grids_;
    std::map<std::string, std::map<int, long long>> reported_;
};

}  // namespace chanrong::kpi

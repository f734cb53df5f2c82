#include "kpi/kpi_store.hpp"

#include <algorithm>
#include <bit>

#include "kpi/calendar.hpp"

namespace chanrong::kpi {
namespace {

// Loan families: the subsets of loans a metric sums over. A loan belongs to several.
enum Family { kAll, kMfg, kMfgMidLong, kSpecialized, kGreen, kTech, kFirstSmallMicro, kFamilies };
// Measures of a loan family: disbursements counted, disbursed amount, repaid principal.
enum Measure { kCount, kAmount, kRepaid, kMeasures };

unsigned FamilyMask(std::uint32_t flags) {
    unsigned mask = 1u << kAll;
    if (flags & kLoanMfgBorrower) mask |= 1u << kMfg;
    if ((flags & kLoanMfgBorrower) && (flags & kLoanMidLong)) mask |= 1u << kMfgMidLong;
    if (flags & kBorrowerSpecialized) mask |= 1u << kSpecialized;
    if (flags & kLoanGreen) mask |= 1u << kGreen;
    if (flags & kLoanTech) mask |= 1u << kTech;
    if ((flags & kLoanFirst) && (flags & kBorrowerSmallMicro)) mask |= 1u << kFirstSmallMicro;
    return mask;
}

// Family and measure a loan flow metric reads; family of a balance metric.
std::pair<int, int> FlowSource(Metric metric) {
    switch (metric) {
        case Metric::kFinancingsCount:
        case Metric::kLoansToDirectoryCount: return {kAll, kCount};
        case Metric::kFinancingsAmount:
        case Metric::kLoansToDirectoryAmount: return {kAll, kAmount};
        case Metric::kFirstLoanEnterprises: return {kFirstSmallMicro, kCount};
        case Metric::kFirstLoanAmount: return {kFirstSmallMicro, kAmount};
        case Metric::kManufacturingLoanAmount: return {kMfg, kAmount};
        case Metric::kGreenLoanAmount: return {kGreen, kAmount};
        case Metric::kTechLoanAmount: return {kTech, kAmount};
        default: return {-1, -1};
    }
}

int BalanceFamily(Metric metric) {
    switch (metric) {
        case Metric::kLoanBalance: return kAll;
        case Metric::kManufacturingLoanBalance: return kMfg;
        case Metric::kMidLongMfgBalance: return kMfgMidLong;
        case Metric::kZjtxLoanBalance: return kSpecialized;
        case Metric::kGreenLoanBalance: return kGreen;
        case Metric::kTechLoanBalance: return kTech;
        default: return -1;
    }
}

std::size_t LoanSeriesIndex(int slot, int family, int measure) {
    return (static_cast<std::size_t>(slot) * kFamilies + family) * kMeasures + measure;
}

std::size_t DimensionSize(const Dimensions& d, Dimension dim) {
    switch (dim) {
        case Dimension::kClass446: return d.classes446.size() + 1;
        case Dimension::kDistrict: return d.districts.size() + 1;
        case Dimension::kInstitutionKind: return d.institution_kinds.size() + 1;
        case Dimension::kDirectory: return d.directories.size();
        case Dimension::kTotal: return 1;
    }
    return 0;
}

}  // namespace

int KpiStore::Layout::Of(Slot slot) const {
    const int dim = static_cast<int>(slot.dimension);
    if (offset[dim] < 0) return -1;
    if (slot.dimension == Dimension::kTotal) return 0;
    const int index = slot.index == kNone && slot.dimension != Dimension::kDirectory ? size[dim] - 1 : slot.index;
    return index < size[dim] ? offset[dim] + index : -1;
}

KpiStore::Layout KpiStore::MakeLayout(std::initializer_list<Dimension> dims) const {
    Layout layout;
    layout.offset[0] = 0;
    layout.size[0] = 1;
    layout.count = 1;
    for (const Dimension dim : dims) {
        const int i = static_cast<int>(dim);
        layout.offset[i] = layout.count;
        layout.size[i] = static_cast<int>(DimensionSize(options_.dimensions, dim));
        layout.count += layout.size[i];
    }
    return layout;
}

KpiStore::KpiStore(StoreOptions options) : options_(std::move(options)) {
    first_day_number_ = DayNumber(options_.first_day);
    first_period_ = PeriodOf(options_.first_day);
    days_ = static_cast<std::size_t>(DayNumber(options_.last_day) - first_day_number_ + 1);
    months_ = static_cast<std::size_t>(MonthsBetween(first_period_, PeriodOf(options_.last_day)) + 1);
    using D = Dimension;
    loan_layout_ = MakeLayout({D::kClass446, D::kDistrict, D::kInstitutionKind, D::kDirectory});
    enterprise_layout_ = MakeLayout({D::kClass446, D::kDistrict});
    institution_layout_ = MakeLayout({D::kInstitutionKind, D::kDistrict});
    directory_layout_ = enterprise_layout_;
    loans_ = FenwickGrid(LoanSeriesIndex(loan_layout_.count, 0, 0), days_);
    enterprises_ = FenwickGrid(enterprise_layout_.count, days_);
    institutions_ = FenwickGrid(institution_layout_.count, days_);
    events_ = FenwickGrid(2, days_);
    directories_ = FenwickGrid(options_.dimensions.directories.size() * directory_layout_.count, days_);
}

Result<KpiStore> KpiStore::Create(StoreOptions options) {
    if (!IsValidDate(options.first_day) || !IsValidDate(options.last_day) || options.last_day < options.first_day)
        return Fail(Error::InvalidArgument("统计时间窗无效"));
    const auto& d = options.dimensions;
    if (d.directories.size() > static_cast<size_t>(kMaxDirectories))
        return Fail(Error::InvalidArgument("名录数超过 32"));
    for (const auto* values : {&d.classes446, &d.districts, &d.institution_kinds})
        if (values->size() >= kNone) return Fail(Error::InvalidArgument("维度取值过多"));
    return KpiStore(std::move(options));
}

std::size_t KpiStore::DayBucket(int yyyymmdd) const {
    return static_cast<std::size_t>(DayNumber(yyyymmdd) - first_day_number_);
}

std::size_t KpiStore::MonthBucket(int yyyymmdd) const {
    return static_cast<std::size_t>(MonthsBetween(first_period_, PeriodOf(yyyymmdd)));
}

Status KpiStore::CheckDay(int yyyymmdd, const char* field) const {
    if (!IsValidDate(yyyymmdd) || yyyymmdd < options_.first_day || yyyymmdd > options_.last_day)
        return Fail(Error::Field(field, "invalid", "日期无效或超出统计时间窗: " + std::to_string(yyyymmdd)));
    return {};
}

Status KpiStore::CheckIndex(std::uint8_t index, std::size_t size, const char* field) const {
    if (index != kNone && index >= size) return Fail(Error::Field(field, "invalid", "维度下标越界"));
    return {};
}

Status KpiStore::AddInstitution(const InstitutionFact& fact) {
    if (auto ok = CheckDay(fact.enrolled_on, "enrolled_on"); !ok) return ok;
    if (auto ok = CheckIndex(fact.kind, options_.dimensions.institution_kinds.size(), "kind"); !ok) return ok;
    if (auto ok = CheckIndex(fact.district, options_.dimensions.districts.size(), "district"); !ok) return ok;
    if (institution_index_.contains(fact.institution_id))
        return Fail(Error::Conflict("机构已登记: " + std::to_string(fact.institution_id)));
    institution_index_.emplace(fact.institution_id, institution_grids_.size());
    institution_ids_.push_back(fact.institution_id);
    institution_grids_.push_back({fact.kind, FenwickGrid(static_cast<std::size_t>(kFamilies) * kMeasures, months_)});
    if (in_batch_) institution_grids_.back().months.BeginBatch();
    const std::size_t b = DayBucket(fact.enrolled_on);
    for (const Slot slot :
         {Slot{}, Slot{Dimension::kInstitutionKind, fact.kind}, Slot{Dimension::kDistrict, fact.district}})
        institutions_.Add(static_cast<std::size_t>(institution_layout_.Of(slot)), b, 1);
    return {};
}

Status KpiStore::Apply(const EnterpriseFact& fact, int sign) {
    if (auto ok = CheckDay(fact.enrolled_on, "enrolled_on"); !ok) return ok;
    if (auto ok = CheckIndex(fact.class446, options_.dimensions.classes446.size(), "class446"); !ok) return ok;
    if (auto ok = CheckIndex(fact.district, options_.dimensions.districts.size(), "district"); !ok) return ok;
    const std::size_t b = DayBucket(fact.enrolled_on);
    for (const Slot slot :
         {Slot{}, Slot{Dimension::kClass446, fact.class446}, Slot{Dimension::kDistrict, fact.district}})
        enterprises_.Add(static_cast<std::size_t>(enterprise_layout_.Of(slot)), b, sign);
    return {};
}

Status KpiStore::Apply(const DirectoryStayFact& fact, int sign) {
    if (fact.directory >= options_.dimensions.directories.size())
        return Fail(Error::Field("directory", "invalid", "名录下标越界"));
    if (auto ok = CheckDay(fact.from, "from"); !ok) return ok;
    if (fact.to != 0) {
        if (auto ok = CheckDay(fact.to, "to"); !ok) return ok;
        if (fact.to < fact.from) return Fail(Error::Field("to", "invalid", "退出日期早于进入日期"));
    }
    if (auto ok = CheckIndex(fact.class446, options_.dimensions.classes446.size(), "class446"); !ok) return ok;
    if (auto ok = CheckIndex(fact.district, options_.dimensions.districts.size(), "district"); !ok) return ok;
    const std::size_t base = static_cast<std::size_t>(fact.directory) * directory_layout_.count;
    for (const Slot slot :
         {Slot{}, Slot{Dimension::kClass446, fact.class446}, Slot{Dimension::kDistrict, fact.district}}) {
        const std::size_t s = base + static_cast<std::size_t>(directory_layout_.Of(slot));
        directories_.Add(s, DayBucket(fact.from), sign);
        if (fact.to != 0) directories_.Add(s, DayBucket(fact.to), -sign);  // [from, to): gone on `to`
    }
    return {};
}

Status KpiStore::Apply(const EventFact& fact, int sign) {
    if (auto ok = CheckDay(fact.held_on, "held_on"); !ok) return ok;
    if (fact.financing_fen < 0) return Fail(Error::Field("financing_fen", "invalid", "融资额不能为负"));
    events_.Add(0, DayBucket(fact.held_on), sign);
    events_.Add(1, DayBucket(fact.held_on), sign * fact.financing_fen);
    return {};
}

Status KpiStore::AddReported(const ReportedFact& fact) {
    if (fact.indicator_id.empty()) return Fail(Error::Field("indicator_id", "required", "缺少指标编号"));
    if (!IsValidDate(fact.as_of)) return Fail(Error::Field("as_of", "invalid", "日期无效"));
    reported_[fact.indicator_id][fact.as_of] = fact.value;
    return {};
}

void KpiStore::BeginBatch() {
    if (in_batch_) return;
    in_batch_ = true;
    for (auto* grid : {&loans_, &enterprises_, &institutions_, &events_, &directories_}) grid->BeginBatch();
    for (auto& entry : institution_grids_) entry.months.BeginBatch();
}

void KpiStore::EndBatch() {
    if (!in_batch_) return;
    in_batch_ = false;
    for (auto* grid : {&loans_, &enterprises_, &institutions_, &events_, &directories_}) grid->EndBatch();
    for (auto& entry : institution_grids_) entry.months.EndBatch();
}

int KpiStore::SlotCount(Dimension dimension) const {
    return static_cast<int>(DimensionSize(options_.dimensions, dimension));
}

std::size_t KpiStore::MemoryBytes() const {
    std::size_t bytes = 0;
    for (const auto* grid : {&loans_, &enterprises_, &institutions_, &events_, &directories_})
        bytes += grid->MemoryBytes();
    for (const auto& entry : institution_grids_) bytes += entry.months.MemoryBytes();
    return bytes;
}

Result<BoundMetric> KpiStore::Bind(const MetricRef& ref) const {
    BoundMetric bound{ref.metric, -1};
    if (!InfoOf(ref.metric).needs_directory) return bound;
    const auto& dirs = options_.dimensions.directories;
    const auto it = std::find(dirs.begin(), dirs.end(), ref.directory);
    if (it == dirs.end()) return Fail(Error::NotFound("未知的名录代码: " + ref.directory));
    bound.directory = static_cast<int>(it - dirs.begin());
    return bound;
}

Status KpiStore::CheckLoan(const LoanFact& fact) const {
    const std::string id = std::to_string(fact.loan_id);
    if (fact.amount_fen <= 0) return Fail(Error::Field("amount_fen", "invalid", "贷款金额须为正: " + id));
    if (auto ok = CheckDay(fact.disbursed_on, "disbursed_on"); !ok) return ok;
    if (!IsValidDate(fact.maturity_on) || fact.maturity_on < fact.disbursed_on)
        return Fail(Error::Field("maturity_on", "invalid", "到期日无效或早于放款日: " + id));
    if (auto ok = CheckIndex(fact.class446, options_.dimensions.classes446.size(), "class446"); !ok) return ok;
    if (auto ok = CheckIndex(fact.district, options_.dimensions.districts.size(), "district"); !ok) return ok;
    if (options_.dimensions.directories.size() < 32 &&
        (fact.directories >> options_.dimensions.directories.size()) != 0)
        return Fail(Error::Field("directories", "invalid", "名录位越界: " + id));
    if (!institution_index_.contains(fact.institution_id))
        return Fail(Error::NotFound("贷款 " + id + " 的机构未登记: " + std::to_string(fact.institution_id)));
    return {};
}

static Status CheckRepayment(const LoanFact& loan, const RepaymentFact& r) {
    if (r.principal_fen <= 0) return Fail(Error::Field("principal_fen", "invalid", "还款本金须为正"));
    if (!IsValidDate(r.paid_on) || r.paid_on < loan.disbursed_on)
        return Fail(Error::Field("paid_on", "invalid", "还款日无效或早于放款日: " + std::to_string(loan.loan_id)));
    return {};
}

// Slots a loan adds to: total, its class, district, institution kind and each directory of its borrower.
int KpiStore::LoanSlots(const LoanFact& fact, std::uint8_t kind, int* out) const {
    int n = 0;
    out[n++] = 0;
    out[n++] = loan_layout_.Of({Dimension::kClass446, fact.class446});
    out[n++] = loan_layout_.Of({Dimension::kDistrict, fact.district});
    out[n++] = loan_layout_.Of({Dimension::kInstitutionKind, kind});
    for (std::uint32_t dirs = fact.directories; dirs != 0; dirs &= dirs - 1)
        out[n++] = loan_layout_.Of({Dimension::kDirectory, static_cast<std::uint8_t>(std::countr_zero(dirs))});
    return n;
}

void KpiStore::Post(const LoanFact& loan, std::uint8_t kind, InstitutionEntry& inst, int measure, int day,
                    long long value) {
    int slots[4 + kMaxDirectories];
    const int n = LoanSlots(loan, kind, slots);
    const unsigned mask = FamilyMask(loan.flags);
    const std::size_t b = DayBucket(day), mb = MonthBucket(day);
    for (unsigned m = mask; m != 0; m &= m - 1) {
        const int family = std::countr_zero(m);
        for (int i = 0; i < n; ++i) loans_.Add(LoanSeriesIndex(slots[i], family, measure), b, value);
        inst.months.Add(static_cast<std::size_t>(family * kMeasures + measure), mb, value);
    }
}

Status KpiStore::Apply(const LoanFact& fact, int sign) {
    if (auto ok = CheckLoan(fact); !ok) return ok;
    long long repaid = 0;
    for (const auto& r : fact.repayments) {
        if (auto ok = CheckRepayment(fact, r); !ok) return ok;
        if (auto ok = CheckDay(r.paid_on, "paid_on"); !ok) return ok;
        repaid += r.principal_fen;
    }
    if (repaid > fact.amount_fen)
        return Fail(Error::Field("repayments", "invalid", "还款合计超过贷款金额: " + std::to_string(fact.loan_id)));
    auto& inst = institution_grids_[institution_index_.at(fact.institution_id)];
    Post(fact, inst.kind, inst, kCount, fact.disbursed_on, sign);
    Post(fact, inst.kind, inst, kAmount, fact.disbursed_on, sign * fact.amount_fen);
    for (const auto& r : fact.repayments) Post(fact, inst.kind, inst, kRepaid, r.paid_on, sign * r.principal_fen);
    return {};
}

Status KpiStore::Apply(const LoanFact& loan, const RepaymentFact& repayment, int sign) {
    if (auto ok = CheckLoan(loan); !ok) return ok;
    if (auto ok = CheckRepayment(loan, repayment); !ok) return ok;
    if (auto ok = CheckDay(repayment.paid_on, "paid_on"); !ok) return ok;
    auto& inst = institution_grids_[institution_index_.at(loan.institution_id)];
    Post(loan, inst.kind, inst, kRepaid, repayment.paid_on, sign * repayment.principal_fen);
    return {};
}

long long KpiStore::LoanSeries(int family, int measure, Slot slot, int from, int to) const {
    const int s = loan_layout_.Of(slot);
    if (s < 0 || to < from) return 0;
    const long long first = DayNumber(from) - first_day_number_;
    const long long last = DayNumber(to) - first_day_number_;
    return loans_.Range(LoanSeriesIndex(s, family, measure), first, last);
}

long long KpiStore::Flow(const BoundMetric& metric, Slot slot, int from, int to) const {
    if (to < from) return 0;
    const long long first = DayNumber(from) - first_day_number_;
    const long long last = DayNumber(to) - first_day_number_;
    switch (metric.metric) {
        case Metric::kEnterprisesEnrolled: {
            const int s = enterprise_layout_.Of(slot);
            return s < 0 ? 0 : enterprises_.Range(static_cast<std::size_t>(s), first, last);
        }
        case Metric::kInstitutionsEnrolled: {
            const int s = institution_layout_.Of(slot);
            return s < 0 ? 0 : institutions_.Range(static_cast<std::size_t>(s), first, last);
        }
        case Metric::kEventsHeld: return slot.dimension == Dimension::kTotal ? events_.Range(0, first, last) : 0;
        case Metric::kEventFinancingAmount:
            return slot.dimension == Dimension::kTotal ? events_.Range(1, first, last) : 0;
        case Metric::kLoansToDirectoryCount:
        case Metric::kLoansToDirectoryAmount:
            if (slot.dimension != Dimension::kTotal || metric.directory < 0) return 0;
            slot = Slot{Dimension::kDirectory, static_cast<std::uint8_t>(metric.directory)};
            break;
        default: break;
    }
    const auto [family, measure] = FlowSource(metric.metric);
    return family < 0 ? 0 : LoanSeries(family, measure, slot, from, to);
}

long long KpiStore::Stock(const BoundMetric& metric, Slot slot, int day) const {
    if (metric.metric == Metric::kDirectorySize) {
        const int s = directory_layout_.Of(slot);
        if (s < 0 || metric.directory < 0) return 0;
        const std::size_t series = static_cast<std::size_t>(metric.directory) * directory_layout_.count + s;
        return directories_.Prefix(series, DayNumber(day) - first_day_number_);
    }
    const int family = BalanceFamily(metric.metric);
    if (family < 0) return 0;
    return LoanSeries(family, kAmount, slot, options_.first_day, day) -
           LoanSeries(family, kRepaid, slot, options_.first_day, day);
}

std::optional<std::pair<int, long long>> KpiStore::Reported(const std::string& indicator_id, int day) const {
    const auto found = reported_.find(indicator_id);
    if (found == reported_.end()) return std::nullopt;
    auto it = found->second.upper_bound(day);
    if (it == found->second.begin()) return std::nullopt;
    --it;
    return std::pair{it->first, it->second};
}

std::vector<InstitutionFigures> KpiStore::Institutions(int from_period, int to_period) const {
    const long long first = MonthsBetween(first_period_, from_period);
    const long long last = MonthsBetween(first_period_, to_period);
    std::vector<std::size_t> order(institution_ids_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return institution_ids_[a] < institution_ids_[b]; });
    std::vector<InstitutionFigures> out;
    out.reserve(order.size());
    for (const std::size_t i : order) {
        const FenwickGrid& g = institution_grids_[i].months;
        const auto flow = [&](int family, int measure) {
            return g.Range(static_cast<std::size_t>(family * kMeasures + measure), first, last);
        };
        const auto balance = [&](int family) {
            return g.Prefix(static_cast<std::size_t>(family * kMeasures + kAmount), last) -
                   g.Prefix(static_cast<std::size_t>(family * kMeasures + kRepaid), last);
        };
        out.push_back({institution_ids_[i], institution_grids_[i].kind, flow(kAll, kCount), flow(kAll, kAmount),
                       flow(kFirstSmallMicro, kCount), flow(kFirstSmallMicro, kAmount), flow(kMfg, kAmount),
                       flow(kGreen, kAmount), flow(kTech, kAmount), balance(kAll), balance(kMfg), balance(kMfgMidLong),
                       balance(kGreen), balance(kTech)});
    }
    return out;
}

std::uint32_t DirectoryMaskOn(const std::vector<DirectoryStayFact>& stays, int day) {
    std::uint32_t mask = 0;
    for (const auto& stay : stays)
        if (stay.from <= day && (stay.to == 0 || day < stay.to) && stay.directory < kMaxDirectories)
            mask |= 1u << stay.directory;
    return mask;
}

}  // namespace chanrong::kpi

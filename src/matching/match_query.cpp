// Queries of the match index: eligibility by bitsets, scoring of the eligible products, top N with explanations.
#include <algorithm>

#include "matching/match_index.hpp"
#include "matching/match_internal.hpp"

namespace chanrong::matching {
using detail::Words;

MatchIndex::Scratch& MatchIndex::ScratchSpace() {
    thread_local Scratch scratch;
    return scratch;
}

MatchIndex::Facts MatchIndex::Resolve(const Enterprise& e, const Demand& d, const FeatureList* cached) const {
    Facts f;
    f.size = e.size;
    f.stage = e.stage;
    f.grade = e.grade;
    f.years = e.years_in_business;
    f.demand = &d;
    f.class_id = e.class446.empty() ? 0 : strings_.Find(e.class446);
    f.district_id = e.district.empty() ? 0 : strings_.Find(e.district);
    f.guarantee_id = d.guarantee.empty() ? 0 : strings_.Find(d.guarantee);
    f.has_guarantee = !d.guarantee.empty();
    f.has_collateral = !d.collateral.empty();
    f.tags = Ids(e.tags);
    f.dirs = Ids(e.directories);
    for (size_t n = 1; n <= e.industry_code.size(); ++n)
        if (auto id = strings_.Find(std::string_view(e.industry_code).substr(0, n))) f.prefixes.push_back(id);
    if (cached) f.features = *cached;
    else model_->AppendEnterpriseFeatures(e, f.features);
    model_->AppendDemandFeatures(d, f.features);
    f.profile = model_->ProfileScore(e);
    f.ln_amount = ScoringModel::LnFen(d.amount_fen);
    return f;
}

void MatchIndex::CollateralPass(bool has_collateral, bool has_guarantee, std::uint32_t guarantee_id, Words& out) const {
    Words kinds(words_, 0);
    if (has_guarantee) {
        const std::uint32_t ids[1] = {guarantee_id};
        guarantee_kinds_.Pass(std::span<const std::uint32_t>(ids, guarantee_id ? 1 : 0), kinds);
    }
    using C = CollateralRequirement;
    auto req = [&](C c) -> const Words& { return collateral_req_[static_cast<int>(c)]; };
    out.assign(words_, 0);
    for (size_t k = 0; k < words_; ++k) {
        const std::uint64_t col = has_collateral ? ~0ull : 0ull;
        out[k] = req(C::kNone)[k] | (req(C::kCollateral)[k] & col) | (req(C::kGuarantee)[k] & kinds[k]) |
                 (req(C::kCollateralOrGuarantee)[k] & (col | kinds[k])) | (req(C::kCollateralAndGuarantee)[k] & col & kinds[k]);
    }
}

void MatchIndex::CategoricalPass(const Facts& f, Rule rule, Words& out) const {
    std::uint32_t value[1];
    auto one = [&](std::uint32_t v) {
        value[0] = v;
        return std::span<const std::uint32_t>(value, v ? 1 : 0);
    };
    switch (rule) {
        case Rule::kInstrument: {
            const Instrument in = f.demand->instrument;
            out.assign(active_.begin(), active_.end());
            if (in == Instrument::kAny) return;
            for (size_t k = 0; k < words_; ++k) out[k] &= in == Instrument::kEquity ? equity_[k] : ~equity_[k];
            return;
        }
        case Rule::kClass446: return classes_.Pass(one(f.class_id), out);
        case Rule::kIndustry: return industries_.Pass(f.prefixes, out);
        case Rule::kDistrict: return districts_.Pass(one(f.district_id), out);
        case Rule::kSize: return sizes_.Pass(one(static_cast<std::uint32_t>(f.size) + 1), out);
        case Rule::kTags: return tags_.Pass(f.tags, out);
        case Rule::kDirectories: return dirs_.Pass(f.dirs, out);
        case Rule::kStage: return stages_.Pass(one(static_cast<std::uint32_t>(f.stage) + 1), out);
        case Rule::kCreditGrade: out = grade_pass_[static_cast<int>(f.grade)]; return;
        case Rule::kCollateral: return CollateralPass(f.has_collateral, f.has_guarantee, f.guarantee_id, out);
        default: NumericPass(f, rule, out);
    }
}

bool MatchIndex::RuleOk(const Facts& f, Rule rule, std::uint32_t s) const {
    const Demand& d = *f.demand;
    const bool equity = kind_[s] == static_cast<std::uint8_t>(ProductKind::kEquity);
    switch (rule) {
        case Rule::kAmount: return d.amount_fen >= amount_min_[s] && d.amount_fen <= amount_max_[s];
        case Rule::kTerm: return equity || (d.term_months >= term_min_[s] && d.term_months <= term_max_[s]);
        case Rule::kRate: return equity || !d.max_rate_bp || rate_min_[s] <= *d.max_rate_bp;
        case Rule::kYears: return f.years >= min_years_[s];
        default: return true;
    }
}

void MatchIndex::NumericPass(const Facts& f, Rule rule, Words& out) const {
    out.assign(words_, 0);
    detail::ForEachBit(active_, [&](std::uint32_t s) {
        if (RuleOk(f, rule, s)) detail::SetBit(out, s);
    });
}

bool MatchIndex::NumericOk(const Facts& f, std::uint32_t s) const {
    const Demand& d = *f.demand;
    if (d.amount_fen < amount_min_[s] || d.amount_fen > amount_max_[s] || f.years < min_years_[s]) return false;
    if (kind_[s] == static_cast<std::uint8_t>(ProductKind::kEquity)) return true;
    return d.term_months >= term_min_[s] && d.term_months <= term_max_[s] && (!d.max_rate_bp || rate_min_[s] <= *d.max_rate_bp);
}

double MatchIndex::LogitFor(const Facts& f, int column) const {
    Scratch& sc = ScratchSpace();
    if (sc.all_logits) return sc.memo[column];
    if (sc.stamp[column] != sc.epoch) {
        sc.stamp[column] = sc.epoch;
        sc.memo[column] = model_->Logit(column, f.features);
    }
    return sc.memo[column];
}

void MatchIndex::ScoreSlot(const Facts& f, std::uint32_t s, ScoreBreakdown& b) const {
    ScoreSlotWithLogit(f, s, LogitFor(f, column_[s]), b);
}

void MatchIndex::ScoreSlotWithLogit(const Facts& f, std::uint32_t s, double logit, ScoreBreakdown& b) const {
    const ScoringModel& m = *model_;
    const Demand& d = *f.demand;
    const bool equity = kind_[s] == static_cast<std::uint8_t>(ProductKind::kEquity);
    b.logit = logit;
    b.value[static_cast<int>(Factor::kApproval)] = Sigmoid(b.logit);
    b.value[static_cast<int>(Factor::kAmount)] = m.AmountFitLogs(f.ln_amount, ln_amount_min_[s], ln_amount_max_[s]);
    b.value[static_cast<int>(Factor::kTerm)] = m.TermFit(d.term_months, term_min_[s], term_max_[s], equity);
    b.value[static_cast<int>(Factor::kRate)] = m.RateFit(rate_min_[s], d, equity);
    b.value[static_cast<int>(Factor::kPurpose)] = m.PurposeFit(d.purpose, static_cast<ProductKind>(kind_[s]));
    b.value[static_cast<int>(Factor::kProfile)] = f.profile;
    b.value[static_cast<int>(Factor::kService)] = service_[s];
    b.value[static_cast<int>(Factor::kPolicy)] = policy_[s];
    m.Combine(b);
}

Recommendation MatchIndex::Explain(const Facts& f, std::uint32_t s, const QueryOptions& options) const {
    ScoreBreakdown b;
    ScoreSlot(f, s, b);
    const Product& p = products_[s];
    Recommendation r{p.id, p.institution_id, p.kind, b.score, b.value[0], {}, {}};
    if (!options.explain) return r;
    for (int k = 0; k < kFactorCount; ++k) r.factors.push_back({static_cast<Factor>(k), b.value[k], b.contribution[k]});
    std::stable_sort(r.factors.begin(), r.factors.end(), [](const auto& a, const auto& c) { return a.contribution > c.contribution; });
    const double* row = model_->Row(column_[s]);
    for (int i = 1; i < f.features.size; ++i) {
        const int feature = f.features.index[i];
        if (row[feature] != 0) r.drivers.push_back({model_->feature_names()[feature], row[feature]});
    }
    std::stable_sort(r.drivers.begin(), r.drivers.end(), [](const auto& a, const auto& c) {
        return std::abs(a.weight) > std::abs(c.weight);
    });
    if (static_cast<int>(r.drivers.size()) > options.approval_drivers) r.drivers.resize(std::max(0, options.approval_drivers));
    return r;
}

void MatchIndex::BeginQuery() const {
    Scratch& sc = ScratchSpace();
    const size_t columns = static_cast<size_t>(model_->global_column()) + 1;
    if (sc.stamp.size() < columns || sc.memo.size() < columns) {
        sc.stamp.assign(columns, 0);
        sc.memo.assign(columns, 0);
    }
    if (++sc.epoch == 0) {
        std::fill(sc.stamp.begin(), sc.stamp.end(), 0);
        sc.epoch = 1;
    }
}

// Eligible slots into sc.eligible. Full mode keeps every rule's pass bitset for counterfactuals and near misses.
void MatchIndex::Eligible(const Facts& f, bool full) const {
    Scratch& sc = ScratchSpace();
    sc.eligible.assign(active_.begin(), active_.end());
    static constexpr Rule kCategorical[] = {Rule::kClass446, Rule::kCreditGrade, Rule::kSize, Rule::kCollateral, Rule::kInstrument,
                                            Rule::kDistrict, Rule::kIndustry, Rule::kTags, Rule::kDirectories, Rule::kStage};
    static constexpr Rule kNumeric[] = {Rule::kAmount, Rule::kTerm, Rule::kRate, Rule::kYears};
    for (Rule rule : kCategorical) {
        Words& pass = sc.pass[static_cast<int>(rule)];
        CategoricalPass(f, rule, pass);
        for (size_t k = 0; k < words_; ++k) sc.eligible[k] &= pass[k];
    }
    if (full) {
        for (Rule rule : kNumeric) {
            Words& pass = sc.pass[static_cast<int>(rule)];
            NumericPass(f, rule, pass);
            for (size_t k = 0; k < words_; ++k) sc.eligible[k] &= pass[k];
        }
        return;
    }
    for (size_t k = 0; k < words_; ++k)
        for (std::uint64_t bits = sc.eligible[k]; bits; bits &= bits - 1) {
            const auto s = static_cast<std::uint32_t>(k * 64 + std::countr_zero(bits));
            if (!NumericOk(f, s)) sc.eligible[k] &= ~(1ull << (s & 63));
        }
}

MatchResult MatchIndex::Query(const Facts& f, const QueryOptions& options) const {
    BeginQuery();
    Scratch& sc = ScratchSpace();
    const bool full = options.counterfactuals || options.near_misses > 0;
    Eligible(f, full);
    // Many eligible products span many institutions: one sequential pass over all columns beats per-column gathers.
    const size_t columns = static_cast<size_t>(model_->global_column()) + 1;
    sc.all_logits = columns > 1 && detail::PopCount(sc.eligible) * 4 > columns;
    if (sc.all_logits) model_->AllLogits(f.features, sc.memo);
    MatchResult out;
    out.model_version = model_->version();
    // Keep only the best top_n in a heap whose top is the worst kept (higher score, then lower id, is better).
    const size_t n = static_cast<size_t>(std::max(0, options.top_n));
    auto better = [](const Scratch::Ranked& a, const Scratch::Ranked& c) {
        return a.score != c.score ? a.score > c.score : a.product_id < c.product_id;
    };
    sc.ranked.clear();
    ScoreBreakdown b;
    int eligible = 0;
    detail::ForEachBit(sc.eligible, [&](std::uint32_t s) {
        ++eligible;
        if (n == 0) return;
        ScoreSlot(f, s, b);
        const Scratch::Ranked item{b.score, products_[s].id, s};
        if (sc.ranked.size() < n) {
            sc.ranked.push_back(item);
            std::push_heap(sc.ranked.begin(), sc.ranked.end(), better);
        } else if (better(item, sc.ranked.front())) {
            std::pop_heap(sc.ranked.begin(), sc.ranked.end(), better);
            sc.ranked.back() = item;
            std::push_heap(sc.ranked.begin(), sc.ranked.end(), better);
        }
    });
    out.eligible_count = eligible;
    std::sort_heap(sc.ranked.begin(), sc.ranked.end(), better);
    for (const auto& item : sc.ranked) out.recommendations.push_back(Explain(f, item.slot, options));
    if (options.counterfactuals) AddCounterfactuals(f, out);
    if (options.near_misses > 0) AddNearMisses(f, options.near_misses, out);
    return out;
}

MatchResult MatchIndex::Recommend(const Enterprise& e, const Demand& d, const QueryOptions& options) const {
    return Query(Resolve(e, d, nullptr), options);
}

// Facts of a stored enterprise straight from its row: ids are already interned, features and profile cached.
MatchIndex::Facts MatchIndex::ResolveRow(const EnterpriseRow& row, const Demand& d) const {
    Facts f;
    f.size = static_cast<SizeClass>(row.size);
    f.stage = static_cast<Stage>(row.stage);
    f.grade = static_cast<CreditGrade>(row.grade);
    f.years = row.years;
    f.demand = &d;
    f.class_id = row.class_id;
    f.district_id = row.district_id;
    f.guarantee_id = d.guarantee.empty() ? 0 : strings_.Find(d.guarantee);
    f.has_guarantee = !d.guarantee.empty();
    f.has_collateral = !d.collateral.empty();
    f.tags = row.tags;
    f.dirs = row.dirs;
    if (row.industry_id) {
        const std::string_view code = strings_.Name(row.industry_id);
        for (size_t n = 1; n <= code.size(); ++n)
            if (auto id = strings_.Find(code.substr(0, n))) f.prefixes.push_back(id);
    }
    f.features = row.features;
    model_->AppendDemandFeatures(d, f.features);
    f.profile = row.profile;
    f.ln_amount = ScoringModel::LnFen(d.amount_fen);
    return f;
}

Result<MatchResult> MatchIndex::RecommendForDemand(long long demand_id, const QueryOptions& options) const {
    const Demand* d = FindDemand(demand_id);
    if (!d) return Fail(Error::NotFound("需求不存在或已关闭"));
    auto it = enterprise_slot_.find(d->enterprise_id);
    if (it == enterprise_slot_.end()) return Fail(Error::NotFound("企业不存在"));
    return Query(ResolveRow(enterprises_[it->second], *d), options);
}

std::vector<long long> MatchIndex::EligibleProducts(const Enterprise& e, const Demand& d) const {
    const Facts f = Resolve(e, d, nullptr);
    Eligible(f, false);
    std::vector<long long> ids;
    detail::ForEachBit(ScratchSpace().eligible, [&](std::uint32_t s) { ids.push_back(products_[s].id); });
    std::sort(ids.begin(), ids.end());
    return ids;
}

Result<std::vector<RuleCheck>> MatchIndex::WhyNot(const Enterprise& e, const Demand& d, long long product_id) const {
    const Product* p = FindProduct(product_id);
    if (!p) return Fail(Error::NotFound("产品不存在"));
    return CheckRules(*p, e, d);
}

}  // namespace chanrong::matching

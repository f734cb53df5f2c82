// Leads for a product: the open demands it can serve, best first (an institution's leads inbox).
#include <algorithm>

#include "matching/match_index.hpp"
#include "matching/match_internal.hpp"

namespace chanrong::matching {

class LeadScanner {
public:
    LeadScanner(const MatchIndex& index, std::uint32_t slot)
        : index_(index), slot_(slot), product_(index.products_[slot]), rules_(product_.rules) {
        classes_ = index.Ids(rules_.classes446);
        districts_ = index.Ids(rules_.districts);
        tags_ = index.Ids(rules_.tags);
        dirs_ = index.Ids(rules_.directories);
    }

    bool Eligible(const Demand& d, const MatchIndex::EnterpriseRow& e) const {
        const bool equity = product_.kind == ProductKind::kEquity;
        if (!InstrumentMatches(product_.kind, d.instrument)) return false;
        if (d.amount_fen < rules_.amount_min_fen || d.amount_fen > rules_.amount_max_fen) return false;
        if (!equity && (d.term_months < rules_.term_min_months || d.term_months > rules_.term_max_months)) return false;
        if (!equity && d.max_rate_bp && rules_.rate_min_bp > *d.max_rate_bp) return false;
        if (!Listed(classes_, e.class_id) || !Listed(districts_, e.district_id)) return false;
        if (!rules_.sizes.empty() && std::find(rules_.sizes.begin(), rules_.sizes.end(), static_cast<SizeClass>(e.size)) == rules_.sizes.end()) return false;
        if (!rules_.stages.empty() && std::find(rules_.stages.begin(), rules_.stages.end(), static_cast<Stage>(e.stage)) == rules_.stages.end()) return false;
        if (rules_.min_credit_grade && (e.grade == static_cast<int>(CreditGrade::kUnknown) || e.grade > static_cast<int>(*rules_.min_credit_grade))) return false;
        if (e.years < rules_.min_years || !Shared(tags_, e.tags) || !Shared(dirs_, e.dirs)) return false;
        if (!rules_.industry_prefixes.empty()) {
            const std::string_view code = e.industry_id ? std::string_view(index_.strings_.Name(e.industry_id)) : std::string_view();
            if (std::none_of(rules_.industry_prefixes.begin(), rules_.industry_prefixes.end(), [&](const auto& p) { return code.starts_with(p); }))
                return false;
        }
        return CollateralSatisfied(rules_, !d.collateral.empty(), d.guarantee);
    }

    Lead Score(const Demand& d, const MatchIndex::EnterpriseRow& e) const {
        MatchIndex::Facts f;
        f.demand = &d;
        f.features = e.features;
        index_.model_->AppendDemandFeatures(d, f.features);
        f.profile = e.profile;
        f.ln_amount = ScoringModel::LnFen(d.amount_fen);
        ScoreBreakdown b;
        index_.ScoreSlotWithLogit(f, slot_, index_.model_->Logit(index_.column_[slot_], f.features), b);
        return {d.id, d.enterprise_id, b.score, b.value[0]};
    }

private:
    static bool Listed(const std::vector<std::uint32_t>& allowed, std::uint32_t v) {
        return allowed.empty() || std::find(allowed.begin(), allowed.end(), v) != allowed.end();
    }
    static bool Shared(const std::vector<std::uint32_t>& wanted, const std::vector<std::uint32_t>& held) {
        return wanted.empty() || std::any_of(wanted.begin(), wanted.end(), [&](auto w) {
            return std::find(held.begin(), held.end(), w) != held.end();
        });
    }

    const MatchIndex& index_;
    std::uint32_t slot_;
    const Product& product_;
    const ProductRules& rules_;
    std::vector<std::uint32_t> classes_, districts_, tags_, dirs_;
};

Result<std::vector<Lead>> MatchIndex::LeadsForProduct(long long product_id, int top_n) const {
    auto it = product_slot_.find(product_id);
    if (it == product_slot_.end()) return Fail(Error::NotFound("产品不存在"));
    LeadScanner scanner(*this, it->second);
    std::vector<Lead> leads;
    for (const Demand& d : demands_) {
        if (d.id == 0) continue;
        auto e = enterprise_slot_.find(d.enterprise_id);
        if (e == enterprise_slot_.end()) continue;
        const EnterpriseRow& row = enterprises_[e->second];
        if (scanner.Eligible(d, row)) leads.push_back(scanner.Score(d, row));
    }
    const size_t n = std::min<size_t>(leads.size(), static_cast<size_t>(std::max(0, top_n)));
    std::partial_sort(leads.begin(), leads.begin() + n, leads.end(), [](const Lead& a, const Lead& b) {
        return a.score != b.score ? a.score > b.score : a.demand_id < b.demand_id;
    });
    leads.resize(n);
    return leads;
}

}  // namespace chanrong::matching

#pragma once
// The in-memory match index: products, institutions, enterprises and open demands, kept fresh by O(small)
// upserts and removals, answering "top N products for this demand, with explanations", "why not this product",
// "what would open more products" (counterfactuals) and "best leads for this product".
//
// Concurrency: const queries may run concurrently (scratch space is thread-local); writes need exclusive access
// (the service wraps the index in a std::shared_mutex).

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/error.hpp"
#include "matching/bitset.hpp"
#include "matching/model.hpp"
#include "matching/rules.hpp"
#include "matching/types.hpp"

namespace chanrong::matching {

struct QueryOptions {
    int top_n = 10;
    bool explain = true;           ///< factor contributions and approval drivers for each recommendation
    int approval_drivers = 3;      ///< features that raise/lower the institution's approval logit most
    bool counterfactuals = false;  ///< actionable changes that open more products
    int near_misses = 0;           ///< up to this many products failing exactly one rule, with that rule
};

struct FactorContribution {
    Factor factor = Factor::kApproval;
    double value = 0;         ///< in [0, 1]
    double contribution = 0;  ///< weight · value
};

/// A feature's weight in the institution's approval model (e.g. "grade:A" +0.9: this bank approves A firms).
struct Driver {
    std::string feature;
    double weight = 0;
};

struct Recommendation {
    long long product_id = 0;
    long long institution_id = 0;
    ProductKind kind = ProductKind::kCreditLoan;
    double score = 0;
    double approval = 0;  ///< learned approval probability for similar enterprises
    std::vector<FactorContribution> factors;  ///< all factors, largest contribution first (when explain)
    std::vector<Driver> drivers;              ///< largest |weight| first (when explain)
};

/// A product that failed exactly one rule.
struct NearMiss {
    long long product_id = 0;
    std::vector<Rule> failed;
};

/// An action the enterprise can take and the products it would open.
struct Counterfactual {
    std::string change;  ///< credit_grade | guarantee | collateral | directory | tag | amount | term | max_rate
    std::string value;   ///< e.g. "A", "fund", "white_list", "3000000000" (fen)
    std::string text;    ///< e.g. "信用等级提升至 A，可多匹配 3 个产品"
    std::vector<long long> product_ids;  ///< the products it opens, ascending
};

struct MatchResult {
    int model_version = 0;
    int eligible_count = 0;
    std::vector<Recommendation> recommendations;
    std::vector<NearMiss> near_misses;
    std::vector<Counterfactual> counterfactuals;
};

/// A demand an institution's product could serve, for the institution's leads inbox.
struct Lead {
    long long demand_id = 0;
    long long enterprise_id = 0;
    double score = 0;
    double approval = 0;
};

class MatchIndex {
public:
    explicit MatchIndex(std::shared_ptr<const ScoringModel> model);

    /// Swaps the model (after training); recomputes cached features and model columns, O(enterprises + products).
    void SetModel(std::shared_ptr<const ScoringModel> model);
    const ScoringModel& model() const { return *model_; }
    std::shared_ptr<const ScoringModel> shared_model() const { return model_; }

    void UpsertInstitution(const Institution& institution);  ///< O(products of the institution)
    void UpsertProduct(const Product& product);              ///< O(values listed in its rules)
    void RemoveProduct(long long product_id);
    void UpsertEnterprise(const Enterprise& enterprise);     ///< O(tags + directories)
    void RemoveEnterprise(long long enterprise_id);
    void UpsertDemand(const Demand& demand);                 ///< an open demand; O(1)
    void RemoveDemand(long long demand_id);                  ///< closed, taken or deleted

    /// Top products for a stored open demand of a stored enterprise; not_found otherwise.
    Result<MatchResult> RecommendForDemand(long long demand_id, const QueryOptions& options) const;
    /// Top products for any enterprise and demand (stored or not, e.g. a draft demand or a replay).
    MatchResult Recommend(const Enterprise& enterprise, const Demand& demand, const QueryOptions& options) const;
    /// Every rule of one product with pass/fail and details; not_found for an unknown product.
    Result<std::vector<RuleCheck>> WhyNot(const Enterprise& enterprise, const Demand& demand, long long product_id) const;
    /// Ids of all eligible products, ascending.
    std::vector<long long> EligibleProducts(const Enterprise& enterprise, const Demand& demand) const;
    /// Best open demands for a product, highest score first; not_found for an unknown product.
    Result<std::vector<Lead>> LeadsForProduct(long long product_id, int top_n) const;

    const Product* FindProduct(long long id) const;
    const Institution* FindInstitution(long long id) const;
    std::optional<Enterprise> FindEnterprise(long long id) const;
    const Demand* FindDemand(long long id) const;
    std::vector<long long> OpenDemandIds() const;
    /// Ids of every product in the index, ascending.
    std::vector<long long> ProductIds() const;

    /// An opaque label the caller attaches to a product's current state (the service: the hash by which snapshots
    /// name it). Cleared whenever the product or its institution changes; unknown ids are ignored.
    void SetProductLabel(long long product_id, std::string label);
    /// The product's label; empty when unset or the product is unknown.
    std::string_view ProductLabel(long long product_id) const;
    /// Ids of the products without a label, ascending.
    std::vector<long long> UnlabelledProducts() const;
    /// Counts changes to products and institutions (upserts, removals), so a caller can tell the catalogue changed.
    std::uint64_t product_generation() const { return product_generation_; }
    size_t product_count() const { return product_slot_.size(); }
    size_t enterprise_count() const { return enterprise_slot_.size(); }
    size_t demand_count() const { return demand_slot_.size(); }
    /// Bytes held by the index's own structures (computed, not measured).
    size_t MemoryBytes() const;

private:
    struct EnterpriseRow {
        long long id = 0;
        std::uint32_t class_id = 0, industry_id = 0, district_id = 0;
        std::uint8_t size = 0, grade = 0, stage = 0, live = 0;
        int years = 0;
        double profile = 0;
        std::vector<std::uint32_t> tags, dirs;
        FeatureList features;
    };
    struct Facts;     // an enterprise and demand resolved against the interner (match_internal.hpp)
    struct Scratch;   // thread-local buffers (match_internal.hpp)
    friend class LeadScanner;

    static Scratch& ScratchSpace();
    std::uint32_t AllocateProductSlot();
    void IndexProduct(std::uint32_t slot, bool add);
    void RefreshProductCaches(std::uint32_t slot);
    std::vector<std::uint32_t> Ids(const std::vector<std::string>& values) const;
    EnterpriseRow MakeRow(const Enterprise& e);
    Enterprise RowToEnterprise(const EnterpriseRow& row) const;
    Facts Resolve(const Enterprise& e, const Demand& d, const FeatureList* cached) const;
    Facts ResolveRow(const EnterpriseRow& row, const Demand& d) const;
    MatchResult Query(const Facts& facts, const QueryOptions& options) const;
    void BeginQuery() const;
    void Eligible(const Facts& f, bool full) const;
    void CollateralPass(bool has_collateral, bool has_guarantee, std::uint32_t guarantee_id, detail::Words& out) const;
    void CategoricalPass(const Facts& f, Rule rule, detail::Words& out) const;
    void NumericPass(const Facts& f, Rule rule, detail::Words& out) const;
    bool RuleOk(const Facts& f, Rule rule, std::uint32_t slot) const;
    bool NumericOk(const Facts& f, std::uint32_t slot) const;
    void ScoreSlot(const Facts& f, std::uint32_t slot, ScoreBreakdown& b) const;
    void ScoreSlotWithLogit(const Facts& f, std::uint32_t slot, double logit, ScoreBreakdown& b) const;
    double LogitFor(const Facts& f, int column) const;
    Recommendation Explain(const Facts& f, std::uint32_t slot, const QueryOptions& options) const;
    void AddCounterfactuals(const Facts& f, MatchResult& out) const;
    void AddNearMisses(const Facts& f, int limit, MatchResult& out) const;

    std::shared_ptr<const ScoringModel> model_;
    detail::Interner strings_;
    // Products: AoS for explanations and replay, SoA + bitsets for queries. Slots are reused after removal.
    std::vector<Product> products_;
    std::vector<std::string> labels_;  // per slot
    std::uint64_t product_generation_ = 0;
    std::unordered_map<long long, std::uint32_t> product_slot_;
    std::vector<std::uint32_t> free_product_slots_;
    size_t words_ = 0;
    detail::Words active_, equity_;
    std::vector<long long> amount_min_, amount_max_;
    std::vector<double> ln_amount_min_, ln_amount_max_;
    std::vector<int> term_min_, term_max_, rate_min_, min_years_, column_;
    std::vector<std::uint8_t> kind_;
    std::vector<double> service_, policy_;
    std::array<detail::Words, kGradeCount> grade_pass_;
    std::array<detail::Words, 5> collateral_req_;
    detail::LabelRule classes_, industries_, districts_, sizes_, tags_, dirs_, stages_, guarantee_kinds_;
    // Institutions.
    std::unordered_map<long long, Institution> institutions_;
    std::unordered_map<long long, std::vector<long long>> institution_products_;
    // Enterprises and open demands.
    std::vector<EnterpriseRow> enterprises_;
    std::unordered_map<long long, std::uint32_t> enterprise_slot_;
    std::vector<std::uint32_t> free_enterprise_slots_;
    std::vector<Demand> demands_;
    std::unordered_map<long long, std::uint32_t> demand_slot_;
    std::vector<std::uint32_t> free_demand_slots_;
};

}  // namespace chanrong::matching

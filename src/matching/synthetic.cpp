#include "matching/synthetic.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <random>
#include <string>

#include "common/csv_reader.hpp"

namespace chanrong {
extern const std::vector<std::pair<std::string_view, std::string_view>> kEmbeddedData;
}

namespace chanrong::matching {
namespace {

using Rng = std::mt19937_64;

const std::vector<std::string> kDistricts = {"思明区", "海沧区", "湖里区", "集美区", "同安区", "翔安区"};
const std::vector<std::pair<std::string, double>> kTags = {
    {"high_tech", 0.2}, {"tech_sme", 0.25}, {"innovative_sme", 0.15}, {"specialized", 0.1}, {"little_giant", 0.02},
    {"listed", 0.02},   {"neeq", 0.03},     {"leading", 0.03},        {"chain_leader", 0.01}, {"chain_member", 0.08}};
const std::vector<std::pair<std::string, double>> kDirectories = {
    {"white_list", 0.1}, {"tech_pilot", 0.05}, {"green_enterprise", 0.06}, {"listing_reserve", 0.03},
    {"chain_display", 0.03}, {"chain_battery", 0.03}, {"chain_biomed", 0.03}};

std::string_view Embedded(std::string_view name) {
    for (const auto& [file, content] : kEmbeddedData)
        if (file == name) return content;
    return {};
}

// The 4+4+6 codes (every version) and their GB/T 4754 prefixes from the shipped taxonomy files.
struct Taxonomy {
    std::vector<std::string> classes;
    std::map<std::string, std::vector<std::string>> prefixes;
};

Taxonomy LoadTaxonomy() {
    Taxonomy t;
    if (auto table = ReadCsv(Embedded("industry-446.csv")))
        for (size_t i = 1; i < table->rows.size(); ++i)
            if (const auto& f = table->rows[i].fields; f.size() > 1 && std::find(t.classes.begin(), t.classes.end(), f[1]) == t.classes.end())
                t.classes.push_back(f[1]);
    if (auto table = ReadCsv(Embedded("industry-446-mapping.csv")))
        for (size_t i = 1; i < table->rows.size(); ++i)
            if (const auto& f = table->rows[i].fields; f.size() > 2) t.prefixes[f[2]].push_back(f[1]);
    if (t.classes.empty()) t.classes = {"P1", "P2", "P3", "P4", "S1", "S2", "S3", "S4", "F1", "F2", "F3", "F4", "F5", "F6", "F7"};
    for (const auto& c : t.classes)
        if (t.prefixes[c].empty()) t.prefixes[c].push_back("C39");
    return t;
}

double Uniform(Rng& rng, double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); }
int Int(Rng& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
bool Chance(Rng& rng, double p) { return Uniform(rng, 0, 1) < p; }
template <class T>
const T& Pick(Rng& rng, const std::vector<T>& v) { return v[Int(rng, 0, static_cast<int>(v.size()) - 1)]; }
int Weighted(Rng& rng, std::initializer_list<double> weights) {
    return std::discrete_distribution<int>(weights)(rng);
}
template <class T>
std::vector<T> Sample(Rng& rng, const std::vector<T>& from, int n) {
    std::vector<T> out = from;
    std::shuffle(out.begin(), out.end(), rng);
    out.resize(std::min<size_t>(out.size(), static_cast<size_t>(std::max(0, n))));
    return out;
}
int AmountBucket(long long fen) {
    return fen < 100'000'000LL ? 0 : fen < 500'000'000LL ? 1 : fen < 2'000'000'000LL ? 2 : fen < 10'000'000'000LL ? 3 : 4;
}

// An institution's hidden acceptance policy: an additive score over enterprise/demand traits, plus one interaction
// (large amounts from small firms) that the model's one-hot features cannot express exactly.
struct HiddenPolicy {
    double base = 0, grade_slope = 0, years_slope = 0, collateral = 0, guarantee = 0, small_large_amount = 0;
    std::map<std::string, double> class_pref, district_pref, tag_pref;
    std::array<double, kSizeCount> size_pref{};
    std::array<double, 5> amount_pref{};
    std::array<double, kPurposeCount> purpose_pref{};
};

}  // namespace

struct SyntheticWorld::Hidden {
    std::vector<HiddenPolicy> policies;  // by institution id − 1
    Taxonomy taxonomy;
};

SyntheticWorld::SyntheticWorld() : hidden_(std::make_unique<Hidden>()) {}
SyntheticWorld::~SyntheticWorld() = default;
SyntheticWorld::SyntheticWorld(SyntheticWorld&&) noexcept = default;
SyntheticWorld& SyntheticWorld::operator=(SyntheticWorld&&) noexcept = default;

namespace {

Enterprise MakeEnterprise(Rng& rng, long long id, const Taxonomy& t) {
    Enterprise e;
    e.id = id;
    const int tier = Weighted(rng, {0.55, 0.3, 0.15});
    std::vector<std::string> pool;
    for (const auto& c : t.classes)
        if (c[0] == "PSF"[tier]) pool.push_back(c);
    e.class446 = Pick(rng, pool);
    e.industry_code = Pick(rng, t.prefixes.at(e.class446));
    while (e.industry_code.size() < 5) e.industry_code += static_cast<char>('0' + Int(rng, 0, 9));
    e.district = Pick(rng, kDistricts);
    e.size = static_cast<SizeClass>(Weighted(rng, {0.07, 0.18, 0.35, 0.40}));
    e.grade = static_cast<CreditGrade>(Weighted(rng, {0.03, 0.07, 0.15, 0.22, 0.18, 0.10, 0.05, 0.03, 0.02, 0.15}));
    e.stage = static_cast<Stage>(Weighted(rng, {0.1, 0.25, 0.35, 0.25, 0.05}));
    e.years_in_business = std::min(40, static_cast<int>(std::exponential_distribution<double>(1.0 / 7)(rng)));
    for (const auto& [tag, p] : kTags)
        if (Chance(rng, p)) e.tags.push_back(tag);
    for (const auto& [dir, p] : kDirectories)
        if (Chance(rng, p)) e.directories.push_back(dir);
    return e;
}

Demand MakeDemand(Rng& rng, long long id, const Enterprise& e) {
    Demand d;
    d.id = id;
    d.enterprise_id = e.id;
    static constexpr std::array<std::pair<double, double>, 4> kRange = {{{6.5, 8.5}, {6.0, 7.7}, {5.5, 7.0}, {5.0, 6.5}}};
    const auto [lo, hi] = kRange[std::min(3, static_cast<int>(e.size))];
    const double yuan = std::pow(10.0, Uniform(rng, lo, hi));
    d.amount_fen = std::max(1LL, std::llround(yuan / 10'000)) * 1'000'000;  // whole 万元
    d.term_months = std::array{6, 12, 12, 24, 36, 60}[Int(rng, 0, 5)];
    d.purpose = static_cast<Purpose>(Weighted(rng, {0.35, 0.15, 0.15, 0.12, 0.08, 0.1, 0.05}));
    if (Chance(rng, 0.3)) d.collateral = "厂房抵押";
    const int g = Weighted(rng, {0.85, 0.08, 0.07});
    d.guarantee = g == 1 ? std::string(kFundGuarantee) : g == 2 ? "guarantor" : "";
    if (Chance(rng, 0.4)) d.max_rate_bp = Int(rng, 400, 700);
    if (e.stage <= Stage::kGrowth && Chance(rng, 0.08)) {
        d.instrument = Instrument::kEquity;
        d.term_months = 0;
        d.purpose = Chance(rng, 0.5) ? Purpose::kExpansion : Purpose::kRd;
    }
    return d;
}

ProductRules MakeRules(Rng& rng, ProductKind kind, const Taxonomy& t) {
    ProductRules r;
    const bool equity = kind == ProductKind::kEquity;
    if (Chance(rng, equity ? 0.7 : 0.55)) r.classes446 = Sample(rng, t.classes, Int(rng, 1, equity ? 4 : 6));
    if (!equity && Chance(rng, 0.4)) {
        for (int s : Sample(rng, std::vector<int>{0, 1, 2, 3}, Int(rng, 1, 3))) r.sizes.push_back(static_cast<SizeClass>(s));
    }
    if (Chance(rng, 0.15)) r.districts = Sample(rng, kDistricts, Int(rng, 1, 2));
    if (Chance(rng, 0.08)) r.industry_prefixes = {Pick(rng, t.prefixes.at(Pick(rng, t.classes))).substr(0, 3)};
    if (kind == ProductKind::kTechCredit && Chance(rng, 0.6)) r.tags = {"high_tech", "tech_sme", "specialized"};
    else if (Chance(rng, 0.1)) r.tags = {Pick(rng, kTags).first};
    if (kind == ProductKind::kGreenLoan && Chance(rng, 0.5)) r.directories = {"green_enterprise"};
    else if (Chance(rng, 0.06)) r.directories = {Pick(rng, kDirectories).first};
    if (equity) {
        for (int s : Sample(rng, std::vector<int>{0, 1, 2, 3, 4}, Int(rng, 1, 3))) r.stages.push_back(static_cast<Stage>(s));
        const double min_yuan = std::pow(10.0, Uniform(rng, 6.5, 7.3));
        r.amount_min_fen = std::llround(min_yuan) * 100;
        r.amount_max_fen = std::llround(min_yuan * Uniform(rng, 3, 20)) * 100;
        return r;
    }
    if (Chance(rng, 0.55))
        r.min_credit_grade = std::array{CreditGrade::kBBB, CreditGrade::kA, CreditGrade::kBB, CreditGrade::kAA}[Weighted(rng, {0.4, 0.25, 0.25, 0.1})];
    if (Chance(rng, 0.4)) r.min_years = Int(rng, 1, 5);
    using C = CollateralRequirement;
    switch (kind) {
        case ProductKind::kMortgageLoan: r.collateral = C::kCollateral; break;
        case ProductKind::kGuaranteedLoan: r.collateral = C::kGuarantee; break;
        case ProductKind::kFundGuarantee: r.collateral = C::kGuarantee, r.guarantee_kinds = {std::string(kFundGuarantee)}; break;
        case ProductKind::kIpPledge:
        case ProductKind::kCarbonPledge: r.collateral = Chance(rng, 0.5) ? C::kCollateralOrGuarantee : C::kNone; break;
        default: r.collateral = Chance(rng, 0.15) ? C::kCollateralOrGuarantee : C::kNone;
    }
    const double min_yuan = std::pow(10.0, Uniform(rng, 5, 6.7));
    r.amount_min_fen = std::llround(min_yuan) * 100;
    r.amount_max_fen = std::min(50'000'000'000LL, std::llround(min_yuan * std::pow(10.0, Uniform(rng, 0.8, 2.2))) * 100);
    r.term_min_months = std::array{1, 3, 6, 12}[Int(rng, 0, 3)];
    r.term_max_months = std::max(r.term_min_months, std::array{12, 24, 36, 60, 120}[Int(rng, 0, 4)]);
    r.rate_min_bp = Int(rng, 300, 600);
    return r;
}

Product MakeProduct(Rng& rng, long long id, long long institution, bool fund, const Taxonomy& t) {
    Product p;
    p.id = id;
    p.institution_id = institution;
    p.kind = fund ? ProductKind::kEquity
                  : static_cast<ProductKind>(Weighted(rng, {0.22, 0.14, 0.08, 0.06, 0.08, 0.08, 0.03, 0.1, 0.08, 0.08, 0.05}));
    p.rules = MakeRules(rng, p.kind, t);
    p.rate_max_bp = p.rules.rate_min_bp + Int(rng, 50, 300);
    p.monthly_capacity = Int(rng, 10, 150);
    if (p.kind == ProductKind::kSupplyChain) p.policy_programs = {"supply_chain_fund_2pct"};
    if (p.kind == ProductKind::kFundGuarantee) p.policy_programs = {"credit_enhancement_fund"};
    if (p.kind == ProductKind::kGreenLoan && Chance(rng, 0.3)) p.policy_programs = {"interest_subsidy"};
    return p;
}

HiddenPolicy MakePolicy(Rng& rng, const Taxonomy& t) {
    HiddenPolicy h;
    h.base = Uniform(rng, -0.6, 0.4);
    std::vector<std::string> classes = t.classes;
    std::shuffle(classes.begin(), classes.end(), rng);
    for (size_t i = 0; i < classes.size(); ++i)
        h.class_pref[classes[i]] = i < 4 ? 1.6 : i < 8 ? -1.8 : std::normal_distribution<double>(0, 0.3)(rng);
    for (const auto& d : kDistricts) h.district_pref[d] = std::normal_distribution<double>(0, 0.4)(rng);
    for (const auto& [tag, p] : Sample(rng, kTags, 2)) h.tag_pref[tag] = 1.2;
    for (auto& s : h.size_pref) s = std::normal_distribution<double>(0, 0.7)(rng);
    for (auto& a : h.amount_pref) a = std::normal_distribution<double>(0, 0.5)(rng);
    for (auto& p : h.purpose_pref) p = std::normal_distribution<double>(0, 0.4)(rng);
    h.grade_slope = Uniform(rng, 0.3, 0.9);
    h.years_slope = Uniform(rng, 0.0, 0.12);
    h.collateral = Uniform(rng, 0.0, 1.0);
    h.guarantee = Uniform(rng, 0.0, 1.2);
    h.small_large_amount = Uniform(rng, 0.0, 1.0);
    return h;
}

}  // namespace

SyntheticWorld SyntheticWorld::Generate(const SyntheticConfig& c) {
    SyntheticWorld w;
    w.hidden_->taxonomy = LoadTaxonomy();
    const Taxonomy& t = w.hidden_->taxonomy;
    w.noise_scale_ = c.decision_noise;
    Rng rng(c.seed);
    std::vector<bool> fund(c.institutions);
    for (int i = 0; i < c.institutions; ++i) {
        fund[i] = Chance(rng, 0.1);
        Institution inst{i + 1, Chance(rng, 0.1) ? -1.0 : Uniform(rng, 2, 72), Chance(rng, 0.1) ? -1.0 : Uniform(rng, 1, 20)};
        w.institutions.push_back(inst);
        w.hidden_->policies.push_back(MakePolicy(rng, t));
    }
    for (int i = 0; i < c.products; ++i) {
        const int inst = Int(rng, 0, c.institutions - 1);
        w.products.push_back(MakeProduct(rng, i + 1, inst + 1, fund[inst], t));
    }
    w.enterprises.reserve(c.enterprises);
    for (int i = 0; i < c.enterprises; ++i) w.enterprises.push_back(MakeEnterprise(rng, i + 1, t));
    w.demands.reserve(c.demands);
    for (int i = 0; i < c.demands; ++i) w.demands.push_back(MakeDemand(rng, i + 1, w.enterprises[Int(rng, 0, c.enterprises - 1)]));
    return w;
}

void SyntheticWorld::Fill(MatchIndex& index) const {
    for (const auto& i : institutions) index.UpsertInstitution(i);
    for (const auto& p : products) index.UpsertProduct(p);
    for (const auto& e : enterprises) index.UpsertEnterprise(e);
    for (const auto& d : demands) index.UpsertDemand(d);
}

double SyntheticWorld::HiddenScore(long long institution_id, const Enterprise& e, const Demand& d) const {
    const HiddenPolicy& h = hidden_->policies[institution_id - 1];
    auto get = [](const std::map<std::string, double>& m, const std::string& k) {
        auto it = m.find(k);
        return it == m.end() ? 0.0 : it->second;
    };
    double s = h.base + get(h.class_pref, e.class446) + get(h.district_pref, e.district) + h.size_pref[static_cast<int>(e.size)];
    s += e.grade == CreditGrade::kUnknown ? -1.0 : h.grade_slope * (4 - static_cast<int>(e.grade));
    s += h.years_slope * std::min(e.years_in_business, 15) - 0.5;
    for (const auto& tag : e.tags) s += get(h.tag_pref, tag);
    s += h.amount_pref[AmountBucket(d.amount_fen)] + h.purpose_pref[static_cast<int>(d.purpose)];
    if (!d.collateral.empty()) s += h.collateral;
    if (!d.guarantee.empty()) s += h.guarantee;
    if (e.size >= SizeClass::kSmall && AmountBucket(d.amount_fen) >= 2) s -= h.small_large_amount;
    return s;
}

bool SyntheticWorld::HiddenApproves(long long institution_id, const Enterprise& e, const Demand& d) const {
    return HiddenScore(institution_id, e, d) > 0;
}

std::vector<DecisionSample> SyntheticWorld::SimulateDecisions(const MatchIndex& index, size_t first, size_t last,
                                                              size_t count, int per_demand, std::uint64_t seed) const {
    Rng rng(seed);
    std::vector<DecisionSample> out;
    std::uniform_real_distribution<double> unit(1e-12, 1 - 1e-12);
    for (size_t i = first; i < last && out.size() < count; ++i) {
        const Demand& d = demands[i];
        const Enterprise& e = enterprises[d.enterprise_id - 1];
        const std::vector<long long> eligible = index.EligibleProducts(e, d);
        for (long long pid : Sample(rng, eligible, per_demand)) {
            const long long inst = products[pid - 1].institution_id;
            DecisionSample s{inst, index.model().Features(e, d), false};
            const double u = unit(rng);
            s.approved = HiddenScore(inst, e, d) + noise_scale_ * std::log(u / (1 - u)) > 0;  // logistic noise
            out.push_back(s);
        }
    }
    return out;
}

EvaluationReport SyntheticWorld::Evaluate(const MatchIndex& index, size_t first, size_t last) const {
    EvaluationReport r;
    double hits_model = 0, hits_base = 0, approvable = 0, eligible_pairs = 0;
    QueryOptions q;
    q.top_n = 5;
    q.explain = false;
    for (size_t i = first; i < last; ++i) {
        const Demand& d = demands[i];
        const Enterprise& e = enterprises[d.enterprise_id - 1];
        std::vector<long long> eligible = index.EligibleProducts(e, d);
        if (eligible.size() < 5) continue;
        ++r.demands;
        auto approves = [&](long long pid) { return HiddenApproves(products[pid - 1].institution_id, e, d); };
        for (long long pid : eligible) approvable += approves(pid);
        eligible_pairs += static_cast<double>(eligible.size());
        const MatchResult m = index.Recommend(e, d, q);
        for (const auto& rec : m.recommendations) hits_model += approves(rec.product_id);
        // Baseline: eligible products by amount fit, then id.
        std::stable_sort(eligible.begin(), eligible.end(), [&](long long a, long long b) {
            const auto& ra = products[a - 1].rules;
            const auto& rb = products[b - 1].rules;
            return index.model().AmountFit(d.amount_fen, ra.amount_min_fen, ra.amount_max_fen) >
                   index.model().AmountFit(d.amount_fen, rb.amount_min_fen, rb.amount_max_fen);
        });
        for (int k = 0; k < 5; ++k) hits_base += approves(eligible[k]);
    }
    if (r.demands == 0) return r;
    r.eligible_approval = approvable / eligible_pairs;
    r.precision_model = hits_model / (5.0 * r.demands);
    r.precision_baseline = hits_base / (5.0 * r.demands);
    r.lift = r.precision_baseline > 0 ? r.precision_model / r.precision_baseline : 0;
    return r;
}

}  // namespace chanrong::matching

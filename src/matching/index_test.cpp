#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "matching/match_index.hpp"
#include "matching/replay.hpp"
#include "matching/synthetic.hpp"

namespace chanrong::matching {
namespace {
namespace json = boost::json;

std::shared_ptr<const ScoringModel> Model() { return std::make_shared<ScoringModel>(ScoringModel::Default()); }

Product Loan(long long id, long long institution = 1) {
    Product p;
    p.id = id;
    p.institution_id = institution;
    p.rules.amount_min_fen = 100'000'000;
    p.rules.amount_max_fen = 1'000'000'000;
    p.rules.term_min_months = 6;
    p.rules.term_max_months = 36;
    p.rules.rate_min_bp = 400;
    p.monthly_capacity = 10;
    return p;
}

Enterprise Firm() {
    Enterprise e;
    e.id = 7;
    e.class446 = "P1";
    e.industry_code = "C3974";
    e.district = "湖里区";
    e.size = SizeClass::kSmall;
    e.grade = CreditGrade::kBBB;
    e.years_in_business = 3;
    return e;
}

Demand Need() {
    Demand d;
    d.id = 70;
    d.enterprise_id = 7;
    d.amount_fen = 300'000'000;
    d.term_months = 12;
    return d;
}

// Products: 1 open; 2 needs grade A; 3 needs AA; 4 needs the credit-enhancement fund's guarantee;
// 5 needs the white list; 6 fails two rules (grade AAA and the white list); 7 fits only a smaller amount.
MatchIndex Fixture() {
    MatchIndex index(Model());
    index.UpsertInstitution({1, 4, 3});
    index.UpsertProduct(Loan(1));
    Product p = Loan(2);
    p.rules.min_credit_grade = CreditGrade::kA;
    index.UpsertProduct(p);
    p = Loan(3);
    p.rules.min_credit_grade = CreditGrade::kAA;
    index.UpsertProduct(p);
    p = Loan(4);
    p.kind = ProductKind::kFundGuarantee;
    p.rules.collateral = CollateralRequirement::kGuarantee;
    p.rules.guarantee_kinds = {"fund"};
    index.UpsertProduct(p);
    p = Loan(5);
    p.rules.directories = {"white_list"};
    index.UpsertProduct(p);
    p = Loan(6);
    p.rules.min_credit_grade = CreditGrade::kAAA;
    p.rules.directories = {"white_list"};
    index.UpsertProduct(p);
    p = Loan(7);
    p.rules.amount_min_fen = 10'000'000;
    p.rules.amount_max_fen = 200'000'000;
    index.UpsertProduct(p);
    index.UpsertEnterprise(Firm());
    index.UpsertDemand(Need());
    return index;
}

const Counterfactual* Find(const MatchResult& r, std::string_view change, std::string_view value) {
    for (const auto& c : r.counterfactuals)
        if (c.change == change && c.value == value) return &c;
    return nullptr;
}

TEST(Index, CounterfactualsNameWhatOpensWhich) {
    const MatchIndex index = Fixture();
    QueryOptions o;
    o.counterfactuals = true;
    o.near_misses = 10;
    auto r = index.RecommendForDemand(70, o);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->eligible_count, 1);
    ASSERT_EQ(r->recommendations.size(), 1u);
    EXPECT_EQ(r->recommendations[0].product_id, 1);
    const Counterfactual* a = Find(*r, "credit_grade", "A");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->product_ids, std::vector<long long>{2});
    EXPECT_EQ(a->text, "信用等级提升至 A，可多匹配 1 个产品");
    const Counterfactual* aa = Find(*r, "credit_grade", "AA");
    ASSERT_NE(aa, nullptr);
    EXPECT_EQ(aa->product_ids, (std::vector<long long>{2, 3}));
    EXPECT_EQ(Find(*r, "credit_grade", "AAA"), nullptr);  // AAA opens nothing more than AA on its own (6 also needs the list)
    const Counterfactual* fund = Find(*r, "guarantee", "fund");
    ASSERT_NE(fund, nullptr);
    EXPECT_EQ(fund->product_ids, std::vector<long long>{4});
    EXPECT_EQ(fund->text, "获得市增信基金担保，可多匹配 1 个产品");
    const Counterfactual* list = Find(*r, "directory", "white_list");
    ASSERT_NE(list, nullptr);
    EXPECT_EQ(list->product_ids, std::vector<long long>{5});
    const Counterfactual* amount = Find(*r, "amount", "200000000");
    ASSERT_NE(amount, nullptr);
    EXPECT_EQ(amount->product_ids, std::vector<long long>{7});
    // Near misses: 2, 3, 4, 5, 7 fail exactly one rule; 6 fails two.
    std::vector<long long> near;
    for (const auto& n : r->near_misses) near.push_back(n.product_id);
    EXPECT_EQ(near, (std::vector<long long>{2, 3, 4, 5, 7}));
    EXPECT_EQ(r->near_misses[0].failed, std::vector<Rule>{Rule::kCreditGrade});
    EXPECT_EQ(r->near_misses[2].failed, std::vector<Rule>{Rule::kCollateral});
}

TEST(Index, WhyNotListsEveryRule) {
    const MatchIndex index = Fixture();
    auto checks = index.WhyNot(Firm(), Need(), 6);
    ASSERT_TRUE(checks);
    std::vector<Rule> failed;
    for (const auto& c : *checks)
        if (!c.passed) failed.push_back(c.rule);
    EXPECT_EQ(failed, (std::vector<Rule>{Rule::kDirectories, Rule::kCreditGrade}));
    EXPECT_EQ((*checks)[static_cast<int>(Rule::kCreditGrade)].detail, "需要信用等级 AAA 及以上，当前 BBB");
    EXPECT_FALSE(index.WhyNot(Firm(), Need(), 999));
}

TEST(Index, IncrementalUpdatesChangeAnswers) {
    MatchIndex index = Fixture();
    Enterprise better = Firm();
    better.grade = CreditGrade::kAA;
    index.UpsertEnterprise(better);
    EXPECT_EQ(index.RecommendForDemand(70, {})->eligible_count, 3);  // 1, 2, 3
    index.RemoveProduct(2);
    EXPECT_EQ(index.RecommendForDemand(70, {})->eligible_count, 2);
    Product moved = Loan(3);
    moved.rules.classes446 = {"S1"};
    index.UpsertProduct(moved);  // 3 now for S1 only
    EXPECT_EQ(index.EligibleProducts(better, Need()), std::vector<long long>{1});
    index.UpsertProduct(Loan(8));  // reuses the freed slot
    EXPECT_EQ(index.EligibleProducts(better, Need()), (std::vector<long long>{1, 8}));
    index.RemoveDemand(70);
    EXPECT_FALSE(index.RecommendForDemand(70, {}));
    EXPECT_EQ(index.product_count(), 7u);
}

TEST(Index, ProductLabelsLastUntilTheProductOrItsInstitutionChanges) {
    MatchIndex index = Fixture();
    for (long long id : index.UnlabelledProducts()) index.SetProductLabel(id, "v1-" + std::to_string(id));
    EXPECT_TRUE(index.UnlabelledProducts().empty());
    EXPECT_EQ(index.ProductLabel(1), "v1-1");
    const auto generation = index.product_generation();
    index.UpsertEnterprise(Firm());  // not a product change
    EXPECT_EQ(index.product_generation(), generation);
    index.UpsertProduct(Loan(1));  // the product changed
    EXPECT_GT(index.product_generation(), generation);
    EXPECT_EQ(index.UnlabelledProducts(), std::vector<long long>{1});
    EXPECT_EQ(index.ProductLabel(1), "");
    index.SetProductLabel(1, "v2-1");
    index.UpsertInstitution({1, 8, 5});  // its institution's service record changed: every product of it
    EXPECT_EQ(index.UnlabelledProducts().size(), index.product_count());
    EXPECT_EQ(index.ProductLabel(1), "");
    index.SetProductLabel(2, "v3-2");
    const auto before_removal = index.product_generation();
    index.RemoveProduct(2);
    EXPECT_GT(index.product_generation(), before_removal);
    index.UpsertProduct(Loan(9));  // reuses 2's slot without its label
    EXPECT_EQ(index.ProductLabel(9), "");
    EXPECT_EQ(index.ProductLabel(2), "");
}

TEST(Index, LeadsForAProduct) {
    MatchIndex index = Fixture();
    Enterprise other = Firm();
    other.id = 8;
    other.grade = CreditGrade::kA;
    index.UpsertEnterprise(other);
    Demand d = Need();
    d.id = 80;
    d.enterprise_id = 8;
    index.UpsertDemand(d);
    auto leads = index.LeadsForProduct(2, 10);  // needs grade A: only enterprise 8's demand
    ASSERT_TRUE(leads);
    ASSERT_EQ(leads->size(), 1u);
    EXPECT_EQ((*leads)[0].demand_id, 80);
    auto all = index.LeadsForProduct(1, 10);
    ASSERT_EQ(all->size(), 2u);
    EXPECT_GT((*all)[0].score, (*all)[1].score);
    EXPECT_EQ((*all)[0].demand_id, 80);  // the better grade scores higher
}

TEST(Index, ReplayGivesTheIdenticalResult) {
    const SyntheticWorld w = SyntheticWorld::Generate({.enterprises = 200, .demands = 50, .products = 500, .institutions = 50, .seed = 4});
    MatchIndex index(Model());
    w.Fill(index);
    QueryOptions o;
    o.counterfactuals = true;
    o.near_misses = 5;
    int replayed = 0;
    for (const auto& d : w.demands) {
        const Enterprise& e = w.enterprises[d.enterprise_id - 1];
        const MatchResult r = index.Recommend(e, d, o);
        const MatchSnapshot snap = CaptureSnapshot(index, e, d, o, r);
        auto loaded = SnapshotFromJson(SnapshotToJson(snap));
        ASSERT_TRUE(loaded) << loaded.error().message;
        EXPECT_LE(loaded->products.size(), w.products.size());
        ASSERT_TRUE(ReplayMatches(*loaded, Model())) << "demand " << d.id;
        // The stored form names a catalogue; replay adds the product states (with their institution's record) back.
        auto stored = ParseStoredSnapshot(StoredSnapshotToJson(snap, "c1"));
        ASSERT_TRUE(stored) << stored.error().message;
        EXPECT_EQ(stored->catalogue, "c1");
        EXPECT_TRUE(stored->snapshot.products.empty());
        std::vector<std::string> bodies;
        for (const auto& p : snap.products) {
            const Institution* i = index.FindInstitution(p.institution_id);
            bodies.push_back(ProductStateToJson(p, i ? *i : Institution{p.institution_id}));
        }
        ASSERT_TRUE(AddProductStates(stored->snapshot, bodies));
        EXPECT_EQ(stored->snapshot.institutions.size(), snap.institutions.size());
        ASSERT_TRUE(ReplayMatches(stored->snapshot, Model())) << "demand " << d.id << " (stored form)";
        replayed += !r.recommendations.empty();
    }
    EXPECT_GT(replayed, 10);
    auto other = std::make_shared<ScoringModel>(ScoringModel::Default());
    other->set_version(5);
    const Demand& d = w.demands[0];
    const MatchSnapshot snap = CaptureSnapshot(index, w.enterprises[d.enterprise_id - 1], d, o,
                                               index.Recommend(w.enterprises[d.enterprise_id - 1], d, o));
    EXPECT_FALSE(Replay(snap, other));  // a different model version is refused
    // Snapshots stored before catalogues listed their product states and institutions.
    json::object older = json::parse(SnapshotToJson(snap)).as_object();
    older.erase("products");
    older["product_states"] = json::array{"a1", "b2"};
    auto listed = ParseStoredSnapshot(json::serialize(older));
    ASSERT_TRUE(listed) << listed.error().message;
    EXPECT_EQ(listed->state_hashes, (std::vector<std::string>{"a1", "b2"}));
    EXPECT_EQ(listed->snapshot.institutions.size(), snap.institutions.size());
    EXPECT_FALSE(ParseStoredSnapshot("{\"catalogue\": 1}"));
    EXPECT_FALSE(AddProductStates(listed->snapshot, {"[]"}));
}

TEST(Index, EquityDemandsMeetFunds) {
    MatchIndex index(Model());
    Product fund = Loan(1);
    fund.kind = ProductKind::kEquity;
    fund.rules.stages = {Stage::kEarly, Stage::kGrowth};
    fund.rules.classes446 = {"P1"};
    index.UpsertProduct(fund);
    index.UpsertProduct(Loan(2));
    Enterprise e = Firm();
    e.stage = Stage::kGrowth;
    Demand d = Need();
    d.instrument = Instrument::kEquity;
    d.term_months = 0;
    EXPECT_EQ(index.EligibleProducts(e, d), std::vector<long long>{1});
    d.instrument = Instrument::kDebt;
    d.term_months = 12;
    EXPECT_EQ(index.EligibleProducts(e, d), std::vector<long long>{2});
    e.stage = Stage::kMature;
    d.instrument = Instrument::kAny;
    EXPECT_EQ(index.EligibleProducts(e, d), std::vector<long long>{2});
}

TEST(Index, TrainedModelLiftsPrecisionOnASmallCity) {
    const SyntheticWorld w = SyntheticWorld::Generate({.enterprises = 3000, .demands = 12'000, .products = 600, .institutions = 60, .seed = 21});
    MatchIndex index(Model());
    w.Fill(index);
    const auto before = w.Evaluate(index, 10'000, 12'000);
    auto trained = TrainModel(index.model(), w.SimulateDecisions(index, 0, 10'000, 60 * 200, 3, 5));
    ASSERT_TRUE(trained);
    index.SetModel(std::make_shared<ScoringModel>(trained->model));
    const auto after = w.Evaluate(index, 10'000, 12'000);
    EXPECT_GT(after.demands, 500);
    // With many institutions the index computes all logits in one pass; scores stay bit-identical to the reference.
    for (int i = 10'000; i < 10'050; ++i) {
        const Demand& d = w.demands[i];
        const Enterprise& e = w.enterprises[d.enterprise_id - 1];
        for (const auto& rec : index.Recommend(e, d, {}).recommendations)
            ASSERT_EQ(rec.score, Score(index.model(), e, d, *index.FindProduct(rec.product_id), w.institutions[rec.institution_id - 1]).score);
    }
    EXPECT_GT(after.precision_model, before.precision_model + 0.15);
    EXPECT_GT(after.precision_model, after.precision_baseline + 0.15);
}

}  // namespace
}  // namespace chanrong::matching

#include <gtest/gtest.h>

#include <cmath>

#include "matching/match_index.hpp"
#include "matching/model.hpp"
#include "matching/synthetic.hpp"
#include "matching/train.hpp"

namespace chanrong::matching {
namespace {

// A model where only approval and amount count, so scores are easy to compute by hand.
constexpr const char* kTwoFactor = R"({"version": 3,
  "factor_weights": {"approval": 0.5, "amount": 0.5},
  "vocabulary": {"classes": ["P1"], "districts": [], "tags": ["high_tech"], "directories": []},
  "global": {"bias": -1.0, "grade:A": 2.0, "tag:high_tech": 0.5}})";

Enterprise FirmA() {
    Enterprise e;
    e.id = 1;
    e.class446 = "P1";
    e.grade = CreditGrade::kA;
    e.size = SizeClass::kSmall;
    e.tags = {"high_tech"};
    e.years_in_business = 5;
    return e;
}

Product Ranged(long long id, long long lo, long long hi) {
    Product p;
    p.id = id;
    p.institution_id = 9;
    p.rules.amount_min_fen = lo;
    p.rules.amount_max_fen = hi;
    return p;
}

TEST(Scoring, HandComputedTwoFactorScore) {
    auto m = ScoringModel::FromJson(kTwoFactor);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->version(), 3);
    Demand d;
    d.amount_fen = 10'000'000;  // geometric centre of [1e6, 1e8]: amount fit 1
    const auto b = Score(*m, FirmA(), d, Ranged(1, 1'000'000, 100'000'000), Institution{9});
    // logit = bias −1 + grade:A 2 + tag:high_tech 0.5 = 1.5; σ(1.5) = 0.8175744761936437
    EXPECT_DOUBLE_EQ(b.logit, 1.5);
    EXPECT_NEAR(b.value[0], 0.8175744761936437, 1e-15);
    EXPECT_NEAR(b.value[1], 1.0, 1e-12);
    EXPECT_NEAR(b.score, 0.5 * 0.8175744761936437 + 0.5, 1e-12);
    // At the edge of the range the amount fit is 0.
    d.amount_fen = 1'000'000;
    EXPECT_NEAR(Score(*m, FirmA(), d, Ranged(1, 1'000'000, 100'000'000), Institution{9}).score, 0.5 * 0.8175744761936437, 1e-12);
}

TEST(Scoring, FactorsOfTheDefaultModel) {
    const ScoringModel& m = ScoringModel::Default();
    ASSERT_EQ(m.version(), 1);
    Demand d;
    d.term_months = 18;
    EXPECT_DOUBLE_EQ(m.TermFit(18, 12, 36, false), 0.5);  // 1 − |18 − 24| / 12
    EXPECT_DOUBLE_EQ(m.TermFit(18, 12, 36, true), 1.0);
    EXPECT_DOUBLE_EQ(m.RateFit(300, d, false), 1.0);  // 0.5 + (450 − 300) / 300
    EXPECT_DOUBLE_EQ(m.RateFit(450, d, false), 0.5);
    d.max_rate_bp = 500;
    EXPECT_NEAR(m.RateFit(450, d, false), 0.5 + 50.0 / 300, 1e-15);
    Institution fast{1, 24, -1};  // (e^−1 + 0.5) / 2
    EXPECT_NEAR(m.ServiceScore(fast), (std::exp(-1.0) + 0.5) / 2, 1e-15);
    // Grade A → 0.6 · 6/8; one priority tag → 0.2 · ½; no directories.
    EXPECT_NEAR(m.ProfileScore(FirmA()), 0.45 + 0.1, 1e-15);
    Product p;
    p.policy_programs = {"supply_chain_fund_2pct"};
    EXPECT_DOUBLE_EQ(m.PolicyScore(p), 1.0);
    EXPECT_DOUBLE_EQ(m.PurposeFit(Purpose::kGreen, ProductKind::kGreenLoan), 1.0);
    EXPECT_DOUBLE_EQ(m.PurposeFit(Purpose::kGreen, ProductKind::kMortgageLoan), 0.5);
}

TEST(Scoring, ModelJsonRoundTrips) {
    const ScoringModel& m = ScoringModel::Default();
    auto again = ScoringModel::FromJson(m.ToJson());
    ASSERT_TRUE(again);
    EXPECT_EQ(again->feature_names(), m.feature_names());
    const FeatureList f = m.Features(FirmA(), Demand{});
    EXPECT_DOUBLE_EQ(again->Logit(again->global_column(), f), m.Logit(m.global_column(), f));
    EXPECT_FALSE(ScoringModel::FromJson("{}"));
    EXPECT_FALSE(ScoringModel::FromJson(R"({"version":1,"purpose_affinity":{"fishing":{}}})"));
}

TEST(Scoring, IndexRanksByScoreAndMatchesReference) {
    auto m = std::make_shared<ScoringModel>(*ScoringModel::FromJson(kTwoFactor));
    MatchIndex index(m);
    index.UpsertProduct(Ranged(1, 1'000'000, 100'000'000));  // centred: fit 1
    index.UpsertProduct(Ranged(2, 5'000'000, 20'000'000));   // centred at 1e7 too: fit 1, tie → lower id first
    index.UpsertProduct(Ranged(3, 9'000'000, 1'000'000'000));
    index.UpsertProduct(Ranged(4, 20'000'000, 30'000'000));  // ineligible
    Demand d;
    d.amount_fen = 10'000'000;
    const MatchResult r = index.Recommend(FirmA(), d, {});
    ASSERT_EQ(r.eligible_count, 3);
    ASSERT_EQ(r.recommendations.size(), 3u);
    EXPECT_EQ(r.recommendations[0].product_id, 1);
    EXPECT_EQ(r.recommendations[1].product_id, 2);
    EXPECT_EQ(r.recommendations[2].product_id, 3);
    for (const auto& rec : r.recommendations) {
        const auto b = Score(*m, FirmA(), d, *index.FindProduct(rec.product_id), Institution{9});
        EXPECT_EQ(rec.score, b.score);  // bit-identical to the reference
    }
    // Explanation: approval contributes 0.5 · σ(1.5) and comes second to the amount fit (0.5 · 1).
    ASSERT_EQ(r.recommendations[0].factors.size(), static_cast<size_t>(kFactorCount));
    EXPECT_EQ(r.recommendations[0].factors[0].factor, Factor::kAmount);
    EXPECT_EQ(r.recommendations[0].factors[1].factor, Factor::kApproval);
    ASSERT_EQ(r.recommendations[0].drivers.size(), 2u);
    EXPECT_EQ(r.recommendations[0].drivers[0].feature, "grade:A");
    EXPECT_EQ(r.recommendations[0].drivers[1].feature, "tag:high_tech");
}

TEST(Scoring, TrainingLearnsInstitutionsAndShrinksThinOnes) {
    const SyntheticWorld w = SyntheticWorld::Generate({.enterprises = 2000, .demands = 6000, .products = 300, .institutions = 30, .seed = 3});
    MatchIndex index(std::make_shared<ScoringModel>(ScoringModel::Default()));
    w.Fill(index);
    const auto samples = w.SimulateDecisions(index, 0, 5000, 12'000, 3, 11);
    ASSERT_GT(samples.size(), 5000u);
    auto trained = TrainModel(index.model(), samples);
    ASSERT_TRUE(trained) << trained.error().message;
    EXPECT_EQ(trained->model.version(), 2);
    EXPECT_GT(trained->after.auc, trained->before.auc + 0.1);
    EXPECT_LT(trained->after.log_loss, trained->before.log_loss);
    EXPECT_GE(trained->after.auc, trained->global_only.auc);
    EXPECT_EQ(trained->model.Column(999'999), trained->model.global_column());  // unknown institution → global row
    auto reloaded = ScoringModel::FromJson(trained->model_json);
    ASSERT_TRUE(reloaded);
    EXPECT_EQ(reloaded->version(), 2);
    EXPECT_EQ(reloaded->trained_institutions().size(), trained->model.trained_institutions().size());
    EXPECT_NE(trained->report_json.find("\"holdout\""), std::string::npos);
}

TEST(Scoring, ThinInstitutionStaysNearGlobal) {
    const ScoringModel& base = ScoringModel::Default();
    Enterprise e = FirmA();
    std::vector<DecisionSample> samples;
    for (int i = 0; i < 4000; ++i) samples.push_back({1, base.Features(e, Demand{}), i % 2 == 0});
    samples.push_back({2, base.Features(e, Demand{}), true});  // one approval only
    samples.push_back({2, base.Features(e, Demand{}), true});
    TrainOptions o;
    o.holdout_every = 0;
    auto t = TrainModel(base, samples, o);
    ASSERT_TRUE(t);
    const FeatureList f = base.Features(e, Demand{});
    const double global = Sigmoid(t->model.Logit(t->model.global_column(), f));
    const double thin = Sigmoid(t->model.Logit(t->model.Column(2), f));
    EXPECT_NEAR(global, 0.5, 0.01);   // 2,000 of 4,000 approved
    EXPECT_GT(thin, global);          // pulled up by its two approvals …
    EXPECT_LT(thin, 0.75);            // … but shrunk towards the global rate, not 1.0
}

TEST(Scoring, AucHandCases) {
    EXPECT_DOUBLE_EQ(Auc({0.1, 0.4, 0.35, 0.8}, {false, false, true, true}), 0.75);
    EXPECT_DOUBLE_EQ(Auc({0.5, 0.5}, {false, true}), 0.5);
    EXPECT_DOUBLE_EQ(Auc({0.2, 0.9}, {true, true}), 0.5);
}

}  // namespace
}  // namespace chanrong::matching

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "matching/match_index.hpp"
#include "matching/rules.hpp"
#include "matching/synthetic.hpp"

namespace chanrong::matching {
namespace {

Enterprise Firm() {
    Enterprise e;
    e.id = 1;
    e.class446 = "P1";
    e.industry_code = "C3974";
    e.district = "湖里区";
    e.size = SizeClass::kSmall;
    e.grade = CreditGrade::kBBB;
    e.stage = Stage::kGrowth;
    e.years_in_business = 3;
    e.tags = {"high_tech"};
    e.directories = {"white_list"};
    return e;
}

Demand Need() {
    Demand d;
    d.id = 1;
    d.enterprise_id = 1;
    d.amount_fen = 500'000'000;  // 500 万元
    d.term_months = 12;
    d.max_rate_bp = 500;
    return d;
}

Product Open() {
    Product p;
    p.id = 1;
    p.institution_id = 1;
    p.rules.amount_min_fen = 100'000'000;
    p.rules.amount_max_fen = 1'000'000'000;
    p.rules.term_min_months = 6;
    p.rules.term_max_months = 36;
    p.rules.rate_min_bp = 400;
    return p;
}

std::uint32_t Bit(Rule r) { return 1u << static_cast<int>(r); }

TEST(Rules, OpenProductIsEligible) { EXPECT_EQ(FailedRuleMask(Open(), Firm(), Need()), 0u); }

TEST(Rules, EachRuleFailsAlone) {
    const Enterprise e = Firm();
    const Demand d = Need();
    auto fails = [&](auto edit, Rule rule) {
        Product p = Open();
        edit(p);
        EXPECT_EQ(FailedRuleMask(p, e, d), Bit(rule)) << ToString(rule);
        const auto checks = CheckRules(p, e, d);
        ASSERT_EQ(checks.size(), static_cast<size_t>(kRuleCount));
        EXPECT_FALSE(checks[static_cast<int>(rule)].passed);
    };
    fails([](Product& p) { p.kind = ProductKind::kEquity; p.rules.stages = {Stage::kGrowth}; }, Rule::kInstrument);
    fails([](Product& p) { p.rules.amount_max_fen = 499'999'999; }, Rule::kAmount);
    fails([](Product& p) { p.rules.amount_min_fen = 500'000'001; }, Rule::kAmount);
    fails([](Product& p) { p.rules.term_min_months = 13; }, Rule::kTerm);
    fails([](Product& p) { p.rules.rate_min_bp = 501; }, Rule::kRate);
    fails([](Product& p) { p.rules.classes446 = {"P2", "S1"}; }, Rule::kClass446);
    fails([](Product& p) { p.rules.industry_prefixes = {"C38", "I"}; }, Rule::kIndustry);
    fails([](Product& p) { p.rules.districts = {"思明区"}; }, Rule::kDistrict);
    fails([](Product& p) { p.rules.sizes = {SizeClass::kMicro, SizeClass::kMedium}; }, Rule::kSize);
    fails([](Product& p) { p.rules.tags = {"specialized"}; }, Rule::kTags);
    fails([](Product& p) { p.rules.directories = {"tech_pilot"}; }, Rule::kDirectories);
    fails([](Product& p) { p.rules.min_credit_grade = CreditGrade::kA; }, Rule::kCreditGrade);
    fails([](Product& p) { p.rules.min_years = 4; }, Rule::kYears);
    fails([](Product& p) { p.rules.collateral = CollateralRequirement::kCollateral; }, Rule::kCollateral);
    fails([](Product& p) { p.rules.stages = {Stage::kSeed}; }, Rule::kStage);
}

TEST(Rules, BoundariesAndPasses) {
    Enterprise e = Firm();
    Demand d = Need();
    Product p = Open();
    p.rules.amount_max_fen = d.amount_fen;  // inclusive
    p.rules.rate_min_bp = 500;              // equal to the ceiling passes
    p.rules.min_credit_grade = CreditGrade::kBBB;
    p.rules.min_years = 3;
    p.rules.industry_prefixes = {"C39"};
    p.rules.tags = {"specialized", "high_tech"};
    EXPECT_EQ(FailedRuleMask(p, e, d), 0u);
    d.max_rate_bp.reset();  // no ceiling: any rate
    p.rules.rate_min_bp = 900;
    EXPECT_EQ(FailedRuleMask(p, e, d), 0u);
    e.grade = CreditGrade::kUnknown;  // no score never meets a minimum grade
    EXPECT_EQ(FailedRuleMask(p, e, d), Bit(Rule::kCreditGrade));
}

TEST(Rules, CollateralRequirements) {
    ProductRules r;
    using C = CollateralRequirement;
    r.collateral = C::kGuarantee;
    EXPECT_FALSE(CollateralSatisfied(r, true, ""));
    EXPECT_TRUE(CollateralSatisfied(r, false, "guarantor"));
    r.guarantee_kinds = {"fund"};
    EXPECT_FALSE(CollateralSatisfied(r, false, "guarantor"));
    EXPECT_TRUE(CollateralSatisfied(r, false, "fund"));
    r.collateral = C::kCollateralOrGuarantee;
    EXPECT_TRUE(CollateralSatisfied(r, true, ""));
    EXPECT_FALSE(CollateralSatisfied(r, false, "guarantor"));
    r.collateral = C::kCollateralAndGuarantee;
    EXPECT_FALSE(CollateralSatisfied(r, true, ""));
    EXPECT_TRUE(CollateralSatisfied(r, true, "fund"));
}

TEST(Rules, EquityIgnoresTermAndRate) {
    Product p = Open();
    p.kind = ProductKind::kEquity;
    p.rules.term_min_months = 100;
    p.rules.rate_min_bp = 9999;
    Demand d = Need();
    d.instrument = Instrument::kEquity;
    EXPECT_EQ(FailedRuleMask(p, Firm(), d), 0u);
    d.instrument = Instrument::kAny;
    EXPECT_EQ(FailedRuleMask(p, Firm(), d), 0u);
}

TEST(Rules, ParsesEligibilityJson) {
    const auto o = boost::json::parse(R"({"classes446":["P1","S2"],"sizes":["small","micro"],"districts":["湖里区"],
        "industry_prefixes":["C39"],"tags":["high_tech"],"directories":["white_list"],"min_years":2,
        "min_credit_grade":"A","collateral":"collateral_or_guarantee","guarantee_kinds":["fund"],"stages":["growth"],
        "term_max_months":24})").as_object();
    ProductRules base;
    base.amount_min_fen = 7;
    auto r = ParseProductRules(o, base);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->classes446, (std::vector<std::string>{"P1", "S2"}));
    EXPECT_EQ(r->sizes, (std::vector<SizeClass>{SizeClass::kSmall, SizeClass::kMicro}));
    EXPECT_EQ(r->min_credit_grade, CreditGrade::kA);
    EXPECT_EQ(r->collateral, CollateralRequirement::kCollateralOrGuarantee);
    EXPECT_EQ(r->min_years, 2);
    EXPECT_EQ(r->term_max_months, 24);
    EXPECT_EQ(r->amount_min_fen, 7);
    EXPECT_EQ(r->stages, std::vector<Stage>{Stage::kGrowth});
    auto again = ParseProductRules(RulesToJson(*r));
    ASSERT_TRUE(again);
    EXPECT_EQ(again->classes446, r->classes446);
    EXPECT_EQ(again->term_max_months, 24);
}

TEST(Rules, ParsesLegacyFlagsAndRejectsWrongTypes) {
    auto legacy = ParseProductRules(boost::json::parse(R"({"collateral_required":true})").as_object());
    ASSERT_TRUE(legacy);
    EXPECT_EQ(legacy->collateral, CollateralRequirement::kCollateral);
    auto both = ParseProductRules(boost::json::parse(R"({"collateral_required":true,"guarantee_required":true})").as_object());
    EXPECT_EQ(both->collateral, CollateralRequirement::kCollateralAndGuarantee);
    EXPECT_FALSE(ParseProductRules(boost::json::parse(R"({"sizes":"small"})").as_object()));
    EXPECT_FALSE(ParseProductRules(boost::json::parse(R"({"sizes":["huge"]})").as_object()));
    EXPECT_FALSE(ParseProductRules(boost::json::parse(R"({"min_credit_grade":"D"})").as_object()));
    EXPECT_FALSE(ParseProductRules(boost::json::parse(R"({"collateral":"gold"})").as_object()));
    EXPECT_FALSE(ParseProductRules(boost::json::parse(R"({"min_years":-1})").as_object()));
}

// The bitset index and the reference evaluation agree on every demand of a synthetic city.
TEST(Rules, IndexAgreesWithReferenceEvaluation) {
    const SyntheticWorld w = SyntheticWorld::Generate({.enterprises = 300, .demands = 300, .products = 400, .institutions = 40, .seed = 7});
    MatchIndex index(std::make_shared<ScoringModel>(ScoringModel::Default()));
    w.Fill(index);
    size_t total = 0;
    for (const auto& d : w.demands) {
        const Enterprise& e = w.enterprises[d.enterprise_id - 1];
        std::vector<long long> expected;
        for (const auto& p : w.products)
            if (FailedRuleMask(p, e, d) == 0) expected.push_back(p.id);
        EXPECT_EQ(index.EligibleProducts(e, d), expected) << "demand " << d.id;
        total += expected.size();
    }
    EXPECT_GT(total, 1000u);  // the city is not trivially empty
}

}  // namespace
}  // namespace chanrong::matching

#include "credit/monitoring.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "credit/whitelist_rules.hpp"

namespace chanrong::credit {
namespace {

TEST(MonitoringTest, ScoreBandsCoverZeroToAThousand) {
    EXPECT_EQ(ScoreBand(0), 0);
    EXPECT_EQ(ScoreBand(99), 0);
    EXPECT_EQ(ScoreBand(100), 1);
    EXPECT_EQ(ScoreBand(999), 9);
    EXPECT_EQ(ScoreBand(1000), 9);
}

TEST(MonitoringTest, PsiIsZeroForTheSameDistributionAndMatchesAHandComputedShift) {
    EXPECT_NEAR(*PopulationStabilityIndex({10, 20, 70}, {1, 2, 7}), 0, 1e-12);
    // (0.5−0.2)·ln(0.5/0.2) + (0.5−0.8)·ln(0.5/0.8)
    const double expected = 0.3 * std::log(2.5) + (-0.3) * std::log(0.625);
    EXPECT_NEAR(*PopulationStabilityIndex({20, 80}, {50, 50}), expected, 1e-12);
    EXPECT_FALSE(PopulationStabilityIndex({0, 0}, {1, 1}));
}

TEST(MonitoringTest, KsAndAucOnAHandComputedCase) {
    // Bads at 300 and 500, goods at 400, 600 and 700.
    auto s = MeasureSeparation({{300, true}, {400, false}, {500, true}, {600, false}, {700, false}});
    ASSERT_TRUE(s);
    // Pairs (good, bad) with good higher: 400>300, 600>300, 600>500, 700>300, 700>500 = 5 of 6.
    EXPECT_NEAR(s->auc, 5.0 / 6, 1e-12);
    // After 300: bads 1/2, goods 0 → 0.5; after 500: bads 1, goods 1/3 → 0.667.
    EXPECT_NEAR(s->ks, 2.0 / 3, 1e-12);
    EXPECT_EQ(s->goods, 3);
    EXPECT_EQ(s->bads, 2);
}

TEST(MonitoringTest, TiesCountHalfAndOneSidedDataHasNoSeparation) {
    auto s = MeasureSeparation({{500, true}, {500, false}});
    ASSERT_TRUE(s);
    EXPECT_NEAR(s->auc, 0.5, 1e-12);
    EXPECT_NEAR(s->ks, 0, 1e-12);
    EXPECT_FALSE(MeasureSeparation({{500, false}, {600, false}}));
}

TEST(WhitelistRulesTest, EachRuleAtItsBoundary) {
    auto rules = ParseWhitelistRules(R"({"version":"w1","directory":"white_list","rules":[
        {"code":"min_grade","grade":"A"},{"code":"no_red_flags"},{"code":"in_446"},{"code":"max_size","size":"medium"}]})");
    ASSERT_TRUE(rules);
    WhitelistFacts ok{"A", {}, "P1", "medium"};
    EXPECT_TRUE(AllPassed(CheckWhitelist(*rules, ok)));
    auto failing = [&](WhitelistFacts f) {
        std::vector<std::string> out;
        for (const auto& c : CheckWhitelist(*rules, f))
            if (!c.passed) out.push_back(c.rule->code);
        return out;
    };
    EXPECT_EQ(failing({"BBB", {}, "P1", "small"}), std::vector<std::string>{"min_grade"});
    EXPECT_EQ(failing({"AAA", {"dishonest_debtor"}, "P1", "micro"}), std::vector<std::string>{"no_red_flags"});
    EXPECT_EQ(failing({"AA", {}, "", "small"}), std::vector<std::string>{"in_446"});
    EXPECT_EQ(failing({"AA", {}, "S2", "large"}), std::vector<std::string>{"max_size"});
    EXPECT_EQ(failing({"", {}, "S2", ""}), (std::vector<std::string>{"min_grade", "max_size"}));
}

TEST(WhitelistRulesTest, RefusesUnknownRulesGradesAndSizes) {
    auto bad = ParseWhitelistRules(R"({"version":"w1","directory":"white_list","rules":[
        {"code":"min_grade","grade":"Z"},{"code":"max_size","size":"huge"},{"code":"vibes"}]})");
    ASSERT_FALSE(bad);
    ASSERT_EQ(bad.error().fields.size(), 3u);
    EXPECT_EQ(bad.error().fields[0].field, "rules[0].grade");
    EXPECT_EQ(bad.error().fields[2].field, "rules[2].code");
}

}  // namespace
}  // namespace chanrong::credit

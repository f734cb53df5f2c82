#include <gtest/gtest.h>

#include "finance/scorecard.hpp"

namespace chanrong::finance {
namespace {

constexpr long long kHour = 3'600'000;

TEST(Scorecard, NearestRankPercentiles) {
    EXPECT_FALSE(PercentileHours({}, 50));
    EXPECT_DOUBLE_EQ(*PercentileHours({kHour}, 90), 1.0);
    const std::vector<long long> ten = {10 * kHour, 1 * kHour, 2 * kHour, 3 * kHour, 4 * kHour,
                                        5 * kHour,  6 * kHour, 7 * kHour, 8 * kHour, 9 * kHour};
    EXPECT_DOUBLE_EQ(*PercentileHours(ten, 50), 5.0);
    EXPECT_DOUBLE_EQ(*PercentileHours(ten, 90), 9.0);
    EXPECT_DOUBLE_EQ(*PercentileHours(ten, 100), 10.0);
}

TEST(Scorecard, CountsRatesAndDurationsPerInstitutionAndProduct) {
    std::vector<ScoredApplication> apps = {
        {1, "甲银行", 10, "快贷", "disbursed", 0, 2 * kHour, 5 * kHour, 6 * kHour, 30 * kHour, 54 * kHour, 500},
        {1, "甲银行", 10, "快贷", "rejected", 0, 4 * kHour, std::nullopt, 8 * kHour, 20 * kHour, std::nullopt, 0},
        {1, "甲银行", std::nullopt, "", "submitted", 0, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, 0},
        {2, "乙银行", 20, "慢贷", "approved", 0, 48 * kHour, std::nullopt, 50 * kHour, 100 * kHour, std::nullopt, 0},
    };
    const auto banks = ScoreByInstitution(apps);
    ASSERT_EQ(banks.size(), 2u);
    const Scorecard& a = banks[0].key == 1 ? banks[0] : banks[1];
    EXPECT_EQ(a.leads, 3);
    EXPECT_EQ(a.accepted, 2);
    EXPECT_EQ(a.decided, 2);
    EXPECT_EQ(a.approved, 1);
    EXPECT_EQ(a.disbursed_fen, 500);
    EXPECT_DOUBLE_EQ(*a.approval_rate, 0.5);
    EXPECT_DOUBLE_EQ(*a.to_accept.median_hours, 2.0);
    EXPECT_DOUBLE_EQ(*a.to_accept.p90_hours, 4.0);
    EXPECT_DOUBLE_EQ(*a.to_decide.median_hours, 12.0);
    EXPECT_EQ(a.to_disburse.count, 1);
    const auto products = ScoreByProduct(apps);
    EXPECT_EQ(products.size(), 2u) << "applications without a product are left out of product cards";
}

}  // namespace
}  // namespace chanrong::finance

#include "credit/credit_features.hpp"

#include <gtest/gtest.h>

namespace chanrong::credit {
namespace {

CreditRecord Record(long long id, std::string type, std::string on, std::string text = "",
                    std::optional<long long> fen = std::nullopt, std::optional<long long> qty = std::nullopt) {
    CreditRecord r;
    r.id = id;
    r.type = std::move(type);
    r.occurred_on = std::move(on);
    r.value_text = std::move(text);
    r.amount_fen = fen;
    r.quantity = qty;
    return r;
}

const CountingMonths kCounting = {{"tax_grade", 24}, {"admin_penalty", 36}, {"utility_arrears", 24}};

TEST(CreditFeaturesTest, AddMonthsKeepsTheDayAndRollsTheYear) {
    EXPECT_EQ(AddMonths("2025-11-30", 2), "2026-01-30");
    EXPECT_EQ(AddMonths("2024-02-29", 12), "2025-02-29");
    EXPECT_EQ(AddMonths("2024-12-01", 1), "2025-01-01");
}

TEST(CreditFeaturesTest, ARecordCountsFromItsDateUntilItsPeriodOrValidityEnds) {
    CreditRecord r = Record(1, "admin_penalty", "2023-06-01", "major");
    EXPECT_FALSE(RecordCounts(r, 36, "2023-05-31"));
    EXPECT_TRUE(RecordCounts(r, 36, "2023-06-01"));
    EXPECT_TRUE(RecordCounts(r, 36, "2026-05-31"));
    EXPECT_FALSE(RecordCounts(r, 36, "2026-06-01"));
    r.valid_until = "2024-01-01";
    EXPECT_TRUE(RecordCounts(r, 36, "2023-12-31"));
    EXPECT_FALSE(RecordCounts(r, 36, "2024-01-01"));
    r.valid_until.clear();
    r.status = "removed";
    EXPECT_FALSE(RecordCounts(r, 36, "2024-01-01"));
}

TEST(CreditFeaturesTest, BuildsEveryFeatureFromTheRecordsThatCount) {
    std::vector<CreditRecord> records = {
        Record(1, "tax_grade", "2023-12-31", "B"), Record(2, "tax_grade", "2024-12-31", "A"),
        Record(3, "tax_paid", "2024-12-31", "", 1'500'000'000),  // 1500 万元
        Record(4, "social_insurance", "2026-10-31", "", std::nullopt, 42),
        Record(5, "utility_arrears", "2026-09-30", "", 250'000),  // 0.25 万元
        Record(6, "court_judgment", "2025-03-01", "", 10'000'000), Record(7, "court_judgment", "2024-03-01"),
        Record(8, "admin_penalty", "2025-01-01", "minor"), Record(9, "admin_penalty", "2022-01-01", "serious"),
        Record(10, "patent", "2020-01-01", "", std::nullopt, 3), Record(11, "honour", "2021-01-01"),
        Record(12, "dishonest_debtor", "2026-01-01")};
    records[6].status = "closed";
    records[11].status = "removed";
    EnterpriseBasics basics{"2016-11-21", 1'000'000'000, 450'000'000};
    auto built = BuildScoreInputs(records, kCounting, basics, "2026-11-21");
    const auto& f = built.inputs.features;
    EXPECT_EQ(f.at("tax_grade").category, "A");
    EXPECT_DOUBLE_EQ(f.at("tax_paid_wan").number, 1500);
    EXPECT_DOUBLE_EQ(f.at("social_insurance_headcount").number, 42);
    EXPECT_DOUBLE_EQ(f.at("arrears_wan").number, 0.25);
    EXPECT_DOUBLE_EQ(f.at("open_judgments").number, 1);      // the closed one does not count
    EXPECT_EQ(f.at("admin_penalty").category, "minor");      // the serious one is older than 36 months
    EXPECT_EQ(f.at("abnormal_operation").category, "no");
    EXPECT_TRUE(f.at("customs_rating").missing);
    EXPECT_DOUBLE_EQ(f.at("honours_ip").number, 4);
    EXPECT_NEAR(f.at("years_in_business").number, 10, 1e-9);
    EXPECT_DOUBLE_EQ(f.at("debt_ratio_pct").number, 45);
    EXPECT_TRUE(built.inputs.red_flags.empty());  // removed after credit repair
    EXPECT_EQ(std::count(built.record_ids.begin(), built.record_ids.end(), 9), 0);
}

TEST(CreditFeaturesTest, NoPaymentDataIsMissingNotZeroAndActiveFlagsAreRedFlags) {
    std::vector<CreditRecord> records = {Record(1, "serious_violation", "2026-01-01")};
    auto built = BuildScoreInputs(records, kCounting, {}, "2026-11-21");
    EXPECT_TRUE(built.inputs.features.at("arrears_wan").missing);
    EXPECT_TRUE(built.inputs.features.at("tax_grade").missing);
    EXPECT_TRUE(built.inputs.features.at("years_in_business").missing);
    EXPECT_TRUE(built.inputs.features.at("debt_ratio_pct").missing);
    EXPECT_EQ(built.inputs.red_flags, std::set<std::string>{"serious_violation"});
    std::vector<CreditRecord> paid = {Record(2, "housing_fund", "2026-10-31", "", std::nullopt, 10)};
    EXPECT_DOUBLE_EQ(BuildScoreInputs(paid, kCounting, {}, "2026-11-21").inputs.features.at("arrears_wan").number, 0);
}

}  // namespace
}  // namespace chanrong::credit

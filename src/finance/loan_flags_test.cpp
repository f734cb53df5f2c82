#include "finance/loan_flags.hpp"

#include <gtest/gtest.h>

#include <tuple>

namespace chanrong::finance {
namespace {

constexpr long long kYuan = 100;  // fen per yuan
constexpr long long kTenMillionYuan = 10'000'000 * kYuan;

// A medium-sized, long-established borrower outside manufacturing with a secured short loan: no flag is true.
LoanFacts Plain() {
    LoanFacts facts;
    facts.amount_fen = 2'000'000 * kYuan;
    facts.term_months = 12;
    facts.has_collateral = true;
    facts.has_guarantee = false;
    facts.borrower_size = "medium";
    facts.borrower_total_credit_fen = 50'000'000 * kYuan;
    facts.borrower_industry_code = "F5179";
    facts.use_industry_code = "";
    facts.earlier_loan_on_record = true;
    facts.product_kind = "working_capital";
    return facts;
}

bool Contains(const std::vector<std::string>& reasons, std::string_view text) {
    for (const auto& reason : reasons)
        if (reason.find(text) != std::string::npos) return true;
    return false;
}

TEST(LoanFlags, PlainLoanHasNoFlags) {
    const auto flags = DeriveLoanFlags(Plain());
    EXPECT_FALSE(flags.credit);
    EXPECT_FALSE(flags.first_loan);
    EXPECT_FALSE(flags.mid_long_term);
    EXPECT_FALSE(flags.inclusive_small_micro);
    EXPECT_FALSE(flags.manufacturing_by_borrower);
    EXPECT_FALSE(flags.manufacturing_by_use);
    EXPECT_FALSE(flags.green);
    EXPECT_FALSE(flags.technology);
    EXPECT_TRUE(flags.reasons_zh.empty());
}

TEST(LoanFlags, CreditMeansNoCollateralAndNoGuarantee) {
    const std::vector<std::tuple<bool, bool, bool>> cases = {
        {false, false, true}, {true, false, false}, {false, true, false}, {true, true, false}};
    for (const auto& [collateral, guarantee, expected] : cases) {
        auto facts = Plain();
        facts.has_collateral = collateral;
        facts.has_guarantee = guarantee;
        const auto flags = DeriveLoanFlags(facts);
        EXPECT_EQ(flags.credit, expected) << collateral << guarantee;
        EXPECT_EQ(Contains(flags.reasons_zh, "信用贷款"), expected);
    }
}

TEST(LoanFlags, FirstLoan) {
    auto facts = Plain();
    facts.earlier_loan_on_record = false;
    auto flags = DeriveLoanFlags(facts);
    EXPECT_TRUE(flags.first_loan);
    ASSERT_EQ(flags.reasons_zh.size(), 1u);
    EXPECT_EQ(flags.reasons_zh[0], "首贷：借款人此前无贷款记录");
    facts.earlier_loan_on_record = true;
    EXPECT_FALSE(DeriveLoanFlags(facts).first_loan);
}

TEST(LoanFlags, TermTwelveMonthsIsShortThirteenIsMediumLong) {
    const std::vector<std::pair<int, bool>> cases = {{0, false}, {1, false}, {6, false}, {11, false}, {12, false},
                                                     {13, true}, {24, true}, {60, true}, {61, true},  {360, true}};
    for (const auto& [months, expected] : cases) {
        auto facts = Plain();
        facts.term_months = months;
        const auto flags = DeriveLoanFlags(facts);
        EXPECT_EQ(flags.mid_long_term, expected) << months;
        EXPECT_EQ(Contains(flags.reasons_zh, "中长期贷款"), expected) << months;
    }
    auto facts = Plain();
    facts.term_months = 13;
    EXPECT_EQ(DeriveLoanFlags(facts).reasons_zh, std::vector<std::string>{"中长期贷款：期限 13 个月，超过 12 个月"});
}

TEST(LoanFlags, InclusiveNeedsSmallOrMicroAndCreditUpToTenMillionYuan) {
    EXPECT_EQ(kInclusiveCreditCeilingFen, kTenMillionYuan);
    struct Case {
        std::string size;
        bool individual;
        long long total_credit_fen;
        bool expected;
    };
    const std::vector<Case> cases = {
        {"small", false, kTenMillionYuan, true},
        {"small", false, kTenMillionYuan + 1, false},
        {"micro", false, kTenMillionYuan, true},
        {"micro", false, kTenMillionYuan + 1, false},
        {"micro", false, 1, true},
        {"medium", false, kTenMillionYuan, false},
        {"medium", false, 100 * kYuan, false},
        {"large", false, 100 * kYuan, false},
        {"", false, 100 * kYuan, false},
        {"Small", false, 100 * kYuan, false},  // names are exact
        {"", true, kTenMillionYuan, true},     // individual business, no size class
        {"", true, kTenMillionYuan + 1, false},
        {"medium", true, kTenMillionYuan, true},
    };
    for (const auto& c : cases) {
        auto facts = Plain();
        facts.amount_fen = 1'000'000;
        facts.borrower_size = c.size;
        facts.borrower_is_individual_business = c.individual;
        facts.borrower_total_credit_fen = c.total_credit_fen;
        const auto flags = DeriveLoanFlags(facts);
        EXPECT_EQ(flags.inclusive_small_micro, c.expected)
            << c.size << " " << c.individual << " " << c.total_credit_fen;
        EXPECT_EQ(Contains(flags.reasons_zh, "普惠型小微企业贷款"), c.expected);
    }
}

TEST(LoanFlags, InclusiveCountsThisLoanEvenIfTheTotalIsUnderstated) {
    auto facts = Plain();
    facts.borrower_size = "small";
    facts.borrower_total_credit_fen = 0;
    facts.amount_fen = kTenMillionYuan;
    EXPECT_TRUE(DeriveLoanFlags(facts).inclusive_small_micro);
    facts.amount_fen = kTenMillionYuan + 1;
    EXPECT_FALSE(DeriveLoanFlags(facts).inclusive_small_micro);
}

TEST(LoanFlags, InclusiveReasonNamesTheBorrowerAndTheTotal) {
    auto facts = Plain();
    facts.borrower_size = "micro";
    facts.borrower_total_credit_fen = 3'000'000 * kYuan + 50;  // 300.00005万元
    const auto flags = DeriveLoanFlags(facts);
    ASSERT_EQ(flags.reasons_zh.size(), 1u);
    EXPECT_EQ(flags.reasons_zh[0], "普惠型小微企业贷款：借款人为微型企业，授信总额 300.00005万元 不超过 1000万元");
    facts.borrower_size = "small";
    facts.borrower_total_credit_fen = kTenMillionYuan;
    EXPECT_EQ(DeriveLoanFlags(facts).reasons_zh,
              std::vector<std::string>{"普惠型小微企业贷款：借款人为小型企业，授信总额 1000万元 不超过 1000万元"});
    facts.borrower_size = "";
    facts.borrower_is_individual_business = true;
    EXPECT_TRUE(Contains(DeriveLoanFlags(facts).reasons_zh, "借款人为个体工商户"));
}

TEST(LoanFlags, ManufacturingByBorrowerAndByUseAreIndependent) {
    struct Case {
        const char* code;
        bool manufacturing;
    };
    const std::vector<Case> cases = {
        {"C3974", true},   {"C13", true}, {"C", true},      {"C4350", true},  {"c3974", true},  {"3974", true},
        {" C3011 ", true}, {"13", true},  {"F5179", false}, {"B0610", false}, {"D4411", false}, {"44", false},
        {"I6513", false},  {"", false},   {"C65", false},   {"CX", false},    {"Z", false},     {"制造业", false},
    };
    for (const auto& c : cases) {
        auto facts = Plain();
        facts.borrower_industry_code = c.code;
        auto flags = DeriveLoanFlags(facts);
        EXPECT_EQ(flags.manufacturing_by_borrower, c.manufacturing) << c.code;
        EXPECT_FALSE(flags.manufacturing_by_use) << c.code;
        EXPECT_EQ(Contains(flags.reasons_zh, "按借款人行业"), c.manufacturing) << c.code;

        facts = Plain();
        facts.use_industry_code = c.code;
        flags = DeriveLoanFlags(facts);
        EXPECT_EQ(flags.manufacturing_by_use, c.manufacturing) << c.code;
        EXPECT_FALSE(flags.manufacturing_by_borrower) << c.code;
        EXPECT_EQ(Contains(flags.reasons_zh, "按贷款投向"), c.manufacturing) << c.code;
    }
    auto facts = Plain();
    facts.borrower_industry_code = "F5179";  // a wholesaler …
    facts.use_industry_code = "3974";        // … financing a manufacturing line
    const auto flags = DeriveLoanFlags(facts);
    EXPECT_FALSE(flags.manufacturing_by_borrower);
    EXPECT_TRUE(flags.manufacturing_by_use);
    EXPECT_EQ(flags.reasons_zh,
              std::vector<std::string>{"制造业贷款（按贷款投向）：贷款投向行业代码 C3974 属于制造业（C 门类）"});
}

TEST(LoanFlags, Green) {
    const std::vector<std::tuple<std::string, bool, bool>> cases = {
        {"green_loan", false, true},     {"carbon_pledge", false, true}, {"working_capital", false, false},
        {"working_capital", true, true}, {"green_loan", true, true},     {"", false, false},
        {"Green_Loan", false, false},    {"tech_credit", false, false},
    };
    for (const auto& [kind, green_use, expected] : cases) {
        auto facts = Plain();
        facts.product_kind = kind;
        facts.green_use = green_use;
        const auto flags = DeriveLoanFlags(facts);
        EXPECT_EQ(flags.green, expected) << kind << " " << green_use;
        EXPECT_EQ(Contains(flags.reasons_zh, "绿色贷款"), expected) << kind;
    }
    auto facts = Plain();
    facts.product_kind = "carbon_pledge";
    facts.green_use = true;
    EXPECT_EQ(DeriveLoanFlags(facts).reasons_zh,
              std::vector<std::string>{"绿色贷款：产品为碳排放权质押贷款；贷款用途属于绿色产业"});
}

TEST(LoanFlags, Technology) {
    const std::vector<std::tuple<std::string, bool, bool>> cases = {
        {"tech_credit", false, true},      {"working_capital", true, true}, {"tech_credit", true, true},
        {"working_capital", false, false}, {"green_loan", false, false},    {"Tech_Credit", false, false},
    };
    for (const auto& [kind, tagged, expected] : cases) {
        auto facts = Plain();
        facts.product_kind = kind;
        facts.borrower_tech_tagged = tagged;
        const auto flags = DeriveLoanFlags(facts);
        EXPECT_EQ(flags.technology, expected) << kind << " " << tagged;
        EXPECT_EQ(Contains(flags.reasons_zh, "科技贷款"), expected) << kind;
    }
    auto facts = Plain();
    facts.borrower_tech_tagged = true;
    EXPECT_EQ(DeriveLoanFlags(facts).reasons_zh, std::vector<std::string>{"科技贷款：借款人为科技型企业"});
}

TEST(LoanFlags, EveryFlagAtOnceGivesReasonsInOrder) {
    LoanFacts facts;
    facts.amount_fen = 5'000'000 * kYuan;
    facts.term_months = 36;
    facts.borrower_size = "small";
    facts.borrower_total_credit_fen = 8'000'000 * kYuan;
    facts.borrower_industry_code = "C3841";
    facts.use_industry_code = "C3841";
    facts.earlier_loan_on_record = false;
    facts.product_kind = "green_loan";
    facts.borrower_tech_tagged = true;
    const auto flags = DeriveLoanFlags(facts);
    EXPECT_TRUE(flags.credit && flags.first_loan && flags.mid_long_term && flags.inclusive_small_micro &&
                flags.manufacturing_by_borrower && flags.manufacturing_by_use && flags.green && flags.technology);
    ASSERT_EQ(flags.reasons_zh.size(), 8u);
    const std::vector<std::string> prefixes = {"信用贷款：",
                                               "首贷：",
                                               "中长期贷款：",
                                               "普惠型小微企业贷款：",
                                               "制造业贷款（按借款人行业）：",
                                               "制造业贷款（按贷款投向）：",
                                               "绿色贷款：",
                                               "科技贷款："};
    for (size_t i = 0; i < prefixes.size(); ++i)
        EXPECT_TRUE(flags.reasons_zh[i].starts_with(prefixes[i])) << flags.reasons_zh[i];
}

}  // namespace
}  // namespace chanrong::finance

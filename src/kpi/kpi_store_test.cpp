#include "kpi/kpi_store.hpp"

#include <gtest/gtest.h>

#include "kpi/calendar.hpp"
#include "kpi/fenwick_grid.hpp"

namespace chanrong::kpi {
namespace {

constexpr long long kYuan = 100;

Dimensions TestDimensions() {
    return {{"P1", "S1"}, {"350203", "350205"}, {"bank", "insurer"}, {"white_list", "tech_pilot", "green_enterprise"}};
}

KpiStore MakeStore() {
    auto store = KpiStore::Create({TestDimensions(), 20200101, 20301231});
    EXPECT_TRUE(store.has_value());
    EXPECT_TRUE(store->AddInstitution({1, 20200101, 0, 0}));      // a bank
    EXPECT_TRUE(store->AddInstitution({2, 20200101, 1, kNone}));  // an insurer
    return std::move(*store);
}

LoanFact Loan(long long id, long long amount_yuan, int disbursed, std::uint32_t flags = 0) {
    LoanFact loan;
    loan.loan_id = id;
    loan.institution_id = 1;
    loan.enterprise_id = 100 + id;
    loan.amount_fen = amount_yuan * kYuan;
    loan.disbursed_on = disbursed;
    loan.maturity_on = disbursed + 10000;  // a year later
    loan.flags = flags;
    return loan;
}

long long Get(const KpiStore& store, Metric metric, int day, Slot slot = {}) {
    const BoundMetric m{metric, -1};
    return InfoOf(metric).flow ? store.Flow(m, slot, store.first_day(), day) : store.Stock(m, slot, day);
}

TEST(Calendar, MonthsAndDays) {
    EXPECT_EQ(MonthEnd(202402), 20240229);
    EXPECT_EQ(MonthEnd(202302), 20230228);
    EXPECT_EQ(MonthEnd(202412), 20241231);
    EXPECT_EQ(AddMonths(202411, 3), 202502);
    EXPECT_EQ(AddMonths(202501, -1), 202412);
    EXPECT_EQ(AddMonths(202501, -13), 202312);
    EXPECT_EQ(MonthsBetween(202411, 202502), 3);
    EXPECT_EQ(DayNumber(19700101), 0);
    EXPECT_EQ(DayNumber(20240301) - DayNumber(20240228), 2);
    EXPECT_EQ(DateOfDay(DayNumber(20241231)), 20241231);
    EXPECT_FALSE(IsValidDate(20230229));
    EXPECT_TRUE(IsValidDate(20240229));
}

TEST(FenwickGrid, BatchAndIncrementalAgree) {
    FenwickGrid a(2, 13), b(2, 13);
    a.BeginBatch();
    for (int i = 0; i < 13; ++i) {
        a.Add(i % 2, i, i + 1);
        b.Add(i % 2, i, i + 1);
    }
    a.EndBatch();
    for (int i = -1; i <= 14; ++i) EXPECT_EQ(a.Prefix(0, i), b.Prefix(0, i)) << i;
    EXPECT_EQ(a.Prefix(0, 12), 1 + 3 + 5 + 7 + 9 + 11 + 13);
    EXPECT_EQ(a.Range(1, 1, 3), 2 + 4);
    a.BeginBatch();  // reopening a built grid keeps its content
    a.Add(0, 0, 100);
    a.EndBatch();
    EXPECT_EQ(a.Prefix(0, 0), 101);
    EXPECT_EQ(a.Prefix(0, 12), 149);
}

TEST(KpiStore, CumulativeCountsAcrossYearsAndInYearRestarts) {
    auto store = MakeStore();
    ASSERT_TRUE(store.AddLoan(Loan(1, 1000, 20231115)));
    ASSERT_TRUE(store.AddLoan(Loan(2, 2000, 20240101)));
    ASSERT_TRUE(store.AddLoan(Loan(3, 4000, 20241231)));
    ASSERT_TRUE(store.AddLoan(Loan(4, 8000, 20250102)));
    EXPECT_EQ(Get(store, Metric::kFinancingsCount, 20231231), 1);
    EXPECT_EQ(Get(store, Metric::kFinancingsCount, 20241230), 2);
    EXPECT_EQ(Get(store, Metric::kFinancingsCount, 20241231), 3);  // the disbursement day counts
    EXPECT_EQ(Get(store, Metric::kFinancingsAmount, 20250630), 15000 * kYuan);
    const BoundMetric amount{Metric::kFinancingsAmount, -1};
    EXPECT_EQ(store.Flow(amount, {}, 20250101, 20250630), 8000 * kYuan);  // in-year 2025
    EXPECT_EQ(store.Flow(amount, {}, 20240101, 20241231), 6000 * kYuan);  // in-year 2024
    EXPECT_EQ(Get(store, Metric::kFinancingsCount, 20191231), 0);         // before the window
}

TEST(KpiStore, BalanceAtMonthEndSubtractsRepaymentsPaidByThen) {
    auto store = MakeStore();
    auto loan = Loan(1, 1000, 20240115, kLoanMfgBorrower);
    loan.maturity_on = 20240315;
    loan.repayments = {{20240229, 300 * kYuan}, {20240301, 200 * kYuan}};
    ASSERT_TRUE(store.AddLoan(loan));
    EXPECT_EQ(Get(store, Metric::kManufacturingLoanBalance, 20231231), 0);
    EXPECT_EQ(Get(store, Metric::kManufacturingLoanBalance, MonthEnd(202401)), 1000 * kYuan);
    EXPECT_EQ(Get(store, Metric::kManufacturingLoanBalance, MonthEnd(202402)), 700 * kYuan);  // paid on the 29th
    EXPECT_EQ(Get(store, Metric::kManufacturingLoanBalance, MonthEnd(202403)), 500 * kYuan);
    // Matured on 2024-03-15 and not repaid: overdue, still outstanding.
    EXPECT_EQ(Get(store, Metric::kManufacturingLoanBalance, MonthEnd(202412)), 500 * kYuan);
    EXPECT_EQ(Get(store, Metric::kLoanBalance, MonthEnd(202412)), 500 * kYuan);
    EXPECT_EQ(Get(store, Metric::kGreenLoanBalance, MonthEnd(202412)), 0);
    // A repayment arriving later settles it.
    ASSERT_TRUE(store.AddRepayment(loan, {20250110, 500 * kYuan}));
    EXPECT_EQ(Get(store, Metric::kManufacturingLoanBalance, MonthEnd(202412)), 500 * kYuan);
    EXPECT_EQ(Get(store, Metric::kManufacturingLoanBalance, MonthEnd(202501)), 0);
    // The disbursed amount (a flow) is untouched by repayments.
    EXPECT_EQ(Get(store, Metric::kManufacturingLoanAmount, MonthEnd(202501)), 1000 * kYuan);
}

TEST(KpiStore, FamiliesFollowTheFlags) {
    auto store = MakeStore();
    ASSERT_TRUE(store.AddLoan(Loan(1, 100, 20240301, kLoanMfgBorrower | kLoanMidLong)));
    ASSERT_TRUE(store.AddLoan(Loan(2, 200, 20240301, kLoanMfgBorrower)));
    ASSERT_TRUE(store.AddLoan(Loan(3, 400, 20240301, kLoanMidLong | kLoanGreen | kBorrowerSpecialized)));
    ASSERT_TRUE(store.AddLoan(Loan(4, 800, 20240301, kLoanFirst | kBorrowerSmallMicro | kLoanTech)));
    ASSERT_TRUE(store.AddLoan(Loan(5, 1600, 20240301, kLoanFirst)));  // first loan of a medium firm: not counted
    const int d = 20240331;
    EXPECT_EQ(Get(store, Metric::kManufacturingLoanBalance, d), 300 * kYuan);
    EXPECT_EQ(Get(store, Metric::kMidLongMfgBalance, d), 100 * kYuan);
    EXPECT_EQ(Get(store, Metric::kZjtxLoanBalance, d), 400 * kYuan);
    EXPECT_EQ(Get(store, Metric::kGreenLoanBalance, d), 400 * kYuan);
    EXPECT_EQ(Get(store, Metric::kTechLoanBalance, d), 800 * kYuan);
    EXPECT_EQ(Get(store, Metric::kTechLoanAmount, d), 800 * kYuan);
    EXPECT_EQ(Get(store, Metric::kFirstLoanEnterprises, d), 1);
    EXPECT_EQ(Get(store, Metric::kFirstLoanAmount, d), 800 * kYuan);
    EXPECT_EQ(Get(store, Metric::kLoanBalance, d), 3100 * kYuan);
}

TEST(KpiStore, BreakdownsAddUpWithAnUnclassifiedCell) {
    auto store = MakeStore();
    auto a = Loan(1, 100, 20240301);
    a.class446 = 0, a.district = 1;
    auto b = Loan(2, 200, 20240301);
    b.class446 = 1, b.institution_id = 2;
    auto c = Loan(3, 400, 20240301);
    ASSERT_TRUE(store.AddLoan(a) && store.AddLoan(b) && store.AddLoan(c));
    const auto at = [&](Dimension dim, std::uint8_t i) {
        return Get(store, Metric::kFinancingsAmount, 20240331, {dim, i});
    };
    EXPECT_EQ(at(Dimension::kClass446, 0), 100 * kYuan);
    EXPECT_EQ(at(Dimension::kClass446, 1), 200 * kYuan);
    EXPECT_EQ(at(Dimension::kClass446, kNone), 400 * kYuan);
    EXPECT_EQ(at(Dimension::kDistrict, 1), 100 * kYuan);
    EXPECT_EQ(at(Dimension::kDistrict, kNone), 600 * kYuan);
    EXPECT_EQ(at(Dimension::kInstitutionKind, 0), 500 * kYuan);  // institution 1 is a bank
    EXPECT_EQ(at(Dimension::kInstitutionKind, 1), 200 * kYuan);
    EXPECT_EQ(at(Dimension::kClass446, 7), 0);  // out of range reads as nothing
}

TEST(KpiStore, DirectoryLoansAndDirectorySizes) {
    auto store = MakeStore();
    auto a = Loan(1, 100, 20240301);
    a.directories = 0b011;  // white_list and tech_pilot
    auto b = Loan(2, 200, 20240401);
    b.directories = 0b010;
    ASSERT_TRUE(store.AddLoan(a) && store.AddLoan(b) && store.AddLoan(Loan(3, 400, 20240401)));
    const auto pilot = store.Bind({Metric::kLoansToDirectoryAmount, "tech_pilot"});
    ASSERT_TRUE(pilot.has_value());
    EXPECT_EQ(store.Flow(*pilot, {}, 20200101, 20240331), 100 * kYuan);
    EXPECT_EQ(store.Flow(*pilot, {}, 20200101, 20240430), 300 * kYuan);
    EXPECT_EQ(Get(store, Metric::kFinancingsAmount, 20240430, {Dimension::kDirectory, 0}), 100 * kYuan);
    EXPECT_FALSE(store.Bind({Metric::kDirectorySize, "no_such_list"}).has_value());

    ASSERT_TRUE(store.AddDirectoryStay({2, 20240110, 20240601, 0, 0}));
    ASSERT_TRUE(store.AddDirectoryStay({2, 20240301, 0, 1, kNone}));
    const auto green = store.Bind({Metric::kDirectorySize, "green_enterprise"});
    EXPECT_EQ(store.Stock(*green, {}, 20240109), 0);
    EXPECT_EQ(store.Stock(*green, {}, 20240110), 1);
    EXPECT_EQ(store.Stock(*green, {}, 20240531), 2);
    EXPECT_EQ(store.Stock(*green, {}, 20240601), 1);  // left on 2024-06-01: [from, to)
    EXPECT_EQ(store.Stock(*green, {Dimension::kClass446, 1}, 20240601), 1);
    EXPECT_EQ(store.Stock(*green, {Dimension::kDistrict, kNone}, 20240601), 1);
    EXPECT_EQ(DirectoryMaskOn({{2, 20240110, 20240601}, {0, 20240101, 0}}, 20240601), 0b001u);
}

TEST(KpiStore, RetractIsTheExactInverseAndBatchEqualsIncremental) {
    auto incremental = MakeStore();
    auto batched = MakeStore();
    batched.BeginBatch();
    for (int i = 0; i < 40; ++i) {
        auto loan = Loan(i, 100 + i, 20230101 + (i % 12) * 100 + i % 28, i % 3 ? kLoanMfgBorrower : kLoanGreen);
        loan.repayments = {{loan.disbursed_on + 10000, 10 * kYuan}};
        ASSERT_TRUE(incremental.AddLoan(loan));
        ASSERT_TRUE(batched.AddLoan(loan));
    }
    batched.EndBatch();
    for (const int day : {20230131, 20230630, 20231231, 20241231})
        for (const Metric m : {Metric::kFinancingsAmount, Metric::kManufacturingLoanBalance, Metric::kGreenLoanBalance})
            EXPECT_EQ(Get(incremental, m, day), Get(batched, m, day));
    const long long before = Get(incremental, Metric::kLoanBalance, 20241231);
    auto extra = Loan(99, 5000, 20240505);
    extra.repayments = {{20240605, 1000 * kYuan}};
    ASSERT_TRUE(incremental.AddLoan(extra));
    EXPECT_EQ(Get(incremental, Metric::kLoanBalance, 20241231), before + 4000 * kYuan);
    ASSERT_TRUE(incremental.RetractLoan(extra));
    EXPECT_EQ(Get(incremental, Metric::kLoanBalance, 20241231), before);
}

TEST(KpiStore, EnrolmentsEventsAndReports) {
    auto store = MakeStore();
    ASSERT_TRUE(store.AddEnterprise({1, 20231201, 0, 0}));
    ASSERT_TRUE(store.AddEnterprise({2, 20240115, kNone, 1}));
    ASSERT_TRUE(store.AddEvent({1, 20240120, 300 * kYuan}));
    ASSERT_TRUE(store.AddEvent({2, 20250120, 500 * kYuan}));
    EXPECT_EQ(Get(store, Metric::kEnterprisesEnrolled, 20240131), 2);
    EXPECT_EQ(Get(store, Metric::kEnterprisesEnrolled, 20240131, {Dimension::kClass446, kNone}), 1);
    EXPECT_EQ(Get(store, Metric::kInstitutionsEnrolled, 20240131), 2);
    EXPECT_EQ(Get(store, Metric::kInstitutionsEnrolled, 20240131, {Dimension::kInstitutionKind, 1}), 1);
    EXPECT_EQ(store.Flow({Metric::kEventsHeld, -1}, {}, 20250101, 20251231), 1);
    EXPECT_EQ(Get(store, Metric::kEventFinancingAmount, 20251231), 800 * kYuan);
    ASSERT_TRUE(store.AddReported({"fund_count", 20240630, 80, "市财政局"}));
    ASSERT_TRUE(store.AddReported({"fund_count", 20241231, 92, "市财政局"}));
    EXPECT_FALSE(store.Reported("fund_count", 20240629).has_value());
    EXPECT_EQ(store.Reported("fund_count", 20241130)->second, 80);
    EXPECT_EQ(store.Reported("fund_count", 20250101)->second, 92);
}

TEST(KpiStore, InstitutionFiguresForThePeriod) {
    auto store = MakeStore();
    auto a = Loan(1, 100, 20240115, kLoanMfgBorrower);
    a.repayments = {{20240310, 40 * kYuan}};
    auto b = Loan(2, 200, 20240220, kLoanFirst | kBorrowerSmallMicro);
    b.institution_id = 2;
    auto c = Loan(3, 400, 20231220, kLoanMfgBorrower | kLoanGreen);
    ASSERT_TRUE(store.AddLoan(a) && store.AddLoan(b) && store.AddLoan(c));
    const auto rows = store.Institutions(202401, 202403);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].institution_id, 1);
    EXPECT_EQ(rows[0].loans_count, 1);  // c was disbursed before the period
    EXPECT_EQ(rows[0].manufacturing_amount_fen, 100 * kYuan);
    EXPECT_EQ(rows[0].manufacturing_balance_fen, 460 * kYuan);
    EXPECT_EQ(rows[0].green_balance_fen, 400 * kYuan);
    EXPECT_EQ(rows[1].kind, 1);
    EXPECT_EQ(rows[1].first_loan_count, 1);
    EXPECT_EQ(rows[1].first_loan_amount_fen, 200 * kYuan);
}

TEST(KpiStore, RefusesBadFacts) {
    auto store = MakeStore();
    auto loan = Loan(1, 100, 20240115);
    loan.repayments = {{20240110, 10 * kYuan}};
    EXPECT_EQ(store.AddLoan(loan).error().code, ErrorCode::kInvalidArgument);  // repaid before disbursement
    loan.repayments = {{20240210, 60 * kYuan}, {20240310, 60 * kYuan}};
    EXPECT_FALSE(store.AddLoan(loan).has_value());  // repaid more than lent
    loan.repayments.clear();
    loan.institution_id = 77;
    EXPECT_EQ(store.AddLoan(loan).error().code, ErrorCode::kNotFound);
    loan.institution_id = 1;
    loan.disbursed_on = 20240230;
    EXPECT_FALSE(store.AddLoan(loan).has_value());
    loan.disbursed_on = 20191231;  // before the window
    EXPECT_FALSE(store.AddLoan(loan).has_value());
    loan.disbursed_on = 20240115;
    loan.directories = 1u << 3;  // only three directories
    EXPECT_FALSE(store.AddLoan(loan).has_value());
    EXPECT_EQ(store.AddInstitution({1, 20200101, 0, 0}).error().code, ErrorCode::kConflict);
    EXPECT_FALSE(KpiStore::Create({TestDimensions(), 20250101, 20240101}).has_value());
    EXPECT_EQ(Get(store, Metric::kLoanBalance, 20301231), 0);  // nothing was added
}

}  // namespace
}  // namespace chanrong::kpi

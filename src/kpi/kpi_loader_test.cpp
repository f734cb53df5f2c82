// The KPI store read from a real database: catching up with new loans and repayments gives exactly the store a
// full reload gives, and only loans and repayments are caught up incrementally.
#include "kpi/kpi_loader.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include "registry/reference.hpp"
#include "storage/testing.hpp"

namespace chanrong::kpi {
namespace {

class KpiLoaderTest : public storage::testing::MigratedDatabaseTest {
protected:
    void SetUp() override {
        MigratedDatabaseTest::SetUp();
        Exec("INSERT INTO institutions (name, kind, district, created_at, updated_at) VALUES ('银行', 'bank', '思明区', 1735689600000, 0)");
        Exec("INSERT INTO enterprises (uscc, name, district, industry_446, size_class, created_at, updated_at) VALUES "
             "('91350200776049653A', '甲', '思明区', 'P1', 'small', 1735689600000, 0)");
    }

    void AddLoan(long long id, const std::string& day, long long fen, int mfg) {
        Exec("INSERT INTO loans (id, institution_id, enterprise_id, loan_ref, source, amount_fen, rate_bp, term_months, "
             "disbursed_on, maturity_on, is_credit, is_first_loan, is_mid_long, is_inclusive_small, is_mfg_borrower, "
             "is_mfg_use, is_green, is_tech, created_at) VALUES (" + std::to_string(id) + ", 1, 1, 'L" + std::to_string(id) +
             "', 'reported', " + std::to_string(fen) + ", 350, 12, '" + day + "', '2027-12-31', 1, 0, 0, 1, " +
             std::to_string(mfg) + ", 0, 0, 0, 0)");
    }

    void Repay(long long id, long long loan, const std::string& day, long long fen) {
        Exec("INSERT INTO repayments (id, loan_id, paid_on, principal_fen, created_at) VALUES (" + std::to_string(id) + ", " +
             std::to_string(loan) + ", '" + day + "', " + std::to_string(fen) + ", 0)");
    }

    std::unique_ptr<KpiStore> Load(Watermarks& marks) {
        return *db_->Read([&](soci::session& s) -> Result<std::unique_ptr<KpiStore>> {
            marks = ReadWatermarks(s);
            return LoadStore(s, marks);
        });
    }
};

TEST_P(KpiLoaderTest, CatchingUpWithNewLoansAndRepaymentsEqualsAFullReload) {
    AddLoan(1, "2025-03-10", 1'000'000, 1);
    Repay(1, 1, "2025-06-30", 200'000);
    Watermarks before;
    auto store = Load(before);
    AddLoan(2, "2025-07-01", 500'000, 0);
    Repay(2, 1, "2025-08-31", 300'000);  // an older loan's repayment
    Repay(3, 2, "2025-09-30", 100'000);  // the new loan's
    Watermarks after;
    auto fresh = Load(after);
    EXPECT_EQ(after.others, before.others) << "loans and repayments do not force a reload";
    ASSERT_TRUE(db_->Read([&](soci::session& s) { return CatchUp(s, *store, before, after); }));
    for (Metric m : {Metric::kFinancingsCount, Metric::kFinancingsAmount, Metric::kLoanBalance, Metric::kManufacturingLoanBalance}) {
        const BoundMetric a = *store->Bind({m, ""}), b = *fresh->Bind({m, ""});
        for (int day : {20250301, 20250310, 20250630, 20250701, 20250831, 20250930, 20251231})
            for (Slot slot : {Slot{Dimension::kTotal, 0}, Slot{Dimension::kClass446, 0}, Slot{Dimension::kDistrict, kNone}}) {
                const bool flow = m == Metric::kFinancingsCount || m == Metric::kFinancingsAmount;
                EXPECT_EQ(flow ? store->Flow(a, slot, 20150101, day) : store->Stock(a, slot, day),
                          flow ? fresh->Flow(b, slot, 20150101, day) : fresh->Stock(b, slot, day))
                    << static_cast<int>(m) << " on " << day;
            }
    }
    const BoundMetric balance = *store->Bind({Metric::kLoanBalance, ""});
    EXPECT_EQ(store->Stock(balance, {Dimension::kTotal, 0}, 20250930), 1'000'000 - 500'000 + 500'000 - 100'000);
}

TEST_P(KpiLoaderTest, AChangedEnterpriseChangesTheFingerprint) {
    Watermarks before;
    Load(before);
    Exec("UPDATE enterprises SET updated_at = 5, industry_446 = 'S1'");
    Watermarks after;
    Load(after);
    EXPECT_NE(after.others, before.others);
}

TEST_P(KpiLoaderTest, AFactOutsideTheStoreWindowIsLeftOutInsteadOfFailingTheCockpit) {
    AddLoan(1, "2010-05-01", 1'000'000, 0);
    AddLoan(2, "2025-05-01", 300'000, 0);
    Watermarks marks;
    auto store = Load(marks);
    ASSERT_TRUE(store);
    const BoundMetric count = *store->Bind({Metric::kFinancingsCount, ""});
    EXPECT_EQ(store->Flow(count, {Dimension::kTotal, 0}, 20150101, 20251231), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, KpiLoaderTest, ::testing::ValuesIn(storage::testing::Backends()));

}  // namespace
}  // namespace chanrong::kpi

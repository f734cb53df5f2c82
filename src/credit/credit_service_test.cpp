// Scores follow yearly figures: an enterprise whose figures change after its current score is rescored by the
// scheduled pass, in an audited command of the system, and only once.
#include "credit/credit_service.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include "storage/testing.hpp"

namespace chanrong::credit {
namespace {

class CreditServiceTest : public storage::testing::MigratedDatabaseTest {
protected:
    void SetUp() override {
        MigratedDatabaseTest::SetUp();
        ASSERT_TRUE(db_->Write([&](soci::session& s) { return SyncShippedCreditData(s, clock_.NowMs()); }));
        Exec("INSERT INTO enterprises (id, uscc, name, district, size_class, founded_on, created_at, updated_at) VALUES "
             "(1, '91350200776049653A', '甲', '思明区', 'small', '2010-01-01', 1, 1)");
        Figures(2025, 30);  // debt ratio 30 %
    }

    void Figures(int year, int liabilities_of_100) {
        clock_.Advance(60'000);
        const std::string at = std::to_string(clock_.NowMs());
        Exec("DELETE FROM enterprise_figures WHERE enterprise_id = 1 AND year = " + std::to_string(year));
        Exec("INSERT INTO enterprise_figures (enterprise_id, year, assets_fen, liabilities_fen, updated_at) VALUES (1, " +
             std::to_string(year) + ", 10000, " + std::to_string(liabilities_of_100 * 100) + ", " + at + ")");
    }
};

constexpr TimestampMs kSettled = 11 * 60'000;  // past the ten minutes figures are looked at again

TEST_P(CreditServiceTest, ChangedYearlyFiguresAreRescoredOnce) {
    ScorecardModels models;
    audit::CommandPipeline pipeline(*db_, clock_);
    CreditService credit(*db_, clock_, pipeline, models);
    ASSERT_EQ(credit.RescoreAll("test").value(), 1);
    EXPECT_EQ(credit.RescoreChangedFigures().value(), 0) << "figures older than the score";

    clock_.Advance(60'000);
    Figures(2025, 95);  // debt ratio 95 %: a worse leverage bin
    EXPECT_EQ(credit.RescoreChangedFigures().value(), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM credit_scores WHERE enterprise_id = 1"), 2);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM credit_scores WHERE is_current = 1 AND reason = 'figures'"), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'credit.rescore_figures'"), 1);
    EXPECT_EQ(credit.RescoreChangedFigures().value(), 0) << "already rescored";

    // Figures that change nothing in the score leave no trace (no score, no audit row); they are looked at until
    // they settle.
    Figures(2025, 96);
    EXPECT_EQ(credit.RescoreChangedFigures().value(), 1);
    EXPECT_EQ(credit.RescoreChangedFigures().value(), 1);
    clock_.Advance(kSettled);
    EXPECT_EQ(credit.RescoreChangedFigures().value(), 1);  // the pass that moves the mark past them
    EXPECT_EQ(credit.RescoreChangedFigures().value(), 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM credit_scores WHERE enterprise_id = 1"), 2);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'credit.rescore_figures'"), 1);

    // An enterprise never scored is left to the other triggers.
    Exec("INSERT INTO enterprises (id, uscc, name, district, size_class, founded_on, created_at, updated_at) VALUES "
         "(2, '91350500798359476R', '乙', '湖里区', 'small', '2012-01-01', 1, 1)");
    Exec("INSERT INTO enterprise_figures (enterprise_id, year, assets_fen, liabilities_fen, updated_at) VALUES (2, 2025, "
         "10000, 5000, " + std::to_string(clock_.NowMs()) + ")");
    EXPECT_EQ(credit.RescoreChangedFigures().value(), 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM credit_scores WHERE enterprise_id = 2"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, CreditServiceTest, ::testing::ValuesIn(storage::testing::Backends()));

}  // namespace
}  // namespace chanrong::credit

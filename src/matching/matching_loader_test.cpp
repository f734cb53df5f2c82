// The matching index read from a real database: catching up with changed products, demands and directory
// memberships gives the same answers as a fresh load.
#include "matching/matching_loader.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include "storage/testing.hpp"

namespace chanrong::matching {
namespace {

class MatchingLoaderTest : public storage::testing::MigratedDatabaseTest {
protected:
    void SetUp() override {
        MigratedDatabaseTest::SetUp();
        Exec("INSERT INTO institutions (name, kind, created_at, updated_at) VALUES ('银行', 'bank', 1, 1)");
        Exec("INSERT INTO enterprises (uscc, name, district, industry_446, industry_code, size_class, founded_on, "
             "created_at, updated_at) VALUES ('91350200776049653A', '甲', '思明区', 'P1', 'C3974', 'small', '2015-01-01', 1, 1)");
        AddProduct(1, "{}", 10);
        Exec("INSERT INTO demands (id, enterprise_id, amount_fen, term_months, purpose, created_at, updated_at) VALUES "
             "(1, 1, 100000000, 12, 'working_capital', 10, 10)");
    }

    void AddProduct(long long id, const std::string& eligibility, long long at) {
        Exec("INSERT INTO products (id, institution_id, name, kind, amount_min_fen, amount_max_fen, term_min_months, "
             "term_max_months, rate_mode, rate_min_bp, rate_max_bp, eligibility, status, created_at, updated_at) VALUES (" +
             std::to_string(id) + ", 1, 'P', 'credit_loan', 1, 10000000000, 1, 60, 'fixed', 300, 400, '" + eligibility +
             "', 'published', " + std::to_string(at) + ", " + std::to_string(at) + ")");
    }

    std::vector<long long> Recommended(const MatchIndex& index) {
        auto result = index.RecommendForDemand(1, {});
        std::vector<long long> ids;
        if (result)
            for (const auto& r : result->recommendations) ids.push_back(r.product_id);
        std::sort(ids.begin(), ids.end());
        return ids;
    }

    IndexMarks Load(MatchIndex& index) {
        return *db_->Read([&](soci::session& s) -> Result<IndexMarks> {
            const IndexMarks marks = ReadIndexMarks(s);
            LoadIndex(s, index, "2026-11-21");
            return marks;
        });
    }
};

TEST_P(MatchingLoaderTest, CatchingUpGivesTheSameAnswersAsAFreshLoad) {
    MatchIndex live(std::make_shared<const ScoringModel>(ScoringModel::Default()));
    const IndexMarks before = Load(live);
    EXPECT_EQ(Recommended(live), std::vector<long long>{1});
    AddProduct(2, R"({"directories":["white_list"]})", 20);
    Exec("INSERT INTO directory_entries (directory_id, enterprise_id, effective_from, entry_reason, entry_approved_by, "
         "created_at, updated_at) SELECT id, 1, '2026-01-01', '测试', 1, 20, 20 FROM directories WHERE code = 'white_list'");
    AddProduct(3, R"({"sizes":["large"]})", 20);
    Exec("UPDATE products SET status = 'suspended', updated_at = 20 WHERE id = 1");
    IndexMarks after;
    ASSERT_TRUE(db_->Read([&](soci::session& s) -> Status {
        after = ReadIndexMarks(s);
        CatchUpIndex(s, live, before, after, "2026-11-21");
        return {};
    }));
    EXPECT_NE(after, before);
    MatchIndex fresh(std::make_shared<const ScoringModel>(ScoringModel::Default()));
    Load(fresh);
    EXPECT_EQ(Recommended(live), std::vector<long long>{2}) << "suspended product gone, white-list product open";
    EXPECT_EQ(Recommended(live), Recommended(fresh));
    Exec("UPDATE demands SET status = 'closed', updated_at = 30 WHERE id = 1");
    ASSERT_TRUE(db_->Read([&](soci::session& s) -> Status {
        CatchUpIndex(s, live, after, ReadIndexMarks(s), "2026-11-21");
        return {};
    }));
    EXPECT_EQ(live.FindDemand(1), nullptr) << "a closed demand leaves the index";
}

// The marks are read before every query, so each must be an index lookup, never a scan of a million-row table.
TEST_P(MatchingLoaderTest, EveryChangeMarkIsAnIndexLookup) {
    if (GetParam() != "sqlite") GTEST_SKIP() << "PostgreSQL plans small tables as sequential scans";
    ASSERT_TRUE(db_->Read([&](soci::session& s) -> Status {
        for (std::string_view query : IndexMarkQueries()) {
            soci::rowset<soci::row> plan = s.prepare << "EXPLAIN QUERY PLAN " + std::string(query);
            for (const auto& step : plan) {
                const auto detail = step.get<std::string>(3);
                EXPECT_FALSE(detail.starts_with("SCAN")) << query << ": " << detail;
                EXPECT_TRUE(detail.find("INDEX") != std::string::npos || query.find("MAX(id)") != std::string::npos)
                    << query << ": " << detail;
            }
        }
        return {};
    }));
}

INSTANTIATE_TEST_SUITE_P(Backends, MatchingLoaderTest, ::testing::ValuesIn(storage::testing::Backends()));

}  // namespace
}  // namespace chanrong::matching

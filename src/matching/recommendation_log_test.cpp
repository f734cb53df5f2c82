// The recommendation log on a real database: ids reserved ahead are unique across instances and follow the ids
// already stored, queued records are written by Flush and by stopping, and a record that cannot be stored does not
// take the rest of its batch with it.
#include "matching/recommendation_log.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <set>

#include "storage/testing.hpp"

namespace chanrong::matching {
namespace {

class RecommendationLogTest : public storage::testing::MigratedDatabaseTest {
protected:
    void SetUp() override {
        MigratedDatabaseTest::SetUp();
        Exec("INSERT INTO enterprises (uscc, name, district, size_class, created_at, updated_at) VALUES "
             "('91350200776049653A', '甲', '思明区', 'small', 1, 1)");
        Exec("INSERT INTO demands (id, enterprise_id, amount_fen, term_months, purpose, created_at, updated_at) VALUES "
             "(1, 1, 100000000, 12, 'working_capital', 1, 1)");
    }

    static RecommendationRecord Record(long long id, long long demand_id) {
        return {.id = id, .at = 5, .demand_id = demand_id, .enterprise_id = 1, .model_version = 1, .viewer = "u",
                .snapshot = "{}", .result = "{}"};
    }
};

TEST_P(RecommendationLogTest, ReservedIdsFollowStoredOnesAndNeverRepeatAcrossInstances) {
    Exec("INSERT INTO match_recommendations (id, at, demand_id, enterprise_id, model_version, viewer, snapshot, result) "
         "VALUES (41, 1, 1, 1, 1, 'u', '{}', '{}')");
    RecommendationLog a(*db_, {.id_block = 3}), b(*db_, {.id_block = 3});
    std::set<long long> ids;
    for (int i = 0; i < 10; ++i) {
        auto x = a.ReserveId(), y = b.ReserveId();
        ASSERT_TRUE(x && y);
        EXPECT_GT(*x, 41);
        EXPECT_TRUE(ids.insert(*x).second) << *x;
        EXPECT_TRUE(ids.insert(*y).second) << *y;
    }
}

TEST_P(RecommendationLogTest, QueuedRecordsAreWrittenByFlushAndByStopping) {
    {
        RecommendationLog log(*db_, {.flush_interval = std::chrono::hours(1)});  // only Flush or stopping writes
        log.AppendCatalogue({{"h1", "{}"}}, {"c1", "", "[[1,\"h1\"]]", 1});
        log.Flush();
        EXPECT_EQ(Count("SELECT COUNT(*) FROM match_product_states"), 1);
        EXPECT_EQ(Count("SELECT COUNT(*) FROM match_catalogues WHERE base IS NULL"), 1);
        log.AppendCatalogue({{"h2", "{}"}}, {"c2", "c1", "[[1,\"h2\"]]", 2});
        log.Append(Record(*log.ReserveId(), 1));
        log.Flush();
        EXPECT_EQ(Count("SELECT COUNT(*) FROM match_recommendations"), 1);
        EXPECT_EQ(Count("SELECT COUNT(*) FROM match_product_states"), 2);
        EXPECT_EQ(Count("SELECT COUNT(*) FROM match_catalogues WHERE base = 'c1'"), 1);
        log.Append(Record(*log.ReserveId(), 1));
        EXPECT_EQ(Count("SELECT COUNT(*) FROM match_recommendations"), 1);
    }
    EXPECT_EQ(Count("SELECT COUNT(*) FROM match_recommendations"), 2);
}

TEST_P(RecommendationLogTest, ARecordThatCannotBeStoredDoesNotTakeItsBatchWithIt) {
    RecommendationLog log(*db_, {.flush_interval = std::chrono::hours(1)});
    log.AppendCatalogue({{"h1", "{}"}, {"h2", "{}"}, {"h3", "{}"}}, {"c1", "", "[]", 1});
    log.Append(Record(1, 1));
    log.Append(Record(2, 999));  // no such demand: the foreign key refuses it
    log.Append(Record(3, 1));
    log.Flush();
    EXPECT_EQ(Count("SELECT COUNT(*) FROM match_recommendations"), 2);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM match_recommendations WHERE id = 2"), 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM match_product_states"), 3);
}

// Instances share catalogues by content: a delta may be stored against a catalogue another instance stored as a
// delta. Reading follows the bases to a root; an instance's root replaces a delta stored under its hash.
TEST_P(RecommendationLogTest, CataloguesReadThroughChainsOfDeltas) {
    const CatalogueEntries root = {{1, "a"}, {2, "b"}, {3, "c"}};
    const CatalogueEntries x = {{1, "a"}, {2, "B"}, {3, "c"}};  // 2 changed
    const CatalogueEntries y = {{1, "a"}, {2, "B"}};            // then 3 removed
    {
        RecommendationLog log(*db_, {.flush_interval = std::chrono::hours(1)});
        log.AppendCatalogue({}, {"r", "", CatalogueBody(root), 1});
        log.AppendCatalogue({}, {"x", "r", CatalogueBody(CatalogueDelta(root, x)), 2});  // one instance: x against r
        log.AppendCatalogue({}, {"y", "x", CatalogueBody(CatalogueDelta(x, y)), 3});     // another, whose root is x
        log.Flush();
    }
    auto read = [&](const std::string& hash) {
        return *db_->Read([&](soci::session& s) { return LoadCatalogue(s, hash); });
    };
    EXPECT_EQ(read("y"), y);
    EXPECT_EQ(read("x"), x);
    EXPECT_EQ(read("r"), root);
    EXPECT_FALSE(db_->Read([&](soci::session& s) { return LoadCatalogue(s, "missing"); }));
    {
        RecommendationLog log(*db_, {.flush_interval = std::chrono::hours(1)});
        log.AppendCatalogue({}, {"x", "", CatalogueBody(x), 4});  // the other instance stores its root x
        log.Flush();
    }
    EXPECT_EQ(Count("SELECT COUNT(*) FROM match_catalogues WHERE hash = 'x' AND base IS NULL"), 1);
    EXPECT_EQ(read("y"), y);
    EXPECT_EQ(read("x"), x);
}

INSTANTIATE_TEST_SUITE_P(Backends, RecommendationLogTest, ::testing::ValuesIn(storage::testing::Backends()));

}  // namespace
}  // namespace chanrong::matching

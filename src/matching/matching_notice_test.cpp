// Change notices on PostgreSQL: a transaction that commits rows stamped before a mark the index has already passed
// (a long import beside a quick edit) still reaches the index, because its notice names the lowest mark it wrote.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "matching/matching_loader.hpp"
#include "matching/matching_service.hpp"
#include "storage/testing.hpp"

namespace chanrong::matching {
namespace {

TEST(LowerFloor, ReadsTheTableAndTheLowestMarkOfANotice) {
    IndexMarks floor = NoFloor();
    LowerFloor("demands 15", floor);
    LowerFloor("demands 40", floor);
    LowerFloor("credit_scores 7", floor);
    LowerFloor("enterprise_tags 3", floor);
    EXPECT_EQ(floor.demands, 14) << "the floor is below the mark, so that reading `> floor` includes it";
    EXPECT_EQ(floor.scores, 6);
    EXPECT_EQ(floor.tags, 2);
    const IndexMarks untouched = floor;
    for (const char* notice : {"demands", "demands x", "demands 9x", "unknown 5", "", " 5"}) LowerFloor(notice, floor);
    EXPECT_EQ(floor, untouched);
    EXPECT_EQ(floor.products, NoFloor().products);
    EXPECT_EQ(Lowest({10, 20, 30, 40, 50, 60, 70}, floor), (IndexMarks{10, 14, 30, 6, 50, 2, 70}));
}

class MatchingNoticeTest : public storage::testing::MigratedDatabaseTest {
protected:
    void SetUp() override {
        if (GetParam() != "postgres") GTEST_SKIP() << "change notices are PostgreSQL's";
        config_ = storage::testing::FreshDatabase(GetParam());
        db_ = std::move(*storage::Database::Open(config_));
        ASSERT_TRUE(storage::Migrate(*db_, clock_));
        ASSERT_TRUE(db_->Write([&](soci::session& s) { return SyncShippedMatchingModel(s, 1); }));
        Exec("INSERT INTO institutions (name, kind, created_at, updated_at) VALUES ('银行', 'bank', 1, 1)");
        Exec("INSERT INTO enterprises (uscc, name, district, industry_446, industry_code, size_class, founded_on, "
             "created_at, updated_at) VALUES ('91350200776049653A', '甲', '思明区', 'P1', 'C3974', 'small', '2015-01-01', 1, 1)");
        Exec("INSERT INTO products (institution_id, name, kind, amount_min_fen, amount_max_fen, term_min_months, "
             "term_max_months, rate_mode, rate_min_bp, rate_max_bp, eligibility, status, created_at, updated_at) VALUES "
             "(1, 'P', 'credit_loan', 1, 10000000000, 1, 60, 'fixed', 300, 400, '{}', 'published', 10, 10)");
        AddDemand(1, 10);
    }

    std::string Demand(long long id, long long stamp) {
        return "INSERT INTO demands (id, enterprise_id, amount_fen, term_months, purpose, created_at, updated_at) VALUES (" +
               std::to_string(id) + ", 1, 100000000, 12, 'working_capital', " + std::to_string(stamp) + ", " +
               std::to_string(stamp) + ")";
    }
    void AddDemand(long long id, long long stamp) { Exec(Demand(id, stamp)); }

    DatabaseConfig config_;
};

TEST_P(MatchingNoticeTest, RowsCommittedBehindTheMarkReachTheIndex) {
    audit::CommandPipeline pipeline(*db_, clock_);
    MatchingService service(*db_, clock_, pipeline);
    service.StartListening(config_.url);
    ASSERT_TRUE(service.CatchUp());
    const auth::Principal staff;

    // A slow writer stamps demand 2 at 15 and holds its transaction open while demand 3, stamped 20, commits and
    // the index catches up to mark 20.
    std::mutex m;
    std::condition_variable cv;
    bool written = false, release = false;
    std::thread slow([&] {
        ASSERT_TRUE(db_->Write([&](soci::session& s) -> Status {
            s << Demand(2, 15);
            std::unique_lock lock(m);
            written = true;
            cv.notify_all();
            cv.wait(lock, [&] { return release; });
            return {};
        }));
    });
    {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return written; });
    }
    AddDemand(3, 20);
    ASSERT_TRUE(service.CatchUp());
    ASSERT_TRUE(service.Matches(staff, 3, 5));
    {
        std::lock_guard lock(m);
        release = true;
    }
    cv.notify_all();
    slow.join();

    bool found = false;
    for (int i = 0; i < 200 && !found; ++i) {
        found = service.Matches(staff, 2, 5).has_value();
        if (!found) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    EXPECT_TRUE(found) << "demand 2 committed after the index passed its mark";
}

INSTANTIATE_TEST_SUITE_P(Backends, MatchingNoticeTest, ::testing::ValuesIn(storage::testing::Backends()));

}  // namespace
}  // namespace chanrong::matching

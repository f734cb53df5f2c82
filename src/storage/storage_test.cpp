#include <gtest/gtest.h>
#include <soci/soci.h>

#include "common/clock.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "storage/testing.hpp"

namespace chanrong::storage {
namespace {

TEST(Migrations, SplitsStatementsAndKeepsTriggerBodiesWhole) {
    const std::string sql =
        "-- comment\nCREATE TABLE a ({{id}}, x TEXT);\nINSERT INTO a (x) VALUES ('1');\n"
        "-- dialect: sqlite\nCREATE TRIGGER t BEFORE UPDATE ON a\nBEGIN\n    SELECT 1;\nEND;\n"
        "-- dialect: postgres\nCREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n    RETURN NULL;\nEND;\n$$ LANGUAGE plpgsql;\n";
    const auto lite = StatementsFor(sql, Backend::kSqlite);
    ASSERT_EQ(lite.size(), 3u);
    EXPECT_EQ(lite[0], "CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT, x TEXT)");
    EXPECT_NE(lite[2].find("SELECT 1;\nEND"), std::string::npos);
    const auto pg = StatementsFor(sql, Backend::kPostgres);
    ASSERT_EQ(pg.size(), 3u);
    EXPECT_EQ(pg[0], "CREATE TABLE a (id BIGSERIAL PRIMARY KEY, x TEXT)");
    EXPECT_NE(pg[2].find("RETURN NULL;\nEND;\n$$ LANGUAGE plpgsql"), std::string::npos);
}

TEST(Migrations, EmbeddedMigrationsAreNumberedInOrder) {
    const auto all = EmbeddedMigrations();
    ASSERT_FALSE(all.empty());
    for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].version, static_cast<int>(i + 1)) << all[i].name;
}

class StorageTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        auto db = Database::Open(testing::FreshDatabase(GetParam()));
        ASSERT_TRUE(db) << db.error().message;
        db_ = std::move(*db);
        auto applied = Migrate(*db_, clock_);
        ASSERT_TRUE(applied) << applied.error().message;
    }
    ManualClock clock_{1'700'000'000'000};
    std::unique_ptr<Database> db_;
};

TEST_P(StorageTest, MigrateIsIdempotent) {
    auto again = Migrate(*db_, clock_);
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, 0);
}

TEST_P(StorageTest, UniqueViolationIsTypedAndRollsBackTheTransaction) {
    auto insert = [&](const std::string& code) {
        return db_->Write([&](soci::session& s) -> Status {
            s << "INSERT INTO departments (name, code, created_at, updated_at) VALUES ('a', :c, 0, 0)", soci::use(code);
            s << "INSERT INTO departments (name, code, created_at, updated_at) VALUES ('b', 'dup', 0, 0)";
            return {};
        });
    };
    ASSERT_TRUE(insert("one"));
    auto second = insert("two");
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().reason, kUniqueViolation);
    EXPECT_EQ(second.error().code, ErrorCode::kConflict);
    auto count = db_->Read([](soci::session& s) -> Result<int> {
        int n = 0;
        s << "SELECT COUNT(*) FROM departments WHERE code = 'two'", soci::into(n);
        return n;
    });
    EXPECT_EQ(*count, 0) << "the first statement of the failed transaction must be rolled back";
}

TEST_P(StorageTest, ForeignKeyViolationIsTyped) {
    auto result = db_->Write([](soci::session& s) -> Status {
        s << "INSERT INTO departments (name, code, parent_id, created_at, updated_at) VALUES ('a', 'x', 999, 0, 0)";
        return {};
    });
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().reason, kForeignKeyViolation);
}

TEST_P(StorageTest, HandlerErrorRollsBack) {
    auto result = db_->Write([](soci::session& s) -> Status {
        s << "INSERT INTO departments (name, code, created_at, updated_at) VALUES ('a', 'rolled', 0, 0)";
        return Fail(Error::Conflict("no"));
    });
    ASSERT_FALSE(result);
    auto count = db_->Read([](soci::session& s) -> Result<int> {
        int n = 0;
        s << "SELECT COUNT(*) FROM departments", soci::into(n);
        return n;
    });
    EXPECT_EQ(*count, 0);
}

TEST_P(StorageTest, SqlErrorsBecomeErrorsNotExceptions) {
    auto result = db_->Read([](soci::session& s) -> Status {
        s << "SELECT nope FROM nowhere";
        return {};
    });
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kInternal);
    EXPECT_TRUE(db_->Ping());
}

INSTANTIATE_TEST_SUITE_P(Backends, StorageTest, ::testing::ValuesIn(testing::Backends()));

TEST(StorageTimeouts, BusySqliteIsTypedAsTimeout) {
    DatabaseConfig config = testing::FreshDatabase("sqlite");
    config.busy_timeout_ms = 50;
    auto first = Database::Open(config);
    auto second = Database::Open(config);
    ASSERT_TRUE(first && second);
    ManualClock clock(0);
    ASSERT_TRUE(Migrate(**first, clock));
    // Two Database objects are two processes as far as SQLite knows: the second cannot get the write lock.
    auto outer = (*first)->Write([&](soci::session&) -> Status {
        auto inner = (*second)->Write([](soci::session& s) -> Status {
            s << "INSERT INTO departments (name, code, created_at, updated_at) VALUES ('a', 'b', 0, 0)";
            return {};
        });
        EXPECT_FALSE(inner);
        if (!inner) EXPECT_EQ(inner.error().reason, kTimeout);
        return {};
    });
    EXPECT_TRUE(outer);
}

TEST(StorageConnections, LostPostgresConnectionIsTypedAndRecovers) {
    if (testing::Backends().size() < 2) GTEST_SKIP() << "CHANRONG_TEST_PG_URL not set";
    DatabaseConfig config = testing::FreshDatabase("postgres");
    config.pool_size = 1;
    auto db = Database::Open(config);
    ASSERT_TRUE(db);
    auto lost = (*db)->Read([](soci::session& s) -> Status {
        s << "SELECT pg_terminate_backend(pg_backend_pid())";
        return {};
    });
    ASSERT_FALSE(lost);
    EXPECT_EQ(lost.error().reason, kConnectionLost);
    EXPECT_TRUE((*db)->Ping()) << "the pool reconnects after a lost connection";
}

}  // namespace
}  // namespace chanrong::storage

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <thread>

#include "audit/audit_log.hpp"
#include "audit/command_pipeline.hpp"
#include "storage/migrations.hpp"
#include "storage/testing.hpp"

namespace chanrong::audit {
namespace {

class AuditTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        db_ = std::move(*storage::Database::Open(storage::testing::FreshDatabase(GetParam())));
        ASSERT_TRUE(storage::Migrate(*db_, clock_));
        pipeline_ = std::make_unique<CommandPipeline>(*db_, clock_);
    }

    Result<Outcome> CreateDepartment(const Actor& actor, const std::string& code,
                                     std::optional<std::string> idempotency_key = std::nullopt) {
        Command command{.action = "department.create", .entity = "department", .permission = "department:write",
                        .payload = R"({"code":")" + code + R"("})", .idempotency_key = idempotency_key};
        return pipeline_->Execute(actor, command, [&](soci::session& s) -> Result<Outcome> {
            long long id = 0;
            s << "INSERT INTO departments (name, code, created_at, updated_at) VALUES ('d', :c, 0, 0) RETURNING id",
                soci::use(code), soci::into(id);
            return Outcome{.entity_id = std::to_string(id), .after = "{}", .response = std::to_string(id), .status = 201};
        });
    }

    long long Count(const std::string& table) {
        return *db_->Read([&](soci::session& s) -> Result<long long> {
            long long n = 0;
            s << "SELECT COUNT(*) FROM " + table, soci::into(n);
            return n;
        });
    }

    ManualClock clock_{1'700'000'000'000};
    std::unique_ptr<storage::Database> db_;
    std::unique_ptr<CommandPipeline> pipeline_;
    std::unordered_set<std::string> perms_{"department:write"};
    Actor writer_{7, "writer", "127.0.0.1", "req-1", &perms_};
};

TEST_P(AuditTest, EveryWriteIsLoggedAndChained) {
    ASSERT_TRUE(CreateDepartment(writer_, "a"));
    clock_.Advance(1000);
    ASSERT_TRUE(CreateDepartment(writer_, "b"));
    auto page = Search(*db_, {});
    ASSERT_TRUE(page);
    ASSERT_EQ(page->total, 2);
    EXPECT_EQ(page->items[0].prev_hash, page->items[1].hash);
    EXPECT_EQ(page->items[1].actor_name, "writer");
    EXPECT_EQ(page->items[1].payload, R"({"code":"a"})");
    auto report = VerifyChain(*db_);
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->ok) << report->message;
    EXPECT_EQ(report->checked, 2);
}

TEST_P(AuditTest, DeniedPermissionWritesNothing) {
    std::unordered_set<std::string> none;
    Actor reader{8, "reader", "", "r", &none};
    auto result = CreateDepartment(reader, "x");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kPermissionDenied);
    EXPECT_EQ(Count("audit_log"), 0);
    EXPECT_EQ(Count("departments"), 0);
}

TEST_P(AuditTest, FailedHandlerIsRolledBackAndLoggedAsFailure) {
    ASSERT_TRUE(CreateDepartment(writer_, "same"));
    auto dup = CreateDepartment(writer_, "same");
    ASSERT_FALSE(dup);
    EXPECT_EQ(Count("departments"), 1);
    auto page = Search(*db_, {.result = "conflict"});
    ASSERT_EQ(page->total, 1);
    EXPECT_EQ(page->items[0].after, "null");
    EXPECT_TRUE(VerifyChain(*db_)->ok);
}

TEST_P(AuditTest, IdempotencyKeyReplaysTheFirstAnswer) {
    auto first = CreateDepartment(writer_, "k", "key-1");
    auto second = CreateDepartment(writer_, "k", "key-1");
    ASSERT_TRUE(first && second);
    EXPECT_FALSE(first->replayed);
    EXPECT_TRUE(second->replayed);
    EXPECT_EQ(second->response, first->response);
    EXPECT_EQ(second->status, 201);
    EXPECT_EQ(Count("departments"), 1);
    EXPECT_EQ(Count("audit_log"), 1);
    auto different = CreateDepartment(writer_, "other", "key-1");
    ASSERT_FALSE(different);
    EXPECT_EQ(different.error().code, ErrorCode::kFailedPrecondition);
}

// Two requests with one key at once: the loser's handler meets the winner's committed rows and refuses (here a
// conflict it checked for); the loser still answers with the winner's stored response.
TEST_P(AuditTest, ALoserOfAnIdempotencyRaceAnswersWithTheWinnersResponse) {
    if (GetParam() != "postgres") GTEST_SKIP() << "SQLite has one writer: the requests cannot overlap";
    Result<Outcome> winner = Fail(Error::Internal("not run"));
    const Command command{.action = "department.create", .entity = "department", .permission = "department:write",
                          .payload = R"({"code":"race"})", .idempotency_key = "key-race"};
    auto loser = pipeline_->Execute(writer_, command, [&](soci::session&) -> Result<Outcome> {
        std::thread([&] { winner = CreateDepartment(writer_, "race", "key-race"); }).join();  // commits meanwhile
        return Fail(Error::Conflict("部门编码已存在"));
    });
    ASSERT_TRUE(winner) << winner.error().message;
    ASSERT_TRUE(loser) << loser.error().message;
    EXPECT_TRUE(loser->replayed);
    EXPECT_EQ(loser->response, winner->response);
    EXPECT_EQ(loser->status, 201);
}

TEST_P(AuditTest, VerificationNamesTheFirstEditedRow) {
    for (const char* code : {"a", "b", "c"}) ASSERT_TRUE(CreateDepartment(writer_, code));
    auto tamper = db_->Write([&](soci::session& s) -> Status {
        if (db_->is_sqlite()) s << "DROP TRIGGER audit_log_no_update";
        else s << "DROP TRIGGER audit_log_no_change ON audit_log";
        s << "UPDATE audit_log SET actor_name = 'someone else' WHERE id = 2";
        return {};
    });
    ASSERT_TRUE(tamper) << tamper.error().message;
    auto report = VerifyChain(*db_);
    ASSERT_TRUE(report);
    EXPECT_FALSE(report->ok);
    EXPECT_EQ(report->first_broken_id, 2);
}

TEST_P(AuditTest, TheDatabaseRefusesEditsAndDeletes) {
    ASSERT_TRUE(CreateDepartment(writer_, "a"));
    auto edit = db_->Write([](soci::session& s) -> Status {
        s << "UPDATE audit_log SET actor_name = 'x'";
        return {};
    });
    EXPECT_FALSE(edit);
    auto erase = db_->Write([](soci::session& s) -> Status {
        s << "DELETE FROM audit_log";
        return {};
    });
    EXPECT_FALSE(erase);
    EXPECT_EQ(Count("audit_log"), 1);
}

TEST(Redaction, RemovesSecretsAtAnyDepth) {
    EXPECT_EQ(RedactSecrets(R"({"username":"a","password":"p","nested":{"new_password":"q","list":[{"token":"t"}]}})"),
              R"({"username":"a","password":"***","nested":{"new_password":"***","list":[{"token":"***"}]}})");
    EXPECT_EQ(RedactSecrets("not json"), "null");
}

TEST(EntryHash, ChangesWithAnyField) {
    AuditEntry e{.id = 1, .at = 5, .actor_name = "a", .action = "x.y", .entity = "x", .entity_id = "1"};
    const std::string base = ComputeEntryHash(e, "0");
    EXPECT_NE(ComputeEntryHash(e, "1"), base);
    e.after = "{}";
    EXPECT_NE(ComputeEntryHash(e, "0"), base);
    // Moving text between fields must not keep the hash.
    AuditEntry f{.id = 1, .at = 5, .actor_name = "ax", .action = ".y", .entity = "x", .entity_id = "1"};
    AuditEntry g{.id = 1, .at = 5, .actor_name = "a", .action = "x.y", .entity = "x", .entity_id = "1"};
    EXPECT_NE(ComputeEntryHash(f, "0"), ComputeEntryHash(g, "0"));
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditTest, ::testing::ValuesIn(storage::testing::Backends()));

}  // namespace
}  // namespace chanrong::audit

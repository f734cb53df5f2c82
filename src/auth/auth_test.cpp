#include <gtest/gtest.h>
#include <soci/soci.h>

#include "auth/password_policy.hpp"
#include "auth/principal_loader.hpp"
#include "auth/role_service.hpp"
#include "auth/session_service.hpp"
#include "auth/user_service.hpp"
#include "storage/migrations.hpp"
#include "storage/testing.hpp"

namespace chanrong::auth {
namespace {

TEST(PasswordPolicy, EnforcesLengthClassesAndUsername) {
    EXPECT_TRUE(CheckPasswordPolicy("Abcdefgh12", "bob", 10));
    EXPECT_FALSE(CheckPasswordPolicy("Abcdefg12", "bob", 10)) << "too short";
    EXPECT_FALSE(CheckPasswordPolicy("abcdefghijkl", "bob", 10)) << "one class";
    EXPECT_FALSE(CheckPasswordPolicy("abcdefgh12", "bob", 10)) << "two classes";
    EXPECT_TRUE(CheckPasswordPolicy("abcdefgh1!", "bob", 10));
    EXPECT_FALSE(CheckPasswordPolicy("xxBOB-1234", "bob", 10)) << "contains the username";
    EXPECT_FALSE(CheckPasswordPolicy(std::string(129, 'a') + "A1", "bob", 10));
    EXPECT_EQ(CheckPasswordPolicy("short", "bob", 10, "new_password").error().fields[0].field, "new_password");
}

TEST(Permissions, CatalogueIsConsistent) {
    for (const auto& p : PermissionCatalogue()) {
        EXPECT_NE(p.code.find(':'), std::string::npos) << p.code;
        EXPECT_FALSE(p.kinds.empty()) << p.code;
    }
    for (const auto& role : BuiltInRoles())
        for (const auto& perm : role.permissions) {
            const PermissionInfo* info = FindPermission(perm);
            ASSERT_NE(info, nullptr) << perm;
            EXPECT_NE(std::find(info->kinds.begin(), info->kinds.end(), role.kind), info->kinds.end())
                << role.code << " may not hold " << perm;
        }
    EXPECT_EQ(ParseRoleKind("auditor"), RoleKind::kAuditor);
    EXPECT_EQ(ParseDataScope("department_tree"), DataScope::kDepartmentTree);
    EXPECT_FALSE(ParseDataScope("everything"));
}

TEST(ScopeCondition, BindingIsAbsoluteAndScopesCombine) {
    const ScopeColumns cols{"t.dept", "t.owner", "t.inst", "t.ent"};
    Principal all;
    all.scope_all = true;
    EXPECT_EQ(ScopeCondition(all, cols), "1=1");

    Principal bank = all;
    bank.institution_id = 4;
    EXPECT_EQ(ScopeCondition(bank, cols), "t.inst = 4");
    EXPECT_EQ(ScopeCondition(bank, {"t.dept", "t.owner", "", ""}), "1=0") << "unbound tables are closed to bound users";

    Principal officer;
    officer.user_id = 9;
    officer.visible_departments = {2, 3};
    EXPECT_EQ(ScopeCondition(officer, cols), "(t.owner = 9 OR t.dept IN (2,3))");

    Principal own;
    own.user_id = 5;
    own.scope_own_only = true;
    EXPECT_EQ(ScopeCondition(own, cols), "(t.owner = 5)");
    EXPECT_EQ(ScopeCondition(own, {"t.dept", "", "", ""}), "1=0");
}

class AuthDbTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        db_ = std::move(*storage::Database::Open(storage::testing::FreshDatabase(GetParam())));
        ASSERT_TRUE(storage::Migrate(*db_, clock_));
        pipeline_ = std::make_unique<audit::CommandPipeline>(*db_, clock_);
        ASSERT_TRUE(EnsureBuiltInRoles(ctx()));
        auto admin = CreateFirstAdmin(ctx(), "root", "Root", "Strong-Passw0rd");
        ASSERT_TRUE(admin) << admin.error().message;
    }
    AuthContext ctx() { return {*db_, clock_, config_, *pipeline_}; }

    long long AddDepartment(const std::string& code, std::optional<long long> parent) {
        DepartmentService departments(ctx());
        DepartmentInput in{.name = code, .code = code};
        if (parent) in.parent_id = parent;
        auto out = departments.Create(audit::Actor::System("t"), in, {.action = "department.create", .entity = "department"});
        EXPECT_TRUE(out);
        return std::stoll(out->entity_id);
    }

    ManualClock clock_{1'700'000'000'000};
    AuthConfig config_;
    std::unique_ptr<storage::Database> db_;
    std::unique_ptr<audit::CommandPipeline> pipeline_;
};

TEST_P(AuthDbTest, LocksAfterFiveFailuresForTenMinutes) {
    SessionService sessions(ctx());
    for (int i = 0; i < 4; ++i) {
        auto r = sessions.Login({"root", "wrong", "1.2.3.4", "ua", "r"});
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
    }
    auto fifth = sessions.Login({"root", "wrong", "1.2.3.4", "ua", "r"});
    ASSERT_FALSE(fifth);
    EXPECT_EQ(fifth.error().code, ErrorCode::kResourceExhausted);
    auto right_but_locked = sessions.Login({"root", "Strong-Passw0rd", "", "", "r"});
    ASSERT_FALSE(right_but_locked);
    EXPECT_EQ(right_but_locked.error().code, ErrorCode::kResourceExhausted);
    clock_.Advance(10 * 60'000 + 1);
    auto later = sessions.Login({"root", "Strong-Passw0rd", "", "", "r"});
    ASSERT_TRUE(later) << later.error().message;
    auto log = sessions.ListLoginLog({.limit = 50});
    ASSERT_TRUE(log);
    EXPECT_EQ((*log)["total"].as_int64(), 7);
}

TEST_P(AuthDbTest, SessionsExpireAndRevocationIsImmediate) {
    SessionService sessions(ctx());
    auto login = sessions.Login({"root", "Strong-Passw0rd", "", "", "r"});
    ASSERT_TRUE(login);
    ASSERT_TRUE(sessions.Authenticate(login->token));
    EXPECT_FALSE(sessions.Authenticate(login->token + "x"));
    ASSERT_TRUE(sessions.RevokeSession(audit::Actor::System("t"), login->principal->session_id));
    EXPECT_FALSE(sessions.Authenticate(login->token));

    auto second = sessions.Login({"root", "Strong-Passw0rd", "", "", "r"});
    ASSERT_TRUE(second);
    clock_.Advance(config_.session_ttl_minutes * 60'000 + 1);
    EXPECT_FALSE(sessions.Authenticate(second->token));
}

TEST_P(AuthDbTest, DepartmentTreeScopeSeesDescendants) {
    const long long city = AddDepartment("city", std::nullopt);
    const long long bureau = AddDepartment("bureau", city);
    const long long office = AddDepartment("office", bureau);
    AddDepartment("other", city);
    PrincipalCache cache;
    UserService users(ctx(), cache);
    long long officer_role = 0;
    (void)db_->Read([&](soci::session& s) -> Status {
        s << "SELECT id FROM roles WHERE code = 'gov_officer'", soci::into(officer_role);
        return {};
    });
    auto created = users.Create(audit::Actor::System("t"),
                                {.username = "officer", .display_name = "O", .password = "Bureau-Pass12",
                                 .department_id = bureau, .role_ids = {officer_role}},
                                {.action = "user.create", .entity = "user"});
    ASSERT_TRUE(created) << created.error().message;
    auto principal = db_->Read([&](soci::session& s) { return LoadPrincipal(s, std::stoll(created->entity_id)); });
    ASSERT_TRUE(principal);
    EXPECT_FALSE(principal->scope_all);
    EXPECT_EQ(principal->visible_departments, (std::vector<long long>{bureau, office}));
    EXPECT_TRUE(principal->Can("enterprise:read"));
    EXPECT_FALSE(principal->Can("user:create"));
}

TEST_P(AuthDbTest, UsersMustMatchTheirRolesKind) {
    PrincipalCache cache;
    UserService users(ctx(), cache);
    long long enterprise_role = 0;
    (void)db_->Read([&](soci::session& s) -> Status {
        s << "SELECT id FROM roles WHERE code = 'enterprise_user'", soci::into(enterprise_role);
        return {};
    });
    auto unbound = users.Create(audit::Actor::System("t"),
                                {.username = "ent", .display_name = "E", .password = "Company-Pass1x", .role_ids = {enterprise_role}},
                                {.action = "user.create", .entity = "user"});
    ASSERT_FALSE(unbound);
    EXPECT_EQ(unbound.error().fields.at(0).field, "enterprise_id");
    auto duplicate = users.Create(audit::Actor::System("t"),
                                  {.username = "root", .display_name = "R", .password = "Another-Pass1", .role_ids = {1}},
                                  {.action = "user.create", .entity = "user"});
    ASSERT_FALSE(duplicate);
    EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict);
}

TEST_P(AuthDbTest, InitAdminRefusesASecondAdministrator) {
    auto again = CreateFirstAdmin(ctx(), "second", "Root", "Strong-Passw0rd2");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::kFailedPrecondition);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthDbTest, ::testing::ValuesIn(storage::testing::Backends()));

}  // namespace
}  // namespace chanrong::auth

#include "auth/user_service.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include <set>

#include "auth/password_policy.hpp"
#include "auth/principal_loader.hpp"
#include "common/crypto.hpp"
#include "common/json_out.hpp"
#include "storage/query.hpp"
#include "storage/row.hpp"

namespace chanrong::auth {
namespace json = boost::json;
namespace {

const ScopeColumns kUserScope{"u.department_id", "u.id", "u.institution_id", "u.enterprise_id"};

constexpr const char* kUserSelect =
    "SELECT u.id, u.username, u.display_name, u.kind, u.department_id, d.name, u.enterprise_id, u.institution_id, "
    "u.status, u.locked_until, u.phone, u.email, u.created_at, u.updated_at, u.last_login_at, u.version "
    "FROM users u LEFT JOIN departments d ON d.id = u.department_id";

struct UserRow {
    long long id = 0, created = 0, updated = 0;
    int version = 0;
    std::string username, display_name, kind, status, phone, email, dept_name;
    soci::indicator dept_name_ind = soci::i_null;
    storage::NullableInt dept, ent, inst, locked, last_login;

    void Into(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(username));
        st.exchange(soci::into(display_name));
        st.exchange(soci::into(kind));
        st.exchange(soci::into(dept.value, dept.ind));
        st.exchange(soci::into(dept_name, dept_name_ind));
        st.exchange(soci::into(ent.value, ent.ind));
        st.exchange(soci::into(inst.value, inst.ind));
        st.exchange(soci::into(status));
        st.exchange(soci::into(locked.value, locked.ind));
        st.exchange(soci::into(phone));
        st.exchange(soci::into(email));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
        st.exchange(soci::into(last_login.value, last_login.ind));
        st.exchange(soci::into(version));
    }
    json::object ToJson(TimestampMs now) const {
        const auto locked_until = locked.get() && *locked.get() > now ? locked.get() : std::nullopt;
        return {{"id", id}, {"username", username}, {"display_name", display_name}, {"kind", kind},
                {"department_id", OptionalInt(dept.get())},
                {"department_name", dept_name_ind == soci::i_ok ? json::value(dept_name) : json::value(nullptr)},
                {"enterprise_id", OptionalInt(ent.get())}, {"institution_id", OptionalInt(inst.get())},
                {"status", status}, {"locked_until", OptionalTime(locked_until)}, {"phone", phone}, {"email", email},
                {"created_at", FormatIsoUtc(created)}, {"updated_at", FormatIsoUtc(updated)},
                {"last_login_at", OptionalTime(last_login.get())}, {"version", version}, {"roles", json::array{}}};
    }
};

json::array RolesOf(soci::session& s, long long user_id) {
    json::array roles;
    long long id = 0;
    std::string code, name;
    soci::statement st = (s.prepare << "SELECT r.id, r.code, r.name FROM roles r JOIN user_roles ur ON ur.role_id = r.id "
                                       "WHERE ur.user_id = :u ORDER BY r.id",
                          soci::use(user_id), soci::into(id), soci::into(code), soci::into(name));
    st.execute();
    while (st.fetch()) roles.push_back(json::object{{"id", id}, {"code", code}, {"name", name}});
    return roles;
}

// The user as JSON if `viewer` may see it (no viewer: unrestricted).
std::optional<json::object> LoadUser(soci::session& s, long long id, const Principal* viewer, TimestampMs now) {
    storage::Query q(kUserSelect);
    q.Sql(" WHERE u.id = ").Bind(id);
    if (viewer) q.Sql(" AND " + ScopeCondition(*viewer, kUserScope));
    soci::statement st(s);
    UserRow row;
    q.PrepareInto(st);
    row.Into(st);
    st.define_and_bind();
    if (!st.execute(true)) return std::nullopt;
    json::object user = row.ToJson(now);
    user["roles"] = RolesOf(s, id);
    return user;
}

// Checks the roles exist and share one kind; returns that kind.
Result<RoleKind> KindOfRoles(soci::session& s, const std::vector<long long>& role_ids) {
    if (role_ids.empty()) return Fail(Error::Field("role_ids", "required", "至少选择一个角色"));
    std::set<std::string> kinds;
    for (size_t i = 0; i < role_ids.size(); ++i) {
        std::string kind;
        s << "SELECT kind FROM roles WHERE id = :id", soci::use(role_ids[i]), soci::into(kind);
        if (!s.got_data())
            return Fail(Error::Field("role_ids[" + std::to_string(i) + "]", "not_found", "角色不存在"));
        kinds.insert(kind);
    }
    if (kinds.size() > 1) return Fail(Error::Field("role_ids", "mixed_kinds", "一个用户的角色必须属于同一类别"));
    return ParseRoleKind(*kinds.begin()).value_or(RoleKind::kGovernment);
}

bool Exists(soci::session& s, const std::string& table, long long id) {
    int n = 0;
    s << "SELECT COUNT(*) FROM " + table + " WHERE id = :id", soci::use(id), soci::into(n);
    return n > 0;
}

// Binding rules between the roles' kind and the enterprise/institution ids.
Status CheckBinding(soci::session& s, RoleKind kind, std::optional<long long> enterprise_id,
                    std::optional<long long> institution_id) {
    if (kind == RoleKind::kEnterprise && !enterprise_id)
        return Fail(Error::Field("enterprise_id", "required", "企业用户必须绑定一家企业"));
    if (kind == RoleKind::kInstitution && !institution_id)
        return Fail(Error::Field("institution_id", "required", "金融机构用户必须绑定一家机构"));
    if (kind != RoleKind::kEnterprise && enterprise_id)
        return Fail(Error::Field("enterprise_id", "not_allowed", "只有企业用户可以绑定企业"));
    if (kind != RoleKind::kInstitution && institution_id)
        return Fail(Error::Field("institution_id", "not_allowed", "只有金融机构用户可以绑定机构"));
    if (enterprise_id && !Exists(s, "enterprises", *enterprise_id))
        return Fail(Error::Field("enterprise_id", "not_found", "企业不存在"));
    if (institution_id && !Exists(s, "institutions", *institution_id))
        return Fail(Error::Field("institution_id", "not_found", "机构不存在"));
    return {};
}

void SetRoles(soci::session& s, long long user_id, const std::vector<long long>& role_ids) {
    s << "DELETE FROM user_roles WHERE user_id = :u", soci::use(user_id);
    for (long long role_id : std::set<long long>(role_ids.begin(), role_ids.end()))
        s << "INSERT INTO user_roles (user_id, role_id) VALUES (:u, :r)", soci::use(user_id), soci::use(role_id);
}

Result<long long> InsertUser(soci::session& s, const NewUser& u, RoleKind kind, const std::string& hash, TimestampMs now) {
    auto dept = storage::Nullable(u.department_id), ent = storage::Nullable(u.enterprise_id),
         inst = storage::Nullable(u.institution_id);
    const std::string kind_name(RoleKindName(kind));
    long long id = 0;
    s << "INSERT INTO users (username, display_name, password_hash, kind, department_id, enterprise_id, institution_id, "
         "phone, email, password_changed_at, created_at, updated_at) VALUES (:un, :dn, :ph, :k, :d, :e, :i, :p, :m, "
         ":t1, :t2, :t3) RETURNING id",
        soci::use(u.username), soci::use(u.display_name), soci::use(hash), soci::use(kind_name),
        soci::use(dept.value, dept.ind), soci::use(ent.value, ent.ind), soci::use(inst.value, inst.ind),
        soci::use(u.phone), soci::use(u.email), soci::use(now), soci::use(now), soci::use(now), soci::into(id);
    SetRoles(s, id, u.role_ids);
    return id;
}

Error UsernameTaken() { return Error{ErrorCode::kConflict, "用户名已存在", {{"username", "duplicate", "用户名已存在"}}}; }

}  // namespace

Result<json::object> UserService::List(const Principal& viewer, const UserFilter& f) {
    const TimestampMs now = ctx_.clock.NowMs();
    return ctx_.db.Read([&](soci::session& s) -> Result<json::object> {
        auto where = [&](storage::Query& q) {
            q.Sql(" WHERE " + ScopeCondition(viewer, kUserScope));
            if (f.q) {
                const std::string like = storage::LikePattern(*f.q);
                q.Sql(" AND (LOWER(u.username) LIKE LOWER(").Bind(like).Sql(") ESCAPE '\\' OR u.display_name LIKE ")
                    .Bind(like).Sql(" ESCAPE '\\')");
            }
            if (f.department_id) q.Sql(" AND u.department_id = ").Bind(*f.department_id);
            if (f.status) q.Sql(" AND u.status = ").Bind(*f.status);
        };
        storage::Query count("SELECT COUNT(*) FROM users u");
        where(count);
        const long long total = storage::CountOf(s, count);

        storage::Query q(kUserSelect);
        where(q);
        q.Sql(" ORDER BY u.id DESC LIMIT ").Bind(f.limit).Sql(" OFFSET ").Bind(f.offset);
        UserRow row;
        json::array items;
        storage::ForEachRow(s, q, row, [&] { items.push_back(row.ToJson(now)); });
        for (auto& item : items) item.as_object()["roles"] = RolesOf(s, item.as_object()["id"].as_int64());
        return PageJson(std::move(items), total, f.offset, f.limit);
    });
}

Result<json::object> UserService::Get(const Principal& viewer, long long id) {
    return ctx_.db.Read([&](soci::session& s) -> Result<json::object> {
        auto user = LoadUser(s, id, &viewer, ctx_.clock.NowMs());
        if (!user) return Fail(Error::NotFound("用户不存在"));
        return *user;
    });
}

Result<audit::Outcome> UserService::Create(const audit::Actor& actor, const NewUser& u, const audit::Command& command) {
    if (auto policy = CheckPasswordPolicy(u.password, u.username, ctx_.config.password_min_length); !policy)
        return Fail(policy.error());
    const std::string hash = crypto::HashPassword(u.password);
    const TimestampMs now = ctx_.clock.NowMs();
    auto outcome = ctx_.pipeline.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto kind = KindOfRoles(s, u.role_ids);
        if (!kind) return Fail(kind.error());
        if (auto st = CheckBinding(s, *kind, u.enterprise_id, u.institution_id); !st) return Fail(st.error());
        if (u.department_id && !Exists(s, "departments", *u.department_id))
            return Fail(Error::Field("department_id", "not_found", "部门不存在"));
        int taken = 0;
        s << "SELECT COUNT(*) FROM users WHERE username = :u", soci::use(u.username), soci::into(taken);
        if (taken) return Fail(UsernameTaken());
        auto id = InsertUser(s, u, *kind, hash, now);
        if (!id) return Fail(id.error());
        const std::string after = json::serialize(*LoadUser(s, *id, nullptr, now));
        return audit::Outcome{.entity_id = std::to_string(*id), .after = after, .response = after, .status = 201};
    });
    if (!outcome && outcome.error().reason == storage::kUniqueViolation) return Fail(UsernameTaken());
    return outcome;
}

Result<audit::Outcome> UserService::Update(const Principal& viewer, const audit::Actor& actor, long long id,
                                           const UserPatch& patch, const audit::Command& command) {
    const TimestampMs now = ctx_.clock.NowMs();
    auto outcome = ctx_.pipeline.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto before = LoadUser(s, id, &viewer, now);
        if (!before) return Fail(Error::NotFound("用户不存在"));
        if ((*before)["version"].as_int64() != patch.version)
            return Fail(Error::Conflict("该用户已被他人修改，请刷新后重试"));
        if (patch.department_id && *patch.department_id && !Exists(s, "departments", **patch.department_id))
            return Fail(Error::Field("department_id", "not_found", "部门不存在"));
        if (patch.role_ids) {
            auto kind = KindOfRoles(s, *patch.role_ids);
            if (!kind) return Fail(kind.error());
            if (RoleKindName(*kind) != std::string_view((*before)["kind"].as_string()))
                return Fail(Error::Field("role_ids", "kind_change", "不能改变用户类别；请新建用户"));
            SetRoles(s, id, *patch.role_ids);
        }
        std::string display_name = patch.display_name.value_or(std::string((*before)["display_name"].as_string()));
        std::string phone = patch.phone.value_or(std::string((*before)["phone"].as_string()));
        std::string email = patch.email.value_or(std::string((*before)["email"].as_string()));
        std::optional<long long> department;
        if (patch.department_id) department = *patch.department_id;
        else if (!(*before)["department_id"].is_null()) department = (*before)["department_id"].as_int64();
        auto dept = storage::Nullable(department);
        s << "UPDATE users SET display_name = :dn, phone = :p, email = :e, department_id = :d, updated_at = :t, "
             "version = version + 1 WHERE id = :id",
            soci::use(display_name), soci::use(phone), soci::use(email), soci::use(dept.value, dept.ind),
            soci::use(now), soci::use(id);
        const std::string after = json::serialize(*LoadUser(s, id, nullptr, now));
        return audit::Outcome{.entity_id = std::to_string(id), .before = json::serialize(*before), .after = after,
                              .response = after};
    });
    if (outcome) cache_.DropUser(id);
    return outcome;
}

Result<audit::Outcome> UserService::SetState(const Principal& viewer, const audit::Actor& actor, long long id,
                                             const std::string& action) {
    const TimestampMs now = ctx_.clock.NowMs();
    audit::Command command{.action = "user." + action, .entity = "user", .permission = "user:update",
                           .entity_id = std::to_string(id)};
    auto outcome = ctx_.pipeline.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto before = LoadUser(s, id, &viewer, now);
        if (!before) return Fail(Error::NotFound("用户不存在"));
        if (action != "unlock" && id == viewer.user_id) return Fail(Error::FailedPrecondition("不能停用或启用自己的账户"));
        if (action == "unlock") {
            s << "UPDATE users SET locked_until = NULL, failed_attempts = 0, updated_at = :t, version = version + 1 "
                 "WHERE id = :id", soci::use(now), soci::use(id);
        } else {
            const std::string status = action == "disable" ? "disabled" : "active";
            s << "UPDATE users SET status = :s, updated_at = :t, version = version + 1 WHERE id = :id",
                soci::use(status), soci::use(now), soci::use(id);
            if (action == "disable")
                s << "UPDATE sessions SET revoked_at = :t WHERE user_id = :u AND revoked_at IS NULL", soci::use(now),
                    soci::use(id);
        }
        const std::string after = json::serialize(*LoadUser(s, id, nullptr, now));
        return audit::Outcome{.entity_id = std::to_string(id), .before = json::serialize(*before), .after = after,
                              .response = after};
    });
    if (outcome) cache_.DropUser(id);
    return outcome;
}

Status UserService::ResetPassword(const Principal& viewer, const audit::Actor& actor, long long id,
                                  const std::string& password) {
    const TimestampMs now = ctx_.clock.NowMs();
    std::string username;
    auto found = ctx_.db.Read([&](soci::session& s) -> Status {
        auto user = LoadUser(s, id, &viewer, now);
        if (!user) return Fail(Error::NotFound("用户不存在"));
        username = std::string((*user)["username"].as_string());
        return {};
    });
    if (!found) return found;
    if (auto policy = CheckPasswordPolicy(password, username, ctx_.config.password_min_length); !policy) return policy;
    const std::string hash = crypto::HashPassword(password);
    audit::Command command{.action = "user.reset_password", .entity = "user", .permission = "user:update",
                           .entity_id = std::to_string(id)};
    auto outcome = ctx_.pipeline.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        s << "UPDATE users SET password_hash = :h, password_changed_at = :t, failed_attempts = 0, locked_until = NULL, "
             "updated_at = :t2, version = version + 1 WHERE id = :id",
            soci::use(hash), soci::use(now), soci::use(now), soci::use(id);
        s << "UPDATE sessions SET revoked_at = :t WHERE user_id = :u AND revoked_at IS NULL", soci::use(now),
            soci::use(id);
        return audit::Outcome{.entity_id = std::to_string(id)};
    });
    if (!outcome) return Fail(outcome.error());
    cache_.DropUser(id);
    return {};
}

Result<long long> CreateFirstAdmin(AuthContext ctx, const std::string& username, const std::string& display_name,
                                   const std::string& password) {
    if (auto policy = CheckPasswordPolicy(password, username, ctx.config.password_min_length); !policy)
        return Fail(policy.error());
    const std::string hash = crypto::HashPassword(password);
    const TimestampMs now = ctx.clock.NowMs();
    long long user_id = 0;
    auto outcome = ctx.pipeline.Execute(
        audit::Actor::System("init-admin"),
        {.action = "user.create", .entity = "user",
         .payload = json::serialize(json::object{{"username", username}, {"display_name", display_name}, {"role", "admin"}})},
        [&](soci::session& s) -> Result<audit::Outcome> {
            int admins = 0;
            s << "SELECT COUNT(*) FROM users WHERE kind = 'administrator'", soci::into(admins);
            if (admins > 0) return Fail(Error::FailedPrecondition("已存在管理员账户；请登录后在用户管理中新建"));
            long long role_id = 0;
            s << "SELECT id FROM roles WHERE code = 'admin'", soci::into(role_id);
            if (!s.got_data()) return Fail(Error::FailedPrecondition("内置角色缺失；请先运行 migrate"));
            NewUser u{.username = username, .display_name = display_name, .role_ids = {role_id}};
            auto id = InsertUser(s, u, RoleKind::kAdministrator, hash, now);
            if (!id) return Fail(id.error());
            user_id = *id;
            return audit::Outcome{.entity_id = std::to_string(*id), .after = json::serialize(*LoadUser(s, *id, nullptr, now))};
        });
    if (!outcome) return Fail(outcome.error());
    return user_id;
}

namespace {

// Grants each built-in role the default permissions it has never been granted (new in this release).
Status SyncBuiltInGrants(AuthContext ctx) {
    for (const auto& role : BuiltInRoles()) {
        auto missing = ctx.db.Read([&](soci::session& s) -> Result<std::vector<std::string>> {
            std::set<std::string> granted;
            std::string permission;
            soci::statement st = (s.prepare << "SELECT permission FROM builtin_grants WHERE role_code = :c",
                                  soci::use(role.code), soci::into(permission));
            st.execute();
            while (st.fetch()) granted.insert(permission);
            std::vector<std::string> out;
            for (const auto& p : role.permissions)
                if (!granted.contains(p)) out.push_back(p);
            return out;
        });
        if (!missing) return Fail(missing.error());
        if (missing->empty()) continue;
        json::array perms;
        for (const auto& p : *missing) perms.push_back(json::value(p));
        auto outcome = ctx.pipeline.Execute(
            audit::Actor::System("migrate"),
            {.action = "role.grant_defaults", .entity = "role",
             .payload = json::serialize(json::object{{"code", role.code}, {"permissions", perms}})},
            [&](soci::session& s) -> Result<audit::Outcome> {
                long long id = 0;
                s << "SELECT id FROM roles WHERE code = :c", soci::use(role.code), soci::into(id);
                for (const auto& p : *missing) {
                    if (s.got_data()) {
                        int has = 0;
                        s << "SELECT COUNT(*) FROM role_permissions WHERE role_id = :r AND permission = :p", soci::use(id),
                            soci::use(p), soci::into(has);
                        if (!has)
                            s << "INSERT INTO role_permissions (role_id, permission) VALUES (:r, :p)", soci::use(id),
                                soci::use(p);
                    }
                    s << "INSERT INTO builtin_grants (role_code, permission) VALUES (:c, :p)", soci::use(role.code),
                        soci::use(p);
                }
                return audit::Outcome{.entity_id = std::to_string(id)};
            });
        if (!outcome) return Fail(outcome.error());
    }
    return {};
}

}  // namespace

Result<int> EnsureBuiltInRoles(AuthContext ctx) {
    auto existing = ctx.db.Read([](soci::session& s) -> Result<std::set<std::string>> {
        std::set<std::string> codes;
        std::string code;
        soci::statement st = (s.prepare << "SELECT code FROM roles", soci::into(code));
        st.execute();
        while (st.fetch()) codes.insert(code);
        return codes;
    });
    if (!existing) return Fail(existing.error());
    int created = 0;
    for (const auto& role : BuiltInRoles()) {
        if (existing->contains(role.code)) continue;
        json::array perms;
        for (const auto& p : role.permissions) perms.push_back(json::value(p));
        auto outcome = ctx.pipeline.Execute(
            audit::Actor::System("migrate"),
            {.action = "role.create", .entity = "role",
             .payload = json::serialize(json::object{{"code", role.code}, {"permissions", perms}})},
            [&](soci::session& s) -> Result<audit::Outcome> {
                const TimestampMs now = ctx.clock.NowMs();
                const std::string kind(RoleKindName(role.kind)), scope(DataScopeName(role.scope));
                long long id = 0;
                s << "INSERT INTO roles (code, name, kind, data_scope, built_in, created_at, updated_at) VALUES "
                     "(:c, :n, :k, :d, 1, :t, :t2) RETURNING id",
                    soci::use(role.code), soci::use(role.name), soci::use(kind), soci::use(scope), soci::use(now),
                    soci::use(now), soci::into(id);
                for (const auto& p : role.permissions) {
                    s << "INSERT INTO role_permissions (role_id, permission) VALUES (:r, :p)", soci::use(id), soci::use(p);
                    s << "INSERT INTO builtin_grants (role_code, permission) VALUES (:c, :p)", soci::use(role.code),
                        soci::use(p);
                }
                return audit::Outcome{.entity_id = std::to_string(id)};
            });
        if (!outcome) return Fail(outcome.error());
        ++created;
    }
    if (auto st = SyncBuiltInGrants(ctx); !st) return Fail(st.error());
    return created;
}

}  // namespace chanrong::auth

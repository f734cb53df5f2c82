#include "auth/role_service.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include <algorithm>
#include <set>

#include "common/json_out.hpp"
#include "storage/row.hpp"

namespace chanrong::auth {
namespace json = boost::json;
namespace {

std::optional<json::object> LoadRole(soci::session& s, long long id) {
    std::string code, name, kind, scope;
    int built_in = 0, version = 0;
    s << "SELECT code, name, kind, data_scope, built_in, version FROM roles WHERE id = :id", soci::use(id),
        soci::into(code), soci::into(name), soci::into(kind), soci::into(scope), soci::into(built_in),
        soci::into(version);
    if (!s.got_data()) return std::nullopt;
    json::array perms, depts;
    std::string perm;
    soci::statement ps = (s.prepare << "SELECT permission FROM role_permissions WHERE role_id = :r ORDER BY permission",
                          soci::use(id), soci::into(perm));
    ps.execute();
    while (ps.fetch()) perms.push_back(json::value(perm));
    long long dept = 0;
    soci::statement ds = (s.prepare << "SELECT department_id FROM role_departments WHERE role_id = :r ORDER BY department_id",
                          soci::use(id), soci::into(dept));
    ds.execute();
    while (ds.fetch()) depts.push_back(dept);
    long long users = 0;
    s << "SELECT COUNT(*) FROM user_roles WHERE role_id = :r", soci::use(id), soci::into(users);
    return json::object{{"id", id}, {"code", code}, {"name", name}, {"kind", kind}, {"data_scope", scope},
                        {"custom_department_ids", depts}, {"permissions", perms}, {"built_in", built_in == 1},
                        {"user_count", users}, {"version", version}};
}

// Every permission must exist and be allowed for the role's kind.
Status CheckPermissions(const std::vector<std::string>& permissions, RoleKind kind) {
    for (size_t i = 0; i < permissions.size(); ++i) {
        const std::string field = "permissions[" + std::to_string(i) + "]";
        const PermissionInfo* info = FindPermission(permissions[i]);
        if (!info) return Fail(Error::Field(field, "unknown_permission", "未知权限 " + permissions[i]));
        if (std::find(info->kinds.begin(), info->kinds.end(), kind) == info->kinds.end())
            return Fail(Error::Field(field, "not_allowed_for_kind",
                                     "权限 " + permissions[i] + " 不能授予 " + std::string(RoleKindName(kind)) + " 类角色"));
    }
    return {};
}

Status CheckDepartments(soci::session& s, const std::vector<long long>& ids) {
    for (size_t i = 0; i < ids.size(); ++i) {
        int n = 0;
        s << "SELECT COUNT(*) FROM departments WHERE id = :id", soci::use(ids[i]), soci::into(n);
        if (!n) return Fail(Error::Field("custom_department_ids[" + std::to_string(i) + "]", "not_found", "部门不存在"));
    }
    return {};
}

void ReplaceGrants(soci::session& s, long long id, const std::vector<std::string>* permissions,
                   const std::vector<long long>* departments) {
    if (permissions) {
        s << "DELETE FROM role_permissions WHERE role_id = :r", soci::use(id);
        for (const auto& p : std::set<std::string>(permissions->begin(), permissions->end()))
            s << "INSERT INTO role_permissions (role_id, permission) VALUES (:r, :p)", soci::use(id), soci::use(p);
    }
    if (departments) {
        s << "DELETE FROM role_departments WHERE role_id = :r", soci::use(id);
        for (long long d : std::set<long long>(departments->begin(), departments->end()))
            s << "INSERT INTO role_departments (role_id, department_id) VALUES (:r, :d)", soci::use(id), soci::use(d);
    }
}

Error CodeTaken() { return Error{ErrorCode::kConflict, "编码已存在", {{"code", "duplicate", "编码已存在"}}}; }

}  // namespace

Result<json::object> RoleService::List() {
    return ctx_.db.Read([&](soci::session& s) -> Result<json::object> {
        std::vector<long long> ids;
        long long id = 0;
        soci::statement st = (s.prepare << "SELECT id FROM roles ORDER BY id", soci::into(id));
        st.execute();
        while (st.fetch()) ids.push_back(id);
        json::array items;
        for (long long role_id : ids) items.push_back(*LoadRole(s, role_id));
        const long long n = static_cast<long long>(items.size());
        return PageJson(std::move(items), n, 0, n);
    });
}

Result<audit::Outcome> RoleService::Create(const audit::Actor& actor, const RoleInput& in, const audit::Command& command) {
    const auto permissions = in.permissions.value_or(std::vector<std::string>{});
    if (auto st = CheckPermissions(permissions, *in.kind); !st) return Fail(st.error());
    const TimestampMs now = ctx_.clock.NowMs();
    auto outcome = ctx_.pipeline.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        const auto depts = in.custom_department_ids.value_or(std::vector<long long>{});
        if (auto st = CheckDepartments(s, depts); !st) return Fail(st.error());
        int taken = 0;
        s << "SELECT COUNT(*) FROM roles WHERE code = :c", soci::use(*in.code), soci::into(taken);
        if (taken) return Fail(CodeTaken());
        const std::string kind(RoleKindName(*in.kind)), scope(DataScopeName(*in.data_scope));
        long long id = 0;
        s << "INSERT INTO roles (code, name, kind, data_scope, created_at, updated_at) VALUES (:c, :n, :k, :d, :t, :t2) "
             "RETURNING id",
            soci::use(*in.code), soci::use(*in.name), soci::use(kind), soci::use(scope), soci::use(now), soci::use(now),
            soci::into(id);
        ReplaceGrants(s, id, &permissions, &depts);
        const std::string after = json::serialize(*LoadRole(s, id));
        return audit::Outcome{.entity_id = std::to_string(id), .after = after, .response = after, .status = 201};
    });
    if (!outcome && outcome.error().reason == storage::kUniqueViolation) return Fail(CodeTaken());
    return outcome;
}

Result<audit::Outcome> RoleService::Update(const audit::Actor& actor, long long id, const RoleInput& in,
                                           const audit::Command& command) {
    const TimestampMs now = ctx_.clock.NowMs();
    auto outcome = ctx_.pipeline.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto before = LoadRole(s, id);
        if (!before) return Fail(Error::NotFound("角色不存在"));
        if ((*before)["version"].as_int64() != in.version) return Fail(Error::Conflict("该角色已被他人修改，请刷新后重试"));
        const RoleKind kind = *ParseRoleKind(std::string((*before)["kind"].as_string()));
        if (in.permissions)
            if (auto st = CheckPermissions(*in.permissions, kind); !st) return Fail(st.error());
        if (in.custom_department_ids)
            if (auto st = CheckDepartments(s, *in.custom_department_ids); !st) return Fail(st.error());
        if ((*before)["code"].as_string() == "admin" && in.permissions &&
            std::find(in.permissions->begin(), in.permissions->end(), "role:write") == in.permissions->end())
            return Fail(Error::FailedPrecondition("系统管理员角色必须保留角色维护权限"));
        const std::string name = in.name.value_or(std::string((*before)["name"].as_string()));
        const std::string scope = in.data_scope ? std::string(DataScopeName(*in.data_scope))
                                                : std::string((*before)["data_scope"].as_string());
        s << "UPDATE roles SET name = :n, data_scope = :d, updated_at = :t, version = version + 1 WHERE id = :id",
            soci::use(name), soci::use(scope), soci::use(now), soci::use(id);
        ReplaceGrants(s, id, in.permissions ? &*in.permissions : nullptr,
                      in.custom_department_ids ? &*in.custom_department_ids : nullptr);
        const std::string after = json::serialize(*LoadRole(s, id));
        return audit::Outcome{.entity_id = std::to_string(id), .before = json::serialize(*before), .after = after,
                              .response = after};
    });
    if (outcome) cache_.DropAll();
    return outcome;
}

namespace {

std::optional<json::object> LoadDepartment(soci::session& s, long long id) {
    std::string name, code;
    storage::NullableInt parent;
    int sort = 0, version = 0;
    s << "SELECT parent_id, name, code, sort, version FROM departments WHERE id = :id", soci::use(id),
        soci::into(parent.value, parent.ind), soci::into(name), soci::into(code), soci::into(sort), soci::into(version);
    if (!s.got_data()) return std::nullopt;
    return json::object{{"id", id}, {"parent_id", OptionalInt(parent.get())}, {"name", name}, {"code", code},
                        {"sort", sort}, {"version", version}};
}

// Refuses a parent that does not exist or would make a cycle.
Status CheckParent(soci::session& s, std::optional<long long> parent, std::optional<long long> self) {
    for (std::optional<long long> cursor = parent; cursor;) {
        if (self && *cursor == *self) return Fail(Error::Field("parent_id", "cycle", "上级部门不能是自己或自己的下级"));
        storage::NullableInt next;
        s << "SELECT parent_id FROM departments WHERE id = :id", soci::use(*cursor), soci::into(next.value, next.ind);
        if (!s.got_data()) return Fail(Error::Field("parent_id", "not_found", "上级部门不存在"));
        cursor = next.get();
    }
    return {};
}

Error DepartmentCodeTaken() { return Error{ErrorCode::kConflict, "部门编码已存在", {{"code", "duplicate", "部门编码已存在"}}}; }

}  // namespace

Result<json::object> DepartmentService::List() {
    return ctx_.db.Read([&](soci::session& s) -> Result<json::object> {
        long long id = 0;
        storage::NullableInt parent;
        std::string name, code;
        int sort = 0, version = 0;
        soci::statement st = (s.prepare << "SELECT id, parent_id, name, code, sort, version FROM departments "
                                           "ORDER BY sort, id",
                              soci::into(id), soci::into(parent.value, parent.ind), soci::into(name), soci::into(code),
                              soci::into(sort), soci::into(version));
        st.execute();
        json::array items;
        while (st.fetch())
            items.push_back(json::object{{"id", id}, {"parent_id", OptionalInt(parent.get())}, {"name", name},
                                         {"code", code}, {"sort", sort}, {"version", version}});
        const long long n = static_cast<long long>(items.size());
        return PageJson(std::move(items), n, 0, n);
    });
}

Result<audit::Outcome> DepartmentService::Create(const audit::Actor& actor, const DepartmentInput& in,
                                                 const audit::Command& command) {
    const TimestampMs now = ctx_.clock.NowMs();
    auto outcome = ctx_.pipeline.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        const std::optional<long long> parent = in.parent_id.value_or(std::nullopt);
        if (auto st = CheckParent(s, parent, std::nullopt); !st) return Fail(st.error());
        int taken = 0;
        s << "SELECT COUNT(*) FROM departments WHERE code = :c", soci::use(*in.code), soci::into(taken);
        if (taken) return Fail(DepartmentCodeTaken());
        auto p = storage::Nullable(parent);
        const long long sort = in.sort.value_or(0);
        long long id = 0;
        s << "INSERT INTO departments (parent_id, name, code, sort, created_at, updated_at) VALUES (:p, :n, :c, :s, :t, "
             ":t2) RETURNING id",
            soci::use(p.value, p.ind), soci::use(*in.name), soci::use(*in.code), soci::use(sort), soci::use(now),
            soci::use(now), soci::into(id);
        const std::string after = json::serialize(*LoadDepartment(s, id));
        return audit::Outcome{.entity_id = std::to_string(id), .after = after, .response = after, .status = 201};
    });
    if (!outcome && outcome.error().reason == storage::kUniqueViolation) return Fail(DepartmentCodeTaken());
    return outcome;
}

Result<audit::Outcome> DepartmentService::Update(const audit::Actor& actor, long long id, const DepartmentInput& in,
                                                 const audit::Command& command) {
    const TimestampMs now = ctx_.clock.NowMs();
    auto outcome = ctx_.pipeline.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto before = LoadDepartment(s, id);
        if (!before) return Fail(Error::NotFound("部门不存在"));
        if ((*before)["version"].as_int64() != in.version) return Fail(Error::Conflict("该部门已被他人修改，请刷新后重试"));
        std::optional<long long> parent =
            (*before)["parent_id"].is_null() ? std::nullopt : std::optional((*before)["parent_id"].as_int64());
        if (in.parent_id) {
            parent = *in.parent_id;
            if (auto st = CheckParent(s, parent, id); !st) return Fail(st.error());
        }
        const std::string name = in.name.value_or(std::string((*before)["name"].as_string()));
        const std::string code = in.code.value_or(std::string((*before)["code"].as_string()));
        const long long sort = in.sort.value_or((*before)["sort"].as_int64());
        auto p = storage::Nullable(parent);
        s << "UPDATE departments SET parent_id = :p, name = :n, code = :c, sort = :s, updated_at = :t, "
             "version = version + 1 WHERE id = :id",
            soci::use(p.value, p.ind), soci::use(name), soci::use(code), soci::use(sort), soci::use(now), soci::use(id);
        const std::string after = json::serialize(*LoadDepartment(s, id));
        return audit::Outcome{.entity_id = std::to_string(id), .before = json::serialize(*before), .after = after,
                              .response = after};
    });
    if (!outcome && outcome.error().reason == storage::kUniqueViolation) return Fail(DepartmentCodeTaken());
    return outcome;
}

Result<audit::Outcome> DepartmentService::Remove(const audit::Actor& actor, long long id) {
    audit::Command command{.action = "department.delete", .entity = "department", .permission = "department:write",
                           .entity_id = std::to_string(id)};
    return ctx_.pipeline.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto before = LoadDepartment(s, id);
        if (!before) return Fail(Error::NotFound("部门不存在"));
        int children = 0, users = 0, grants = 0;
        s << "SELECT COUNT(*) FROM departments WHERE parent_id = :id", soci::use(id), soci::into(children);
        s << "SELECT COUNT(*) FROM users WHERE department_id = :id", soci::use(id), soci::into(users);
        s << "SELECT COUNT(*) FROM role_departments WHERE department_id = :id", soci::use(id), soci::into(grants);
        if (children || users || grants)
            return Fail(Error::Conflict("部门下仍有下级部门、用户或角色授权，不能删除"));
        s << "DELETE FROM departments WHERE id = :id", soci::use(id);
        return audit::Outcome{.entity_id = std::to_string(id), .before = json::serialize(*before), .status = 204};
    });
}

}  // namespace chanrong::auth

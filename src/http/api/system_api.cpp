// Users, departments, roles, permissions, online sessions, the login log and API keys.

#include <boost/json.hpp>

#include "http/api/api_support.hpp"
#include "http/application.hpp"

namespace chanrong::http {
namespace json = boost::json;
namespace {

// Reads an optional nullable id: absent → nullopt; null → {nullopt}; number → {id}.
std::optional<std::optional<long long>> NullableId(JsonInput& in, std::string_view key) {
    if (!in.Has(key)) return std::nullopt;
    if (in.object().at(key).is_null()) return std::optional<long long>{};
    auto v = in.Int(key, false, 1);
    if (!v) return std::nullopt;
    return std::optional<long long>(*v);
}

Response ListUsers(Services& s, Request& r) {
    auto paging = ParsePaging(r);
    if (!paging) return Problem(paging.error(), r);
    auto dept = QueryInt(r, "department_id");
    if (!dept) return Problem(dept.error(), r);
    auto status = QueryParam(r, "status");
    if (status && *status != "active" && *status != "disabled")
        return Problem(Error::Field("status", "invalid", "应为 active 或 disabled"), r);
    return JsonAnswer(s.users.List(*r.principal, {QueryParam(r, "q"), *dept, status, paging->offset, paging->limit}), r);
}

Response CreateUser(Services& s, Request& r) {
    auto in = ReadBody(r, {"username", "display_name", "password", "department_id", "role_ids", "enterprise_id",
                           "institution_id", "phone", "email"});
    if (!in) return Problem(in.error(), r);
    auth::NewUser u;
    auto username = in->String("username", true, 64, 2);
    if (username && !std::all_of(username->begin(), username->end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' || c == '@';
        }))
        in->AddError("username", "invalid", "只能包含字母、数字和 _ . - @");
    auto display_name = in->String("display_name", true, 64, 1);
    auto password = in->String("password", true, 128, 1);
    u.department_id = in->Int("department_id", false, 1);
    auto roles = in->IntArray("role_ids", true, 20);
    u.enterprise_id = in->Int("enterprise_id", false, 1);
    u.institution_id = in->Int("institution_id", false, 1);
    u.phone = in->String("phone", false, 32).value_or("");
    u.email = in->String("email", false, 128).value_or("");
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    u.username = *username;
    u.display_name = *display_name;
    u.password = *password;
    u.role_ids = *roles;
    auto command = MakeCommand(r, "user.create", "user", "user:create");
    if (!command) return Problem(command.error(), r);
    return OutcomeAnswer(s.users.Create(ActorOf(r), u, *command), r);
}

Response UpdateUser(Services& s, Request& r) {
    auto id = PathId(r);
    if (!id) return Problem(id.error(), r);
    auto in = ReadBody(r, {"display_name", "department_id", "role_ids", "phone", "email", "version"});
    if (!in) return Problem(in.error(), r);
    auth::UserPatch patch;
    patch.display_name = in->String("display_name", false, 64, 1);
    patch.department_id = NullableId(*in, "department_id");
    patch.role_ids = in->IntArray("role_ids", false, 20);
    patch.phone = in->String("phone", false, 32);
    patch.email = in->String("email", false, 128);
    auto version = in->Int("version", true, 1);
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    patch.version = *version;
    auto command = MakeCommand(r, "user.update", "user", "user:update", std::to_string(*id));
    if (!command) return Problem(command.error(), r);
    return OutcomeAnswer(s.users.Update(*r.principal, ActorOf(r), *id, patch, *command), r);
}

Handler UserState(Services& s, std::string action) {
    return [&s, action](Request& r) {
        auto id = PathId(r);
        if (!id) return Problem(id.error(), r);
        return OutcomeAnswer(s.users.SetState(*r.principal, ActorOf(r), *id, action), r);
    };
}

Response ResetPassword(Services& s, Request& r) {
    auto id = PathId(r);
    if (!id) return Problem(id.error(), r);
    auto in = ReadBody(r, {"password"});
    if (!in) return Problem(in.error(), r);
    auto password = in->String("password", true, 128, 1);
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    return StatusAnswer(s.users.ResetPassword(*r.principal, ActorOf(r), *id, *password), r);
}

Result<auth::DepartmentInput> ReadDepartment(const Request& r, bool create) {
    auto in = ReadBody(r, {"name", "code", "parent_id", "sort", "version"});
    if (!in) return Fail(in.error());
    auth::DepartmentInput d;
    d.name = in->String("name", create, 64, 1);
    d.code = in->String("code", create, 32, 1);
    d.parent_id = NullableId(*in, "parent_id");
    d.sort = in->Int("sort", false, -100000, 100000);
    if (!create) d.version = in->Int("version", true, 1).value_or(0);
    if (auto st = in->Finish(); !st) return Fail(st.error());
    return d;
}

Response CreateDepartment(Services& s, Request& r) {
    auto d = ReadDepartment(r, true);
    if (!d) return Problem(d.error(), r);
    auto command = MakeCommand(r, "department.create", "department", "department:write");
    if (!command) return Problem(command.error(), r);
    return OutcomeAnswer(s.departments.Create(ActorOf(r), *d, *command), r);
}

Response UpdateDepartment(Services& s, Request& r) {
    auto id = PathId(r);
    if (!id) return Problem(id.error(), r);
    auto d = ReadDepartment(r, false);
    if (!d) return Problem(d.error(), r);
    auto command = MakeCommand(r, "department.update", "department", "department:write", std::to_string(*id));
    if (!command) return Problem(command.error(), r);
    return OutcomeAnswer(s.departments.Update(ActorOf(r), *id, *d, *command), r);
}

Result<auth::RoleInput> ReadRole(const Request& r, bool create) {
    std::vector<std::string_view> fields = {"name", "data_scope", "custom_department_ids", "permissions"};
    if (create) fields.insert(fields.end(), {"code", "kind"});
    else fields.push_back("version");
    auto in = ReadBody(r, fields);
    if (!in) return Fail(in.error());
    auth::RoleInput role;
    if (create) {
        role.code = in->String("code", true, 32, 2);
        if (auto kind = in->Enum("kind", true, auth::kRoleKindNames)) role.kind = auth::ParseRoleKind(*kind);
    }
    role.name = in->String("name", create, 64, 1);
    if (auto scope = in->Enum("data_scope", create, auth::kDataScopeNames)) role.data_scope = auth::ParseDataScope(*scope);
    role.custom_department_ids = in->IntArray("custom_department_ids", false, 500);
    role.permissions = in->StringArray("permissions", create, 200, 64);
    if (!create) role.version = in->Int("version", true, 1).value_or(0);
    if (role.data_scope == auth::DataScope::kCustom && create &&
        (!role.custom_department_ids || role.custom_department_ids->empty()))
        in->AddError("custom_department_ids", "required", "自定义数据范围须选择部门");
    if (auto st = in->Finish(); !st) return Fail(st.error());
    return role;
}

Response CreateRole(Services& s, Request& r) {
    auto role = ReadRole(r, true);
    if (!role) return Problem(role.error(), r);
    auto command = MakeCommand(r, "role.create", "role", "role:write");
    if (!command) return Problem(command.error(), r);
    return OutcomeAnswer(s.roles.Create(ActorOf(r), *role, *command), r);
}

Response UpdateRole(Services& s, Request& r) {
    auto id = PathId(r);
    if (!id) return Problem(id.error(), r);
    auto role = ReadRole(r, false);
    if (!role) return Problem(role.error(), r);
    auto command = MakeCommand(r, "role.update", "role", "role:write", std::to_string(*id));
    if (!command) return Problem(command.error(), r);
    return OutcomeAnswer(s.roles.Update(ActorOf(r), *id, *role, *command), r);
}

Response ListPermissions() {
    json::array items;
    for (const auto& p : auth::PermissionCatalogue()) {
        json::array kinds;
        for (auto k : p.kinds) kinds.push_back(json::value(auth::RoleKindName(k)));
        const auto colon = p.code.find(':');
        items.push_back(json::object{{"code", p.code}, {"resource", p.code.substr(0, colon)},
                                     {"action", p.code.substr(colon + 1)}, {"name_zh", p.name_zh},
                                     {"name_en", p.name_en}, {"kinds", kinds}});
    }
    const long long n = static_cast<long long>(items.size());
    return Response::Json(json::serialize(json::object{{"items", items}, {"total", n}}));
}

Response ListLoginLog(Services& s, Request& r) {
    auto paging = ParsePaging(r);
    if (!paging) return Problem(paging.error(), r);
    auto success = QueryBool(r, "success");
    auto from = QueryTime(r, "from");
    auto to = QueryTime(r, "to");
    for (const Error* e : {success ? nullptr : &success.error(), from ? nullptr : &from.error(), to ? nullptr : &to.error()})
        if (e) return Problem(*e, r);
    return JsonAnswer(s.sessions.ListLoginLog({QueryParam(r, "username"), *success, *from, *to, paging->offset, paging->limit}), r);
}

Response CreateApiKey(Services& s, Request& r) {
    auto in = ReadBody(r, {"name", "user_id", "expires_in_days"});
    if (!in) return Problem(in.error(), r);
    auto name = in->String("name", true, 64, 1);
    auto user_id = in->Int("user_id", false, 1);
    auto days = in->Int("expires_in_days", false, 1, 3650);
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    auto command = MakeCommand(r, "apikey.create", "api_key", "apikey:write");
    if (!command) return Problem(command.error(), r);
    return OutcomeAnswer(s.api_keys.Create(*r.principal, ActorOf(r), {*name, user_id, days}, *command), r);
}

}  // namespace

void RegisterSystemRoutes(Router& router, Services& s) {
    router.Get("/api/v1/users", "user:read", [&s](Request& r) { return ListUsers(s, r); });
    router.Post("/api/v1/users", "user:create", [&s](Request& r) { return CreateUser(s, r); });
    router.Get("/api/v1/users/{id}", "user:read", [&s](Request& r) {
        auto id = PathId(r);
        return id ? JsonAnswer(s.users.Get(*r.principal, *id), r) : Problem(id.error(), r);
    });
    router.Patch("/api/v1/users/{id}", "user:update", [&s](Request& r) { return UpdateUser(s, r); });
    router.Post("/api/v1/users/{id}/disable", "user:update", UserState(s, "disable"));
    router.Post("/api/v1/users/{id}/enable", "user:update", UserState(s, "enable"));
    router.Post("/api/v1/users/{id}/unlock", "user:update", UserState(s, "unlock"));
    router.Post("/api/v1/users/{id}/reset-password", "user:update", [&s](Request& r) { return ResetPassword(s, r); });

    router.Get("/api/v1/departments", "department:read", [&s](Request& r) { return JsonAnswer(s.departments.List(), r); });
    router.Post("/api/v1/departments", "department:write", [&s](Request& r) { return CreateDepartment(s, r); });
    router.Patch("/api/v1/departments/{id}", "department:write", [&s](Request& r) { return UpdateDepartment(s, r); });
    router.Delete("/api/v1/departments/{id}", "department:write", [&s](Request& r) {
        auto id = PathId(r);
        return id ? OutcomeAnswer(s.departments.Remove(ActorOf(r), *id), r) : Problem(id.error(), r);
    });

    router.Get("/api/v1/roles", "role:read", [&s](Request& r) { return JsonAnswer(s.roles.List(), r); });
    router.Post("/api/v1/roles", "role:write", [&s](Request& r) { return CreateRole(s, r); });
    router.Patch("/api/v1/roles/{id}", "role:write", [&s](Request& r) { return UpdateRole(s, r); });
    router.Get("/api/v1/permissions", "", [](Request&) { return ListPermissions(); });

    router.Get("/api/v1/login-logs", "loginlog:read", [&s](Request& r) { return ListLoginLog(s, r); });
    router.Get("/api/v1/sessions", "session:read", [&s](Request& r) {
        auto paging = ParsePaging(r);
        return paging ? JsonAnswer(s.sessions.ListSessions(*r.principal, paging->offset, paging->limit), r)
                      : Problem(paging.error(), r);
    });
    router.Post("/api/v1/sessions/{id}/revoke", "session:revoke", [&s](Request& r) {
        auto id = PathId(r);
        return id ? StatusAnswer(s.sessions.RevokeSession(ActorOf(r), *id), r) : Problem(id.error(), r);
    });

    router.Get("/api/v1/api-keys", "apikey:read", [&s](Request& r) {
        auto paging = ParsePaging(r);
        return paging ? JsonAnswer(s.api_keys.List(*r.principal, paging->offset, paging->limit), r)
                      : Problem(paging.error(), r);
    });
    router.Post("/api/v1/api-keys", "apikey:write", [&s](Request& r) { return CreateApiKey(s, r); });
    router.Post("/api/v1/api-keys/{id}/revoke", "apikey:write", [&s](Request& r) {
        auto id = PathId(r);
        return id ? StatusAnswer(s.api_keys.Revoke(*r.principal, ActorOf(r), *id), r) : Problem(id.error(), r);
    });
}

}  // namespace chanrong::http

#include "auth/principal_loader.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <map>
#include <set>

#include "storage/row.hpp"

namespace chanrong::auth {
namespace {

std::vector<long long> DescendantsOf(soci::session& s, const std::vector<long long>& roots) {
    std::multimap<long long, long long> children;
    long long id = 0;
    storage::NullableInt parent;
    soci::statement st = (s.prepare << "SELECT id, parent_id FROM departments", soci::into(id),
                          soci::into(parent.value, parent.ind));
    st.execute();
    while (st.fetch())
        if (parent.get()) children.emplace(*parent.get(), id);
    std::set<long long> seen(roots.begin(), roots.end());
    std::vector<long long> queue(roots.begin(), roots.end());
    while (!queue.empty()) {
        const long long d = queue.back();
        queue.pop_back();
        auto [b, e] = children.equal_range(d);
        for (auto it = b; it != e; ++it)
            if (seen.insert(it->second).second) queue.push_back(it->second);
    }
    return {seen.begin(), seen.end()};
}

std::string IdList(const std::vector<long long>& ids) {
    std::string out;
    for (long long id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
    return out;
}

}  // namespace

Result<Principal> LoadPrincipal(soci::session& s, long long user_id) {
    Principal p;
    std::string kind, status;
    storage::NullableInt dept, ent, inst;
    std::string dept_name;
    soci::indicator dept_name_ind = soci::i_null;
    s << "SELECT u.id, u.username, u.display_name, u.kind, u.status, u.department_id, u.enterprise_id, "
         "u.institution_id, d.name FROM users u LEFT JOIN departments d ON d.id = u.department_id WHERE u.id = :id",
        soci::use(user_id), soci::into(p.user_id), soci::into(p.username), soci::into(p.display_name), soci::into(kind),
        soci::into(status), soci::into(dept.value, dept.ind), soci::into(ent.value, ent.ind),
        soci::into(inst.value, inst.ind), soci::into(dept_name, dept_name_ind);
    if (!s.got_data()) return Fail(Error::NotFound("用户不存在"));
    if (status != "active") return Fail(Error::Unauthenticated("账户已停用"));
    p.kind = ParseRoleKind(kind).value_or(RoleKind::kGovernment);
    p.department_id = dept.get();
    p.department_name = dept_name_ind == soci::i_ok ? dept_name : "";
    p.enterprise_id = ent.get();
    p.institution_id = inst.get();

    RoleRef role;
    std::string scope_name;
    std::vector<std::pair<long long, DataScope>> scopes;
    soci::statement roles = (s.prepare << "SELECT r.id, r.code, r.name, r.data_scope FROM roles r JOIN user_roles ur "
                                          "ON ur.role_id = r.id WHERE ur.user_id = :u ORDER BY r.id",
                             soci::use(user_id), soci::into(role.id), soci::into(role.code), soci::into(role.name),
                             soci::into(scope_name));
    roles.execute();
    while (roles.fetch()) {
        p.roles.push_back(role);
        scopes.emplace_back(role.id, ParseDataScope(scope_name).value_or(DataScope::kOwn));
    }
    std::string permission;
    soci::statement perms = (s.prepare << "SELECT DISTINCT rp.permission FROM role_permissions rp JOIN user_roles ur "
                                          "ON ur.role_id = rp.role_id WHERE ur.user_id = :u",
                             soci::use(user_id), soci::into(permission));
    perms.execute();
    while (perms.fetch())
        if (FindPermission(permission)) p.permissions.insert(permission);

    std::vector<long long> departments;
    bool own = scopes.empty();
    for (const auto& [role_id, scope] : scopes) {
        if (scope == DataScope::kAll) p.scope_all = true;
        else if (scope == DataScope::kOwn) own = true;
        else if (scope == DataScope::kCustom) {
            long long d = 0;
            soci::statement custom = (s.prepare << "SELECT department_id FROM role_departments WHERE role_id = :r",
                                      soci::use(role_id), soci::into(d));
            custom.execute();
            while (custom.fetch()) departments.push_back(d);
        } else if (p.department_id) {
            if (scope == DataScope::kDepartment) departments.push_back(*p.department_id);
            else for (long long d : DescendantsOf(s, {*p.department_id})) departments.push_back(d);
        }
    }
    std::sort(departments.begin(), departments.end());
    departments.erase(std::unique(departments.begin(), departments.end()), departments.end());
    p.visible_departments = std::move(departments);
    p.scope_own_only = !p.scope_all && own && p.visible_departments.empty();
    return p;
}

std::string ScopeCondition(const Principal& p, const ScopeColumns& c) {
    std::vector<std::string> all;
    // Binding to an enterprise or institution is absolute, whatever the roles say.
    if (p.institution_id) {
        if (c.institution.empty()) return "1=0";
        all.push_back(c.institution + " = " + std::to_string(*p.institution_id));
    }
    if (p.enterprise_id) {
        if (c.enterprise.empty()) return "1=0";
        all.push_back(c.enterprise + " = " + std::to_string(*p.enterprise_id));
    }
    if (!p.scope_all) {
        // Role scope restricts department-owned or user-owned tables; others are governed by the binding alone.
        std::string any;
        if (!c.owner.empty()) any = c.owner + " = " + std::to_string(p.user_id);
        if (!c.department.empty() && !p.visible_departments.empty())
            any += (any.empty() ? "" : " OR ") + c.department + " IN (" + IdList(p.visible_departments) + ")";
        if (!any.empty()) all.push_back("(" + any + ")");
        else if (!c.department.empty()) all.push_back("1=0");
    }
    if (all.empty()) return "1=1";
    std::string out;
    for (const auto& a : all) out += (out.empty() ? "" : " AND ") + a;
    return out;
}

}  // namespace chanrong::auth

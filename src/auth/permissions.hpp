#pragma once
// The permission catalogue (resource:action), role kinds and data scopes.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chanrong::auth {

enum class RoleKind { kEnterprise, kInstitution, kGovernment, kAdministrator, kAuditor };
enum class DataScope { kAll, kDepartment, kDepartmentTree, kOwn, kCustom };

std::string_view RoleKindName(RoleKind kind);
std::optional<RoleKind> ParseRoleKind(std::string_view name);
std::string_view DataScopeName(DataScope scope);
std::optional<DataScope> ParseDataScope(std::string_view name);

inline const std::vector<std::string_view> kRoleKindNames = {"enterprise", "institution", "government",
                                                             "administrator", "auditor"};
inline const std::vector<std::string_view> kDataScopeNames = {"all", "department", "department_tree", "own",
                                                              "custom"};

struct PermissionInfo {
    std::string code;  ///< "user:read"
    std::string name_zh;
    std::string name_en;
    std::vector<RoleKind> kinds;  ///< role kinds that may hold it
};

/// Every permission the platform knows.
const std::vector<PermissionInfo>& PermissionCatalogue();

/// The catalogue entry for `code`, or null.
const PermissionInfo* FindPermission(std::string_view code);

/// The built-in roles created by `migrate` (code, name, kind, data scope, permissions).
struct BuiltInRole {
    std::string code;
    std::string name;
    RoleKind kind;
    DataScope scope;
    std::vector<std::string> permissions;
};
const std::vector<BuiltInRole>& BuiltInRoles();

}  // namespace chanrong::auth

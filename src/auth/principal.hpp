#pragma once
// The authenticated caller and what it may see.

#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "auth/permissions.hpp"

namespace chanrong::auth {

struct RoleRef {
    long long id = 0;
    std::string code;
    std::string name;
};

/// Built once per session (cached) from the user's roles. Data scope rules:
/// an enterprise user only ever sees its enterprise's records and an institution user its institution's;
/// on top of that the broadest scope among the user's roles applies.
struct Principal {
    long long user_id = 0;
    std::string username;
    std::string display_name;
    RoleKind kind = RoleKind::kGovernment;
    std::optional<long long> department_id;
    std::string department_name;
    std::optional<long long> enterprise_id;
    std::optional<long long> institution_id;
    std::vector<RoleRef> roles;
    std::unordered_set<std::string> permissions;

    bool scope_all = false;                      ///< sees every department's records
    bool scope_own_only = false;                 ///< sees only records it owns
    std::vector<long long> visible_departments;  ///< when neither of the above

    long long session_id = 0;               ///< 0 when authenticated by API key
    std::optional<long long> api_key_id;

    bool Can(const std::string& permission) const { return permissions.contains(permission); }
};

}  // namespace chanrong::auth

#pragma once
// Builds a Principal from the database, and turns its data scope into SQL conditions.

#include <string>

#include "auth/principal.hpp"
#include "common/error.hpp"

namespace soci {
class session;
}

namespace chanrong::auth {

/// Loads user `user_id` with roles, permissions and visible departments. not_found if absent.
Result<Principal> LoadPrincipal(soci::session& session, long long user_id);

/// Column names of a table, for ScopeCondition. Empty names mean the table has no such column.
struct ScopeColumns {
    std::string department;   ///< e.g. "users.department_id"
    std::string owner;        ///< the owning user's id, e.g. "users.id"
    std::string institution;  ///< e.g. "users.institution_id"
    std::string enterprise;
};

/// An SQL condition (without leading AND) restricting rows to what `p` may see, or "1=1".
/// Only integers from the principal appear in it, never client input.
std::string ScopeCondition(const Principal& p, const ScopeColumns& columns);

}  // namespace chanrong::auth

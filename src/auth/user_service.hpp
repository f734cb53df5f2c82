#pragma once
// Users: create, read, update, enable/disable, unlock, reset password. Role kinds decide the user's kind and
// binding: an enterprise user must be bound to one enterprise, an institution user to one institution.

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "audit/command_pipeline.hpp"
#include "auth/auth_context.hpp"
#include "auth/principal.hpp"
#include "auth/session_service.hpp"

namespace chanrong::auth {

struct NewUser {
    std::string username;
    std::string display_name;
    std::string password;
    std::optional<long long> department_id;
    std::vector<long long> role_ids;
    std::optional<long long> enterprise_id;
    std::optional<long long> institution_id;
    std::string phone;
    std::string email;
};

struct UserPatch {
    std::optional<std::string> display_name;
    std::optional<std::optional<long long>> department_id;  ///< set to null with an empty inner optional
    std::optional<std::vector<long long>> role_ids;
    std::optional<std::string> phone;
    std::optional<std::string> email;
    long long version = 0;
};

struct UserFilter {
    std::optional<std::string> q;  ///< username or display name substring
    std::optional<long long> department_id;
    std::optional<std::string> status;
    long long offset = 0, limit = 20;
};

class UserService {
public:
    UserService(AuthContext ctx, PrincipalCache& cache) : ctx_(ctx), cache_(cache) {}

    Result<boost::json::object> List(const Principal& viewer, const UserFilter& filter);
    Result<boost::json::object> Get(const Principal& viewer, long long id);
    Result<audit::Outcome> Create(const audit::Actor& actor, const NewUser& user, const audit::Command& command);
    Result<audit::Outcome> Update(const Principal& viewer, const audit::Actor& actor, long long id,
                                  const UserPatch& patch, const audit::Command& command);
    /// `action` is one of "disable", "enable", "unlock".
    Result<audit::Outcome> SetState(const Principal& viewer, const audit::Actor& actor, long long id,
                                    const std::string& action);
    Status ResetPassword(const Principal& viewer, const audit::Actor& actor, long long id, const std::string& password);

private:
    AuthContext ctx_;
    PrincipalCache& cache_;
};

/// Creates the first administrator (CLI `init-admin`); refuses when any administrator exists.
Result<long long> CreateFirstAdmin(AuthContext ctx, const std::string& username, const std::string& display_name,
                                   const std::string& password);

/// Creates the built-in roles that are missing (run by `migrate`). Returns how many were created.
Result<int> EnsureBuiltInRoles(AuthContext ctx);

}  // namespace chanrong::auth

#pragma once
// Roles (with permissions and data scope) and the department tree.

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "audit/command_pipeline.hpp"
#include "auth/auth_context.hpp"
#include "auth/principal.hpp"
#include "auth/session_service.hpp"

namespace chanrong::auth {

struct RoleInput {
    std::optional<std::string> code;  ///< create only
    std::optional<std::string> name;
    std::optional<RoleKind> kind;     ///< create only
    std::optional<DataScope> data_scope;
    std::optional<std::vector<long long>> custom_department_ids;
    std::optional<std::vector<std::string>> permissions;
    long long version = 0;            ///< update only
};

class RoleService {
public:
    RoleService(AuthContext ctx, PrincipalCache& cache) : ctx_(ctx), cache_(cache) {}
    Result<boost::json::object> List();
    Result<audit::Outcome> Create(const audit::Actor& actor, const RoleInput& input, const audit::Command& command);
    Result<audit::Outcome> Update(const audit::Actor& actor, long long id, const RoleInput& input,
                                  const audit::Command& command);

private:
    AuthContext ctx_;
    PrincipalCache& cache_;
};

struct DepartmentInput {
    std::optional<std::string> name;
    std::optional<std::string> code;
    std::optional<std::optional<long long>> parent_id;
    std::optional<long long> sort;
    long long version = 0;
};

class DepartmentService {
public:
    explicit DepartmentService(AuthContext ctx) : ctx_(ctx) {}
    Result<boost::json::object> List();
    Result<audit::Outcome> Create(const audit::Actor& actor, const DepartmentInput& input, const audit::Command& command);
    Result<audit::Outcome> Update(const audit::Actor& actor, long long id, const DepartmentInput& input,
                                  const audit::Command& command);
    Result<audit::Outcome> Remove(const audit::Actor& actor, long long id);

private:
    AuthContext ctx_;
};

}  // namespace chanrong::auth

#pragma once
// API keys for institutions' systems. A key acts as one institution user and so sees only that institution's
// data. The secret is shown once at creation; only its SHA-256 is stored.

#include <boost/json/object.hpp>

#include <optional>
#include <string>

#include "audit/command_pipeline.hpp"
#include "auth/auth_context.hpp"
#include "auth/principal.hpp"
#include "auth/session_service.hpp"

namespace chanrong::auth {

struct NewApiKey {
    std::string name;
    std::optional<long long> user_id;  ///< default: the caller
    std::optional<long long> expires_in_days;
};

class ApiKeyService {
public:
    ApiKeyService(AuthContext ctx, PrincipalCache& cache) : ctx_(ctx), cache_(cache) {}
    Result<boost::json::object> List(const Principal& viewer, long long offset, long long limit);
    Result<audit::Outcome> Create(const Principal& viewer, const audit::Actor& actor, const NewApiKey& key,
                                  const audit::Command& command);
    Status Revoke(const Principal& viewer, const audit::Actor& actor, long long id);

private:
    AuthContext ctx_;
    PrincipalCache& cache_;
};

}  // namespace chanrong::auth

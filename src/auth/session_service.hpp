#pragma once
// Logging in and out, resolving tokens to principals, online sessions, the login log, own password.

#include <boost/json/object.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "audit/command_pipeline.hpp"
#include "auth/auth_context.hpp"
#include "auth/principal.hpp"

namespace chanrong::auth {

/// The session cookie's name.
inline constexpr std::string_view kSessionCookie = "chanrong_session";
/// API keys start with this, so one Authorization header serves sessions and keys.
inline constexpr std::string_view kApiKeyPrefix = "crk_";

struct LoginRequest {
    std::string username;
    std::string password;
    std::string ip;
    std::string user_agent;
    std::string request_id;
};

struct LoginResult {
    std::string token;  ///< shown once; only its hash is stored
    TimestampMs expires_at = 0;
    std::shared_ptr<const Principal> principal;
};

struct LoginLogFilter {
    std::optional<std::string> username;
    std::optional<bool> success;
    std::optional<TimestampMs> from, to;
    long long offset = 0, limit = 20;
};

/// Principals by token hash, kept a few seconds so a busy client does not hit the database per request.
/// Logout, revocation and user changes on this instance drop entries at once; other instances see them
/// within kTtlMs.
class PrincipalCache {
public:
    static constexpr long long kTtlMs = 5000;
    std::shared_ptr<const Principal> Get(const std::string& token_hash, TimestampMs now);
    void Put(const std::string& token_hash, std::shared_ptr<const Principal> p, TimestampMs now, TimestampMs expires);
    void DropUser(long long user_id);
    void DropAll();
    void DropToken(const std::string& token_hash);

private:
    struct Entry {
        std::shared_ptr<const Principal> principal;
        TimestampMs loaded_at;
        TimestampMs expires_at;
    };
    std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
};

class SessionService {
public:
    explicit SessionService(AuthContext ctx) : ctx_(ctx) {}

    /// 401 for a wrong username or password (the same message for both), 429 while locked out.
    /// Every attempt is written to the login log; the 5th failure locks the account for 10 minutes.
    Result<LoginResult> Login(const LoginRequest& request);

    /// Resolves a session token or an API key to its principal; 401 when unknown, expired or revoked.
    Result<std::shared_ptr<const Principal>> Authenticate(const std::string& token);

    Status Logout(const Principal& principal, const audit::Actor& actor);
    Status ChangeOwnPassword(const Principal& principal, const audit::Actor& actor, const std::string& old_password,
                             const std::string& new_password);

    Result<boost::json::object> ListSessions(const Principal& viewer, long long offset, long long limit);
    Status RevokeSession(const audit::Actor& actor, long long session_id);
    Result<boost::json::object> ListLoginLog(const LoginLogFilter& filter);

    PrincipalCache& cache() { return cache_; }

private:
    Result<std::shared_ptr<const Principal>> AuthenticateSession(const std::string& token_hash);
    Result<std::shared_ptr<const Principal>> AuthenticateApiKey(const std::string& token_hash);

    AuthContext ctx_;
    PrincipalCache cache_;
};

}  // namespace chanrong::auth

#pragma once
// The one path every write takes: permission check → idempotency → handler → command-log row, all in one
// transaction. A failed permission check writes nothing; a handler's business error is logged in a row of
// its own after the rollback.

#include <functional>
#include <optional>
#include <string>
#include <unordered_set>

#include "audit/audit_log.hpp"
#include "common/clock.hpp"
#include "common/error.hpp"
#include "storage/database.hpp"

namespace chanrong::audit {

/// Who is writing, and from where.
struct Actor {
    std::optional<long long> user_id;  ///< empty for the system (CLI)
    std::string name;
    std::string ip;
    std::string request_id;
    const std::unordered_set<std::string>* permissions = nullptr;  ///< null: the system, which may do anything

    bool Can(const std::string& permission) const { return !permissions || permissions->contains(permission); }
    static Actor System(std::string name) { return Actor{std::nullopt, std::move(name), "", "cli", nullptr}; }
};

struct Command {
    std::string action;      ///< "user.create"
    std::string entity;      ///< "user"
    std::string permission;  ///< "user:create"; empty only for self-service actions (e.g. own password)
    std::string payload;     ///< request JSON, secrets already removed (see RedactSecrets)
    std::string entity_id;   ///< known up front for updates; creates fill it in the outcome
    std::optional<std::string> idempotency_key;
};

/// What a handler reports back; the pipeline logs it and returns it.
struct Outcome {
    std::string entity_id;
    std::string before = "null";
    std::string after = "null";
    std::string response;  ///< the JSON body to send back
    int status = 200;
    bool replayed = false;  ///< true when answered from a stored Idempotency-Key response
};

using Handler = std::function<Result<Outcome>(soci::session&)>;

class CommandPipeline {
public:
    CommandPipeline(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

    Result<Outcome> Execute(const Actor& actor, const Command& command, const Handler& handler);

private:
    void LogFailure(const Actor& actor, const Command& command, const Error& error);

    storage::Database& db_;
    const Clock& clock_;
};

/// Removes values of keys that hold secrets (password, token, secret, key …) from a JSON text.
std::string RedactSecrets(std::string_view json_text);

}  // namespace chanrong::audit

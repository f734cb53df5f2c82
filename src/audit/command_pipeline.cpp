#include "audit/command_pipeline.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include "common/crypto.hpp"

namespace chanrong::audit {
namespace {

bool IsSecretKey(std::string_view key) {
    for (std::string_view word : {"password", "token", "secret", "api_key", "key"})
        if (key.find(word) != std::string_view::npos) return true;
    return false;
}

void Redact(boost::json::value& v) {
    if (auto* obj = v.if_object()) {
        for (auto& [key, child] : *obj) {
            if (IsSecretKey(key)) child = "***";
            else Redact(child);
        }
    } else if (auto* arr = v.if_array()) {
        for (auto& child : *arr) Redact(child);
    }
}

// A stored response for (actor, key), if any: (request hash, status, body).
struct StoredResponse {
    std::string request_hash;
    int status = 0;
    std::string body;
};

std::optional<StoredResponse> FindStored(soci::session& s, long long actor_id, const std::string& key) {
    StoredResponse r;
    s << "SELECT request_hash, status, response FROM idempotency_keys WHERE actor_id = :a AND idem_key = :k",
        soci::use(actor_id), soci::use(key), soci::into(r.request_hash), soci::into(r.status), soci::into(r.body);
    if (!s.got_data()) return std::nullopt;
    return r;
}

std::string RequestHash(const Command& c) { return crypto::Sha256Hex(c.action + "\n" + c.entity_id + "\n" + c.payload); }

}  // namespace

std::string RedactSecrets(std::string_view json_text) {
    boost::json::error_code ec;
    boost::json::value v = boost::json::parse(json_text, ec);
    if (ec) return "null";
    Redact(v);
    return boost::json::serialize(v);
}

Result<Outcome> CommandPipeline::Execute(const Actor& actor, const Command& command, const Handler& handler) {
    if (!command.permission.empty() && !actor.Can(command.permission))
        return Fail(Error::PermissionDenied("无权执行此操作（需要权限 " + command.permission + "）"));
    const long long idem_actor = actor.user_id.value_or(0);
    const std::string request_hash = command.idempotency_key ? RequestHash(command) : "";

    auto result = db_.Write([&](soci::session& s) -> Result<Outcome> {
        if (command.idempotency_key) {
            if (auto stored = FindStored(s, idem_actor, *command.idempotency_key)) {
                if (stored->request_hash != request_hash)
                    return Fail(Error::FailedPrecondition("Idempotency-Key 已用于另一个不同的请求"));
                return Outcome{.response = stored->body, .status = stored->status, .replayed = true};
            }
        }
        auto outcome = handler(s);
        if (!outcome) return outcome;
        AuditEntry entry{.at = clock_.NowMs(), .actor_id = actor.user_id, .actor_name = actor.name,
                         .action = command.action, .entity = command.entity,
                         .entity_id = outcome->entity_id.empty() ? command.entity_id : outcome->entity_id,
                         .payload = command.payload.empty() ? "null" : command.payload,
                         .before = outcome->before, .after = outcome->after, .result = "ok",
                         .request_id = actor.request_id, .ip = actor.ip};
        if (auto st = AppendInTransaction(s, db_, entry); !st) return Fail(st.error());
        if (command.idempotency_key) {
            const long long now = clock_.NowMs();
            s << "INSERT INTO idempotency_keys (actor_id, idem_key, request_hash, status, response, created_at) "
                 "VALUES (:a, :k, :h, :s, :r, :t)",
                soci::use(idem_actor), soci::use(*command.idempotency_key), soci::use(request_hash),
                soci::use(outcome->status), soci::use(outcome->response), soci::use(now);
        }
        return outcome;
    });
    if (!result && command.idempotency_key) {
        // A concurrent request with the same key may have won the race (our handler then met its rows: a unique
        // violation, or a conflict it checked for): answer with its stored response.
        auto stored = db_.Read([&](soci::session& s) -> Result<std::optional<StoredResponse>> {
            return FindStored(s, idem_actor, *command.idempotency_key);
        });
        if (stored && *stored && (*stored)->request_hash == request_hash)
            return Outcome{.response = (*stored)->body, .status = (*stored)->status, .replayed = true};
    }
    if (!result && result.error().code != ErrorCode::kUnavailable && result.error().code != ErrorCode::kInternal)
        LogFailure(actor, command, result.error());
    return result;
}

void CommandPipeline::LogFailure(const Actor& actor, const Command& command, const Error& error) {
    auto logged = db_.Write([&](soci::session& s) -> Status {
        AuditEntry entry{.at = clock_.NowMs(), .actor_id = actor.user_id, .actor_name = actor.name,
                         .action = command.action, .entity = command.entity, .entity_id = command.entity_id,
                         .payload = command.payload.empty() ? "null" : command.payload, .before = "null",
                         .after = "null", .result = std::string(ErrorCodeName(error.code)),
                         .request_id = actor.request_id, .ip = actor.ip};
        return AppendInTransaction(s, db_, entry);
    });
    if (!logged) spdlog::error("could not log failed command {}: {}", command.action, logged.error().message);
}

}  // namespace chanrong::audit

#include "auth/session_service.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include "auth/password_policy.hpp"
#include "auth/principal_loader.hpp"
#include "common/crypto.hpp"
#include "common/json_out.hpp"
#include "common/time_format.hpp"
#include "storage/query.hpp"
#include "storage/row.hpp"

namespace chanrong::auth {
namespace json = boost::json;
namespace {

constexpr long long kTouchIntervalMs = 60'000;

struct StoredUser {
    long long id = 0;
    std::string password_hash;
    std::string status;
    storage::NullableInt locked_until;
};

std::optional<StoredUser> FindUser(soci::session& s, const std::string& username) {
    StoredUser u;
    s << "SELECT id, password_hash, status, locked_until FROM users WHERE username = :u", soci::use(username),
        soci::into(u.id), soci::into(u.password_hash), soci::into(u.status),
        soci::into(u.locked_until.value, u.locked_until.ind);
    if (!s.got_data()) return std::nullopt;
    return u;
}

void WriteLoginLog(soci::session& s, TimestampMs at, const LoginRequest& r, std::optional<long long> user_id,
                   bool success, const std::string& reason) {
    auto uid = storage::Nullable(user_id);
    const int ok = success ? 1 : 0;
    s << "INSERT INTO login_log (at, username, user_id, success, reason, ip, user_agent) VALUES "
         "(:at, :un, :uid, :ok, :rs, :ip, :ua)",
        soci::use(at), soci::use(r.username), soci::use(uid.value, uid.ind), soci::use(ok), soci::use(reason),
        soci::use(r.ip), soci::use(r.user_agent);
}

std::string LockedMessage(TimestampMs until) {
    return "登录失败次数过多，账户已锁定至 " + FormatIsoUtc(until) + "（UTC），请稍后再试或联系管理员解锁";
}

}  // namespace

std::shared_ptr<const Principal> PrincipalCache::Get(const std::string& token_hash, TimestampMs now) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(token_hash);
    if (it == entries_.end()) return nullptr;
    if (now - it->second.loaded_at > kTtlMs || now >= it->second.expires_at) {
        entries_.erase(it);
        return nullptr;
    }
    return it->second.principal;
}

void PrincipalCache::Put(const std::string& token_hash, std::shared_ptr<const Principal> p, TimestampMs now,
                         TimestampMs expires) {
    std::lock_guard lock(mutex_);
    if (entries_.size() > 100'000) entries_.clear();  // bound memory; entries reload on demand
    entries_[token_hash] = Entry{std::move(p), now, expires};
}

void PrincipalCache::DropUser(long long user_id) {
    std::lock_guard lock(mutex_);
    std::erase_if(entries_, [&](const auto& kv) { return kv.second.principal->user_id == user_id; });
}

void PrincipalCache::DropAll() {
    std::lock_guard lock(mutex_);
    entries_.clear();
}

void PrincipalCache::DropToken(const std::string& token_hash) {
    std::lock_guard lock(mutex_);
    entries_.erase(token_hash);
}

Result<LoginResult> SessionService::Login(const LoginRequest& r) {
    auto user = ctx_.db.Read([&](soci::session& s) -> Result<std::optional<StoredUser>> { return FindUser(s, r.username); });
    if (!user) return Fail(user.error());
    const TimestampMs now = ctx_.clock.NowMs();
    const Error bad_credentials = Error::Unauthenticated("用户名或密码错误");

    if (!*user) {
        crypto::BurnPasswordVerification(r.password);
        auto logged = ctx_.db.Write([&](soci::session& s) -> Status {
            WriteLoginLog(s, now, r, std::nullopt, false, "unknown_user");
            return {};
        });
        return Fail(logged ? bad_credentials : logged.error());
    }
    const StoredUser& u = **user;
    std::optional<Error> refusal;
    std::string reason;
    if (u.status != "active") {
        refusal = Error::Unauthenticated("账户已停用，请联系管理员"), reason = "disabled";
    } else if (u.locked_until.get() && *u.locked_until.get() > now) {
        refusal = Error::ResourceExhausted(LockedMessage(*u.locked_until.get())), reason = "locked";
    } else if (!crypto::VerifyPassword(u.password_hash, r.password)) {
        refusal = bad_credentials, reason = "bad_password";
    }
    if (refusal) {
        auto recorded = ctx_.db.Write([&](soci::session& s) -> Status {
            if (reason == "bad_password") {
                s << "UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = :id", soci::use(u.id);
                int failures = 0;
                s << "SELECT failed_attempts FROM users WHERE id = :id", soci::use(u.id), soci::into(failures);
                if (failures >= ctx_.config.lockout_threshold) {
                    const long long until = now + ctx_.config.lockout_minutes * 60'000;
                    s << "UPDATE users SET failed_attempts = 0, locked_until = :t WHERE id = :id", soci::use(until),
                        soci::use(u.id);
                    reason = "bad_password_locked";
                    refusal = Error::ResourceExhausted(LockedMessage(until));
                }
            }
            WriteLoginLog(s, now, r, u.id, false, reason);
            return {};
        });
        return Fail(recorded ? *refusal : recorded.error());
    }

    LoginResult result;
    result.token = crypto::RandomToken(32);
    result.expires_at = now + ctx_.config.session_ttl_minutes * 60'000;
    const std::string token_hash = crypto::Sha256Hex(result.token);
    audit::Actor actor{u.id, r.username, r.ip, r.request_id, nullptr};
    auto outcome = ctx_.pipeline.Execute(
        actor, {.action = "auth.login", .entity = "session", .payload = json::serialize(json::object{{"username", r.username}})},
        [&](soci::session& s) -> Result<audit::Outcome> {
            s << "UPDATE users SET failed_attempts = 0, locked_until = NULL, last_login_at = :t WHERE id = :id",
                soci::use(now), soci::use(u.id);
            long long session_id = 0;
            s << "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent) "
                 "VALUES (:h, :u, :c, :l, :e, :ip, :ua) RETURNING id",
                soci::use(token_hash), soci::use(u.id), soci::use(now), soci::use(now), soci::use(result.expires_at),
                soci::use(r.ip), soci::use(r.user_agent), soci::into(session_id);
            WriteLoginLog(s, now, r, u.id, true, "ok");
            auto principal = LoadPrincipal(s, u.id);
            if (!principal) return Fail(principal.error());
            principal->session_id = session_id;
            result.principal = std::make_shared<const Principal>(std::move(*principal));
            return audit::Outcome{.entity_id = std::to_string(session_id)};
        });
    if (!outcome) return Fail(outcome.error());
    cache_.Put(token_hash, result.principal, now, result.expires_at);
    return result;
}

Result<std::shared_ptr<const Principal>> SessionService::Authenticate(const std::string& token) {
    if (token.empty() || token.size() > 200) return Fail(Error::Unauthenticated());
    const std::string token_hash = crypto::Sha256Hex(token);
    if (auto cached = cache_.Get(token_hash, ctx_.clock.NowMs())) return cached;
    return token.starts_with(kApiKeyPrefix) ? AuthenticateApiKey(token_hash) : AuthenticateSession(token_hash);
}

Result<std::shared_ptr<const Principal>> SessionService::AuthenticateSession(const std::string& token_hash) {
    const TimestampMs now = ctx_.clock.NowMs();
    long long session_id = 0, user_id = 0, expires_at = 0, last_seen = 0;
    storage::NullableInt revoked;
    auto principal = ctx_.db.Read([&](soci::session& s) -> Result<Principal> {
        s << "SELECT id, user_id, expires_at, last_seen_at, revoked_at FROM sessions WHERE token_hash = :h",
            soci::use(token_hash), soci::into(session_id), soci::into(user_id), soci::into(expires_at),
            soci::into(last_seen), soci::into(revoked.value, revoked.ind);
        if (!s.got_data() || revoked.get() || expires_at <= now)
            return Fail(Error::Unauthenticated("登录已失效，请重新登录"));
        auto p = LoadPrincipal(s, user_id);
        if (!p) return Fail(p.error().code == ErrorCode::kNotFound ? Error::Unauthenticated() : p.error());
        p->session_id = session_id;
        return p;
    });
    if (!principal) return Fail(principal.error());
    if (now - last_seen > kTouchIntervalMs) {
        (void)ctx_.db.Write([&](soci::session& s) -> Status {
            s << "UPDATE sessions SET last_seen_at = :t WHERE id = :id", soci::use(now), soci::use(session_id);
            return {};
        });
    }
    auto shared = std::make_shared<const Principal>(std::move(*principal));
    cache_.Put(token_hash, shared, now, expires_at);
    return shared;
}

Result<std::shared_ptr<const Principal>> SessionService::AuthenticateApiKey(const std::string& token_hash) {
    const TimestampMs now = ctx_.clock.NowMs();
    long long key_id = 0, user_id = 0;
    storage::NullableInt expires, revoked, last_used;
    auto principal = ctx_.db.Read([&](soci::session& s) -> Result<Principal> {
        s << "SELECT id, user_id, expires_at, revoked_at, last_used_at FROM api_keys WHERE key_hash = :h",
            soci::use(token_hash), soci::into(key_id), soci::into(user_id), soci::into(expires.value, expires.ind),
            soci::into(revoked.value, revoked.ind), soci::into(last_used.value, last_used.ind);
        if (!s.got_data() || revoked.get() || (expires.get() && *expires.get() <= now))
            return Fail(Error::Unauthenticated("API 密钥无效、已过期或已吊销"));
        auto p = LoadPrincipal(s, user_id);
        if (!p) return Fail(p.error().code == ErrorCode::kNotFound ? Error::Unauthenticated() : p.error());
        p->api_key_id = key_id;
        return p;
    });
    if (!principal) return Fail(principal.error());
    if (!last_used.get() || now - *last_used.get() > kTouchIntervalMs) {
        (void)ctx_.db.Write([&](soci::session& s) -> Status {
            s << "UPDATE api_keys SET last_used_at = :t WHERE id = :id", soci::use(now), soci::use(key_id);
            return {};
        });
    }
    auto shared = std::make_shared<const Principal>(std::move(*principal));
    cache_.Put(token_hash, shared, now, expires.get().value_or(now + PrincipalCache::kTtlMs * 2));
    return shared;
}

Status SessionService::Logout(const Principal& p, const audit::Actor& actor) {
    if (p.session_id == 0) return Fail(Error::FailedPrecondition("API 密钥无需登出"));
    const long long now = ctx_.clock.NowMs();
    auto done = ctx_.pipeline.Execute(actor, {.action = "auth.logout", .entity = "session", .entity_id = std::to_string(p.session_id)},
                                      [&](soci::session& s) -> Result<audit::Outcome> {
                                          s << "UPDATE sessions SET revoked_at = :t WHERE id = :id", soci::use(now),
                                              soci::use(p.session_id);
                                          return audit::Outcome{};
                                      });
    if (!done) return Fail(done.error());
    cache_.DropUser(p.user_id);
    return {};
}

Status SessionService::ChangeOwnPassword(const Principal& p, const audit::Actor& actor, const std::string& old_password,
                                         const std::string& new_password) {
    if (auto policy = CheckPasswordPolicy(new_password, p.username, ctx_.config.password_min_length, "new_password"); !policy)
        return policy;
    auto stored = ctx_.db.Read([&](soci::session& s) -> Result<std::string> {
        std::string hash;
        s << "SELECT password_hash FROM users WHERE id = :id", soci::use(p.user_id), soci::into(hash);
        return hash;
    });
    if (!stored) return Fail(stored.error());
    if (!crypto::VerifyPassword(*stored, old_password))
        return Fail(Error::Field("old_password", "mismatch", "原密码不正确"));
    const std::string hash = crypto::HashPassword(new_password);
    const long long now = ctx_.clock.NowMs();
    auto done = ctx_.pipeline.Execute(
        actor, {.action = "user.change_password", .entity = "user", .entity_id = std::to_string(p.user_id)},
        [&](soci::session& s) -> Result<audit::Outcome> {
            s << "UPDATE users SET password_hash = :h, password_changed_at = :t, updated_at = :t2, version = version + 1 "
                 "WHERE id = :id",
                soci::use(hash), soci::use(now), soci::use(now), soci::use(p.user_id);
            // Other sessions of this user end; the current one stays.
            s << "UPDATE sessions SET revoked_at = :t WHERE user_id = :u AND id <> :sid AND revoked_at IS NULL",
                soci::use(now), soci::use(p.user_id), soci::use(p.session_id);
            return audit::Outcome{};
        });
    if (!done) return Fail(done.error());
    cache_.DropUser(p.user_id);
    return {};
}

Result<json::object> SessionService::ListSessions(const Principal& viewer, long long offset, long long limit) {
    const long long now = ctx_.clock.NowMs();
    return ctx_.db.Read([&](soci::session& s) -> Result<json::object> {
        long long total = 0;
        s << "SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL AND expires_at > :t", soci::use(now),
            soci::into(total);
        long long id, user_id, created, seen, expires;
        std::string username, display_name, ip, ua;
        soci::statement st =
            (s.prepare << "SELECT s.id, s.user_id, u.username, u.display_name, s.created_at, s.last_seen_at, "
                          "s.expires_at, s.ip, s.user_agent FROM sessions s JOIN users u ON u.id = s.user_id "
                          "WHERE s.revoked_at IS NULL AND s.expires_at > :t ORDER BY s.last_seen_at DESC, s.id DESC "
                          "LIMIT :l OFFSET :o",
             soci::use(now), soci::use(limit), soci::use(offset), soci::into(id), soci::into(user_id),
             soci::into(username), soci::into(display_name), soci::into(created), soci::into(seen), soci::into(expires),
             soci::into(ip), soci::into(ua));
        st.execute();
        json::array items;
        while (st.fetch())
            items.push_back(json::object{{"id", id}, {"user_id", user_id}, {"username", username},
                                         {"display_name", display_name}, {"created_at", FormatIsoUtc(created)},
                                         {"last_seen_at", FormatIsoUtc(seen)}, {"expires_at", FormatIsoUtc(expires)},
                                         {"ip", ip}, {"user_agent", ua}, {"current", id == viewer.session_id}});
        return PageJson(std::move(items), total, offset, limit);
    });
}

Status SessionService::RevokeSession(const audit::Actor& actor, long long session_id) {
    const long long now = ctx_.clock.NowMs();
    long long user_id = 0;
    auto done = ctx_.pipeline.Execute(
        actor, {.action = "session.revoke", .entity = "session", .permission = "session:revoke", .entity_id = std::to_string(session_id)},
        [&](soci::session& s) -> Result<audit::Outcome> {
            storage::NullableInt revoked;
            s << "SELECT user_id, revoked_at FROM sessions WHERE id = :id", soci::use(session_id), soci::into(user_id),
                soci::into(revoked.value, revoked.ind);
            if (!s.got_data()) return Fail(Error::NotFound("会话不存在"));
            if (revoked.get()) return Fail(Error::Conflict("会话已下线"));
            s << "UPDATE sessions SET revoked_at = :t WHERE id = :id", soci::use(now), soci::use(session_id);
            return audit::Outcome{.before = R"({"revoked":false})", .after = R"({"revoked":true})"};
        });
    if (!done) return Fail(done.error());
    cache_.DropUser(user_id);
    return {};
}

Result<json::object> SessionService::ListLoginLog(const LoginLogFilter& f) {
    return ctx_.db.Read([&](soci::session& s) -> Result<json::object> {
        auto filter = [&](storage::Query& q) {
            q.Sql(" WHERE 1=1");
            if (f.username) q.Sql(" AND LOWER(username) LIKE LOWER(").Bind(storage::LikePattern(*f.username)).Sql(") ESCAPE '\\'");
            if (f.success) q.Sql(" AND success = ").Bind(*f.success ? 1LL : 0LL);
            if (f.from) q.Sql(" AND at >= ").Bind(*f.from);
            if (f.to) q.Sql(" AND at < ").Bind(*f.to);
        };
        storage::Query count("SELECT COUNT(*) FROM login_log");
        filter(count);
        const long long total = storage::CountOf(s, count);

        storage::Query q("SELECT id, at, username, user_id, success, reason, ip, user_agent FROM login_log");
        filter(q);
        q.Sql(" ORDER BY id DESC LIMIT ").Bind(f.limit).Sql(" OFFSET ").Bind(f.offset);
        long long id = 0, at = 0;
        int success = 0;
        storage::NullableInt user_id;
        std::string username, reason, ip, ua;
        soci::statement st(s);
        q.PrepareInto(st);
        st.exchange(soci::into(id));
        st.exchange(soci::into(at));
        st.exchange(soci::into(username));
        st.exchange(soci::into(user_id.value, user_id.ind));
        st.exchange(soci::into(success));
        st.exchange(soci::into(reason));
        st.exchange(soci::into(ip));
        st.exchange(soci::into(ua));
        st.define_and_bind();
        st.execute();
        json::array items;
        while (st.fetch())
            items.push_back(json::object{{"id", id}, {"at", FormatIsoUtc(at)}, {"username", username},
                                         {"user_id", OptionalInt(user_id.get())}, {"success", success == 1},
                                         {"reason", reason}, {"ip", ip}, {"user_agent", ua}});
        return PageJson(std::move(items), total, f.offset, f.limit);
    });
}

}  // namespace chanrong::auth

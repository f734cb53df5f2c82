#include "auth/api_key_service.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include "auth/principal_loader.hpp"
#include "common/crypto.hpp"
#include "common/json_out.hpp"
#include "storage/query.hpp"
#include "storage/row.hpp"

namespace chanrong::auth {
namespace json = boost::json;
namespace {

const ScopeColumns kKeyScope{"", "", "k.institution_id", ""};

constexpr const char* kKeySelect =
    "SELECT k.id, k.name, k.prefix, k.user_id, u.username, k.institution_id, i.name, k.created_at, k.expires_at, "
    "k.revoked_at, k.last_used_at FROM api_keys k JOIN users u ON u.id = k.user_id "
    "LEFT JOIN institutions i ON i.id = k.institution_id";

struct KeyRow {
    long long id = 0, user_id = 0, created = 0;
    std::string name, prefix, username, inst_name;
    soci::indicator inst_name_ind = soci::i_null;
    storage::NullableInt inst, expires, revoked, last_used;

    void Into(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(name));
        st.exchange(soci::into(prefix));
        st.exchange(soci::into(user_id));
        st.exchange(soci::into(username));
        st.exchange(soci::into(inst.value, inst.ind));
        st.exchange(soci::into(inst_name, inst_name_ind));
        st.exchange(soci::into(created));
        st.exchange(soci::into(expires.value, expires.ind));
        st.exchange(soci::into(revoked.value, revoked.ind));
        st.exchange(soci::into(last_used.value, last_used.ind));
    }
    json::object ToJson() const {
        return {{"id", id}, {"name", name}, {"prefix", prefix}, {"user_id", user_id}, {"username", username},
                {"institution_id", OptionalInt(inst.get())},
                {"institution_name", inst_name_ind == soci::i_ok ? json::value(inst_name) : json::value(nullptr)},
                {"created_at", FormatIsoUtc(created)}, {"expires_at", OptionalTime(expires.get())},
                {"revoked_at", OptionalTime(revoked.get())}, {"last_used_at", OptionalTime(last_used.get())}};
    }
};

std::optional<json::object> LoadKey(soci::session& s, long long id, const Principal* viewer) {
    storage::Query q(kKeySelect);
    q.Sql(" WHERE k.id = ").Bind(id);
    if (viewer) q.Sql(" AND " + ScopeCondition(*viewer, kKeyScope));
    soci::statement st(s);
    KeyRow row;
    q.PrepareInto(st);
    row.Into(st);
    st.define_and_bind();
    if (!st.execute(true)) return std::nullopt;
    return row.ToJson();
}

}  // namespace

Result<json::object> ApiKeyService::List(const Principal& viewer, long long offset, long long limit) {
    return ctx_.db.Read([&](soci::session& s) -> Result<json::object> {
        const std::string where = " WHERE " + ScopeCondition(viewer, kKeyScope);
        long long total = 0;
        s << "SELECT COUNT(*) FROM api_keys k" + where, soci::into(total);
        storage::Query q(kKeySelect + where);
        q.Sql(" ORDER BY k.id DESC LIMIT ").Bind(limit).Sql(" OFFSET ").Bind(offset);
        KeyRow row;
        json::array items;
        storage::ForEachRow(s, q, row, [&] { items.push_back(row.ToJson()); });
        return PageJson(std::move(items), total, offset, limit);
    });
}

Result<audit::Outcome> ApiKeyService::Create(const Principal& viewer, const audit::Actor& actor, const NewApiKey& key,
                                             const audit::Command& command) {
    const std::string prefix = crypto::RandomToken(6).substr(0, 8);
    const std::string secret = std::string(kApiKeyPrefix) + prefix + "_" + crypto::RandomToken(32);
    const std::string hash = crypto::Sha256Hex(secret);
    const TimestampMs now = ctx_.clock.NowMs();
    return ctx_.pipeline.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        const long long user_id = key.user_id.value_or(viewer.user_id);
        std::string kind;
        storage::NullableInt inst;
        s << "SELECT kind, institution_id FROM users u WHERE u.id = :id AND " +
                 ScopeCondition(viewer, {"u.department_id", "u.id", "u.institution_id", "u.enterprise_id"}),
            soci::use(user_id), soci::into(kind), soci::into(inst.value, inst.ind);
        if (!s.got_data()) return Fail(Error::Field("user_id", "not_found", "用户不存在或不在您的数据范围内"));
        // Institutions' core systems report loans; government data-sharing systems load public credit data.
        if (!(kind == "institution" && inst.get()) && kind != "government")
            return Fail(Error::Field("user_id", "not_system_user", "API 密钥只能发给金融机构或政府部门的系统用户"));
        auto expires = storage::Nullable(key.expires_in_days ? std::optional(now + *key.expires_in_days * 86'400'000LL)
                                                             : std::nullopt);
        long long id = 0;
        long long creator = viewer.user_id;
        s << "INSERT INTO api_keys (name, prefix, key_hash, user_id, institution_id, created_by, created_at, expires_at) "
             "VALUES (:n, :p, :h, :u, :i, :c, :t, :e) RETURNING id",
            soci::use(key.name), soci::use(prefix), soci::use(hash), soci::use(user_id), soci::use(inst.value, inst.ind),
            soci::use(creator), soci::use(now), soci::use(expires.value, expires.ind), soci::into(id);
        json::object created = *LoadKey(s, id, nullptr);
        const std::string after = json::serialize(created);
        created["key"] = secret;
        return audit::Outcome{.entity_id = std::to_string(id), .after = after, .response = json::serialize(created),
                              .status = 201};
    });
}

Status ApiKeyService::Revoke(const Principal& viewer, const audit::Actor& actor, long long id) {
    const TimestampMs now = ctx_.clock.NowMs();
    audit::Command command{.action = "apikey.revoke", .entity = "api_key", .permission = "apikey:write",
                           .entity_id = std::to_string(id)};
    auto outcome = ctx_.pipeline.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto before = LoadKey(s, id, &viewer);
        if (!before) return Fail(Error::NotFound("API 密钥不存在"));
        if (!(*before)["revoked_at"].is_null()) return Fail(Error::Conflict("API 密钥已吊销"));
        s << "UPDATE api_keys SET revoked_at = :t WHERE id = :id", soci::use(now), soci::use(id);
        return audit::Outcome{.entity_id = std::to_string(id), .before = json::serialize(*before),
                              .after = json::serialize(*LoadKey(s, id, nullptr))};
    });
    if (!outcome) return Fail(outcome.error());
    cache_.DropAll();
    return {};
}

}  // namespace chanrong::auth

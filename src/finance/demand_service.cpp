#include "finance/demand_service.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include "common/json_out.hpp"
#include "common/time_format.hpp"
#include "storage/query.hpp"
#include "storage/row.hpp"

namespace chanrong::finance {
namespace json = boost::json;
namespace {

constexpr const char* kSelect =
    "SELECT d.id, d.enterprise_id, e.name, COALESCE(e.district, ''), COALESCE(e.industry_446, ''), e.size_class, "
    "d.amount_fen, d.term_months, "
    "d.purpose, d.collateral, d.guarantee, d.max_rate_bp, d.urgency, d.description, d.status, d.taken, d.campaign_id, "
    "d.created_at, d.updated_at, d.version FROM demands d JOIN enterprises e ON e.id = d.enterprise_id";

struct DemandRow {
    long long id = 0, enterprise_id = 0, amount = 0, created = 0, updated = 0;
    int term = 0, taken = 0, version = 0;
    storage::NullableInt max_rate, campaign;
    std::string name, district, c446, size, purpose, collateral, guarantee, urgency, description, status;
    void Into(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(enterprise_id));
        for (std::string* s : {&name, &district, &c446, &size}) st.exchange(soci::into(*s));
        st.exchange(soci::into(amount));
        st.exchange(soci::into(term));
        for (std::string* s : {&purpose, &collateral, &guarantee}) st.exchange(soci::into(*s));
        st.exchange(soci::into(max_rate.value, max_rate.ind));
        for (std::string* s : {&urgency, &description, &status}) st.exchange(soci::into(*s));
        st.exchange(soci::into(taken));
        st.exchange(soci::into(campaign.value, campaign.ind));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
        st.exchange(soci::into(version));
    }
    json::object ToJson() const {
        return {{"id", id}, {"enterprise_id", enterprise_id}, {"enterprise_name", name}, {"district", district},
                {"industry_446", c446}, {"size_class", size}, {"amount_fen", amount}, {"term_months", term},
                {"purpose", purpose}, {"collateral", collateral}, {"guarantee", guarantee},
                {"max_rate_bp", OptionalInt(max_rate.get())}, {"urgency", urgency}, {"description", description},
                {"status", status}, {"taken", taken == 1}, {"campaign_id", OptionalInt(campaign.get())},
                {"created_at", FormatIsoUtc(created)},
                {"updated_at", FormatIsoUtc(updated)}, {"version", version}};
    }
};

// Enterprises see their own needs; institutions see a campaign's needs only once the officer has pushed them.
std::string Scope(const auth::Principal& p) {
    if (p.enterprise_id) return "d.enterprise_id = " + std::to_string(*p.enterprise_id);
    if (p.institution_id)
        return "(d.campaign_id IS NULL OR EXISTS (SELECT 1 FROM campaigns c WHERE c.id = d.campaign_id AND "
               "c.pushed_at IS NOT NULL))";
    return "1=1";
}

std::vector<FieldError> Validate(const DemandInput& d) {
    std::vector<FieldError> errors;
    if (*d.amount_fen <= 0) errors.push_back({"amount_fen", "out_of_range", "金额须大于 0"});
    if (*d.term_months < 1 || *d.term_months > 360) errors.push_back({"term_months", "out_of_range", "期限应为 1–360 个月"});
    if (d.max_rate_bp && (*d.max_rate_bp < 0 || *d.max_rate_bp > 3600))
        errors.push_back({"max_rate_bp", "out_of_range", "可接受的最高利率应为 0–3600 基点"});
    return errors;
}

}  // namespace

std::optional<json::object> LoadDemand(soci::session& s, long long id, const std::string& scope) {
    storage::Query q(kSelect);
    q.Sql(" WHERE d.id = ").Bind(id).Sql(" AND " + scope);
    DemandRow row;
    std::optional<json::object> out;
    storage::ForEachRow(s, q, row, [&] { out = row.ToJson(); });
    return out;
}

Result<json::object> DemandService::List(const auth::Principal& viewer, const std::optional<std::string>& status,
                                         long long offset, long long limit) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        auto where = [&](storage::Query& q) {
            q.Sql(" WHERE " + Scope(viewer));
            if (status) q.Sql(" AND d.status = ").Bind(*status);
        };
        storage::Query count("SELECT COUNT(*) FROM demands d");
        where(count);
        const long long total = storage::CountOf(s, count);
        storage::Query q(kSelect);
        where(q);
        q.Sql(" ORDER BY d.id DESC LIMIT ").Bind(limit).Sql(" OFFSET ").Bind(offset);
        DemandRow row;
        json::array items;
        storage::ForEachRow(s, q, row, [&] { items.push_back(row.ToJson()); });
        return PageJson(std::move(items), total, offset, limit);
    });
}

Result<json::object> DemandService::Get(const auth::Principal& viewer, long long id) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        auto demand = LoadDemand(s, id, Scope(viewer));
        if (!demand) return Fail(Error::NotFound("融资需求不存在"));
        json::array versions;
        int version = 0;
        std::string snapshot;
        long long replaced = 0;
        soci::statement st = (s.prepare << "SELECT version, snapshot, replaced_at FROM demand_versions WHERE demand_id = :d "
                                           "ORDER BY version",
                              soci::use(id), soci::into(version), soci::into(snapshot), soci::into(replaced));
        st.execute();
        while (st.fetch())
            versions.push_back(json::object{{"version", version}, {"snapshot", json::parse(snapshot)},
                                            {"replaced_at", FormatIsoUtc(replaced)}});
        (*demand)["history"] = std::move(versions);
        return *demand;
    });
}

Result<audit::Outcome> DemandService::Create(const auth::Principal& viewer, const audit::Actor& actor,
                                             const DemandInput& input, const audit::Command& command) {
    if (!viewer.enterprise_id) return Fail(Error::PermissionDenied("只有企业用户可以发布融资需求"));
    if (auto errors = Validate(input); !errors.empty()) return Fail(Error::InvalidArgument("融资需求有误", errors));
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        if (input.campaign_id) {
            int asked = 0;
            s << "SELECT COUNT(*) FROM campaign_targets t JOIN campaigns c ON c.id = t.campaign_id WHERE t.campaign_id = :c "
                 "AND t.enterprise_id = :e AND c.status = 'open'",
                soci::use(*input.campaign_id), soci::use(*viewer.enterprise_id), soci::into(asked);
            if (!asked) return Fail(Error::Field("campaign_id", "not_targeted", "该征集活动未面向本企业或已结束"));
        }
        auto campaign = storage::Nullable(input.campaign_id);
        auto max_rate = storage::Nullable(input.max_rate_bp);
        const std::string collateral = input.collateral.value_or(""), guarantee = input.guarantee.value_or(""),
                          urgency = input.urgency.value_or("normal"), description = input.description.value_or("");
        long long id = 0;
        s << "INSERT INTO demands (enterprise_id, amount_fen, term_months, purpose, collateral, guarantee, max_rate_bp, "
             "urgency, description, campaign_id, created_at, updated_at) VALUES (:e, :a, :t, :p, :c, :g, :r, :u, :d, :cp, "
             ":at1, :at2) RETURNING id",
            soci::use(*viewer.enterprise_id), soci::use(*input.amount_fen), soci::use(*input.term_months),
            soci::use(*input.purpose), soci::use(collateral), soci::use(guarantee), soci::use(max_rate.value, max_rate.ind),
            soci::use(urgency), soci::use(description), soci::use(campaign.value, campaign.ind), soci::use(now),
            soci::use(now), soci::into(id);
        const std::string after = json::serialize(*LoadDemand(s, id));
        return audit::Outcome{.entity_id = std::to_string(id), .after = after, .response = after, .status = 201};
    });
}

Result<audit::Outcome> DemandService::Update(const auth::Principal& viewer, const audit::Actor& actor, long long id,
                                             const DemandInput& input, long long version,
                                             const audit::Command& command) {
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto before = LoadDemand(s, id, viewer.enterprise_id ? Scope(viewer) : "1=0");
        if (!before) return Fail(Error::NotFound("融资需求不存在"));
        if ((*before)["version"].as_int64() != version) return Fail(Error::Conflict("该需求已被修改，请刷新后重试"));
        if ((*before)["status"] != "open") return Fail(Error::Conflict("需求已关闭，不能修改"));
        DemandInput d = input;
        if (!d.amount_fen) d.amount_fen = (*before)["amount_fen"].as_int64();
        if (!d.term_months) d.term_months = (*before)["term_months"].as_int64();
        if (!d.purpose) d.purpose = std::string((*before)["purpose"].as_string());
        if (!d.collateral) d.collateral = std::string((*before)["collateral"].as_string());
        if (!d.guarantee) d.guarantee = std::string((*before)["guarantee"].as_string());
        if (!d.max_rate_bp && !(*before)["max_rate_bp"].is_null()) d.max_rate_bp = (*before)["max_rate_bp"].as_int64();
        if (!d.urgency) d.urgency = std::string((*before)["urgency"].as_string());
        if (!d.description) d.description = std::string((*before)["description"].as_string());
        if (auto errors = Validate(d); !errors.empty()) return Fail(Error::InvalidArgument("融资需求有误", errors));
        if ((*before)["taken"].as_bool()) {
            const std::string snapshot = json::serialize(*before);
            s << "INSERT INTO demand_versions (demand_id, version, snapshot, replaced_at) VALUES (:d, :v, :s, :t)",
                soci::use(id), soci::use(version), soci::use(snapshot), soci::use(now);
        }
        auto max_rate = storage::Nullable(d.max_rate_bp);
        s << "UPDATE demands SET amount_fen = :a, term_months = :t, purpose = :p, collateral = :c, guarantee = :g, "
             "max_rate_bp = :r, urgency = :u, description = :d, updated_at = :at, version = version + 1 WHERE id = :id",
            soci::use(*d.amount_fen), soci::use(*d.term_months), soci::use(*d.purpose), soci::use(*d.collateral),
            soci::use(*d.guarantee), soci::use(max_rate.value, max_rate.ind), soci::use(*d.urgency),
            soci::use(*d.description), soci::use(now), soci::use(id);
        const std::string after = json::serialize(*LoadDemand(s, id));
        return audit::Outcome{.entity_id = std::to_string(id), .before = json::serialize(*before), .after = after,
                              .response = after};
    });
}

Result<audit::Outcome> DemandService::Close(const auth::Principal& viewer, const audit::Actor& actor, long long id,
                                            const audit::Command& command) {
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto before = LoadDemand(s, id, viewer.enterprise_id ? Scope(viewer) : "1=0");
        if (!before) return Fail(Error::NotFound("融资需求不存在"));
        if ((*before)["status"] != "open") return Fail(Error::Conflict("需求已关闭"));
        s << "UPDATE demands SET status = 'closed', updated_at = :t, version = version + 1 WHERE id = :id", soci::use(now),
            soci::use(id);
        const std::string after = json::serialize(*LoadDemand(s, id));
        return audit::Outcome{.entity_id = std::to_string(id), .before = json::serialize(*before), .after = after,
                              .response = after};
    });
}

}  // namespace chanrong::finance

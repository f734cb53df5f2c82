#include "credit/credit_store.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include "common/embedded_data.hpp"
#include "common/json_out.hpp"
#include "credit/whitelist_rules.hpp"
#include "storage/row.hpp"

namespace chanrong::credit {
namespace json = boost::json;
namespace {

bool ShippedFile(std::string_view name, std::string_view prefix) {
    return name.starts_with(prefix) && name.ends_with(".json");
}

Status SyncModels(soci::session& s, TimestampMs now) {
    std::string newest;
    for (const auto& [file, content] : kEmbeddedData) {
        if (!ShippedFile(file, "credit-scorecard-")) continue;
        auto model = ParseScorecardModel(content);
        if (!model) return Fail(Error::Internal("内置评分卡 " + std::string(file) + " 无效：" + model.error().message));
        newest = model->version;
        long long known = 0;
        s << "SELECT COUNT(*) FROM credit_models WHERE version = :v", soci::use(model->version), soci::into(known);
        if (known) continue;
        const std::string body(content), origin = "shipped";
        s << "INSERT INTO credit_models (version, name, body, origin, active, created_at) VALUES (:v, :n, :b, :o, 0, :t)",
            soci::use(model->version), soci::use(model->name), soci::use(body), soci::use(origin), soci::use(now);
    }
    long long active = 0;
    s << "SELECT COUNT(*) FROM credit_models WHERE active = 1", soci::into(active);
    if (!active && !newest.empty()) s << "UPDATE credit_models SET active = 1 WHERE version = :v", soci::use(newest);
    return {};
}

Status SyncWhitelistRules(soci::session& s, TimestampMs now) {
    for (const auto& [file, content] : kEmbeddedData) {
        if (!ShippedFile(file, "whitelist-rules-")) continue;
        auto rules = ParseWhitelistRules(content);
        if (!rules) return Fail(Error::Internal("内置白名单规则 " + std::string(file) + " 无效：" + rules.error().message));
        long long known = 0;
        s << "SELECT COUNT(*) FROM whitelist_rule_sets WHERE version = :v", soci::use(rules->version), soci::into(known);
        if (known) continue;
        const std::string body(content);
        s << "INSERT INTO whitelist_rule_sets (version, body, created_at) VALUES (:v, :b, :t)", soci::use(rules->version),
            soci::use(body), soci::use(now);
    }
    return {};
}

std::vector<CreditRecord> LoadRecords(soci::session& s, long long enterprise_id) {
    std::vector<CreditRecord> out;
    CreditRecord r;
    storage::NullableInt amount, quantity;
    soci::statement st = (s.prepare << "SELECT id, type_code, occurred_on, valid_until, status, value_text, amount_fen, "
                                       "quantity FROM credit_records WHERE enterprise_id = :e ORDER BY id",
                          soci::use(enterprise_id), soci::into(r.id), soci::into(r.type), soci::into(r.occurred_on),
                          soci::into(r.valid_until), soci::into(r.status), soci::into(r.value_text),
                          soci::into(amount.value, amount.ind), soci::into(quantity.value, quantity.ind));
    st.execute();
    while (st.fetch()) {
        r.amount_fen = amount.get();
        r.quantity = quantity.get();
        out.push_back(r);
    }
    return out;
}

EnterpriseBasics LoadBasics(soci::session& s, long long enterprise_id) {
    EnterpriseBasics b;
    s << "SELECT founded_on FROM enterprises WHERE id = :e", soci::use(enterprise_id), soci::into(b.founded_on);
    storage::NullableInt assets, liabilities;
    s << "SELECT assets_fen, liabilities_fen FROM enterprise_figures WHERE enterprise_id = :e ORDER BY year DESC LIMIT 1",
        soci::use(enterprise_id), soci::into(assets.value, assets.ind), soci::into(liabilities.value, liabilities.ind);
    if (s.got_data()) {
        b.total_assets_fen = assets.get();
        b.liabilities_fen = liabilities.get();
    }
    return b;
}

json::array IdsJson(const std::vector<long long>& ids) {
    json::array out;
    for (long long id : ids) out.push_back(id);
    return out;
}

}  // namespace

std::shared_ptr<const ScorecardModel> ScorecardModels::Get(soci::session& s, const std::string& version) {
    {
        std::lock_guard lock(mutex_);
        if (auto it = cache_.find(version); it != cache_.end()) return it->second;
    }
    std::string body;
    s << "SELECT body FROM credit_models WHERE version = :v", soci::use(version), soci::into(body);
    if (!s.got_data()) return nullptr;
    auto model = ParseScorecardModel(body);
    if (!model) return nullptr;
    auto shared = std::make_shared<const ScorecardModel>(std::move(*model));
    std::lock_guard lock(mutex_);
    return cache_.emplace(version, shared).first->second;
}

Result<std::shared_ptr<const ScorecardModel>> ScorecardModels::Active(soci::session& s) {
    std::string version;
    s << "SELECT version FROM credit_models WHERE active = 1", soci::into(version);
    auto model = s.got_data() ? Get(s, version) : nullptr;
    if (!model) return Fail(Error::FailedPrecondition("没有启用的评分卡模型"));
    return model;
}

Status SyncShippedCreditData(soci::session& s, TimestampMs now) {
    if (auto st = SyncModels(s, now); !st) return st;
    return SyncWhitelistRules(s, now);
}

CountingMonths LoadCountingMonths(soci::session& s) {
    CountingMonths out;
    std::string code;
    int months = 0;
    soci::statement st = (s.prepare << "SELECT code, counts_months FROM credit_record_types", soci::into(code),
                          soci::into(months));
    st.execute();
    while (st.fetch()) out[code] = months;
    return out;
}

BuiltInputs LoadScoreInputs(soci::session& s, long long enterprise_id, const CountingMonths& counting,
                            const std::string& as_of) {
    return BuildScoreInputs(LoadRecords(s, enterprise_id), counting, LoadBasics(s, enterprise_id), as_of);
}

namespace {

// A fresh score of the enterprise under the active model, and the current one it would replace.
struct FreshScore {
    std::shared_ptr<const ScorecardModel> model;
    BuiltInputs built;
    ScoreResult result;
    std::string result_text;
    std::optional<long long> unchanged_current;  ///< the current score's id when the fresh one equals it
};

Result<FreshScore> ComputeFresh(soci::session& s, ScorecardModels& models, const CountingMonths& counting,
                                const RescoreRequest& request) {
    auto model = models.Active(s);
    if (!model) return Fail(model.error());
    FreshScore fresh{*model, LoadScoreInputs(s, request.enterprise_id, counting, request.as_of), {}, "", std::nullopt};
    fresh.result = Score(*fresh.model, fresh.built.inputs);
    fresh.result_text = json::serialize(ScoreResultJson(*fresh.model, fresh.result));
    storage::NullableInt current;
    std::string current_version, current_result;
    s << "SELECT id, model_version, result FROM credit_scores WHERE enterprise_id = :e AND is_current = 1",
        soci::use(request.enterprise_id), soci::into(current.value, current.ind), soci::into(current_version),
        soci::into(current_result);
    if (current.get() && current_version == fresh.model->version && current_result == fresh.result_text)
        fresh.unchanged_current = current.value;
    return fresh;
}

}  // namespace

Result<long long> Rescore(soci::session& s, ScorecardModels& models, const CountingMonths& counting,
                          const RescoreRequest& request) {
    auto fresh = ComputeFresh(s, models, counting, request);
    if (!fresh) return Fail(fresh.error());
    if (fresh->unchanged_current) return *fresh->unchanged_current;
    s << "UPDATE credit_scores SET is_current = 0 WHERE enterprise_id = :e AND is_current = 1",
        soci::use(request.enterprise_id);
    const std::string inputs = json::serialize(ScoreInputsJson(fresh->built.inputs));
    const std::string ids = json::serialize(IdsJson(fresh->built.record_ids));
    const std::string grade(fresh->result.grade), capped(fresh->result.capped_by);
    long long id = 0;
    s << "INSERT INTO credit_scores (enterprise_id, model_version, as_of, computed_at, score, grade, capped_by, inputs, "
         "result, record_ids, reason, is_current) VALUES (:e, :v, :a, :t, :s, :g, :c, :i, :r, :ids, :why, 1) RETURNING id",
        soci::use(request.enterprise_id), soci::use(fresh->model->version), soci::use(request.as_of), soci::use(request.now),
        soci::use(fresh->result.score), soci::use(grade), soci::use(capped), soci::use(inputs), soci::use(fresh->result_text),
        soci::use(ids), soci::use(request.reason), soci::into(id);
    return id;
}

Result<bool> RescoreWouldChange(soci::session& s, ScorecardModels& models, const CountingMonths& counting,
                                const RescoreRequest& request) {
    auto fresh = ComputeFresh(s, models, counting, request);
    if (!fresh) return Fail(fresh.error());
    return !fresh->unchanged_current.has_value();
}

std::optional<json::object> CurrentScoreJson(soci::session& s, long long enterprise_id) {
    long long id = 0, at = 0;
    std::string result, as_of, reason;
    s << "SELECT id, result, as_of, computed_at, reason FROM credit_scores WHERE enterprise_id = :e AND is_current = 1",
        soci::use(enterprise_id), soci::into(id), soci::into(result), soci::into(as_of), soci::into(at), soci::into(reason);
    if (!s.got_data()) return std::nullopt;
    json::object out = json::parse(result).as_object();
    out["id"] = id;
    out["as_of"] = as_of;
    out["computed_at"] = OptionalTime(at);
    out["trigger"] = reason;
    return out;
}

json::array RecordsJson(soci::session& s, long long enterprise_id, const std::string& today) {
    const CountingMonths counting = LoadCountingMonths(s);
    json::array out;
    CreditRecord r;
    std::string name, department, source, detail;
    storage::NullableInt amount, quantity;
    soci::statement st = (s.prepare << "SELECT r.id, r.type_code, t.name, t.source_department, r.source, r.occurred_on, "
                                       "r.valid_until, r.status, r.value_text, r.amount_fen, r.quantity, r.detail FROM "
                                       "credit_records r JOIN credit_record_types t ON t.code = r.type_code WHERE "
                                       "r.enterprise_id = :e ORDER BY t.sort, r.occurred_on DESC",
                          soci::use(enterprise_id), soci::into(r.id), soci::into(r.type), soci::into(name),
                          soci::into(department), soci::into(source), soci::into(r.occurred_on), soci::into(r.valid_until),
                          soci::into(r.status), soci::into(r.value_text), soci::into(amount.value, amount.ind),
                          soci::into(quantity.value, quantity.ind), soci::into(detail));
    st.execute();
    while (st.fetch()) {
        auto months = counting.find(r.type);
        const int m = months == counting.end() ? 0 : months->second;
        out.push_back({{"id", r.id}, {"type", r.type}, {"type_name", name}, {"department", department},
                       {"source", source}, {"occurred_on", r.occurred_on}, {"valid_until", r.valid_until},
                       {"status", r.status}, {"value", r.value_text}, {"amount_fen", OptionalInt(amount.get())},
                       {"quantity", OptionalInt(quantity.get())}, {"detail", detail},
                       {"counts", RecordCounts(r, m, today)},
                       {"counts_until", m > 0 ? json::value(AddMonths(r.occurred_on, m)) : json::value(nullptr)}});
    }
    return out;
}

}  // namespace chanrong::credit

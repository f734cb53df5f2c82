#include "credit/credit_service.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include <map>
#include <numeric>

#include "common/json_out.hpp"
#include "common/time_format.hpp"
#include "credit/credit_load.hpp"
#include "credit/monitoring.hpp"
#include "storage/query.hpp"
#include "storage/row.hpp"

namespace chanrong::credit {
namespace json = boost::json;
namespace {

json::array History(soci::session& s, long long enterprise_id) {
    json::array out;
    long long id = 0, at = 0;
    int score = 0, current = 0;
    std::string grade, version, reason;
    soci::statement st = (s.prepare << "SELECT id, score, grade, model_version, computed_at, reason, is_current FROM "
                                       "credit_scores WHERE enterprise_id = :e ORDER BY computed_at DESC, id DESC",
                          soci::use(enterprise_id), soci::into(id), soci::into(score), soci::into(grade),
                          soci::into(version), soci::into(at), soci::into(reason), soci::into(current));
    st.execute();
    while (st.fetch())
        out.push_back({{"id", id}, {"score", score}, {"grade", grade}, {"model_version", version},
                       {"computed_at", OptionalTime(at)}, {"trigger", reason}, {"current", current == 1}});
    return out;
}

json::array Viewers(soci::session& s, long long enterprise_id) {
    json::array out;
    long long at = 0, application = 0;
    std::string institution, user;
    soci::statement st = (s.prepare << "SELECT l.at, i.name, l.user_name, l.application_id FROM credit_access_log l JOIN "
                                       "institutions i ON i.id = l.institution_id WHERE l.enterprise_id = :e ORDER BY l.at "
                                       "DESC LIMIT 200",
                          soci::use(enterprise_id), soci::into(at), soci::into(institution), soci::into(user),
                          soci::into(application));
    st.execute();
    while (st.fetch())
        out.push_back({{"at", OptionalTime(at)}, {"institution", institution}, {"user", user}, {"application_id", application}});
    return out;
}

// "2026-03" → the first instant of April 2026 (the month's end), or nullopt when malformed.
std::optional<TimestampMs> MonthEnd(const std::string& month) {
    int y = 0, m = 0;
    if (month.size() != 7 || std::sscanf(month.c_str(), "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12) return std::nullopt;
    char next[16];
    std::snprintf(next, sizeof next, "%04d-%02d-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
    return ParseIsoTimestamp(next);
}

struct ScorePoint {
    TimestampMs at;
    int score;
};

std::map<long long, std::vector<ScorePoint>> LoadScoreHistory(soci::session& s) {
    std::map<long long, std::vector<ScorePoint>> out;
    long long enterprise = 0, at = 0;
    int score = 0;
    soci::statement st = (s.prepare << "SELECT enterprise_id, computed_at, score FROM credit_scores ORDER BY computed_at, id",
                          soci::into(enterprise), soci::into(at), soci::into(score));
    st.execute();
    while (st.fetch()) out[enterprise].push_back({at, score});
    return out;
}

// The score an enterprise had at `t` (its latest score computed before t).
std::optional<int> ScoreAt(const std::vector<ScorePoint>& history, TimestampMs t) {
    std::optional<int> out;
    for (const auto& p : history) {
        if (p.at >= t) break;
        out = p.score;
    }
    return out;
}

json::object SeparationJson(soci::session& s, const std::map<long long, std::vector<ScorePoint>>& history) {
    std::vector<ScoredOutcome> outcomes;
    long long enterprise = 0, unscored = 0;
    std::string disbursed, outcome;
    soci::statement st = (s.prepare << "SELECT enterprise_id, disbursed_on, outcome FROM loans", soci::into(enterprise),
                          soci::into(disbursed), soci::into(outcome));
    st.execute();
    while (st.fetch()) {
        auto it = history.find(enterprise);
        auto end_of_day = ParseIsoTimestamp(disbursed);
        auto score = it == history.end() || !end_of_day ? std::nullopt : ScoreAt(it->second, *end_of_day + 86'400'000);
        if (!score) ++unscored;
        else outcomes.push_back({*score, outcome == "overdue" || outcome == "default"});
    }
    auto sep = MeasureSeparation(outcomes);
    const long long bads = std::count_if(outcomes.begin(), outcomes.end(), [](const auto& o) { return o.bad; });
    return {{"loans_scored", static_cast<long long>(outcomes.size())}, {"loans_unscored", unscored},
            {"goods", static_cast<long long>(outcomes.size()) - bads}, {"bads", bads},
            {"ks", sep ? json::value(sep->ks) : json::value(nullptr)}, {"auc", sep ? json::value(sep->auc) : json::value(nullptr)}};
}

// Up to `n` scored enterprises after `after` whose yearly figures changed after `since` and after their current score.
std::vector<long long> ChangedFiguresPage(soci::session& s, TimestampMs since, long long after, long long n) {
    std::vector<long long> ids;
    long long id = 0;
    soci::statement st = (s.prepare << "SELECT DISTINCT f.enterprise_id FROM enterprise_figures f "
                                       "WHERE f.updated_at > :m AND f.enterprise_id > :a AND EXISTS ("
                                       "SELECT 1 FROM credit_scores c WHERE c.enterprise_id = f.enterprise_id "
                                       "AND c.is_current = 1 AND c.computed_at < f.updated_at) "
                                       "ORDER BY f.enterprise_id LIMIT :n",
                          soci::use(since), soci::use(after), soci::use(n), soci::into(id));
    st.execute();
    while (st.fetch()) ids.push_back(id);
    return ids;
}

}  // namespace

Result<json::object> CreditService::Profile(long long enterprise_id) {
    const std::string today = TodayIso(clock_);
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        std::string name, uscc;
        s << "SELECT name, uscc FROM enterprises WHERE id = :e", soci::use(enterprise_id), soci::into(name), soci::into(uscc);
        if (!s.got_data()) return Fail(Error::NotFound("企业不存在"));
        auto score = CurrentScoreJson(s, enterprise_id);
        return json::object{{"enterprise", {{"id", enterprise_id}, {"name", name}, {"uscc", uscc}}},
                            {"score", score ? json::value(std::move(*score)) : json::value(nullptr)},
                            {"history", History(s, enterprise_id)},
                            {"records", RecordsJson(s, enterprise_id, today)},
                            {"viewers", Viewers(s, enterprise_id)}};
    });
}

Result<json::object> CreditService::RecordTypes() {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        json::array items;
        std::string code, name, department, kind, allowed, description;
        int months = 0, red = 0;
        soci::statement st = (s.prepare << "SELECT code, name, source_department, value_kind, allowed_values, counts_months, "
                                           "red_flag, description FROM credit_record_types ORDER BY sort",
                              soci::into(code), soci::into(name), soci::into(department), soci::into(kind),
                              soci::into(allowed), soci::into(months), soci::into(red), soci::into(description));
        st.execute();
        while (st.fetch())
            items.push_back({{"code", code}, {"name", name}, {"source_department", department}, {"value_kind", kind},
                             {"allowed_values", allowed}, {"counts_months", months}, {"red_flag", red == 1},
                             {"description", description}});
        return json::object{{"items", std::move(items)}};
    });
}

Result<audit::Outcome> CreditService::UpdateRecordType(const audit::Actor& actor, const std::string& code,
                                                       const RecordTypeUpdate& u, const audit::Command& command) {
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        std::string name, department, description;
        int months = 0;
        s << "SELECT name, source_department, description, counts_months FROM credit_record_types WHERE code = :c",
            soci::use(code), soci::into(name), soci::into(department), soci::into(description), soci::into(months);
        if (!s.got_data()) return Fail(Error::NotFound("记录类型不存在"));
        const json::object before{{"name", name}, {"source_department", department}, {"description", description},
                                  {"counts_months", months}};
        name = u.name.value_or(name);
        department = u.source_department.value_or(department);
        description = u.description.value_or(description);
        months = static_cast<int>(u.counts_months.value_or(months));
        s << "UPDATE credit_record_types SET name = :n, source_department = :d, description = :x, counts_months = :m, "
             "updated_at = :t WHERE code = :c",
            soci::use(name), soci::use(department), soci::use(description), soci::use(months), soci::use(now), soci::use(code);
        const json::object after{{"code", code}, {"name", name}, {"source_department", department},
                                 {"description", description}, {"counts_months", months}};
        return audit::Outcome{.entity_id = code, .before = json::serialize(before), .after = json::serialize(after),
                              .response = json::serialize(after)};
    });
}

Result<json::object> CreditService::Loads(const std::optional<std::string>& source, long long offset, long long limit) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        storage::Query q("SELECT c.import_id, c.source, c.format, c.quality, c.rescored, c.at, i.file_name, i.user_name, "
                         "i.dry_run, i.applied, i.total_rows, i.created, i.updated, i.unchanged, i.rejected_rows");
        q.Sql(" FROM credit_loads c JOIN imports i ON i.id = c.import_id");
        storage::Query count("SELECT COUNT(*) FROM credit_loads c");
        for (storage::Query* query : {&q, &count})
            if (source) query->Sql(" WHERE c.source = ").Bind(*source);
        q.Sql(" ORDER BY c.import_id DESC LIMIT ").Bind(limit).Sql(" OFFSET ").Bind(offset);
        struct Row {
            long long id = 0, rescored = 0, at = 0, total = 0, created = 0, updated = 0, unchanged = 0, rejected = 0;
            int dry = 0, applied = 0;
            std::string source, format, quality, file, user;
            void Into(soci::statement& st) {
                st.exchange(soci::into(id)), st.exchange(soci::into(source)), st.exchange(soci::into(format));
                st.exchange(soci::into(quality)), st.exchange(soci::into(rescored)), st.exchange(soci::into(at));
                st.exchange(soci::into(file)), st.exchange(soci::into(user)), st.exchange(soci::into(dry));
                st.exchange(soci::into(applied)), st.exchange(soci::into(total)), st.exchange(soci::into(created));
                st.exchange(soci::into(updated)), st.exchange(soci::into(unchanged)), st.exchange(soci::into(rejected));
            }
        } row;
        json::array items;
        storage::ForEachRow(s, q, row, [&] {
            items.push_back({{"import_id", row.id}, {"source", row.source}, {"format", row.format},
                             {"quality", json::parse(row.quality)}, {"rescored", row.rescored},
                             {"at", OptionalTime(row.at)}, {"file_name", row.file}, {"user_name", row.user},
                             {"dry_run", row.dry == 1}, {"applied", row.applied == 1}, {"total_rows", row.total},
                             {"created", row.created}, {"updated", row.updated}, {"unchanged", row.unchanged},
                             {"rejected_rows", row.rejected}});
        });
        return PageJson(std::move(items), storage::CountOf(s, count), offset, limit);
    });
}

Result<json::object> CreditService::Sources() {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        struct Totals {
            long long loads = 0, rows = 0, passed = 0, last_at = 0;
            std::map<std::string, long long> rules;
        };
        std::map<std::string, Totals> by_source;
        std::string source, quality;
        long long at = 0;
        soci::statement st = (s.prepare << "SELECT source, quality, at FROM credit_loads ORDER BY at", soci::into(source),
                              soci::into(quality), soci::into(at));
        st.execute();
        while (st.fetch()) {
            Totals& t = by_source[source];
            const json::object q = json::parse(quality).as_object();
            ++t.loads;
            t.rows += q.at("rows_checked").as_int64();
            t.passed += q.at("rows_passed").as_int64();
            t.last_at = at;
            for (const auto& rule : q.at("rules").as_array())
                t.rules[std::string(rule.at("code").as_string())] += rule.at("rows").as_int64();
        }
        json::array items;
        for (const auto& [name, t] : by_source) {
            json::array rules;
            for (const auto& rule : QualityRules()) {
                auto rows = t.rules.find(rule.code);
                rules.push_back(json::object{{"code", rule.code}, {"name", rule.name},
                                             {"rows", rows == t.rules.end() ? 0 : rows->second}});
            }
            items.push_back({{"source", name}, {"loads", t.loads}, {"rows_checked", t.rows}, {"rows_passed", t.passed},
                             {"pass_rate", t.rows ? json::value(static_cast<double>(t.passed) / t.rows) : json::value(nullptr)},
                             {"last_at", OptionalTime(t.last_at)}, {"rules", std::move(rules)}});
        }
        return json::object{{"items", std::move(items)}};
    });
}

Result<audit::Outcome> CreditService::Rescore(const audit::Actor& actor, long long enterprise_id,
                                              const audit::Command& command) {
    const TimestampMs now = clock_.NowMs();
    const std::string today = TodayIso(clock_);
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        long long known = 0;
        s << "SELECT COUNT(*) FROM enterprises WHERE id = :e", soci::use(enterprise_id), soci::into(known);
        if (!known) return Fail(Error::NotFound("企业不存在"));
        auto id = credit::Rescore(s, models_, LoadCountingMonths(s), {enterprise_id, "manual", today, now});
        if (!id) return Fail(id.error());
        const std::string after = json::serialize(*CurrentScoreJson(s, enterprise_id));
        return audit::Outcome{.entity_id = std::to_string(enterprise_id), .after = after, .response = after};
    });
}

Result<long long> CreditService::RescoreAllIn(soci::session& s, const std::string& reason) {
    const CountingMonths counting = LoadCountingMonths(s);
    std::vector<long long> ids;
    long long id = 0;
    soci::statement st = (s.prepare << "SELECT id FROM enterprises ORDER BY id", soci::into(id));
    st.execute();
    while (st.fetch()) ids.push_back(id);
    const RescoreRequest base{0, reason, TodayIso(clock_), clock_.NowMs()};
    for (long long enterprise : ids) {
        RescoreRequest request = base;
        request.enterprise_id = enterprise;
        if (auto scored = credit::Rescore(s, models_, counting, request); !scored) return Fail(scored.error());
    }
    return static_cast<long long>(ids.size());
}

Result<long long> CreditService::RescoreAll(const std::string& reason) {
    return db_.Write([&](soci::session& s) { return RescoreAllIn(s, reason); });
}

Result<long long> CreditService::RescoreChangedFigures() {
    constexpr long long kPerCommand = 1000;
    constexpr TimestampMs kSettleMs = 10 * 60'000;
    auto mark = db_.Read([&](soci::session& s) -> Result<TimestampMs> {
        TimestampMs latest = 0;
        soci::indicator ind;
        s << "SELECT MAX(updated_at) FROM enterprise_figures", soci::into(latest, ind);
        return ind == soci::i_ok ? latest : 0;
    });
    if (!mark) return Fail(mark.error());
    audit::Actor system = audit::Actor::System("credit-scheduler");
    system.request_id = "scheduler";
    const audit::Command command{.action = "credit.rescore_figures", .entity = "enterprise", .permission = "credit:load"};
    long long after = 0, looked_at = 0;
    const RescoreRequest base{0, "figures", TodayIso(clock_), clock_.NowMs()};
    while (true) {
        std::vector<long long> page, changing;  // the page looked at, and those whose score would change
        auto read = db_.Read([&](soci::session& s) -> Status {
            page = ChangedFiguresPage(s, figures_mark_, after, kPerCommand);
            const CountingMonths counting = LoadCountingMonths(s);
            for (long long enterprise : page) {
                RescoreRequest request = base;
                request.enterprise_id = enterprise;
                auto would = RescoreWouldChange(s, models_, counting, request);
                if (!would) return Fail(would.error());
                if (*would) changing.push_back(enterprise);
            }
            return {};
        });
        if (!read) return Fail(read.error());
        if (page.empty()) break;
        // Scores that come out the same are not written, so a page that changes none leaves no audit row either.
        if (!changing.empty()) {
            auto rescored = pipeline_.Execute(system, command, [&](soci::session& s) -> Result<audit::Outcome> {
                const CountingMonths counting = LoadCountingMonths(s);
                for (long long enterprise : changing) {
                    RescoreRequest request = base;
                    request.enterprise_id = enterprise;
                    if (auto id = credit::Rescore(s, models_, counting, request); !id) return Fail(id.error());
                }
                const std::string outcome = json::serialize(json::object{
                    {"reason", "yearly figures changed"}, {"rescored", json::array(changing.begin(), changing.end())}});
                return audit::Outcome{.entity_id = std::to_string(changing.front()), .after = outcome, .response = outcome};
            });
            if (!rescored) return Fail(rescored.error());
        }
        looked_at += static_cast<long long>(page.size());
        after = page.back();
        if (static_cast<long long>(page.size()) < kPerCommand) break;
    }
    // Figures are stamped when written but seen when their transaction commits (an import runs for a while): the
    // mark trails the clock, so what changed in the last ten minutes is looked at again on the next pass.
    figures_mark_ = std::min(*mark, clock_.NowMs() - kSettleMs);
    return looked_at;
}

Result<json::object> CreditService::Replay(long long score_id) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        std::string version, inputs, stored;
        s << "SELECT model_version, inputs, result FROM credit_scores WHERE id = :id", soci::use(score_id),
            soci::into(version), soci::into(inputs), soci::into(stored);
        if (!s.got_data()) return Fail(Error::NotFound("评分记录不存在"));
        auto model = models_.Get(s, version);
        if (!model) return Fail(Error::Internal("评分卡模型 " + version + " 无法读取"));
        auto parsed = ParseScoreInputs(json::parse(inputs));
        if (!parsed) return Fail(parsed.error());
        const std::string replayed = json::serialize(ScoreResultJson(*model, Score(*model, *parsed)));
        return json::object{{"score_id", score_id}, {"model_version", version}, {"matches", replayed == stored},
                            {"stored", json::parse(stored)}, {"replayed", json::parse(replayed)},
                            {"inputs", json::parse(inputs)}};
    });
}

Result<json::object> CreditService::Models() {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        json::array items;
        std::string version, name, origin, by;
        int active = 0;
        long long at = 0;
        soci::statement st = (s.prepare << "SELECT version, name, origin, active, created_at, created_by FROM credit_models "
                                           "ORDER BY created_at, version",
                              soci::into(version), soci::into(name), soci::into(origin), soci::into(active),
                              soci::into(at), soci::into(by));
        st.execute();
        while (st.fetch())
            items.push_back({{"version", version}, {"name", name}, {"origin", origin}, {"active", active == 1},
                             {"created_at", OptionalTime(at)}, {"created_by", by}});
        return json::object{{"items", std::move(items)}};
    });
}

Result<json::object> CreditService::Model(const std::string& version) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        std::string body;
        int active = 0;
        s << "SELECT body, active FROM credit_models WHERE version = :v", soci::use(version), soci::into(body),
            soci::into(active);
        if (!s.got_data()) return Fail(Error::NotFound("评分卡模型不存在"));
        return json::object{{"version", version}, {"active", active == 1}, {"model", json::parse(body)}};
    });
}

Result<audit::Outcome> CreditService::AddModel(const audit::Actor& actor, const std::string& body,
                                               const audit::Command& command) {
    auto model = ParseScorecardModel(body);
    if (!model) return Fail(model.error());
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        long long known = 0;
        s << "SELECT COUNT(*) FROM credit_models WHERE version = :v", soci::use(model->version), soci::into(known);
        if (known) return Fail(Error::Conflict("版本 " + model->version + " 已存在；模型一经保存不能修改，请使用新版本号"));
        const std::string origin = "uploaded";
        s << "INSERT INTO credit_models (version, name, body, origin, active, created_at, created_by) VALUES (:v, :n, :b, "
             ":o, 0, :t, :u)",
            soci::use(model->version), soci::use(model->name), soci::use(body), soci::use(origin), soci::use(now),
            soci::use(actor.name);
        const std::string after = json::serialize(json::object{{"version", model->version}, {"name", model->name}, {"active", false}});
        return audit::Outcome{.entity_id = model->version, .after = after, .response = after, .status = 201};
    });
}

Result<audit::Outcome> CreditService::ActivateModel(const audit::Actor& actor, const std::string& version,
                                                    const audit::Command& command) {
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        if (!models_.Get(s, version)) return Fail(Error::NotFound("评分卡模型不存在"));
        std::string previous;
        s << "SELECT version FROM credit_models WHERE active = 1", soci::into(previous);
        s << "UPDATE credit_models SET active = CASE WHEN version = :v THEN 1 ELSE 0 END", soci::use(version);
        auto rescored = RescoreAllIn(s, "model:" + version);
        if (!rescored) return Fail(rescored.error());
        const std::string after = json::serialize(json::object{{"active", version}, {"rescored", *rescored}});
        return audit::Outcome{.entity_id = version, .before = json::serialize(json::object{{"active", previous}}),
                              .after = after, .response = after};
    });
}

Result<json::object> CreditService::Monitoring(const std::string& from_month, const std::string& to_month) {
    const auto from_end = MonthEnd(from_month), to_end = MonthEnd(to_month);
    if (!from_end) return Fail(Error::Field("from", "invalid", "月份格式应为 YYYY-MM"));
    if (!to_end || *to_end < *from_end) return Fail(Error::Field("to", "invalid", "月份格式应为 YYYY-MM，且不早于 from"));
    if (*to_end - *from_end > 121LL * 31 * 86'400'000) return Fail(Error::Field("to", "too_long", "最多 120 个月"));
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        const auto history = LoadScoreHistory(s);
        json::array months;
        std::vector<long long> first, previous;
        for (std::string month = from_month; MonthEnd(month) <= to_end; month = AddMonths(month + "-01", 1).substr(0, 7)) {
            std::vector<long long> counts(kScoreBands, 0);
            const TimestampMs end = *MonthEnd(month);
            for (const auto& [_, points] : history)
                if (auto score = ScoreAt(points, end)) ++counts[ScoreBand(*score)];
            if (first.empty() && std::accumulate(counts.begin(), counts.end(), 0LL) > 0) first = counts;
            auto psi_first = first.empty() ? std::nullopt : PopulationStabilityIndex(first, counts);
            auto psi_prev = previous.empty() ? std::nullopt : PopulationStabilityIndex(previous, counts);
            json::array bands;
            for (long long c : counts) bands.push_back(c);
            months.push_back({{"month", month}, {"bands", std::move(bands)},
                              {"scored", std::accumulate(counts.begin(), counts.end(), 0LL)},
                              {"psi_vs_first", psi_first ? json::value(*psi_first) : json::value(nullptr)},
                              {"psi_vs_previous", psi_prev ? json::value(*psi_prev) : json::value(nullptr)}});
            previous = counts;
        }
        return json::object{{"from", from_month}, {"to", to_month}, {"band_width", 1000 / kScoreBands},
                            {"months", std::move(months)}, {"separation", SeparationJson(s, history)},
                            {"reproduce", "chanrong credit monitor --from " + from_month + " --to " + to_month}};
    });
}

}  // namespace chanrong::credit

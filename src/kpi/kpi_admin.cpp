// Targets edited with history, figures reported by responsible units with a second officer's confirmation,
// and matchmaking events.

#include <soci/soci.h>

#include "common/json_out.hpp"
#include "common/time_format.hpp"
#include "kpi/calendar.hpp"
#include "kpi/kpi_service_internal.hpp"
#include "storage/query.hpp"
#include "storage/row.hpp"

namespace chanrong::kpi {
namespace json = boost::json;
namespace {

struct TargetRow {
    std::string id, indicator_id, area, comparator, units, clause, commentary;
    int year = 0, version = 0;
    long long value = 0, updated_at = 0;

    void Into(soci::statement& st) {
        st.exchange(soci::into(id)), st.exchange(soci::into(year)), st.exchange(soci::into(indicator_id));
        st.exchange(soci::into(area)), st.exchange(soci::into(comparator)), st.exchange(soci::into(value));
        st.exchange(soci::into(units)), st.exchange(soci::into(clause)), st.exchange(soci::into(commentary));
        st.exchange(soci::into(updated_at)), st.exchange(soci::into(version));
    }
    json::object ToJson() const {
        json::array unit_list;
        for (const auto& u : SplitUnits(units)) unit_list.emplace_back(u);
        return {{"id", id}, {"year", year}, {"indicator_id", indicator_id}, {"area", area}, {"comparator", comparator},
                {"target_value", value}, {"responsible_units", std::move(unit_list)}, {"source_clause", clause},
                {"commentary", commentary}, {"updated_at", OptionalTime(updated_at)}, {"version", version}};
    }
};

constexpr const char* kTargetColumns =
    "SELECT id, year, indicator_id, area, comparator, target_value, responsible_units, source_clause, commentary, "
    "updated_at, version FROM kpi_targets";

std::optional<TargetRow> LoadTarget(soci::session& s, const std::string& id) {
    storage::Query q(kTargetColumns);
    q.Sql(" WHERE id = ").Bind(id);
    TargetRow row;
    bool found = false;
    storage::ForEachRow(s, q, row, [&] { found = true; });
    return found ? std::optional(row) : std::nullopt;
}

struct ReportRow {
    long long id = 0, value = 0, filed_at = 0;
    storage::NullableInt corrects, filed_by, decided_at;
    std::string indicator, period, as_of, unit, note, evidence, status, filer, decider, decision_note;
};

std::optional<ReportRow> LoadReport(soci::session& s, long long id) {
    ReportRow r;
    s << "SELECT id, indicator_id, period, as_of, value, unit_name, note, evidence, status, corrects_id, filed_by, "
         "filed_by_name, filed_at, decided_by_name, decided_at, decision_note FROM kpi_reported WHERE id = :id",
        soci::use(id), soci::into(r.id), soci::into(r.indicator), soci::into(r.period), soci::into(r.as_of),
        soci::into(r.value), soci::into(r.unit), soci::into(r.note), soci::into(r.evidence), soci::into(r.status),
        soci::into(r.corrects.value, r.corrects.ind), soci::into(r.filed_by.value, r.filed_by.ind), soci::into(r.filer),
        soci::into(r.filed_at), soci::into(r.decider), soci::into(r.decided_at.value, r.decided_at.ind),
        soci::into(r.decision_note);
    if (!s.got_data()) return std::nullopt;
    return r;
}

json::object ReportJson(const ReportRow& r) {
    return {{"id", r.id}, {"indicator_id", r.indicator}, {"period", r.period}, {"as_of", r.as_of}, {"value", r.value},
            {"unit_name", r.unit}, {"note", r.note}, {"evidence", r.evidence}, {"status", r.status},
            {"corrects_id", OptionalInt(r.corrects.get())}, {"filed_by", r.filer}, {"filed_at", OptionalTime(r.filed_at)},
            {"decided_by", r.decider}, {"decided_at", OptionalTime(r.decided_at.get())}, {"decision_note", r.decision_note}};
}

Result<ReportRow> PendingReport(soci::session& s, long long id) {
    auto r = LoadReport(s, id);
    if (!r) return Fail(Error::NotFound("填报记录不存在"));
    if (r->status != "pending") return Fail(Error::Conflict("该填报已处理（" + r->status + "）"));
    return *r;
}

// A reported indicator of the catalogue, or a 400 naming the field.
Result<const Indicator*> ReportedIndicator(const std::string& id) {
    static const auto catalogue = LoadEmbeddedCatalogue();
    if (!catalogue) return Fail(catalogue.error());
    const Indicator* i = catalogue->Find(id);
    if (!i) return Fail(Error::Field("indicator_id", "not_found", "指标不存在"));
    if (i->source != Source::kReported) return Fail(Error::Field("indicator_id", "not_reported", "该指标由平台数据计算，无需填报"));
    return i;
}

}  // namespace

Result<json::object> KpiService::Targets(std::optional<long long> year) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        storage::Query q(kTargetColumns);
        if (year) q.Sql(" WHERE year = ").Bind(*year);
        q.Sql(" ORDER BY id");
        TargetRow row;
        json::array items;
        storage::ForEachRow(s, q, row, [&] { items.push_back(row.ToJson()); });
        return json::object{{"items", std::move(items)}};
    });
}

Result<audit::Outcome> KpiService::UpdateTarget(const audit::Actor& actor, const std::string& id, const TargetUpdate& u,
                                                const audit::Command& command) {
    if (u.comparator && !ParseComparator(*u.comparator))
        return Fail(Error::Field("comparator", "invalid", "应为 >=、> 或 ~"));
    if (u.target_value && *u.target_value < 0) return Fail(Error::Field("target_value", "out_of_range", "目标值不能为负"));
    const bool changes_goal = u.comparator || u.target_value;
    if (changes_goal && u.reason.empty()) return Fail(Error::Field("reason", "required", "修改目标须说明理由"));
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto before = LoadTarget(s, id);
        if (!before) return Fail(Error::NotFound("目标不存在"));
        if (changes_goal)
            s << "INSERT INTO kpi_target_history (target_id, version, comparator, target_value, reason, changed_by, "
                 "changed_at) VALUES (:id, :v, :c, :t, :r, :u, :at)",
                soci::use(id), soci::use(before->version), soci::use(before->comparator), soci::use(before->value),
                soci::use(u.reason), soci::use(actor.name), soci::use(now);
        const std::string comparator = u.comparator.value_or(before->comparator);
        const std::string commentary = u.commentary.value_or(before->commentary);
        const long long value = u.target_value.value_or(before->value);
        s << "UPDATE kpi_targets SET comparator = :c, target_value = :v, commentary = :m, updated_at = :t, version = "
             "version + 1 WHERE id = :id",
            soci::use(comparator), soci::use(value), soci::use(commentary), soci::use(now), soci::use(id);
        const std::string after = json::serialize(LoadTarget(s, id)->ToJson());
        return audit::Outcome{.entity_id = id, .before = json::serialize(before->ToJson()), .after = after, .response = after};
    });
}

Result<json::object> KpiService::TargetHistory(const std::string& id) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        if (!LoadTarget(s, id)) return Fail(Error::NotFound("目标不存在"));
        json::array items;
        int version = 0;
        long long value = 0, at = 0;
        std::string comparator, reason, by;
        soci::statement st = (s.prepare << "SELECT version, comparator, target_value, reason, changed_by, changed_at FROM "
                                           "kpi_target_history WHERE target_id = :id ORDER BY id DESC",
                              soci::use(id), soci::into(version), soci::into(comparator), soci::into(value),
                              soci::into(reason), soci::into(by), soci::into(at));
        st.execute();
        while (st.fetch())
            items.push_back({{"version", version}, {"comparator", comparator}, {"target_value", value},
                             {"reason", reason}, {"changed_by", by}, {"changed_at", OptionalTime(at)}});
        return json::object{{"items", std::move(items)}};
    });
}

Result<json::object> KpiService::Reported(const std::optional<std::string>& indicator,
                                          const std::optional<std::string>& status, long long offset, long long limit) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        std::vector<long long> found;
        auto where = [&](storage::Query& q) {
            q.Sql(" WHERE 1 = 1");
            if (indicator) q.Sql(" AND indicator_id = ").Bind(*indicator);
            if (status) q.Sql(" AND status = ").Bind(*status);
        };
        storage::Query total("SELECT COUNT(*) FROM kpi_reported");
        where(total);
        storage::Query q("SELECT id FROM kpi_reported");
        where(q);
        q.Sql(" ORDER BY id DESC LIMIT ").Bind(limit).Sql(" OFFSET ").Bind(offset);
        struct Row {
            long long id = 0;
            void Into(soci::statement& st) { st.exchange(soci::into(id)); }
        } row;
        storage::ForEachRow(s, q, row, [&] { found.push_back(row.id); });
        json::array items;
        for (long long id : found) items.push_back(ReportJson(*LoadReport(s, id)));
        return PageJson(std::move(items), storage::CountOf(s, total), offset, limit);
    });
}

Result<audit::Outcome> KpiService::FileReport(const audit::Actor& actor, const ReportInput& in,
                                              const audit::Command& command) {
    auto indicator = ReportedIndicator(in.indicator_id);
    if (!indicator) return Fail(indicator.error());
    const auto period = ParsePeriod(in.period);
    if (!period) return Fail(Error::Field("period", "invalid", "月份格式应为 YYYY-MM"));
    if (in.value < 0) return Fail(Error::Field("value", "out_of_range", "数值不能为负"));
    const std::string as_of = IsoDay(MonthEnd(*period));
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        long long confirmed = 0;
        s << "SELECT COUNT(*) FROM kpi_reported WHERE indicator_id = :i AND period = :p AND status = 'confirmed'",
            soci::use(in.indicator_id), soci::use(in.period), soci::into(confirmed);
        if (in.corrects_id) {
            auto old = LoadReport(s, *in.corrects_id);
            if (!old || old->status != "confirmed" || old->indicator != in.indicator_id || old->period != in.period)
                return Fail(Error::Field("corrects_id", "invalid", "只能更正同一指标同一月份已确认的数值"));
        } else if (confirmed) {
            return Fail(Error::Conflict("该月份已有确认的数值；如需修改请提交更正（corrects_id）"));
        }
        auto corrects = storage::Nullable(in.corrects_id);
        auto by = storage::Nullable(actor.user_id);
        long long id = 0;
        s << "INSERT INTO kpi_reported (indicator_id, period, as_of, value, unit_name, note, evidence, corrects_id, "
             "filed_by, filed_by_name, filed_at) VALUES (:i, :p, :a, :v, :u, :n, :e, :c, :b, :bn, :t) RETURNING id",
            soci::use(in.indicator_id), soci::use(in.period), soci::use(as_of), soci::use(in.value), soci::use(actor.name),
            soci::use(in.note), soci::use(in.evidence), soci::use(corrects.value, corrects.ind),
            soci::use(by.value, by.ind), soci::use(actor.name), soci::use(now), soci::into(id);
        const std::string after = json::serialize(ReportJson(*LoadReport(s, id)));
        return audit::Outcome{.entity_id = std::to_string(id), .after = after, .response = after, .status = 201};
    });
}

Result<audit::Outcome> KpiService::ConfirmReport(const audit::Actor& actor, long long id, const audit::Command& command) {
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto r = PendingReport(s, id);
        if (!r) return Fail(r.error());
        if (!actor.user_id || r->filed_by.get() == actor.user_id)
            return Fail(Error::PermissionDenied("不能确认自己填报的数值，须由另一名工作人员复核"));
        if (r->corrects.get())
            s << "UPDATE kpi_reported SET status = 'superseded' WHERE id = :c AND status = 'confirmed'",
                soci::use(r->corrects.value);
        s << "UPDATE kpi_reported SET status = 'confirmed', decided_by = :u, decided_by_name = :n, decided_at = :t WHERE "
             "id = :id",
            soci::use(*actor.user_id), soci::use(actor.name), soci::use(now), soci::use(id);
        const std::string after = json::serialize(ReportJson(*LoadReport(s, id)));
        return audit::Outcome{.entity_id = std::to_string(id), .before = json::serialize(ReportJson(*r)), .after = after,
                              .response = after};
    });
}

Result<audit::Outcome> KpiService::RejectReport(const audit::Actor& actor, long long id, const std::string& note,
                                                const audit::Command& command) {
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto r = PendingReport(s, id);
        if (!r) return Fail(r.error());
        auto by = storage::Nullable(actor.user_id);
        s << "UPDATE kpi_reported SET status = 'rejected', decided_by = :u, decided_by_name = :n, decided_at = :t, "
             "decision_note = :note WHERE id = :id",
            soci::use(by.value, by.ind), soci::use(actor.name), soci::use(now), soci::use(note), soci::use(id);
        const std::string after = json::serialize(ReportJson(*LoadReport(s, id)));
        return audit::Outcome{.entity_id = std::to_string(id), .before = json::serialize(ReportJson(*r)), .after = after,
                              .response = after};
    });
}

Result<json::object> KpiService::Events(std::optional<long long> year) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        storage::Query q("SELECT id, title, held_on, organiser, district, enterprises, institutions, financing_fen, note "
                         "FROM matchmaking_events");
        if (year) q.Sql(" WHERE held_on >= ").Bind(std::to_string(*year) + "-01-01").Sql(" AND held_on <= ").Bind(std::to_string(*year) + "-12-31");
        q.Sql(" ORDER BY held_on DESC, id DESC");
        struct Row {
            long long id = 0, financing = 0;
            int enterprises = 0, institutions = 0;
            std::string title, held, organiser, district, note;
            void Into(soci::statement& st) {
                st.exchange(soci::into(id)), st.exchange(soci::into(title)), st.exchange(soci::into(held));
                st.exchange(soci::into(organiser)), st.exchange(soci::into(district)), st.exchange(soci::into(enterprises));
                st.exchange(soci::into(institutions)), st.exchange(soci::into(financing)), st.exchange(soci::into(note));
            }
        } r;
        json::array items;
        storage::ForEachRow(s, q, r, [&] {
            items.push_back({{"id", r.id}, {"title", r.title}, {"held_on", r.held}, {"organiser", r.organiser},
                             {"district", r.district}, {"enterprises", r.enterprises}, {"institutions", r.institutions},
                             {"financing_fen", r.financing}, {"note", r.note}});
        });
        return json::object{{"items", std::move(items)}};
    });
}

Result<audit::Outcome> KpiService::CreateEvent(const audit::Actor& actor, const EventInput& in,
                                               const audit::Command& command) {
    if (!IsValidDate(DayOf(in.held_on))) return Fail(Error::Field("held_on", "invalid_date", "日期格式应为 YYYY-MM-DD"));
    if (in.held_on > TodayIso(clock_)) return Fail(Error::Field("held_on", "in_future", "只能登记已举办的活动"));
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        long long id = 0;
        s << "INSERT INTO matchmaking_events (title, held_on, organiser, district, enterprises, institutions, financing_fen, "
             "note, created_by, created_at, updated_at) VALUES (:t, :h, :o, :d, :e, :i, :f, :n, :b, :c, :u) RETURNING id",
            soci::use(in.title), soci::use(in.held_on), soci::use(in.organiser), soci::use(in.district),
            soci::use(in.enterprises), soci::use(in.institutions), soci::use(in.financing_fen), soci::use(in.note),
            soci::use(actor.name), soci::use(now), soci::use(now), soci::into(id);
        const std::string after = json::serialize(json::object{{"id", id}, {"title", in.title}, {"held_on", in.held_on},
                                                               {"financing_fen", in.financing_fen}});
        return audit::Outcome{.entity_id = std::to_string(id), .after = after, .response = after, .status = 201};
    });
}

}  // namespace chanrong::kpi

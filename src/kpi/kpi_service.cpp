#include "kpi/kpi_service.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include <map>

#include "common/embedded_data.hpp"
#include "common/json_out.hpp"
#include "common/time_format.hpp"
#include "kpi/calendar.hpp"
#include "kpi/kpi_service_internal.hpp"
#include "kpi/snapshot.hpp"

namespace chanrong::kpi {
namespace json = boost::json;
namespace {

const std::map<std::string, std::string> kInstitutionKindNames = {
    {"bank", "银行"}, {"insurer", "保险公司"}, {"securities", "证券公司"}, {"guarantor", "融资担保公司"},
    {"fund", "基金管理人"}, {"leasing", "融资租赁公司"}, {"factoring", "商业保理公司"}};

std::map<std::string, std::string> NameMap(soci::session& s, const std::string& sql) {
    std::map<std::string, std::string> out;
    std::string code, name;
    soci::statement st = (s.prepare << sql, soci::into(code), soci::into(name));
    st.execute();
    while (st.fetch()) out[code] = name;
    return out;
}

Result<Catalogue> CatalogueWithTargets(soci::session& s) {
    auto catalogue = LoadEmbeddedCatalogue();
    if (!catalogue) return Fail(catalogue.error());
    catalogue->targets.clear();
    Target t;
    std::string comparator, units;
    int year = 0;
    soci::statement st = (s.prepare << "SELECT id, year, indicator_id, area, comparator, target_value, responsible_units, "
                                       "source_clause FROM kpi_targets ORDER BY id",
                          soci::into(t.id), soci::into(year), soci::into(t.indicator_id), soci::into(t.area_zh),
                          soci::into(comparator), soci::into(t.value), soci::into(units), soci::into(t.source_clause));
    st.execute();
    while (st.fetch()) {
        if (!catalogue->Find(t.indicator_id)) continue;
        t.year = year;
        t.comparator = ParseComparator(comparator).value_or(Comparator::kAtLeast);
        t.responsible_units = SplitUnits(units);
        catalogue->targets.push_back(t);
    }
    return catalogue;
}

std::string TargetsMark(soci::session& s) {
    long long n = 0, at = 0;
    s << "SELECT COUNT(*), COALESCE(MAX(updated_at), 0) FROM kpi_targets", soci::into(n), soci::into(at);
    return std::to_string(n) + ":" + std::to_string(at);
}

}  // namespace

std::vector<std::string> SplitUnits(const std::string& text) {
    std::vector<std::string> out;
    for (size_t start = 0; start <= text.size();) {
        size_t end = text.find(';', start);
        if (end == std::string::npos) end = text.size();
        if (end > start) out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

std::string IsoDay(int yyyymmdd) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", yyyymmdd / 10000, yyyymmdd / 100 % 100, yyyymmdd % 100);
    return buf;
}

std::optional<int> ParsePeriod(const std::string& month) {
    const int day = DayOf(month + "-01");
    if (month.size() != 7 || !IsValidDate(day)) return std::nullopt;
    return day / 100;
}

Status SyncShippedTargets(soci::session& s, TimestampMs now) {
    auto catalogue = LoadEmbeddedCatalogue();
    if (!catalogue) return Fail(catalogue.error());
    for (const Target& t : catalogue->targets) {
        long long known = 0;
        s << "SELECT COUNT(*) FROM kpi_targets WHERE id = :id", soci::use(t.id), soci::into(known);
        if (known) continue;
        std::string units, comparator(ComparatorText(t.comparator));
        for (const auto& u : t.responsible_units) units += (units.empty() ? "" : ";") + u;
        s << "INSERT INTO kpi_targets (id, year, indicator_id, area, comparator, target_value, responsible_units, "
             "source_clause, updated_at) VALUES (:id, :y, :i, :a, :c, :v, :u, :s, :t)",
            soci::use(t.id), soci::use(t.year), soci::use(t.indicator_id), soci::use(t.area_zh), soci::use(comparator),
            soci::use(t.value), soci::use(units), soci::use(t.source_clause), soci::use(now);
    }
    return {};
}

KpiService::KpiService(storage::Database& db, const Clock& clock, audit::CommandPipeline& pipeline)
    : db_(db), clock_(clock), pipeline_(pipeline) {}

KpiService::~KpiService() = default;

Status KpiService::Refresh(soci::session& s) {
    const Watermarks marks = ReadWatermarks(s);
    const std::string targets = TargetsMark(s);
    if (engine_ && engine_->marks.others == marks.others) {
        if (engine_->marks != marks) {
            if (auto caught = CatchUp(s, *engine_->store, engine_->marks, marks); !caught) {
                engine_.reset();  // half-applied: rebuild from scratch next time
                return caught;
            }
            engine_->marks = marks;
        }
        if (engine_->targets_mark == targets) return {};
    } else {
        auto fresh = std::make_unique<Engine>();
        auto store = LoadStore(s, marks);
        if (!store) return Fail(store.error());
        fresh->store = std::move(*store);
        fresh->marks = marks;
        fresh->class_names = NameMap(s, "SELECT code, name FROM taxonomy_446 ORDER BY version");
        fresh->directory_names = NameMap(s, "SELECT code, name FROM directories");
        fresh->institution_names = NameMap(s, "SELECT CAST(id AS TEXT), name FROM institutions");
        engine_ = std::move(fresh);
    }
    auto catalogue = CatalogueWithTargets(s);
    if (!catalogue) return Fail(catalogue.error());
    engine_->cockpit.reset();
    engine_->catalogue = std::move(*catalogue);
    auto cockpit = CockpitEngine::Create(*engine_->store, engine_->catalogue);
    if (!cockpit) {
        engine_.reset();
        return Fail(cockpit.error());
    }
    engine_->cockpit.emplace(std::move(*cockpit));
    engine_->targets_mark = targets;
    return {};
}

Status KpiService::WithEngine(const std::function<Status(const Engine&)>& use) {
    std::lock_guard lock(mutex_);
    auto refreshed = db_.Read([&](soci::session& s) { return Refresh(s); });
    if (!refreshed) return refreshed;
    return use(*engine_);
}

std::string KpiService::Engine::DimensionValueName(Dimension dimension, const std::string& code) const {
    const std::map<std::string, std::string>* names = dimension == Dimension::kClass446  ? &class_names
                                                      : dimension == Dimension::kDirectory ? &directory_names
                                                      : dimension == Dimension::kInstitutionKind
                                                          ? &kInstitutionKindNames
                                                          : nullptr;
    if (!names) return code;
    auto it = names->find(code);
    return it == names->end() ? code : it->second;
}

Result<json::object> KpiService::Cockpit(const std::optional<std::string>& as_of,
                                         const std::optional<std::string>& ranking) {
    const int day = DayOf(as_of.value_or(TodayIso(clock_)));
    if (!IsValidDate(day)) return Fail(Error::Field("as_of", "invalid_date", "日期格式应为 YYYY-MM-DD"));
    auto key = ParseRankingKey(ranking.value_or("manufacturing_balance"));
    if (!key) return Fail(Error::Field("ranking", "invalid", "应为 manufacturing_balance、first_loan_count、first_loan_amount、green_balance 或 loans_amount"));
    json::object out;
    auto done = WithEngine([&](const Engine& e) -> Status {
        if (day < e.store->first_day() || day > e.store->last_day())
            return Fail(Error::Field("as_of", "out_of_range", "日期超出统计窗口"));
        CockpitOptions options;
        options.ranking_key = *key;
        out = CockpitJson(e, e.cockpit->Refresh(day, options));
        return {};
    });
    if (!done) return Fail(done.error());
    return out;
}

Result<json::object> KpiService::Indicators() {
    json::object out;
    auto done = WithEngine([&](const Engine& e) -> Status {
        json::array items;
        for (const Indicator& i : e.catalogue.indicators) items.push_back(IndicatorJson(i));
        out["items"] = std::move(items);
        return {};
    });
    if (!done) return Fail(done.error());
    return out;
}

Result<audit::Outcome> KpiService::TakeSnapshot(const audit::Actor& actor, const std::string& period,
                                                const audit::Command& command) {
    const auto p = ParsePeriod(period);
    if (!p) return Fail(Error::Field("period", "invalid", "月份格式应为 YYYY-MM"));
    if (MonthEnd(*p) >= DayOf(TodayIso(clock_))) return Fail(Error::Field("period", "not_ended", "只能为已结束的月份拍快照"));
    MonthlySnapshot snapshot;
    auto taken = WithEngine([&](const Engine& e) -> Status {
        snapshot = kpi::TakeSnapshot(*e.cockpit, *p);
        return {};
    });
    if (!taken) return Fail(taken.error());
    const std::string trigger = actor.request_id == "scheduler" ? "scheduled" : "manual";
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        const std::string body = snapshot.Serialize(), hash = snapshot.Hash(), as_of = IsoDay(snapshot.as_of);
        long long id = 0;
        s << "INSERT INTO kpi_snapshots (period, as_of, taken_at, trigger_kind, rows_hash, body, taken_by) VALUES (:p, :a, "
             ":t, :k, :h, :b, :u) RETURNING id",
            soci::use(period), soci::use(as_of), soci::use(now), soci::use(trigger), soci::use(hash), soci::use(body),
            soci::use(actor.name), soci::into(id);
        const std::string after = json::serialize(json::object{{"id", id}, {"period", period}, {"as_of", as_of},
                                                                {"hash", hash}, {"rows", snapshot.rows.size()},
                                                                {"trigger", trigger}});
        return audit::Outcome{.entity_id = std::to_string(id), .after = after, .response = after, .status = 201};
    });
}

Result<bool> KpiService::TakeDueSnapshot() {
    const int today = DayOf(TodayIso(clock_));
    const std::string period = IsoDay(MonthEnd(AddMonths(today / 100, -1))).substr(0, 7);
    auto known = db_.Read([&](soci::session& s) -> Result<long long> {
        long long n = 0;
        s << "SELECT COUNT(*) FROM kpi_snapshots WHERE period = :p", soci::use(period), soci::into(n);
        return n;
    });
    if (!known) return Fail(known.error());
    if (*known) return false;
    audit::Actor system = audit::Actor::System("kpi-scheduler");
    system.request_id = "scheduler";
    auto taken = TakeSnapshot(system, period, {.action = "kpi.snapshot", .entity = "kpi_snapshot"});
    if (!taken) return Fail(taken.error());
    return true;
}

Result<json::object> KpiService::Snapshots(const std::optional<std::string>& period) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        json::array items;
        long long id = 0, at = 0;
        std::string p, as_of, trigger, hash, by;
        const std::string where = period ? " WHERE period = :p" : "";
        const std::string sql = "SELECT id, period, as_of, taken_at, trigger_kind, rows_hash, taken_by FROM kpi_snapshots" +
                                where + " ORDER BY period DESC, taken_at DESC LIMIT 500";
        soci::statement st = period ? (s.prepare << sql, soci::use(*period), soci::into(id), soci::into(p), soci::into(as_of),
                                       soci::into(at), soci::into(trigger), soci::into(hash), soci::into(by))
                                    : (s.prepare << sql, soci::into(id), soci::into(p), soci::into(as_of), soci::into(at),
                                       soci::into(trigger), soci::into(hash), soci::into(by));
        st.execute();
        while (st.fetch())
            items.push_back({{"id", id}, {"period", p}, {"as_of", as_of}, {"taken_at", OptionalTime(at)},
                             {"trigger", trigger}, {"hash", hash}, {"taken_by", by}});
        return json::object{{"items", std::move(items)}};
    });
}

Result<json::object> KpiService::Snapshot(long long id) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        std::string period, as_of, trigger, hash, body, by;
        long long at = 0;
        s << "SELECT period, as_of, taken_at, trigger_kind, rows_hash, body, taken_by FROM kpi_snapshots WHERE id = :id",
            soci::use(id), soci::into(period), soci::into(as_of), soci::into(at), soci::into(trigger), soci::into(hash),
            soci::into(body), soci::into(by);
        if (!s.got_data()) return Fail(Error::NotFound("快照不存在"));
        return json::object{{"id", id}, {"period", period}, {"as_of", as_of}, {"taken_at", OptionalTime(at)},
                            {"trigger", trigger}, {"hash", hash}, {"taken_by", by}, {"rows", SnapshotRowsJson(body)}};
    });
}

}  // namespace chanrong::kpi

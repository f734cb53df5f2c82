#include "finance/application_service.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <soci/soci.h>

#include "common/json_out.hpp"
#include "common/time_format.hpp"
#include "credit/credit_store.hpp"
#include "finance/application_state.hpp"
#include "finance/demand_service.hpp"
#include "finance/eligibility.hpp"
#include "finance/loan_service.hpp"
#include "finance/scorecard.hpp"
#include "finance/service_promise.hpp"
#include "registry/enterprise_store.hpp"
#include "storage/query.hpp"
#include "storage/row.hpp"

namespace chanrong::finance {
namespace json = boost::json;
namespace {

constexpr const char* kSelect =
    "SELECT a.id, a.enterprise_id, e.name, a.demand_id, a.product_id, COALESCE(p.name, ''), a.institution_id, i.name, "
    "a.origin, a.status, a.amount_fen, a.term_months, a.approved_amount_fen, a.rate_bp, a.reason_code, a.advice, "
    "a.submitted_at, a.accepted_at, a.contacted_at, a.docs_complete_at, a.decided_at, a.disbursed_at, a.updated_at, "
    "a.version FROM applications a JOIN enterprises e ON e.id = a.enterprise_id "
    "JOIN institutions i ON i.id = a.institution_id LEFT JOIN products p ON p.id = a.product_id";

constexpr int kEscalateAfterWorkingDays = 2;

std::string Day(TimestampMs t) { return FormatIsoUtc(t).substr(0, 10); }

struct AppRow {
    long long id = 0, enterprise_id = 0, institution_id = 0, amount = 0, submitted = 0, updated = 0;
    int term = 0, version = 0;
    storage::NullableInt demand, product, approved, rate, accepted, contacted, docs, decided, disbursed;
    std::string enterprise, product_name, institution, origin, status, reason, advice;
    void Into(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(enterprise_id));
        st.exchange(soci::into(enterprise));
        st.exchange(soci::into(demand.value, demand.ind));
        st.exchange(soci::into(product.value, product.ind));
        st.exchange(soci::into(product_name));
        st.exchange(soci::into(institution_id));
        for (std::string* s : {&institution, &origin, &status}) st.exchange(soci::into(*s));
        st.exchange(soci::into(amount));
        st.exchange(soci::into(term));
        st.exchange(soci::into(approved.value, approved.ind));
        st.exchange(soci::into(rate.value, rate.ind));
        st.exchange(soci::into(reason));
        st.exchange(soci::into(advice));
        st.exchange(soci::into(submitted));
        for (auto* n : {&accepted, &contacted, &docs, &decided, &disbursed}) st.exchange(soci::into(n->value, n->ind));
        st.exchange(soci::into(updated));
        st.exchange(soci::into(version));
    }
    PromiseStatus Promise(const FinanceConfig& c, const std::string& today) const {
        auto day = [](const storage::NullableInt& t) { return t.get() ? std::optional(Day(*t.get())) : std::nullopt; };
        ApplicationTimes times{Day(submitted), day(accepted), day(contacted), day(docs), day(decided)};
        return EvaluatePromise(times, {static_cast<int>(c.accept_days), static_cast<int>(c.contact_days),
                                       static_cast<int>(c.decide_days)},
                               DefaultWorkingCalendar(), today);
    }
    json::object ToJson(const FinanceConfig& c, const std::string& today) const {
        const PromiseStatus p = Promise(c, today);
        const auto state = ParseAppState(status);
        return {{"id", id}, {"enterprise_id", enterprise_id}, {"enterprise_name", enterprise},
                {"demand_id", OptionalInt(demand.get())}, {"product_id", OptionalInt(product.get())},
                {"product_name", product_name}, {"institution_id", institution_id}, {"institution_name", institution},
                {"origin", origin}, {"status", status}, {"status_name", state ? AppStateNameZh(*state) : ""},
                {"amount_fen", amount}, {"term_months", term}, {"approved_amount_fen", OptionalInt(approved.get())},
                {"rate_bp", OptionalInt(rate.get())}, {"reason_code", reason}, {"advice", advice},
                {"submitted_at", FormatIsoUtc(submitted)}, {"accepted_at", OptionalTime(accepted.get())},
                {"contacted_at", OptionalTime(contacted.get())}, {"docs_complete_at", OptionalTime(docs.get())},
                {"decided_at", OptionalTime(decided.get())}, {"disbursed_at", OptionalTime(disbursed.get())},
                {"promise", json::object{{"accept_due", p.accept_due}, {"contact_due", p.contact_due},
                                         {"decide_due", p.decide_due ? json::value(*p.decide_due) : json::value(nullptr)},
                                         {"accept_overdue", p.accept_overdue}, {"contact_overdue", p.contact_overdue},
                                         {"decide_overdue", p.decide_overdue},
                                         {"overdue_working_days", p.max_overdue_working_days}}},
                {"overdue", p.max_overdue_working_days > 0 && state && !IsTerminal(*state)},
                // Two working days past a promise, the case goes to the officers in charge (their overdue list).
                {"escalated", p.max_overdue_working_days >= kEscalateAfterWorkingDays && state && !IsTerminal(*state)},
                {"updated_at", FormatIsoUtc(updated)}, {"version", version}};
    }
};

std::string Scope(const auth::Principal& p) {
    if (p.enterprise_id) return "a.enterprise_id = " + std::to_string(*p.enterprise_id);
    if (p.institution_id)
        return "(a.institution_id = " + std::to_string(*p.institution_id) + " OR a.institution_id IN (SELECT id FROM "
               "institutions WHERE parent_id = " + std::to_string(*p.institution_id) + "))";
    return "1=1";
}

// The application query, prepared once per connection and scope (scopes are few: one per institution).
struct PreparedLoad {
    long long id = 0;
    AppRow row;
    soci::statement st;
    PreparedLoad(soci::session& s, const std::string& scope) : st(s) {
        st.alloc();
        st.prepare(std::string(kSelect) + " WHERE a.id = :id AND " + scope);
        st.exchange(soci::use(id, "id"));
        row.Into(st);
        st.define_and_bind();
    }
};

std::optional<AppRow> LoadRow(soci::session& s, const storage::Database& db, long long id, const std::string& scope) {
    auto& p = db.ConnectionLocal<PreparedLoad>(s, "application.load:" + scope, [&] { return new PreparedLoad(s, scope); });
    p.id = id;
    if (!storage::ExecuteKept(p.st)) return std::nullopt;
    return p.row;
}

struct PreparedEvent {
    long long app = 0, at = 0;
    std::string event, from, to, actor_name, note;
    storage::NullableInt actor;
    soci::statement st;
    explicit PreparedEvent(soci::session& s) : st(s) {
        st = (s.prepare << "INSERT INTO application_events (application_id, at, event, from_status, to_status, actor_id, "
                           "actor_name, note) VALUES (:a, :t, :e, :f, :to, :u, :n, :note)",
              soci::use(app), soci::use(at), soci::use(event), soci::use(from), soci::use(to),
              soci::use(actor.value, actor.ind), soci::use(actor_name), soci::use(note));
    }
};

void AddEvent(soci::session& s, const storage::Database& db, long long app, TimestampMs at, const std::string& event,
              const std::string& from, const std::string& to, const audit::Actor& actor, const std::string& note) {
    auto& p = db.ConnectionLocal<PreparedEvent>(s, "application.event", [&] { return new PreparedEvent(s); });
    p.app = app, p.at = at, p.event = event, p.from = from, p.to = to, p.note = note, p.actor_name = actor.name;
    p.actor = storage::Nullable(actor.user_id);
    storage::ExecuteKept(p.st);
}

json::array Timeline(soci::session& s, long long app) {
    long long at = 0;
    std::string event, from, to, actor, note;
    soci::statement st = (s.prepare << "SELECT at, event, from_status, to_status, actor_name, note FROM application_events "
                                       "WHERE application_id = :a ORDER BY id",
                          soci::use(app), soci::into(at), soci::into(event), soci::into(from), soci::into(to),
                          soci::into(actor), soci::into(note));
    st.execute();
    json::array out;
    while (st.fetch()) {
        const auto state = ParseAppState(to);
        out.push_back(json::object{{"at", FormatIsoUtc(at)}, {"event", event}, {"from", from}, {"to", to},
                                   {"to_name", state ? AppStateNameZh(*state) : ""}, {"actor", actor}, {"note", note}});
    }
    return out;
}

// What the eligibility rules look at, for one enterprise today.
EnterpriseFacts FactsOf(soci::session& s, long long enterprise_id, const std::string& today) {
    EnterpriseFacts f;
    std::string founded;
    s << "SELECT industry_446, size_class, district, industry_code, founded_on FROM enterprises WHERE id = :e",
        soci::use(enterprise_id), soci::into(f.class446), soci::into(f.size), soci::into(f.district),
        soci::into(f.industry_code), soci::into(founded);
    if (founded.size() == 10) f.years_in_business = std::stoi(today.substr(0, 4)) - std::stoi(founded.substr(0, 4)) -
                                                    (today.substr(5) < founded.substr(5) ? 1 : 0);
    std::string code;
    soci::statement tags = (s.prepare << "SELECT tag FROM enterprise_tags WHERE enterprise_id = :e AND revoked_at IS NULL "
                                         "AND valid_from <= :d AND (valid_to = '' OR valid_to > :d2)",
                            soci::use(enterprise_id), soci::use(today), soci::use(today), soci::into(code));
    tags.execute();
    while (tags.fetch()) f.tags.insert(code);
    soci::statement dirs = (s.prepare << "SELECT d.code FROM directory_entries de JOIN directories d ON d.id = "
                                         "de.directory_id WHERE de.enterprise_id = :e AND de.effective_from <= :d AND "
                                         "(de.effective_to IS NULL OR de.effective_to > :d2)",
                            soci::use(enterprise_id), soci::use(today), soci::use(today), soci::into(code));
    dirs.execute();
    while (dirs.fetch()) f.directories.insert(code);
    return f;
}

// Published products of other institutions whose amount and term ranges fit and whose eligibility rules the
// enterprise meets, for a rejected enterprise.
json::array Alternatives(soci::session& s, const AppRow& app, const std::string& today) {
    const EnterpriseFacts facts = FactsOf(s, app.enterprise_id, today);
    long long id = 0;
    std::string name, institution, eligibility;
    soci::statement st = (s.prepare << "SELECT p.id, p.name, i.name, p.eligibility FROM products p JOIN institutions i "
                                       "ON i.id = p.institution_id WHERE p.status = 'published' AND p.institution_id <> :i "
                                       "AND p.amount_min_fen <= :a AND p.amount_max_fen >= :a2 AND p.term_min_months <= :t "
                                       "AND p.term_max_months >= :t2 ORDER BY p.id",
                          soci::use(app.institution_id), soci::use(app.amount), soci::use(app.amount), soci::use(app.term),
                          soci::use(app.term), soci::into(id), soci::into(name), soci::into(institution),
                          soci::into(eligibility));
    st.execute();
    json::array out;
    while (st.fetch() && out.size() < 5)
        if (FailedRules(json::parse(eligibility).as_object(), facts).empty())
            out.push_back(json::object{{"id", id}, {"name", name}, {"institution_name", institution}});
    return out;
}

// Apply's product check and insert, prepared once per connection.
struct PreparedApply {
    long long product_id = 0, institution = 0, amount_min = 0, amount_max = 0;
    int term_min = 0, term_max = 0;
    std::string status, valid_from, valid_to;
    long long enterprise_id = 0, amount = 0, term = 0, now = 0, id = 0;
    storage::NullableInt demand;
    soci::statement product, insert;
    explicit PreparedApply(soci::session& s) : product(s), insert(s) {
        product = (s.prepare << "SELECT institution_id, status, amount_min_fen, amount_max_fen, term_min_months, "
                                "term_max_months, valid_from, valid_to FROM products WHERE id = :id",
                   soci::use(product_id), soci::into(institution), soci::into(status), soci::into(amount_min),
                   soci::into(amount_max), soci::into(term_min), soci::into(term_max), soci::into(valid_from),
                   soci::into(valid_to));
        insert = (s.prepare << "INSERT INTO applications (enterprise_id, demand_id, product_id, institution_id, origin, "
                               "status, amount_fen, term_months, submitted_at, updated_at) VALUES (:e, :d, :p, :i, "
                               "'enterprise', 'submitted', :a, :t, :n1, :n2) RETURNING id",
                  soci::use(enterprise_id), soci::use(demand.value, demand.ind), soci::use(product_id),
                  soci::use(institution), soci::use(amount), soci::use(term), soci::use(now), soci::use(now),
                  soci::into(id));
    }
};

Party PartyOf(const auth::Principal& p) {
    if (p.enterprise_id) return Party::kEnterprise;
    if (p.institution_id) return Party::kInstitution;
    return Party::kSystem;
}

Error NotFound() { return Error::NotFound("融资申请不存在"); }

}  // namespace

Result<audit::Outcome> ApplicationService::Apply(const auth::Principal& viewer, const audit::Actor& actor,
                                                 const NewApplication& a, const audit::Command& command) {
    if (!viewer.enterprise_id) return Fail(Error::PermissionDenied("只有企业用户可以申请"));
    const TimestampMs now = clock_.NowMs();
    const std::string today = Day(now);
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto& q = db_.ConnectionLocal<PreparedApply>(s, "application.apply", [&] { return new PreparedApply(s); });
        q.product_id = a.product_id;
        q.status.clear();
        if (!storage::ExecuteKept(q.product) || q.status != "published")
            return Fail(Error::Field("product_id", "not_available", "产品不存在或未上架"));
        if ((!q.valid_from.empty() && today < q.valid_from) || (!q.valid_to.empty() && today > q.valid_to))
            return Fail(Error::FailedPrecondition("产品不在有效期内（" + q.valid_from + " 至 " + q.valid_to + "）"));
        if (a.amount_fen < q.amount_min || a.amount_fen > q.amount_max)
            return Fail(Error::Field("amount_fen", "outside_product", "申请金额不在产品额度范围内"));
        if (a.term_months < q.term_min || a.term_months > q.term_max)
            return Fail(Error::Field("term_months", "outside_product", "申请期限不在产品期限范围内"));
        if (a.demand_id && !LoadDemand(s, *a.demand_id, "d.enterprise_id = " + std::to_string(*viewer.enterprise_id)))
            return Fail(Error::Field("demand_id", "not_found", "融资需求不存在"));
        q.enterprise_id = *viewer.enterprise_id;
        q.demand = storage::Nullable(a.demand_id);
        q.amount = a.amount_fen;
        q.term = a.term_months;
        q.now = now;
        storage::ExecuteKept(q.insert);
        const long long id = q.id;
        AddEvent(s, db_, id, now, "submit", "", "submitted", actor, "");
        const std::string after = json::serialize(LoadRow(s, db_, id, "1=1")->ToJson(config_, today));
        return audit::Outcome{.entity_id = std::to_string(id), .after = after, .response = after, .status = 201};
    });
}

Result<audit::Outcome> ApplicationService::TakeUp(const auth::Principal& viewer, const audit::Actor& actor,
                                                  long long demand_id, std::optional<long long> product_id,
                                                  const audit::Command& command) {
    if (!viewer.institution_id) return Fail(Error::PermissionDenied("只有金融机构用户可以承接需求"));
    const TimestampMs now = clock_.NowMs();
    const std::string today = Day(now);
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto demand = LoadDemand(s, demand_id);
        if (!demand) return Fail(Error::NotFound("融资需求不存在"));
        if ((*demand)["status"] != "open") return Fail(Error::Conflict("需求已关闭"));
        if (product_id) {
            long long owner = 0;
            s << "SELECT institution_id FROM products WHERE id = :p", soci::use(*product_id), soci::into(owner);
            if (!s.got_data() || owner != *viewer.institution_id)
                return Fail(Error::Field("product_id", "not_found", "本机构没有该产品"));
        }
        int already = 0;
        s << "SELECT COUNT(*) FROM applications WHERE demand_id = :d AND institution_id = :i AND status NOT IN "
             "('rejected', 'withdrawn', 'expired')",
            soci::use(demand_id), soci::use(*viewer.institution_id), soci::into(already);
        if (already) return Fail(Error::Conflict("本机构已承接该需求"));
        auto product = storage::Nullable(product_id);
        const long long enterprise = (*demand)["enterprise_id"].as_int64(), amount = (*demand)["amount_fen"].as_int64(),
                        term = (*demand)["term_months"].as_int64();
        long long id = 0;
        s << "INSERT INTO applications (enterprise_id, demand_id, product_id, institution_id, origin, status, amount_fen, "
             "term_months, submitted_at, accepted_at, updated_at) VALUES (:e, :d, :p, :i, 'institution', 'accepted', :a, "
             ":t, :n1, :n2, :n3) RETURNING id",
            soci::use(enterprise), soci::use(demand_id), soci::use(product.value, product.ind),
            soci::use(*viewer.institution_id), soci::use(amount), soci::use(term), soci::use(now), soci::use(now),
            soci::use(now), soci::into(id);
        s << "UPDATE demands SET taken = 1 WHERE id = :d", soci::use(demand_id);
        AddEvent(s, db_, id, now, "take_up", "", "accepted", actor, "");
        const std::string after = json::serialize(LoadRow(s, db_, id, "1=1")->ToJson(config_, today));
        return audit::Outcome{.entity_id = std::to_string(id), .after = after, .response = after, .status = 201};
    });
}

Result<audit::Outcome> ApplicationService::Act(const auth::Principal& viewer, const audit::Actor& actor, long long id,
                                               const std::string& event_name, const EventInput& in,
                                               const audit::Command& command) {
    const auto event = ParseAppEvent(event_name);
    if (!event || *event == AppEvent::kExpire) return Fail(Error::Field("event", "invalid", "未知操作 " + event_name));
    const TimestampMs now = clock_.NowMs();
    const std::string today = Day(now);
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto row = LoadRow(s, db_, id, Scope(viewer));
        if (!row) return Fail(NotFound());
        const auto from = ParseAppState(row->status);
        auto to = Transition(*from, *event, PartyOf(viewer));
        if (!to) return Fail(to.error());
        const std::string before = json::serialize(row->ToJson(config_, today));
        std::string set = "status = :s, updated_at = :t, version = version + 1";
        std::string reason = in.reason_code, advice = in.advice;
        if (*event == AppEvent::kAccept) set += ", accepted_at = :t2";
        if (*event == AppEvent::kReview || *event == AppEvent::kSubmitDocs) set += ", docs_complete_at = :t2";
        if (*event == AppEvent::kApprove || *event == AppEvent::kReject) set += ", decided_at = :t2";
        if (*event == AppEvent::kDisburse) set += ", disbursed_at = :t2";
        if (*event == AppEvent::kReject) {
            std::string default_advice;
            s << "SELECT advice FROM rejection_reasons WHERE code = :c", soci::use(reason), soci::into(default_advice);
            if (!s.got_data()) return Fail(Error::Field("reason_code", "unknown_reason", "拒绝须选择有效的原因代码"));
            if (advice.empty()) advice = default_advice;
            set += ", reason_code = :r, advice = :adv";
        }
        if (*event == AppEvent::kApprove) set += ", approved_amount_fen = :am, rate_bp = :rb";
        const long long approved = in.approved_amount_fen.value_or(row->amount);
        const long long rate = in.rate_bp.value_or(0);
        soci::statement st(s);
        st.alloc();
        st.prepare("UPDATE applications SET " + set + " WHERE id = :id AND version = :v");
        std::string to_name(AppStateName(*to));
        long long at = now, version = row->version, target = id;
        st.exchange(soci::use(to_name, "s"));
        st.exchange(soci::use(at, "t"));
        if (set.find(":t2") != std::string::npos) st.exchange(soci::use(at, "t2"));
        if (*event == AppEvent::kReject) {
            st.exchange(soci::use(reason, "r"));
            st.exchange(soci::use(advice, "adv"));
        }
        if (*event == AppEvent::kApprove) {
            st.exchange(soci::use(approved, "am"));
            st.exchange(soci::use(rate, "rb"));
        }
        st.exchange(soci::use(target, "id"));
        st.exchange(soci::use(version, "v"));
        st.define_and_bind();
        st.execute(true);
        if (st.get_affected_rows() != 1) return Fail(Error::Conflict("该申请已被他人处理，请刷新后重试"));
        if ((*event == AppEvent::kAccept) && row->demand.get())
            s << "UPDATE demands SET taken = 1 WHERE id = :d", soci::use(*row->demand.get());
        if (*event == AppEvent::kDisburse) {
            std::string kind;
            if (row->product.get())
                s << "SELECT kind FROM products WHERE id = :p", soci::use(*row->product.get()), soci::into(kind);
            LoanRecord loan{.institution_id = row->institution_id, .enterprise_id = row->enterprise_id,
                            .application_id = row->id, .loan_ref = in.loan_ref.empty() ? "APP-" + std::to_string(row->id) : in.loan_ref,
                            .source = "platform", .product_kind = kind,
                            .amount_fen = row->approved.get().value_or(row->amount),
                            .rate_bp = in.rate_bp.value_or(row->rate.get().value_or(0)), .term_months = row->term,
                            .disbursed_on = in.disbursed_on.value_or(today), .has_collateral = in.has_collateral,
                            .has_guarantee = in.has_guarantee, .use_industry_code = in.use_industry_code,
                            .green_use = in.green_use};
            auto loan_id = InsertLoan(s, loan, now);
            if (!loan_id) return Fail(loan_id.error());
        }
        AddEvent(s, db_, id, now, event_name, row->status, to_name, actor, in.note);
        // The row as now stored, without reading it back.
        AppRow updated = *row;
        updated.status = to_name;
        updated.updated = now;
        updated.version = row->version + 1;
        const storage::NullableInt stamp = storage::Nullable(std::optional<long long>(now));
        if (*event == AppEvent::kAccept) updated.accepted = stamp;
        if (*event == AppEvent::kReview || *event == AppEvent::kSubmitDocs) updated.docs = stamp;
        if (*event == AppEvent::kApprove || *event == AppEvent::kReject) updated.decided = stamp;
        if (*event == AppEvent::kDisburse) updated.disbursed = stamp;
        if (*event == AppEvent::kReject) updated.reason = reason, updated.advice = advice;
        if (*event == AppEvent::kApprove) {
            updated.approved = storage::Nullable(std::optional<long long>(approved));
            updated.rate = storage::Nullable(std::optional<long long>(rate));
        }
        const std::string after = json::serialize(updated.ToJson(config_, today));
        return audit::Outcome{.entity_id = std::to_string(id), .before = before, .after = after, .response = after};
    });
}

Result<audit::Outcome> ApplicationService::RecordContact(const auth::Principal& viewer, const audit::Actor& actor,
                                                         long long id, const std::string& note,
                                                         const audit::Command& command) {
    const TimestampMs now = clock_.NowMs();
    const std::string today = Day(now);
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto row = LoadRow(s, db_, id, viewer.institution_id ? Scope(viewer) : "1=0");
        if (!row) return Fail(NotFound());
        if (IsTerminal(*ParseAppState(row->status))) return Fail(Error::Conflict("申请已结束"));
        if (!row->contacted.get()) s << "UPDATE applications SET contacted_at = :t WHERE id = :id", soci::use(now), soci::use(id);
        AddEvent(s, db_, id, now, "contact", row->status, row->status, actor, note);
        const std::string after = json::serialize(LoadRow(s, db_, id, "1=1")->ToJson(config_, today));
        return audit::Outcome{.entity_id = std::to_string(id), .after = after, .response = after};
    });
}

Result<json::object> ApplicationService::List(const auth::Principal& viewer, const ApplicationFilter& f) {
    const std::string today = Day(clock_.NowMs());
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        storage::Query q(kSelect);
        q.Sql(" WHERE " + Scope(viewer));
        if (f.status) q.Sql(" AND a.status = ").Bind(*f.status);
        q.Sql(" ORDER BY a.id DESC");
        // Overdue depends on the working-day calendar, so it is filtered here rather than in SQL.
        AppRow row;
        json::array items;
        long long total = 0;
        storage::ForEachRow(s, q, row, [&] {
            json::object item = row.ToJson(config_, today);
            if (f.overdue_only && !item["overdue"].as_bool()) return;
            if (total >= f.offset && total < f.offset + f.limit) items.push_back(std::move(item));
            ++total;
        });
        return PageJson(std::move(items), total, f.offset, f.limit);
    });
}

Result<json::object> ApplicationService::Get(const auth::Principal& viewer, long long id) {
    const std::string today = Day(clock_.NowMs());
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        auto row = LoadRow(s, db_, id, Scope(viewer));
        if (!row) return Fail(NotFound());
        json::object out = row->ToJson(config_, today);
        out["timeline"] = Timeline(s, id);
        json::array allowed;  // officers watch; only the two parties act (expiry is the system's)
        if (viewer.enterprise_id || viewer.institution_id)
            for (AppEvent e : AllowedEvents(*ParseAppState(row->status), PartyOf(viewer)))
                allowed.push_back(json::value(AppEventName(e)));
        out["allowed_events"] = std::move(allowed);
        if (row->status == "rejected") out["alternatives"] = Alternatives(s, *row, today);
        return out;
    });
}

Result<audit::Outcome> ApplicationService::GrantConsent(const auth::Principal& viewer, const audit::Actor& actor,
                                                        long long application_id, long long days,
                                                        const audit::Command& command) {
    if (!viewer.enterprise_id) return Fail(Error::PermissionDenied("只有企业用户可以授权"));
    if (days < 1 || days > config_.consent_max_days)
        return Fail(Error::Field("days", "out_of_range", "授权期限应为 1–" + std::to_string(config_.consent_max_days) + " 天"));
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto row = LoadRow(s, db_, application_id, Scope(viewer));
        if (!row) return Fail(NotFound());
        const long long expires = now + days * 86'400'000LL, by = viewer.user_id;
        long long id = 0;
        s << "INSERT INTO consents (enterprise_id, institution_id, application_id, granted_by, granted_at, expires_at) "
             "VALUES (:e, :i, :a, :b, :t, :x) RETURNING id",
            soci::use(row->enterprise_id), soci::use(row->institution_id), soci::use(application_id), soci::use(by),
            soci::use(now), soci::use(expires), soci::into(id);
        const json::object consent{{"id", id}, {"application_id", application_id}, {"institution_id", row->institution_id},
                                   {"institution_name", row->institution}, {"granted_at", FormatIsoUtc(now)},
                                   {"expires_at", FormatIsoUtc(expires)}, {"revoked_at", nullptr}};
        return audit::Outcome{.entity_id = std::to_string(id), .after = json::serialize(consent),
                              .response = json::serialize(consent), .status = 201};
    });
}

Result<audit::Outcome> ApplicationService::RevokeConsent(const auth::Principal& viewer, const audit::Actor& actor,
                                                         long long consent_id, const audit::Command& command) {
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        long long enterprise = 0;
        storage::NullableInt revoked;
        s << "SELECT enterprise_id, revoked_at FROM consents WHERE id = :id", soci::use(consent_id), soci::into(enterprise),
            soci::into(revoked.value, revoked.ind);
        if (!s.got_data() || !viewer.enterprise_id || enterprise != *viewer.enterprise_id)
            return Fail(Error::NotFound("授权不存在"));
        if (revoked.get()) return Fail(Error::Conflict("授权已撤销"));
        s << "UPDATE consents SET revoked_at = :t WHERE id = :id", soci::use(now), soci::use(consent_id);
        return audit::Outcome{.entity_id = std::to_string(consent_id), .status = 204};
    });
}

Result<json::object> ApplicationService::ConsentsAndViews(const auth::Principal& viewer) {
    if (!viewer.enterprise_id) return Fail(Error::PermissionDenied("只有企业用户可以查看本企业的授权"));
    const TimestampMs now = clock_.NowMs();
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        json::array consents, views;
        long long id = 0, app = 0, granted = 0, expires = 0;
        std::string institution;
        storage::NullableInt revoked;
        soci::statement cs = (s.prepare << "SELECT c.id, c.application_id, i.name, c.granted_at, c.expires_at, c.revoked_at "
                                           "FROM consents c JOIN institutions i ON i.id = c.institution_id "
                                           "WHERE c.enterprise_id = :e ORDER BY c.id DESC",
                              soci::use(*viewer.enterprise_id), soci::into(id), soci::into(app), soci::into(institution),
                              soci::into(granted), soci::into(expires), soci::into(revoked.value, revoked.ind));
        cs.execute();
        while (cs.fetch())
            consents.push_back(json::object{{"id", id}, {"application_id", app}, {"institution_name", institution},
                                            {"granted_at", FormatIsoUtc(granted)}, {"expires_at", FormatIsoUtc(expires)},
                                            {"revoked_at", OptionalTime(revoked.get())},
                                            {"active", !revoked.get() && expires > now}});
        long long at = 0, consent = 0;
        std::string user, what;
        soci::statement vs = (s.prepare << "SELECT l.at, i.name, l.user_name, l.consent_id, l.application_id, l.what FROM "
                                           "credit_access_log l JOIN institutions i ON i.id = l.institution_id "
                                           "WHERE l.enterprise_id = :e ORDER BY l.id DESC LIMIT 500",
                              soci::use(*viewer.enterprise_id), soci::into(at), soci::into(institution), soci::into(user),
                              soci::into(consent), soci::into(app), soci::into(what));
        vs.execute();
        while (vs.fetch())
            views.push_back(json::object{{"at", FormatIsoUtc(at)}, {"institution_name", institution}, {"user", user},
                                         {"consent_id", consent}, {"application_id", app}, {"what", what}});
        return json::object{{"consents", std::move(consents)}, {"views", std::move(views)}};
    });
}

Result<json::object> ApplicationService::ViewCreditProfile(const auth::Principal& viewer, long long application_id,
                                                           const std::string& request_id) {
    if (!viewer.institution_id) return Fail(Error::PermissionDenied("只有金融机构可以在授权范围内查看信用画像"));
    const TimestampMs now = clock_.NowMs();
    return db_.Write([&](soci::session& s) -> Result<json::object> {
        auto row = LoadRow(s, db_, application_id, Scope(viewer));
        if (!row) return Fail(NotFound());
        long long consent = 0;
        s << "SELECT id FROM consents WHERE enterprise_id = :e AND institution_id = :i AND application_id = :a AND "
             "revoked_at IS NULL AND expires_at > :t ORDER BY id DESC LIMIT 1",
            soci::use(row->enterprise_id), soci::use(row->institution_id), soci::use(application_id), soci::use(now),
            soci::into(consent);
        if (!s.got_data()) return Fail(Error::PermissionDenied("企业尚未授权或授权已过期、已撤销，不能查看信用画像"));
        auto profile = registry::LoadProfile(s, row->enterprise_id, "1=1", false);
        if (!profile) return Fail(Error::NotFound("企业不存在"));
        const std::string what = "credit_profile", user = viewer.username;
        const long long uid = viewer.user_id;
        s << "INSERT INTO credit_access_log (at, enterprise_id, institution_id, user_id, user_name, consent_id, "
             "application_id, what, request_id) VALUES (:t, :e, :i, :u, :n, :c, :a, :w, :r)",
            soci::use(now), soci::use(row->enterprise_id), soci::use(row->institution_id), soci::use(uid), soci::use(user),
            soci::use(consent), soci::use(application_id), soci::use(what), soci::use(request_id);
        (*profile)["consent_id"] = consent;
        auto score = credit::CurrentScoreJson(s, row->enterprise_id);
        (*profile)["credit"] = score ? json::value(std::move(*score)) : json::value(nullptr);
        (*profile)["credit_records"] = credit::RecordsJson(s, row->enterprise_id, FormatIsoUtc(now).substr(0, 10));
        return *profile;
    });
}

namespace {

json::value Hours(const std::optional<double>& h) {
    return h ? json::value(std::round(*h * 10) / 10) : json::value(nullptr);
}

json::array CardsJson(const std::vector<Scorecard>& cards) {
    json::array out;
    for (const auto& c : cards) {
        auto d = [](const Durations& x) {
            return json::object{{"median_hours", Hours(x.median_hours)}, {"p90_hours", Hours(x.p90_hours)}, {"count", x.count}};
        };
        out.push_back(json::object{{"id", c.key}, {"name", c.name}, {"leads", c.leads}, {"accepted", c.accepted},
                                   {"decided", c.decided}, {"approved", c.approved}, {"disbursed", c.disbursed},
                                   {"disbursed_fen", c.disbursed_fen},
                                   {"approval_rate", c.approval_rate ? json::value(*c.approval_rate) : json::value(nullptr)},
                                   {"to_accept", d(c.to_accept)}, {"to_contact", d(c.to_contact)},
                                   {"to_decide", d(c.to_decide)}, {"to_disburse", d(c.to_disburse)}});
    }
    return out;
}

}  // namespace

Result<json::object> ApplicationService::Scorecards(const std::string& from, const std::string& to) {
    const auto start = ParseIsoTimestamp(from), end = ParseIsoTimestamp(to);
    if (!start) return Fail(Error::Field("from", "invalid_date", "日期格式应为 YYYY-MM-DD"));
    if (!end) return Fail(Error::Field("to", "invalid_date", "日期格式应为 YYYY-MM-DD"));
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        storage::Query q(kSelect);
        q.Sql(" WHERE a.submitted_at >= ").Bind(*start).Sql(" AND a.submitted_at < ").Bind(*end);
        AppRow row;
        std::vector<ScoredApplication> apps;
        storage::ForEachRow(s, q, row, [&] {
            apps.push_back({row.institution_id, row.institution, row.product.get(), row.product_name, row.status,
                            row.submitted, row.accepted.get(), row.contacted.get(), row.docs.get(), row.decided.get(),
                            row.disbursed.get(), row.status == "disbursed" ? row.approved.get().value_or(row.amount) : 0});
        });
        return json::object{{"from", from}, {"to", to}, {"institutions", CardsJson(ScoreByInstitution(apps))},
                            {"products", CardsJson(ScoreByProduct(apps))}};
    });
}

}  // namespace chanrong::finance

#include "registry/directory_service.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include <map>

#include "common/json_out.hpp"
#include "common/time_format.hpp"
#include "registry/reference.hpp"
#include "storage/query.hpp"
#include "storage/row.hpp"

namespace chanrong::registry {
namespace json = boost::json;
namespace {

bool IsDate(const std::string& s) { return s.size() == 10 && ParseIsoTimestamp(s).has_value(); }
// Enterprise users see only their own enterprise's stays.
std::string EntryScope(const auth::Principal& p) {
    return p.enterprise_id ? "de.enterprise_id = " + std::to_string(*p.enterprise_id) : "1=1";
}

struct Directory {
    long long id = 0;
    std::string code, name, member_kind, layers, chain;
};

std::optional<Directory> LoadDirectory(soci::session& s, long long id) {
    Directory d;
    s << "SELECT id, code, name, member_kind, layers, chain FROM directories WHERE id = :id", soci::use(id),
        soci::into(d.id), soci::into(d.code), soci::into(d.name), soci::into(d.member_kind), soci::into(d.layers),
        soci::into(d.chain);
    if (!s.got_data()) return std::nullopt;
    return d;
}

constexpr const char* kEntrySelect =
    "SELECT de.id, de.enterprise_id, de.project_id, COALESCE(e.name, p.name), COALESCE(e.uscc, ''), de.layer, "
    "de.effective_from, de.effective_to, de.entry_reason, de.entry_evidence, ua.username, de.exit_reason, "
    "de.exit_evidence, COALESCE(ux.username, ''), de.created_at, de.updated_at FROM directory_entries de "
    "LEFT JOIN enterprises e ON e.id = de.enterprise_id LEFT JOIN projects p ON p.id = de.project_id "
    "LEFT JOIN users ua ON ua.id = de.entry_approved_by LEFT JOIN users ux ON ux.id = de.exit_approved_by";

struct EntryRow {
    long long id = 0, created = 0, updated = 0;
    storage::NullableInt enterprise, project;
    std::string name, uscc, layer, from, to, reason, evidence, approver, exit_reason, exit_evidence, exit_approver;
    soci::indicator to_ind = soci::i_null, name_ind = soci::i_null, approver_ind = soci::i_null;
    void Into(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(enterprise.value, enterprise.ind));
        st.exchange(soci::into(project.value, project.ind));
        st.exchange(soci::into(name, name_ind));
        st.exchange(soci::into(uscc));
        st.exchange(soci::into(layer));
        st.exchange(soci::into(from));
        st.exchange(soci::into(to, to_ind));
        st.exchange(soci::into(reason));
        st.exchange(soci::into(evidence));
        st.exchange(soci::into(approver, approver_ind));
        st.exchange(soci::into(exit_reason));
        st.exchange(soci::into(exit_evidence));
        st.exchange(soci::into(exit_approver));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
    }
    std::string MemberKey() const {
        return enterprise.get() ? "e" + std::to_string(*enterprise.get()) : "p" + std::to_string(project.value);
    }
    json::object ToJson() const {
        return {{"id", id}, {"enterprise_id", OptionalInt(enterprise.get())}, {"project_id", OptionalInt(project.get())},
                {"name", name_ind == soci::i_ok ? name : ""}, {"uscc", uscc}, {"layer", layer},
                {"effective_from", from}, {"effective_to", to_ind == soci::i_ok ? json::value(to) : json::value(nullptr)},
                {"entry_reason", reason}, {"entry_evidence", evidence},
                {"entry_approved_by", approver_ind == soci::i_ok ? approver : ""}, {"exit_reason", exit_reason},
                {"exit_evidence", exit_evidence}, {"exit_approved_by", exit_approver},
                {"created_at", FormatIsoUtc(created)}, {"updated_at", FormatIsoUtc(updated)}};
    }
};

// Rows of a query over directory_entries (kEntrySelect + the given tail).
std::vector<EntryRow> FetchEntries(soci::session& s, storage::Query& q) {
    soci::statement st(s);
    EntryRow row;
    q.PrepareInto(st);
    row.Into(st);
    st.define_and_bind();
    st.execute();
    std::vector<EntryRow> out;
    while (st.fetch()) out.push_back(row);
    return out;
}

void AsOf(storage::Query& q, const std::string& date) {
    q.Sql(" AND de.effective_from <= ").Bind(date).Sql(" AND (de.effective_to IS NULL OR de.effective_to > ").Bind(date).Sql(")");
}

std::map<std::string, EntryRow> MembersOn(soci::session& s, long long directory_id, const std::string& scope,
                                          const std::string& date) {
    storage::Query q(kEntrySelect);
    q.Sql(" WHERE " + scope + " AND de.directory_id = ").Bind(directory_id);
    AsOf(q, date);
    std::map<std::string, EntryRow> out;
    for (auto& row : FetchEntries(s, q)) out.emplace(row.MemberKey(), std::move(row));
    return out;
}

Error NoDirectory() { return Error::NotFound("名录不存在"); }

}  // namespace

std::vector<FieldError> ValidateEntry(const EntryInput& e, const std::string& member_kind, const std::string& layers) {
    std::vector<FieldError> errors;
    if (member_kind == "enterprise" && !e.enterprise_id) errors.push_back({"enterprise_id", "required", "须指定企业"});
    if (member_kind == "project" && !e.project_id) errors.push_back({"project_id", "required", "须指定项目"});
    if (member_kind == "enterprise" && e.project_id) errors.push_back({"project_id", "not_allowed", "该名录只收录企业"});
    if (member_kind == "project" && e.enterprise_id) errors.push_back({"enterprise_id", "not_allowed", "该名录只收录项目"});
    if (!IsDate(e.effective_from)) errors.push_back({"effective_from", "invalid_date", "日期格式应为 YYYY-MM-DD"});
    if (e.reason.empty()) errors.push_back({"reason", "required", "须说明纳入理由"});
    if (layers.empty() && !e.layer.empty()) errors.push_back({"layer", "not_allowed", "该名录不分层"});
    if (!layers.empty() && ("," + layers + ",").find("," + e.layer + ",") == std::string::npos)
        errors.push_back({"layer", "invalid", "层级应为: " + layers});
    return errors;
}

Result<long long> InsertEntry(soci::session& s, long long directory_id, const EntryInput& e, long long approver,
                              TimestampMs now) {
    auto enterprise = storage::Nullable(e.enterprise_id), project = storage::Nullable(e.project_id);
    const std::string member_column = e.enterprise_id ? "enterprise_id" : "project_id";
    const long long member = e.enterprise_id ? *e.enterprise_id : *e.project_id;
    int overlapping = 0;
    s << "SELECT COUNT(*) FROM directory_entries WHERE directory_id = :d AND " + member_column +
             " = :m AND (effective_to IS NULL OR effective_to > :f)",
        soci::use(directory_id), soci::use(member), soci::use(e.effective_from), soci::into(overlapping);
    if (overlapping)
        return Fail(Error{ErrorCode::kConflict, "该主体在此日期已在名录中（或之后已有记录）；如需调整层级，请先办理移出",
                          {{member_column, "already_member", "已在名录中"}}, {}});
    long long id = 0;
    s << "INSERT INTO directory_entries (directory_id, enterprise_id, project_id, layer, effective_from, entry_reason, "
         "entry_evidence, entry_approved_by, created_at, updated_at) VALUES (:d, :e, :p, :l, :f, :r, :v, :a, :t, :t2) "
         "RETURNING id",
        soci::use(directory_id), soci::use(enterprise.value, enterprise.ind), soci::use(project.value, project.ind),
        soci::use(e.layer), soci::use(e.effective_from), soci::use(e.reason), soci::use(e.evidence), soci::use(approver),
        soci::use(now), soci::use(now), soci::into(id);
    return id;
}

Result<json::object> DirectoryService::List(const auth::Principal& viewer) {
    const std::string today = TodayIso(clock_);
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        long long id = 0, members = 0, unseen = 0;
        int subscribed = 0;
        std::string code, name, kind, layers, chain, description;
        soci::statement st = (s.prepare << "SELECT d.id, d.code, d.name, d.member_kind, d.layers, d.chain, d.description, "
                                           "(SELECT COUNT(*) FROM directory_entries de WHERE de.directory_id = d.id AND "
                                           "de.effective_from <= :t1 AND (de.effective_to IS NULL OR de.effective_to > :t2)), "
                                           "(SELECT COUNT(*) FROM directory_subscriptions x WHERE x.directory_id = d.id "
                                           "AND x.user_id = :u), (SELECT COUNT(*) FROM directory_entries de JOIN "
                                           "directory_subscriptions x ON x.directory_id = de.directory_id AND x.user_id = :u2 "
                                           "WHERE de.directory_id = d.id AND de.updated_at > x.last_seen_at AND " +
                                           EntryScope(viewer) + ") FROM directories d ORDER BY d.id",
                              soci::use(today), soci::use(today), soci::use(viewer.user_id), soci::use(viewer.user_id), soci::into(id),
                              soci::into(code), soci::into(name), soci::into(kind), soci::into(layers),
                              soci::into(chain), soci::into(description), soci::into(members), soci::into(subscribed),
                              soci::into(unseen));
        st.execute();
        json::array items;
        while (st.fetch())
            items.push_back(json::object{{"id", id}, {"code", code}, {"name", name}, {"member_kind", kind},
                                         {"layers", layers}, {"chain", chain}, {"description", description},
                                         {"member_count", members}, {"subscribed", subscribed > 0},
                                         {"unseen_changes", unseen}});
        const long long n = static_cast<long long>(items.size());
        return PageJson(std::move(items), n, 0, n);
    });
}

Result<json::object> DirectoryService::Members(const auth::Principal& viewer, long long directory_id,
                                               const std::optional<std::string>& as_of,
                                               const std::optional<std::string>& layer, long long offset,
                                               long long limit) {
    const std::string date = as_of.value_or(TodayIso(clock_));
    if (!IsDate(date)) return Fail(Error::Field("as_of", "invalid_date", "日期格式应为 YYYY-MM-DD"));
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        if (!LoadDirectory(s, directory_id)) return Fail(NoDirectory());
        auto where = [&](storage::Query& q) {
            q.Sql(" WHERE " + EntryScope(viewer) + " AND de.directory_id = ").Bind(directory_id);
            AsOf(q, date);
            if (layer) q.Sql(" AND de.layer = ").Bind(*layer);
        };
        storage::Query count("SELECT COUNT(*) FROM directory_entries de");
        where(count);
        const long long total = storage::CountOf(s, count);
        storage::Query q(kEntrySelect);
        where(q);
        q.Sql(" ORDER BY de.effective_from, de.id LIMIT ").Bind(limit).Sql(" OFFSET ").Bind(offset);
        json::array items;
        for (const auto& row : FetchEntries(s, q)) items.push_back(row.ToJson());
        auto page = PageJson(std::move(items), total, offset, limit);
        page["as_of"] = date;
        return page;
    });
}

Result<json::object> DirectoryService::History(const auth::Principal& viewer, long long directory_id,
                                               std::optional<long long> enterprise_id, long long offset,
                                               long long limit) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        if (!LoadDirectory(s, directory_id)) return Fail(NoDirectory());
        auto where = [&](storage::Query& q) {
            q.Sql(" WHERE " + EntryScope(viewer) + " AND de.directory_id = ").Bind(directory_id);
            if (enterprise_id) q.Sql(" AND de.enterprise_id = ").Bind(*enterprise_id);
        };
        storage::Query count("SELECT COUNT(*) FROM directory_entries de");
        where(count);
        const long long total = storage::CountOf(s, count);
        storage::Query q(kEntrySelect);
        where(q);
        q.Sql(" ORDER BY de.updated_at DESC, de.id DESC LIMIT ").Bind(limit).Sql(" OFFSET ").Bind(offset);
        json::array items;
        for (const auto& row : FetchEntries(s, q)) items.push_back(row.ToJson());
        return PageJson(std::move(items), total, offset, limit);
    });
}

Result<json::object> DirectoryService::Diff(const auth::Principal& viewer, long long directory_id,
                                            const std::string& from, const std::string& to) {
    if (!IsDate(from)) return Fail(Error::Field("from", "invalid_date", "日期格式应为 YYYY-MM-DD"));
    if (!IsDate(to)) return Fail(Error::Field("to", "invalid_date", "日期格式应为 YYYY-MM-DD"));
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        if (!LoadDirectory(s, directory_id)) return Fail(NoDirectory());
        const auto before = MembersOn(s, directory_id, EntryScope(viewer), from);
        const auto after = MembersOn(s, directory_id, EntryScope(viewer), to);
        json::array added, removed, changed;
        for (const auto& [key, row] : after) {
            auto it = before.find(key);
            if (it == before.end()) added.push_back(row.ToJson());
            else if (it->second.layer != row.layer)
                changed.push_back(json::object{{"before", it->second.ToJson()}, {"after", row.ToJson()}});
        }
        for (const auto& [key, row] : before)
            if (!after.contains(key)) removed.push_back(row.ToJson());
        return json::object{{"from", from}, {"to", to}, {"added", added}, {"removed", removed}, {"changed", changed}};
    });
}

Result<audit::Outcome> DirectoryService::AddEntry(const audit::Actor& actor, long long directory_id,
                                                  const EntryInput& entry, const audit::Command& command) {
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto dir = LoadDirectory(s, directory_id);
        if (!dir) return Fail(NoDirectory());
        if (auto errors = ValidateEntry(entry, dir->member_kind, dir->layers); !errors.empty())
            return Fail(Error::InvalidArgument("名录条目有误", std::move(errors)));
        const std::string table = entry.enterprise_id ? "enterprises" : "projects";
        int exists = 0;
        s << "SELECT COUNT(*) FROM " + table + " WHERE id = :id",
            soci::use(entry.enterprise_id ? *entry.enterprise_id : *entry.project_id), soci::into(exists);
        if (!exists)
            return Fail(Error::Field(entry.enterprise_id ? "enterprise_id" : "project_id", "not_found", "主体不存在"));
        auto id = InsertEntry(s, directory_id, entry, actor.user_id.value_or(0), now);
        if (!id) return Fail(id.error());
        storage::Query q(kEntrySelect);
        q.Sql(" WHERE de.id = ").Bind(*id);
        const std::string after = json::serialize(FetchEntries(s, q).at(0).ToJson());
        return audit::Outcome{.entity_id = std::to_string(*id), .after = after, .response = after, .status = 201};
    });
}

Result<audit::Outcome> DirectoryService::ExitEntry(const audit::Actor& actor, long long entry_id, const ExitInput& exit,
                                                   const audit::Command& command) {
    if (!IsDate(exit.effective_to)) return Fail(Error::Field("effective_to", "invalid_date", "日期格式应为 YYYY-MM-DD"));
    if (exit.reason.empty()) return Fail(Error::Field("reason", "required", "须说明移出理由"));
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        storage::Query q(kEntrySelect);
        q.Sql(" WHERE de.id = ").Bind(entry_id);
        auto rows = FetchEntries(s, q);
        if (rows.empty()) return Fail(Error::NotFound("名录条目不存在"));
        const EntryRow& before = rows[0];
        if (before.to_ind == soci::i_ok) return Fail(Error::Conflict("该条目已移出"));
        if (exit.effective_to <= before.from)
            return Fail(Error::Field("effective_to", "before_entry", "移出日期须晚于纳入日期 " + before.from));
        long long by = actor.user_id.value_or(0);
        s << "UPDATE directory_entries SET effective_to = :t, exit_reason = :r, exit_evidence = :v, exit_approved_by = :b, "
             "updated_at = :u WHERE id = :id",
            soci::use(exit.effective_to), soci::use(exit.reason), soci::use(exit.evidence), soci::use(by), soci::use(now),
            soci::use(entry_id);
        storage::Query again(kEntrySelect);
        again.Sql(" WHERE de.id = ").Bind(entry_id);
        const std::string after = json::serialize(FetchEntries(s, again).at(0).ToJson());
        return audit::Outcome{.entity_id = std::to_string(entry_id), .before = json::serialize(before.ToJson()),
                              .after = after, .response = after};
    });
}

Status DirectoryService::Subscribe(const auth::Principal& viewer, const audit::Actor& actor, long long directory_id) {
    const TimestampMs now = clock_.NowMs();
    auto outcome = pipeline_.Execute(
        actor, {.action = "directory.subscribe", .entity = "directory", .permission = "directory:read",
                .entity_id = std::to_string(directory_id)},
        [&](soci::session& s) -> Result<audit::Outcome> {
            if (!LoadDirectory(s, directory_id)) return Fail(NoDirectory());
            int already = 0;
            s << "SELECT COUNT(*) FROM directory_subscriptions WHERE directory_id = :d AND user_id = :u",
                soci::use(directory_id), soci::use(viewer.user_id), soci::into(already);
            if (!already)
                s << "INSERT INTO directory_subscriptions (directory_id, user_id, subscribed_at, last_seen_at) VALUES "
                     "(:d, :u, :t, :t2)",
                    soci::use(directory_id), soci::use(viewer.user_id), soci::use(now), soci::use(now);
            return audit::Outcome{.entity_id = std::to_string(directory_id), .status = 204};
        });
    if (!outcome) return Fail(outcome.error());
    return {};
}

Result<json::object> DirectoryService::ChangesSinceLastLook(const auth::Principal& viewer, const audit::Actor& actor,
                                                            long long directory_id) {
    const TimestampMs now = clock_.NowMs();
    json::object answer;
    auto outcome = pipeline_.Execute(
        actor, {.action = "directory.mark_seen", .entity = "directory", .permission = "directory:read",
                .entity_id = std::to_string(directory_id)},
        [&](soci::session& s) -> Result<audit::Outcome> {
            long long last_seen = 0;
            s << "SELECT last_seen_at FROM directory_subscriptions WHERE directory_id = :d AND user_id = :u",
                soci::use(directory_id), soci::use(viewer.user_id), soci::into(last_seen);
            if (!s.got_data()) return Fail(Error::FailedPrecondition("尚未订阅该名录"));
            storage::Query q(kEntrySelect);
            q.Sql(" WHERE " + EntryScope(viewer) + " AND de.directory_id = ").Bind(directory_id)
                .Sql(" AND de.updated_at > ").Bind(last_seen).Sql(" ORDER BY de.updated_at, de.id");
            json::array entered, left;
            for (const auto& row : FetchEntries(s, q)) (row.to_ind == soci::i_ok ? left : entered).push_back(row.ToJson());
            s << "UPDATE directory_subscriptions SET last_seen_at = :t WHERE directory_id = :d AND user_id = :u",
                soci::use(now), soci::use(directory_id), soci::use(viewer.user_id);
            answer = {{"since", FormatIsoUtc(last_seen)}, {"entered", entered}, {"left", left}};
            return audit::Outcome{.entity_id = std::to_string(directory_id)};
        });
    if (!outcome) return Fail(outcome.error());
    return answer;
}

namespace {
// The project's enterprise must be registered, its district one of the city's and its class a 4+4+6 class.
Status CheckProject(soci::session& s, const NewProject& p) {
    auto refs = LoadReferenceSets(s);
    if (!refs) return Fail(refs.error());
    std::vector<FieldError> errors;
    if (p.enterprise_id) {
        int found = 0;
        s << "SELECT COUNT(*) FROM enterprises WHERE id = :id", soci::use(*p.enterprise_id), soci::into(found);
        if (!found) errors.push_back({"enterprise_id", "not_found", "建设主体企业不存在"});
    }
    if (!p.district.empty() && !refs->districts.contains(p.district))
        errors.push_back({"district", "unknown_district", "所属区应为厦门市六区之一"});
    if (!p.industry_446.empty() && !refs->classes446.contains(p.industry_446))
        errors.push_back({"industry_446", "unknown_class", "未知的 4+4+6 产业分类"});
    if (errors.empty()) return {};
    return Fail(Error::InvalidArgument("项目信息有误", std::move(errors)));
}
}  // namespace

Result<audit::Outcome> DirectoryService::CreateProject(const audit::Actor& actor, const NewProject& p,
                                                       const audit::Command& command) {
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        if (auto st = CheckProject(s, p); !st) return Fail(st.error());
        auto enterprise = storage::Nullable(p.enterprise_id), investment = storage::Nullable(p.investment_fen),
             need = storage::Nullable(p.financing_need_fen);
        long long id = 0;
        s << "INSERT INTO projects (name, enterprise_id, investment_fen, financing_need_fen, stage, district, "
             "industry_446, green_category, created_at, updated_at) VALUES (:n, :e, :i, :f, :s, :d, :k, :g, :t, :t2) "
             "RETURNING id",
            soci::use(p.name), soci::use(enterprise.value, enterprise.ind), soci::use(investment.value, investment.ind),
            soci::use(need.value, need.ind), soci::use(p.stage), soci::use(p.district), soci::use(p.industry_446),
            soci::use(p.green_category), soci::use(now), soci::use(now), soci::into(id);
        const std::string after = json::serialize(json::object{
            {"id", id}, {"name", p.name}, {"enterprise_id", OptionalInt(p.enterprise_id)},
            {"investment_fen", OptionalInt(p.investment_fen)}, {"financing_need_fen", OptionalInt(p.financing_need_fen)},
            {"stage", p.stage}, {"district", p.district}, {"industry_446", p.industry_446},
            {"green_category", p.green_category}});
        return audit::Outcome{.entity_id = std::to_string(id), .after = after, .response = after, .status = 201};
    });
}

Result<json::object> DirectoryService::ListProjects(long long offset, long long limit) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        long long total = 0;
        s << "SELECT COUNT(*) FROM projects", soci::into(total);
        long long id = 0;
        std::string name, stage, district, c446, green;
        storage::NullableInt enterprise, investment, need;
        std::string enterprise_name;
        soci::statement st = (s.prepare << "SELECT p.id, p.name, p.enterprise_id, COALESCE(e.name, ''), p.investment_fen, "
                                           "p.financing_need_fen, p.stage, p.district, p.industry_446, p.green_category "
                                           "FROM projects p LEFT JOIN enterprises e ON e.id = p.enterprise_id "
                                           "ORDER BY p.id DESC LIMIT :l OFFSET :o",
                              soci::use(limit), soci::use(offset), soci::into(id), soci::into(name),
                              soci::into(enterprise.value, enterprise.ind), soci::into(enterprise_name),
                              soci::into(investment.value, investment.ind), soci::into(need.value, need.ind),
                              soci::into(stage), soci::into(district), soci::into(c446), soci::into(green));
        st.execute();
        json::array items;
        while (st.fetch())
            items.push_back(json::object{{"id", id}, {"name", name}, {"enterprise_id", OptionalInt(enterprise.get())},
                                         {"enterprise_name", enterprise_name},
                                         {"investment_fen", OptionalInt(investment.get())},
                                         {"financing_need_fen", OptionalInt(need.get())}, {"stage", stage},
                                         {"district", district}, {"industry_446", c446}, {"green_category", green}});
        return PageJson(std::move(items), total, offset, limit);
    });
}

}  // namespace chanrong::registry

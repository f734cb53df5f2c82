#include "registry/enterprise_service.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include "common/json_out.hpp"
#include "common/text_normalize.hpp"
#include "common/time_format.hpp"
#include "common/uscc.hpp"
#include "registry/enterprise_store.hpp"
#include "storage/query.hpp"
#include "storage/row.hpp"

namespace chanrong::registry {
namespace json = boost::json;
namespace {

std::string Scope(const auth::Principal& p) { return p.enterprise_id ? "e.id = " + std::to_string(*p.enterprise_id) : "1=1"; }
bool IsOfficer(const auth::Principal& p) { return p.Can("enterprise:write"); }

bool LooksLikeCreditCode(const std::string& q) {
    return q.size() >= 2 && std::all_of(q.begin(), q.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'A' && c <= 'Z'); });
}

void AddSearch(storage::Query& q, const std::string& text, bool sqlite) {
    if (LooksLikeCreditCode(text)) {
        q.Sql(" AND e.uscc LIKE ").Bind(text + "%");
        return;
    }
    const std::string normalized = NormalizeForSearch(text);
    if (sqlite && Utf8Length(normalized) >= 3) {
        std::string phrase = "\"";
        for (char c : normalized) phrase += c == '"' ? std::string("\"\"") : std::string(1, c);
        q.Sql(" AND e.id IN (SELECT rowid FROM enterprise_search WHERE enterprise_search MATCH ").Bind(phrase + "\"").Sql(")");
    } else {
        q.Sql(" AND e.name_normalized LIKE ").Bind(storage::LikePattern(normalized)).Sql(" ESCAPE '\\'");
    }
}

void AddFilters(storage::Query& q, const auth::Principal& viewer, const EnterpriseFilter& f, bool sqlite,
                const std::string& today) {
    q.Sql(" WHERE " + Scope(viewer));
    if (f.q) AddSearch(q, *f.q, sqlite);
    if (f.district) q.Sql(" AND e.district = ").Bind(*f.district);
    if (f.industry) q.Sql(" AND e.industry_code LIKE ").Bind(*f.industry + "%");
    if (f.class446) q.Sql(" AND e.industry_446 = ").Bind(*f.class446);
    if (f.size) q.Sql(" AND e.size_class = ").Bind(*f.size);
    if (f.tag)
        q.Sql(" AND EXISTS (SELECT 1 FROM enterprise_tags t WHERE t.enterprise_id = e.id AND t.revoked_at IS NULL AND t.tag = ")
            .Bind(*f.tag).Sql(" AND t.valid_from <= ").Bind(today).Sql(" AND (t.valid_to = '' OR t.valid_to > ").Bind(today).Sql("))");
    if (f.directory)
        q.Sql(" AND EXISTS (SELECT 1 FROM directory_entries de JOIN directories d ON d.id = de.directory_id "
              "WHERE de.enterprise_id = e.id AND d.code = ").Bind(*f.directory)
            .Sql(" AND de.effective_from <= ").Bind(today).Sql(" AND (de.effective_to IS NULL OR de.effective_to > ").Bind(today).Sql("))");
}

constexpr const char* kListColumns =
    "SELECT e.id, e.uscc, e.uscc_valid, e.name, COALESCE(e.district, ''), COALESCE(e.industry_code, ''), "
    "COALESCE(e.industry_446, ''), e.size_class, "
    "e.contact_person, e.contact_phone FROM enterprises e";

struct ListRow {
    long long id = 0;
    int valid = 1;
    std::string uscc, name, district, industry, c446, size, person, phone;
    void Into(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(uscc));
        st.exchange(soci::into(valid));
        for (std::string* s : {&name, &district, &industry, &c446, &size, &person, &phone}) st.exchange(soci::into(*s));
    }
    json::object ToJson() const {
        return {{"id", id}, {"uscc", uscc}, {"uscc_valid", valid == 1}, {"name", name}, {"district", district},
                {"industry_code", industry}, {"industry_446", c446}, {"size_class", size},
                {"contact_person", MaskName(person)}, {"contact_phone", MaskPhone(phone)}};
    }
};

json::array Figures(soci::session& s, long long id) {
    YearFigures f;
    storage::NullableInt v[8];
    soci::statement st = (s.prepare << "SELECT year, employees, revenue_fen, assets_fen, liabilities_fen, rd_spend_fen, "
                                       "rd_staff, value_added_fen, invention_patents FROM enterprise_figures "
                                       "WHERE enterprise_id = :id ORDER BY year DESC",
                          soci::use(id), soci::into(f.year), soci::into(v[0].value, v[0].ind),
                          soci::into(v[1].value, v[1].ind), soci::into(v[2].value, v[2].ind),
                          soci::into(v[3].value, v[3].ind), soci::into(v[4].value, v[4].ind),
                          soci::into(v[5].value, v[5].ind), soci::into(v[6].value, v[6].ind),
                          soci::into(v[7].value, v[7].ind));
    st.execute();
    json::array out;
    const char* names[8] = {"employees", "revenue_fen", "assets_fen", "liabilities_fen",
                            "rd_spend_fen", "rd_staff", "value_added_fen", "invention_patents"};
    while (st.fetch()) {
        json::object row{{"year", f.year}};
        for (int i = 0; i < 8; ++i) row[names[i]] = OptionalInt(v[i].get());
        out.push_back(std::move(row));
    }
    return out;
}

json::array Tags(soci::session& s, long long id) {
    long long tag_id = 0, created = 0;
    std::string tag, name, from, to, evidence, chain, node, reason;
    storage::NullableInt revoked;
    soci::statement st = (s.prepare << "SELECT t.id, t.tag, k.name, t.valid_from, t.valid_to, t.evidence, t.chain, "
                                       "t.chain_node, t.created_at, t.revoked_at, t.revoke_reason FROM enterprise_tags t "
                                       "JOIN tag_kinds k ON k.code = t.tag WHERE t.enterprise_id = :id ORDER BY t.id",
                          soci::use(id), soci::into(tag_id), soci::into(tag), soci::into(name), soci::into(from),
                          soci::into(to), soci::into(evidence), soci::into(chain), soci::into(node), soci::into(created),
                          soci::into(revoked.value, revoked.ind), soci::into(reason));
    st.execute();
    json::array out;
    while (st.fetch())
        out.push_back(json::object{{"id", tag_id}, {"tag", tag}, {"name", name}, {"valid_from", from}, {"valid_to", to},
                                   {"evidence", evidence}, {"chain", chain}, {"chain_node", node},
                                   {"created_at", FormatIsoUtc(created)}, {"revoked_at", OptionalTime(revoked.get())},
                                   {"revoke_reason", reason}});
    return out;
}

json::array DirectoryStays(soci::session& s, long long id) {
    long long entry_id = 0, approved = 0;
    std::string code, name, layer, from, to, reason, evidence, exit_reason;
    soci::indicator to_ind = soci::i_null;
    soci::statement st = (s.prepare << "SELECT de.id, d.code, d.name, de.layer, de.effective_from, de.effective_to, "
                                       "de.entry_reason, de.entry_evidence, de.entry_approved_by, de.exit_reason "
                                       "FROM directory_entries de JOIN directories d ON d.id = de.directory_id "
                                       "WHERE de.enterprise_id = :id ORDER BY de.effective_from, de.id",
                          soci::use(id), soci::into(entry_id), soci::into(code), soci::into(name), soci::into(layer),
                          soci::into(from), soci::into(to, to_ind), soci::into(reason), soci::into(evidence),
                          soci::into(approved), soci::into(exit_reason));
    st.execute();
    json::array out;
    while (st.fetch())
        out.push_back(json::object{{"id", entry_id}, {"directory", code}, {"directory_name", name}, {"layer", layer},
                                   {"effective_from", from}, {"effective_to", to_ind == soci::i_ok ? json::value(to) : json::value(nullptr)},
                                   {"entry_reason", reason}, {"entry_evidence", evidence}, {"approved_by", approved},
                                   {"exit_reason", exit_reason}});
    return out;
}

json::array PendingOf(soci::session& s, long long id) {
    long long change_id = 0, maker = 0, made = 0;
    std::string kind, payload, status;
    soci::statement st = (s.prepare << "SELECT id, kind, payload, status, maker_id, made_at FROM pending_changes "
                                       "WHERE entity = 'enterprise' AND entity_id = :id AND status = 'pending' ORDER BY id",
                          soci::use(id), soci::into(change_id), soci::into(kind), soci::into(payload),
                          soci::into(status), soci::into(maker), soci::into(made));
    st.execute();
    json::array out;
    while (st.fetch())
        out.push_back(json::object{{"id", change_id}, {"kind", kind}, {"payload", json::parse(payload)},
                                   {"status", status}, {"maker_id", maker}, {"made_at", FormatIsoUtc(made)}});
    return out;
}

long long ProposeChange(soci::session& s, long long enterprise_id, const std::string& kind, const json::object& payload,
                        long long maker, TimestampMs now) {
    const std::string text = json::serialize(payload);
    long long id = 0;
    s << "INSERT INTO pending_changes (entity, entity_id, kind, payload, maker_id, made_at) VALUES ('enterprise', :e, "
         ":k, :p, :m, :t) RETURNING id",
        soci::use(enterprise_id), soci::use(kind), soci::use(text), soci::use(maker), soci::use(now), soci::into(id);
    return id;
}

Status CheckTag(const TagInput& t, const ReferenceSets& refs) {
    std::vector<FieldError> errors;
    if (!refs.tag_kinds.contains(t.tag)) errors.push_back({"tag", "unknown_tag", "未知标签: " + t.tag});
    if (t.valid_from.size() != 10 || !ParseIsoTimestamp(t.valid_from))
        errors.push_back({"valid_from", "invalid_date", "日期格式应为 YYYY-MM-DD"});
    if (!t.valid_to.empty() && (t.valid_to.size() != 10 || !ParseIsoTimestamp(t.valid_to) || t.valid_to <= t.valid_from))
        errors.push_back({"valid_to", "invalid_date", "应为晚于生效日期的 YYYY-MM-DD"});
    if (NeedsChain(refs, t.tag) && t.chain.empty())
        errors.push_back({"chain", "required", "该标签须注明产业链（如链主/链上企业）"});
    if (t.evidence.empty()) errors.push_back({"evidence", "required", "须提供认定依据（文号或证书编号）"});
    if (errors.empty()) return {};
    return Fail(Error::InvalidArgument("标签信息有误", std::move(errors)));
}

long long InsertTag(soci::session& s, long long enterprise_id, const TagInput& t, long long by, TimestampMs now) {
    long long id = 0;
    s << "INSERT INTO enterprise_tags (enterprise_id, tag, valid_from, valid_to, evidence, chain, chain_node, created_by, "
         "created_at) VALUES (:e, :t, :f, :u, :v, :c, :n, :b, :at) RETURNING id",
        soci::use(enterprise_id), soci::use(t.tag), soci::use(t.valid_from), soci::use(t.valid_to),
        soci::use(t.evidence), soci::use(t.chain), soci::use(t.chain_node), soci::use(by), soci::use(now), soci::into(id);
    return id;
}

Error NotFound() { return Error::NotFound("企业不存在"); }

}  // namespace

Result<json::object> EnterpriseService::List(const auth::Principal& viewer, const EnterpriseFilter& f) {
    const std::string today = TodayIso(clock_);
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        storage::Query count("SELECT COUNT(*) FROM enterprises e");
        AddFilters(count, viewer, f, db_.is_sqlite(), today);
        const long long total = storage::CountOf(s, count);
        storage::Query q(kListColumns);
        AddFilters(q, viewer, f, db_.is_sqlite(), today);
        q.Sql(" ORDER BY e.id LIMIT ").Bind(f.limit).Sql(" OFFSET ").Bind(f.offset);
        ListRow row;
        json::array items;
        storage::ForEachRow(s, q, row, [&] { items.push_back(row.ToJson()); });
        return PageJson(std::move(items), total, f.offset, f.limit);
    });
}

Status EnterpriseService::ForEach(const auth::Principal& viewer, EnterpriseFilter f,
                                  const std::function<void(const json::object&)>& sink) {
    const std::string today = TodayIso(clock_);
    long long after = 0;
    for (;;) {
        auto batch = db_.Read([&](soci::session& s) -> Result<std::vector<json::object>> {
            storage::Query q(kListColumns);
            AddFilters(q, viewer, f, db_.is_sqlite(), today);
            q.Sql(" AND e.id > ").Bind(after).Sql(" ORDER BY e.id LIMIT 5000");
            soci::statement st(s);
            ListRow row;
            q.PrepareInto(st);
            row.Into(st);
            st.define_and_bind();
            st.execute();
            std::vector<json::object> rows;
            while (st.fetch()) rows.push_back(row.ToJson());
            return rows;
        });
        if (!batch) return Fail(batch.error());
        for (const auto& r : *batch) sink(r);
        if (batch->size() < 5000) return {};
        after = batch->back().at("id").as_int64();
    }
}

Result<json::object> EnterpriseService::Get(const auth::Principal& viewer, long long id) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        auto profile = LoadProfile(s, id, Scope(viewer), false);
        if (!profile) return Fail(NotFound());
        (*profile)["figures"] = Figures(s, id);
        (*profile)["tags"] = Tags(s, id);
        (*profile)["directories"] = DirectoryStays(s, id);
        (*profile)["pending_changes"] = PendingOf(s, id);
        return *profile;
    });
}

Result<audit::Outcome> EnterpriseService::Create(const audit::Actor& actor, const std::string& uscc,
                                                 const EnterpriseFields& fields, const audit::Command& command) {
    if (auto valid = ValidateUscc(uscc); !valid) return Fail(valid.error());
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto refs = LoadReferenceSets(s);
        if (!refs) return Fail(refs.error());
        auto errors = ValidateFields(fields, *refs, true);
        if (!errors.empty()) return Fail(Error::InvalidArgument("企业信息有误", std::move(errors)));
        if (FindByUscc(s, uscc))
            return Fail(Error{ErrorCode::kConflict, "该统一社会信用代码已登记", {{"uscc", "duplicate", "已登记"}}, {}});
        const long long id = InsertEnterprise(s, uscc, "", fields, *refs, cipher_, now);
        const std::string after = json::serialize(*LoadProfile(s, id, "1=1", false));
        return audit::Outcome{.entity_id = std::to_string(id), .after = after, .response = after, .status = 201};
    });
}

Result<audit::Outcome> EnterpriseService::Update(const auth::Principal& viewer, const audit::Actor& actor, long long id,
                                                 const EnterpriseFields& fields, long long version,
                                                 const audit::Command& command) {
    const TimestampMs now = clock_.NowMs();
    const bool officer = IsOfficer(viewer);
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto before = LoadProfile(s, id, Scope(viewer), false);
        if (!before) return Fail(NotFound());
        if ((*before)["version"].as_int64() != version) return Fail(Error::Conflict("该企业信息已被他人修改，请刷新后重试"));
        auto refs = LoadReferenceSets(s);
        if (!refs) return Fail(refs.error());
        auto errors = ValidateFields(fields, *refs, false);
        if (!errors.empty()) return Fail(Error::InvalidArgument("企业信息有误", std::move(errors)));
        EnterpriseFields direct = fields;
        json::object response;
        if (!officer && fields.industry_code && *fields.industry_code != (*before)["industry_code"].as_string()) {
            direct.industry_code.reset();
            response["pending_change_id"] = ProposeChange(s, id, "industry", {{"industry_code", *fields.industry_code}},
                                                          viewer.user_id, now);
        }
        UpdateEnterprise(s, id, direct, cipher_, now);
        RecomputeDerived(s, id, *refs, now);
        auto after = *LoadProfile(s, id, "1=1", false);
        after["pending_changes"] = PendingOf(s, id);
        if (response.contains("pending_change_id")) after["pending_change_id"] = response["pending_change_id"];
        return audit::Outcome{.entity_id = std::to_string(id), .before = json::serialize(*before),
                              .after = json::serialize(after), .response = json::serialize(after)};
    });
}

Result<audit::Outcome> EnterpriseService::PutFigures(const auth::Principal& viewer, const audit::Actor& actor,
                                                     long long id, const YearFigures& figures,
                                                     const audit::Command& command) {
    if (auto errors = ValidateFigures(figures); !errors.empty())
        return Fail(Error::InvalidArgument("年度数据有误", std::move(errors)));
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto before = LoadProfile(s, id, Scope(viewer), false);
        if (!before) return Fail(NotFound());
        auto refs = LoadReferenceSets(s);
        if (!refs) return Fail(refs.error());
        const json::array old_figures = Figures(s, id);
        UpsertFigures(s, id, figures, now);
        RecomputeDerived(s, id, *refs, now);
        auto after = *LoadProfile(s, id, "1=1", false);
        after["figures"] = Figures(s, id);
        (*before)["figures"] = old_figures;
        return audit::Outcome{.entity_id = std::to_string(id), .before = json::serialize(*before),
                              .after = json::serialize(after), .response = json::serialize(after)};
    });
}

Result<audit::Outcome> EnterpriseService::Override446(const audit::Actor& actor, long long id, const std::string& code,
                                                      const std::string& reason, const audit::Command& command) {
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        const TimestampMs now = clock_.NowMs();
        auto before = LoadProfile(s, id, "1=1", false);
        if (!before) return Fail(NotFound());
        auto refs = LoadReferenceSets(s);
        if (!refs) return Fail(refs.error());
        if (!code.empty() && !refs->classes446.contains(code))
            return Fail(Error::Field("code", "unknown_class", "不是当前 4+4+6 体系中的产业代码: " + code));
        const std::string source = code.empty() ? "mapping" : "override";
        const std::string note = code.empty() ? "" : reason + "（" + actor.name + "）";
        s << "UPDATE enterprises SET industry_446 = :c, industry_446_source = :s, industry_446_note = :n, "
             "updated_at = :t, version = version + 1 WHERE id = :id",
            soci::use(code), soci::use(source), soci::use(note), soci::use(now), soci::use(id);
        RecomputeDerived(s, id, *refs, now);
        const std::string after = json::serialize(*LoadProfile(s, id, "1=1", false));
        return audit::Outcome{.entity_id = std::to_string(id), .before = json::serialize(*before), .after = after,
                              .response = after};
    });
}

Result<audit::Outcome> EnterpriseService::AddTag(const auth::Principal& viewer, const audit::Actor& actor, long long id,
                                                 const TagInput& tag, const audit::Command& command) {
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        if (!LoadProfile(s, id, Scope(viewer), false)) return Fail(NotFound());
        auto refs = LoadReferenceSets(s);
        if (!refs) return Fail(refs.error());
        if (auto st = CheckTag(tag, *refs); !st) return Fail(st.error());
        json::object payload{{"tag", tag.tag}, {"valid_from", tag.valid_from}, {"valid_to", tag.valid_to},
                             {"evidence", tag.evidence}, {"chain", tag.chain}, {"chain_node", tag.chain_node}};
        if (!IsOfficer(viewer)) {
            const long long change = ProposeChange(s, id, "tag", payload, viewer.user_id, now);
            json::object answer{{"pending_change_id", change}, {"status", "pending"}};
            return audit::Outcome{.entity_id = std::to_string(id), .after = json::serialize(payload),
                                  .response = json::serialize(answer), .status = 202};
        }
        const long long tag_id = InsertTag(s, id, tag, viewer.user_id, now);
        payload["id"] = tag_id;
        return audit::Outcome{.entity_id = std::to_string(id), .after = json::serialize(payload),
                              .response = json::serialize(payload), .status = 201};
    });
}

Result<audit::Outcome> EnterpriseService::RevokeTag(const audit::Actor& actor, long long tag_id,
                                                    const std::string& reason, const audit::Command& command) {
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        long long enterprise_id = 0;
        storage::NullableInt revoked;
        s << "SELECT enterprise_id, revoked_at FROM enterprise_tags WHERE id = :id", soci::use(tag_id),
            soci::into(enterprise_id), soci::into(revoked.value, revoked.ind);
        if (!s.got_data()) return Fail(Error::NotFound("标签不存在"));
        if (revoked.get()) return Fail(Error::Conflict("标签已撤销"));
        long long by = actor.user_id.value_or(0);
        s << "UPDATE enterprise_tags SET revoked_at = :t, revoked_by = :b, revoke_reason = :r WHERE id = :id",
            soci::use(now), soci::use(by), soci::use(reason), soci::use(tag_id);
        return audit::Outcome{.entity_id = std::to_string(tag_id), .status = 204};
    });
}

Result<json::object> EnterpriseService::ListPending(const std::string& status, long long offset, long long limit) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        long long total = 0;
        s << "SELECT COUNT(*) FROM pending_changes WHERE status = :s", soci::use(status), soci::into(total);
        long long id = 0, entity_id = 0, maker = 0, made = 0;
        std::string kind, payload, name, maker_name;
        soci::statement st = (s.prepare << "SELECT p.id, p.entity_id, e.name, p.kind, p.payload, p.maker_id, u.username, "
                                           "p.made_at FROM pending_changes p JOIN enterprises e ON e.id = p.entity_id "
                                           "JOIN users u ON u.id = p.maker_id WHERE p.status = :s ORDER BY p.id "
                                           "LIMIT :l OFFSET :o",
                              soci::use(status), soci::use(limit), soci::use(offset), soci::into(id),
                              soci::into(entity_id), soci::into(name), soci::into(kind), soci::into(payload),
                              soci::into(maker), soci::into(maker_name), soci::into(made));
        st.execute();
        json::array items;
        while (st.fetch())
            items.push_back(json::object{{"id", id}, {"enterprise_id", entity_id}, {"enterprise_name", name},
                                         {"kind", kind}, {"payload", json::parse(payload)}, {"maker_id", maker},
                                         {"maker", maker_name}, {"made_at", FormatIsoUtc(made)}, {"status", status}});
        return PageJson(std::move(items), total, offset, limit);
    });
}

Result<audit::Outcome> EnterpriseService::DecidePending(const audit::Actor& actor, long long change_id, bool approve,
                                                        const std::string& note, const audit::Command& command) {
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        long long enterprise_id = 0, maker = 0;
        std::string kind, payload, status;
        s << std::string("SELECT entity_id, kind, payload, status, maker_id FROM pending_changes WHERE id = :id") +
                 db_.ForUpdate(),
            soci::use(change_id), soci::into(enterprise_id), soci::into(kind), soci::into(payload), soci::into(status),
            soci::into(maker);
        if (!s.got_data()) return Fail(Error::NotFound("待审核变更不存在"));
        if (status != "pending") return Fail(Error::Conflict("该变更已处理"));
        if (actor.user_id && *actor.user_id == maker) return Fail(Error::FailedPrecondition("提交人不能审核自己的变更"));
        const json::object change = json::parse(payload).as_object();
        auto refs = LoadReferenceSets(s);
        if (!refs) return Fail(refs.error());
        if (approve && kind == "industry") {
            EnterpriseFields f;
            f.industry_code = std::string(change.at("industry_code").as_string());
            if (auto errors = ValidateFields(f, *refs, false); !errors.empty())
                return Fail(Error::FailedPrecondition("变更内容已不再有效: " + errors[0].message));
            UpdateEnterprise(s, enterprise_id, f, cipher_, now);
            RecomputeDerived(s, enterprise_id, *refs, now);
        } else if (approve && kind == "tag") {
            TagInput t{std::string(change.at("tag").as_string()), std::string(change.at("valid_from").as_string()),
                       std::string(change.at("valid_to").as_string()), std::string(change.at("evidence").as_string()),
                       std::string(change.at("chain").as_string()), std::string(change.at("chain_node").as_string())};
            InsertTag(s, enterprise_id, t, maker, now);
        }
        const std::string decided = approve ? "approved" : "rejected";
        long long checker = actor.user_id.value_or(0);
        s << "UPDATE pending_changes SET status = :s, checker_id = :c, checked_at = :t, note = :n WHERE id = :id",
            soci::use(decided), soci::use(checker), soci::use(now), soci::use(note), soci::use(change_id);
        json::object answer{{"id", change_id}, {"status", decided}, {"enterprise_id", enterprise_id}};
        return audit::Outcome{.entity_id = std::to_string(change_id), .before = payload,
                              .after = json::serialize(answer), .response = json::serialize(answer)};
    });
}

}  // namespace chanrong::registry

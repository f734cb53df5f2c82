#include "registry/reference_admin.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include "common/json_out.hpp"
#include "common/time_format.hpp"
#include "registry/enterprise_store.hpp"
#include "registry/reference.hpp"
#include "storage/query.hpp"
#include "storage/row.hpp"

namespace chanrong::registry {
namespace json = boost::json;
namespace {

Error FieldConflict(std::string field, std::string code, std::string message) {
    Error e = Error::Conflict(message);
    e.fields.push_back({std::move(field), std::move(code), std::move(message)});
    return e;
}

long long Count(soci::session& s, const std::string& sql, const std::string& value) {
    long long n = 0;
    s << sql, soci::use(value), soci::into(n);
    return n;
}

// Product conditions and pending tag requests are JSON text; a quoted value inside them is a use.
std::string Quoted(const std::string& value) { return "%\"" + value + "\"%"; }

long long DistrictUses(soci::session& s, const std::string& name) {
    long long uses = 0;
    for (const char* table : {"enterprises", "institutions", "projects", "matchmaking_events"})
        uses += Count(s, std::string("SELECT COUNT(*) FROM ") + table + " WHERE district = :n", name);
    return uses + Count(s, "SELECT COUNT(*) FROM products WHERE eligibility LIKE :n", Quoted(name));
}

long long TagKindUses(soci::session& s, const std::string& code) {
    return Count(s, "SELECT COUNT(*) FROM enterprise_tags WHERE tag = :c", code) +
           Count(s, "SELECT COUNT(*) FROM products WHERE eligibility LIKE :c", Quoted(code)) +
           Count(s, "SELECT COUNT(*) FROM pending_changes WHERE kind = 'tag' AND status = 'pending' AND payload LIKE :c",
                 Quoted(code));
}

json::object DistrictJson(const District& d) { return {{"code", d.code}, {"name", d.name}, {"sort", d.sort}}; }

json::object TagKindJson(const TagKindInput& t) {
    return {{"code", t.code}, {"name", t.name}, {"needs_chain", t.needs_chain}, {"sort", t.sort}};
}

std::optional<District> FindDistrict(soci::session& s, const std::string& code) {
    District d{code};
    s << "SELECT name, sort FROM districts WHERE code = :c", soci::use(code), soci::into(d.name), soci::into(d.sort);
    return s.got_data() ? std::optional(d) : std::nullopt;
}

std::optional<TagKindInput> FindTagKind(soci::session& s, const std::string& code) {
    TagKindInput t{code};
    int needs_chain = 0;
    s << "SELECT name, needs_chain, sort FROM tag_kinds WHERE code = :c", soci::use(code), soci::into(t.name),
        soci::into(needs_chain), soci::into(t.sort);
    t.needs_chain = needs_chain != 0;
    return s.got_data() ? std::optional(t) : std::nullopt;
}

// A coded reference row (district, tag kind) for RemoveUnused.
struct CodedTable {
    const char* entity;  // "district": audit entity, and action "<entity>.delete"
    const char* table;   // "districts"
    const char* what;    // 行政区
    const char* users;   // what may use a row, after its count: "条企业、机构…"
};

// Deletes the row `code` of `t` unless `uses` counts something that refers to it (conflict on "code").
template <class Find, class Uses, class ToJson>
Result<audit::Outcome> RemoveUnused(audit::CommandPipeline& pipeline, const audit::Actor& actor, const CodedTable& t,
                                    const std::string& code, Find find, Uses uses, ToJson to_json) {
    return pipeline.Execute(
        actor, {.action = std::string(t.entity) + ".delete", .entity = t.entity, .permission = "reference:write",
                .payload = json::serialize(json::object{{"code", code}}), .entity_id = code},
        [&](soci::session& s) -> Result<audit::Outcome> {
            const auto before = find(s, code);
            if (!before) return Fail(Error::NotFound("没有代码为 " + code + " 的" + t.what));
            if (const long long n = uses(s, *before); n > 0)
                return Fail(FieldConflict("code", "in_use", "“" + before->name + "”已被 " + std::to_string(n) + " " +
                                                                t.users + "使用，不能删除"));
            s << "DELETE FROM " + std::string(t.table) + " WHERE code = :c", soci::use(code);
            return audit::Outcome{.entity_id = code, .before = json::serialize(to_json(*before)), .status = 204};
        });
}

struct IdRow {
    long long id = 0;
    void Into(soci::statement& st) { st.exchange(soci::into(id)); }
};

// Re-derives the enterprises `which` selects under the reference data now in the session; answers how many changed.
Result<long long> Rederive(soci::session& s, const storage::Query& which, TimestampMs now) {
    auto refs = LoadReferenceSets(s);
    if (!refs) return Fail(refs.error());
    std::vector<long long> ids;
    IdRow row;
    storage::ForEachRow(s, which, row, [&] { ids.push_back(row.id); });
    long long changed = 0;
    for (long long e : ids) changed += RecomputeDerived(s, e, *refs, now) ? 1 : 0;
    return changed;
}

json::object TierJson(const SizeThresholdRow& row, const SizeTier& tier) {
    return {{"employees", row.uses_employees ? json::value(tier.employees) : json::value(nullptr)},
            {"revenue_fen", row.uses_revenue ? json::value(tier.revenue_fen) : json::value(nullptr)},
            {"assets_fen", row.uses_assets ? json::value(tier.assets_fen) : json::value(nullptr)}};
}

json::object ThresholdRowJson(const SizeThresholdRow& row) {
    json::array indicators;
    if (row.uses_employees) indicators.push_back("employees");
    if (row.uses_revenue) indicators.push_back("revenue");
    if (row.uses_assets) indicators.push_back("assets");
    return {{"industry_zh", row.industry_zh}, {"industry_en", row.industry_en}, {"scope", row.scope_text},
            {"indicators", std::move(indicators)}, {"large", TierJson(row, row.large)},
            {"medium", TierJson(row, row.medium)}, {"small", TierJson(row, row.small)}};
}

constexpr const char* kVersionColumns =
    "SELECT v.id, v.note, v.created_at, COALESCE(u.display_name, '') FROM size_threshold_versions v "
    "LEFT JOIN users u ON u.id = v.created_by ";

json::object VersionJson(long long id, const std::string& note, TimestampMs at, const std::string& by) {
    return {{"id", id}, {"note", note}, {"created_at", FormatIsoUtc(at)}, {"created_by", by}};
}

}  // namespace

Result<audit::Outcome> PutDistrict(audit::CommandPipeline& pipeline, const audit::Actor& actor, const District& d) {
    const json::object after = DistrictJson(d);
    return pipeline.Execute(
        actor, {.action = "district.put", .entity = "district", .permission = "reference:write",
                .payload = json::serialize(after), .entity_id = d.code},
        [&](soci::session& s) -> Result<audit::Outcome> {
            const auto before = FindDistrict(s, d.code);
            std::string other;
            s << "SELECT code FROM districts WHERE name = :n AND code <> :c", soci::use(d.name), soci::use(d.code),
                soci::into(other);
            if (s.got_data()) return Fail(FieldConflict("name", "duplicate", "区名已被代码 " + other + " 使用"));
            if (before && before->name != d.name)
                if (const long long uses = DistrictUses(s, before->name); uses > 0)
                    return Fail(FieldConflict("name", "in_use", "“" + before->name + "”已被 " + std::to_string(uses) +
                                                                    " 条企业、机构、项目、活动或产品条件使用，不能改名"));
            if (before)
                s << "UPDATE districts SET name = :n, sort = :s WHERE code = :c", soci::use(d.name), soci::use(d.sort),
                    soci::use(d.code);
            else
                s << "INSERT INTO districts (code, name, sort) VALUES (:c, :n, :s)", soci::use(d.code),
                    soci::use(d.name), soci::use(d.sort);
            return audit::Outcome{.entity_id = d.code,
                                  .before = before ? json::serialize(DistrictJson(*before)) : "null",
                                  .after = json::serialize(after), .response = json::serialize(after),
                                  .status = before ? 200 : 201};
        });
}

Result<audit::Outcome> DeleteDistrict(audit::CommandPipeline& pipeline, const audit::Actor& actor,
                                      const std::string& code) {
    return RemoveUnused(pipeline, actor, {"district", "districts", "行政区", "条企业、机构、项目、活动或产品条件"}, code,
                        FindDistrict, [](soci::session& s, const District& d) { return DistrictUses(s, d.name); },
                        DistrictJson);
}

Result<audit::Outcome> PutTagKind(audit::CommandPipeline& pipeline, const audit::Actor& actor, const TagKindInput& t) {
    const json::object after = TagKindJson(t);
    return pipeline.Execute(
        actor, {.action = "tag_kind.put", .entity = "tag_kind", .permission = "reference:write",
                .payload = json::serialize(after), .entity_id = t.code},
        [&](soci::session& s) -> Result<audit::Outcome> {
            const auto before = FindTagKind(s, t.code);
            std::string other;
            s << "SELECT code FROM tag_kinds WHERE name = :n AND code <> :c", soci::use(t.name), soci::use(t.code),
                soci::into(other);
            if (s.got_data()) return Fail(FieldConflict("name", "duplicate", "标签名已被 " + other + " 使用"));
            const int needs_chain = t.needs_chain ? 1 : 0;
            if (before)
                s << "UPDATE tag_kinds SET name = :n, needs_chain = :h, sort = :s WHERE code = :c", soci::use(t.name),
                    soci::use(needs_chain), soci::use(t.sort), soci::use(t.code);
            else
                s << "INSERT INTO tag_kinds (code, name, needs_chain, sort) VALUES (:c, :n, :h, :s)", soci::use(t.code),
                    soci::use(t.name), soci::use(needs_chain), soci::use(t.sort);
            return audit::Outcome{.entity_id = t.code,
                                  .before = before ? json::serialize(TagKindJson(*before)) : "null",
                                  .after = json::serialize(after), .response = json::serialize(after),
                                  .status = before ? 200 : 201};
        });
}

Result<audit::Outcome> DeleteTagKind(audit::CommandPipeline& pipeline, const audit::Actor& actor,
                                     const std::string& code) {
    return RemoveUnused(pipeline, actor, {"tag_kind", "tag_kinds", "标签类型", "个企业标签、待审申请或产品条件"}, code,
                        FindTagKind, [](soci::session& s, const TagKindInput& k) { return TagKindUses(s, k.code); },
                        TagKindJson);
}

Result<audit::Outcome> UpsertTaxonomyClass(audit::CommandPipeline& pipeline, const audit::Actor& actor,
                                           const TaxonomyClass& c) {
    const json::object after{{"version", c.version}, {"code", c.code}, {"tier", c.tier}, {"name", c.name},
                             {"name_en", c.name_en}, {"lead_unit", c.lead_unit}, {"valid_from", c.valid_from},
                             {"valid_to", c.valid_to}};
    return pipeline.Execute(
        actor, {.action = "taxonomy_446.upsert", .entity = "taxonomy_446", .permission = "reference:write",
                .payload = json::serialize(after), .entity_id = c.version + "/" + c.code},
        [&](soci::session& s) -> Result<audit::Outcome> {
            std::string before_name;
            s << "SELECT name FROM taxonomy_446 WHERE version = :v AND code = :c", soci::use(c.version), soci::use(c.code),
                soci::into(before_name);
            const bool existed = s.got_data();
            s << "DELETE FROM taxonomy_446 WHERE version = :v AND code = :c", soci::use(c.version), soci::use(c.code);
            s << "INSERT INTO taxonomy_446 (version, code, tier, name, name_en, lead_unit, valid_from, valid_to) VALUES "
                 "(:v, :c, :t, :n, :e, :l, :f, :u)",
                soci::use(c.version), soci::use(c.code), soci::use(c.tier), soci::use(c.name), soci::use(c.name_en),
                soci::use(c.lead_unit), soci::use(c.valid_from), soci::use(c.valid_to);
            return audit::Outcome{.entity_id = c.version + "/" + c.code,
                                  .before = existed ? json::serialize(json::object{{"name", before_name}}) : "null",
                                  .after = json::serialize(after), .response = json::serialize(after)};
        });
}

Result<audit::Outcome> SetMapping(audit::CommandPipeline& pipeline, const audit::Actor& actor,
                                  const std::string& version, const std::string& prefix, const std::string& code,
                                  const std::string& note, TimestampMs now) {
    const json::object after{{"version", version}, {"prefix", prefix}, {"code", code}, {"note", note}};
    return pipeline.Execute(
        actor, {.action = "taxonomy_446.mapping", .entity = "taxonomy_446_mapping", .permission = "reference:write",
                .payload = json::serialize(after), .entity_id = version + "/" + prefix},
        [&](soci::session& s) -> Result<audit::Outcome> {
            int known_prefix = 0, known_code = 0;
            s << "SELECT COUNT(*) FROM industry_codes WHERE code = :p", soci::use(prefix), soci::into(known_prefix);
            if (!known_prefix) return Fail(Error::Field("prefix", "unknown_industry", "不是 GB/T 4754-2017 中的代码"));
            if (!code.empty()) {
                s << "SELECT COUNT(*) FROM taxonomy_446 WHERE version = :v AND code = :c", soci::use(version),
                    soci::use(code), soci::into(known_code);
                if (!known_code) return Fail(Error::Field("code", "unknown_class", "该版本中没有此产业代码"));
            }
            s << "DELETE FROM taxonomy_446_mapping WHERE version = :v AND prefix = :p", soci::use(version), soci::use(prefix);
            if (!code.empty())
                s << "INSERT INTO taxonomy_446_mapping (version, prefix, code, note) VALUES (:v, :p, :c, :n)",
                    soci::use(version), soci::use(prefix), soci::use(code), soci::use(note);
            storage::Query mapped("SELECT id FROM enterprises WHERE industry_446_source = 'mapping' AND industry_code LIKE ");
            auto changed = Rederive(s, mapped.Bind(prefix + "%"), now);
            if (!changed) return Fail(changed.error());
            json::object answer = after;
            answer["enterprises_rederived"] = *changed;
            return audit::Outcome{.entity_id = version + "/" + prefix, .after = json::serialize(answer),
                                  .response = json::serialize(answer)};
        });
}

Result<audit::Outcome> PublishSizeThresholds(audit::CommandPipeline& pipeline, const audit::Actor& actor,
                                             const std::string& content, const std::string& note, TimestampMs now) {
    auto parsed = ParseSizeThresholds(content);
    if (!parsed) {
        Error e = parsed.error();
        for (auto& field : e.fields) field.field = "content";
        if (e.fields.empty()) e.fields.push_back({"content", "invalid", e.message});
        return Fail(e);
    }
    const json::object payload{{"note", note}, {"rows", static_cast<long long>(parsed->rows.size())}};
    return pipeline.Execute(
        actor, {.action = "size_thresholds.publish", .entity = "size_thresholds", .permission = "reference:write",
                .payload = json::serialize(payload)},
        [&](soci::session& s) -> Result<audit::Outcome> {
            storage::NullableInt before;
            s << "SELECT MAX(id) FROM size_threshold_versions", soci::into(before.value, before.ind);
            long long id = 0;
            storage::NullableInt by = storage::Nullable(actor.user_id);
            s << "INSERT INTO size_threshold_versions (content, note, created_at, created_by) VALUES (:c, :n, :t, :b) "
                 "RETURNING id",
                soci::use(content), soci::use(note), soci::use(now), soci::use(by.value, by.ind), soci::into(id);
            auto changed = Rederive(s, storage::Query("SELECT DISTINCT enterprise_id FROM enterprise_figures"), now);
            if (!changed) return Fail(changed.error());
            json::object answer{{"id", id}, {"note", note}, {"rows", static_cast<long long>(parsed->rows.size())},
                                {"enterprises_reclassified", *changed}};
            return audit::Outcome{
                .entity_id = std::to_string(id),
                .before = json::serialize(json::object{{"id", OptionalInt(before.get())}}),
                .after = json::serialize(json::object{{"id", id}, {"note", note}, {"content", content}}),
                .response = json::serialize(answer), .status = 201};
        });
}

json::object ListDistricts(soci::session& s) {
    json::array items;
    District d;
    soci::statement st = (s.prepare << "SELECT code, name, sort FROM districts ORDER BY sort, code", soci::into(d.code),
                          soci::into(d.name), soci::into(d.sort));
    st.execute();
    while (st.fetch()) items.push_back(DistrictJson(d));
    const auto n = static_cast<long long>(items.size());
    return {{"items", std::move(items)}, {"total", n}};
}

json::object ListTagKinds(soci::session& s) {
    json::array items;
    TagKindInput t;
    int needs_chain = 0;
    soci::statement st = (s.prepare << "SELECT code, name, needs_chain, sort FROM tag_kinds ORDER BY sort, code",
                          soci::into(t.code), soci::into(t.name), soci::into(needs_chain), soci::into(t.sort));
    st.execute();
    while (st.fetch()) {
        t.needs_chain = needs_chain != 0;
        items.push_back(TagKindJson(t));
    }
    const auto n = static_cast<long long>(items.size());
    return {{"items", std::move(items)}, {"total", n}};
}

Result<json::object> CurrentSizeThresholds(soci::session& s) {
    auto versions = ListSizeThresholdVersions(s);
    auto thresholds = LoadSizeThresholds(s);
    if (!thresholds) return Fail(thresholds.error());
    json::array rows;
    for (const auto& row : thresholds->rows) rows.push_back(ThresholdRowJson(row));
    const auto& items = versions.at("items").as_array();
    return json::object{{"version", items.empty() ? json::value(nullptr) : items.front()}, {"rows", std::move(rows)}};
}

json::object ListSizeThresholdVersions(soci::session& s) {
    json::array items;
    long long id = 0;
    TimestampMs at = 0;
    std::string note, by;
    soci::statement st = (s.prepare << std::string(kVersionColumns) + "ORDER BY v.id DESC", soci::into(id),
                          soci::into(note), soci::into(at), soci::into(by));
    st.execute();
    while (st.fetch()) items.push_back(VersionJson(id, note, at, by));
    const auto n = static_cast<long long>(items.size());
    return {{"items", std::move(items)}, {"total", n}};
}

Result<std::string> SizeThresholdsDocument(soci::session& s, long long version_id) {
    std::string content;
    s << "SELECT content FROM size_threshold_versions WHERE id = :id", soci::use(version_id), soci::into(content);
    if (!s.got_data()) return Fail(Error::NotFound("没有该版本的划型标准"));
    return content;
}

}  // namespace chanrong::registry

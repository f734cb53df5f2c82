#include "registry/reference.hpp"

#include <soci/soci.h>

#include "common/csv_reader.hpp"
#include "common/embedded_data.hpp"
#include "common/text_normalize.hpp"
#include "registry/enterprise_store.hpp"

#include <boost/json.hpp>

namespace chanrong::registry {
namespace {

// Rows of an embedded CSV as maps from header to value.
Result<std::vector<std::map<std::string, std::string>>> ReadTable(std::string_view name) {
    auto table = ReadCsv(EmbeddedFile(name));
    if (!table) return Fail(table.error());
    const auto& rows = table->rows;
    std::vector<std::map<std::string, std::string>> out;
    if (rows.empty()) return out;
    const auto& header = rows[0].fields;
    for (size_t i = 1; i < rows.size(); ++i) {
        std::map<std::string, std::string> row;
        for (size_t c = 0; c < header.size(); ++c) row[header[c]] = c < rows[i].fields.size() ? rows[i].fields[c] : "";
        out.push_back(std::move(row));
    }
    return out;
}

long long CountRows(soci::session& s, const std::string& table) {
    long long n = 0;
    s << "SELECT COUNT(*) FROM " + table, soci::into(n);
    return n;
}

}  // namespace

std::optional<std::string> Map446(const std::vector<MappingRule>& rules, std::string_view industry_code) {
    const MappingRule* best = nullptr;
    for (const auto& rule : rules)
        if (industry_code.starts_with(rule.prefix) && (!best || rule.prefix.size() > best->prefix.size())) best = &rule;
    if (!best) return std::nullopt;
    return best->code;
}

Result<ReferenceSets> LoadReferenceSets(soci::session& s) {
    ReferenceSets refs;
    std::string a, b;
    {
        soci::statement st = (s.prepare << "SELECT name, code FROM districts", soci::into(a), soci::into(b));
        st.execute();
        while (st.fetch()) refs.districts[a] = b;
    }
    {
        soci::statement st = (s.prepare << "SELECT code, name FROM industry_codes", soci::into(a), soci::into(b));
        st.execute();
        while (st.fetch()) refs.industry_names[a] = b;
    }
    {
        soci::statement st = (s.prepare << "SELECT code FROM tag_kinds", soci::into(a));
        st.execute();
        while (st.fetch()) refs.tag_kinds.insert(a);
    }
    soci::indicator ind = soci::i_null;
    s << "SELECT MAX(version) FROM taxonomy_446", soci::into(refs.taxonomy_version, ind);
    if (ind != soci::i_ok) return refs;
    {
        soci::statement st = (s.prepare << "SELECT code, name FROM taxonomy_446 WHERE version = :v",
                              soci::use(refs.taxonomy_version), soci::into(a), soci::into(b));
        st.execute();
        while (st.fetch()) refs.classes446[a] = b;
    }
    {
        soci::statement st = (s.prepare << "SELECT prefix, code FROM taxonomy_446_mapping WHERE version = :v",
                              soci::use(refs.taxonomy_version), soci::into(a), soci::into(b));
        st.execute();
        while (st.fetch()) refs.mapping.push_back({a, b});
    }
    return refs;
}

Status LoadReferenceData(storage::Database& db) {
    auto codes = ReadTable("gbt4754-2017.csv");
    auto classes = ReadTable("industry-446.csv");
    auto mapping = ReadTable("industry-446-mapping.csv");
    for (const auto* table : {&codes, &classes, &mapping})
        if (!*table) return Fail(table->error());
    return db.Write([&](soci::session& s) -> Status {
        if (CountRows(s, "industry_codes") == 0)
            for (auto& r : *codes) {
                soci::indicator parent_ind = r["parent"].empty() ? soci::i_null : soci::i_ok;
                s << "INSERT INTO industry_codes (code, level, name, parent) VALUES (:c, :l, :n, :p)", soci::use(r["code"]),
                    soci::use(r["level"]), soci::use(r["name_zh"]), soci::use(r["parent"], parent_ind);
            }
        if (CountRows(s, "taxonomy_446") == 0)
            for (auto& r : *classes)
                s << "INSERT INTO taxonomy_446 (version, code, tier, name, name_en, lead_unit, valid_from, valid_to) "
                     "VALUES (:v, :c, :t, :n, :e, :l, :f, :u)",
                    soci::use(r["version"]), soci::use(r["code"]), soci::use(r["tier"]), soci::use(r["name_zh"]),
                    soci::use(r["name_en"]), soci::use(r["lead_unit_zh"]), soci::use(r["valid_from"]),
                    soci::use(r["valid_to"]);
        for (const std::string table : {"enterprises", "institutions"}) {
            std::vector<std::pair<long long, std::string>> unnormalized;
            long long id = 0;
            std::string name;
            soci::statement st = (s.prepare << "SELECT id, name FROM " + table + " WHERE name_normalized = ''",
                                  soci::into(id), soci::into(name));
            st.execute();
            while (st.fetch()) unnormalized.emplace_back(id, name);
            for (const auto& [row_id, row_name] : unnormalized)
                s << "UPDATE " + table + " SET name_normalized = :n WHERE id = :id", soci::use(NormalizeForSearch(row_name)),
                    soci::use(row_id);
        }
        if (CountRows(s, "taxonomy_446_mapping") == 0)
            for (auto& r : *mapping)
                s << "INSERT INTO taxonomy_446_mapping (version, prefix, code, note) VALUES (:v, :p, :c, :n)",
                    soci::use(r["version"]), soci::use(r["gbt4754_prefix"]), soci::use(r["code446"]),
                    soci::use(r["note"]);
        return {};
    });
}

Result<audit::Outcome> UpsertTaxonomyClass(audit::CommandPipeline& pipeline,
                                           const audit::Actor& actor, const TaxonomyClass& c) {
    namespace json = boost::json;
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
    namespace json = boost::json;
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
            auto refs = LoadReferenceSets(s);
            if (!refs) return Fail(refs.error());
            std::vector<long long> affected;
            long long id = 0;
            const std::string pattern = prefix + "%";
            soci::statement st = (s.prepare << "SELECT id FROM enterprises WHERE industry_code LIKE :p AND "
                                               "industry_446_source = 'mapping'",
                                  soci::use(pattern), soci::into(id));
            st.execute();
            while (st.fetch()) affected.push_back(id);
            for (long long e : affected) RecomputeDerived(s, e, *refs, now);
            json::object answer = after;
            answer["enterprises_rederived"] = static_cast<long long>(affected.size());
            return audit::Outcome{.entity_id = version + "/" + prefix, .after = json::serialize(answer),
                                  .response = json::serialize(answer)};
        });
}

}  // namespace chanrong::registry

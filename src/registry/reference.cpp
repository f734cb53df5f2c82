#include "registry/reference.hpp"

#include <soci/soci.h>

#include "common/csv_reader.hpp"
#include "common/embedded_data.hpp"
#include "common/text_normalize.hpp"

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
        int needs_chain = 0;
        soci::statement st = (s.prepare << "SELECT code, name, needs_chain FROM tag_kinds", soci::into(a),
                              soci::into(b), soci::into(needs_chain));
        st.execute();
        while (st.fetch()) refs.tag_kinds[a] = TagKind{b, needs_chain != 0};
    }
    auto thresholds = LoadSizeThresholds(s);
    if (!thresholds) return Fail(thresholds.error());
    refs.size_thresholds = std::move(*thresholds);
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

bool NeedsChain(const ReferenceSets& refs, const std::string& tag) {
    const auto kind = refs.tag_kinds.find(tag);
    return kind != refs.tag_kinds.end() && kind->second.needs_chain;
}

Result<SizeThresholds> LoadSizeThresholds(soci::session& s) {
    std::string content;
    s << "SELECT content FROM size_threshold_versions ORDER BY id DESC LIMIT 1", soci::into(content);
    if (!s.got_data()) return DefaultSizeThresholds();
    auto parsed = ParseSizeThresholds(content);
    if (!parsed) return Fail(Error::Internal("已发布的中小企业划型标准无法解析: " + parsed.error().message));
    return parsed;
}

Status LoadReferenceData(storage::Database& db, TimestampMs now) {
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
        if (CountRows(s, "size_threshold_versions") == 0) {
            const std::string content(EmbeddedFile(kSizeThresholdsFile)), note = "工信部联企业〔2011〕300号（随系统发布）";
            s << "INSERT INTO size_threshold_versions (content, note, created_at) VALUES (:c, :n, :t)", soci::use(content),
                soci::use(note), soci::use(now);
        }
        return {};
    });
}

}  // namespace chanrong::registry

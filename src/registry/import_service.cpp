#include "registry/import_service.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include <charconv>
#include <chrono>
#include <map>
#include <unordered_map>

#include "common/import_table.hpp"
#include "common/json_out.hpp"
#include "common/time_format.hpp"
#include "common/uscc.hpp"
#include "registry/directory_service.hpp"
#include "registry/enterprise_store.hpp"
#include "storage/row.hpp"

namespace chanrong::registry {
namespace json = boost::json;
namespace {

constexpr size_t kStoredProblems = 10'000;


const std::vector<ImportColumn>& ColumnsFor(ImportKind kind) {
    static const std::vector<ImportColumn> enterprises = {
        {"统一社会信用代码", true, "91350200776049653A"}, {"企业名称", true, "厦门示例科技有限公司"},
        {"所属区", true, "思明区"}, {"国民经济行业代码", true, "C3974"}, {"法定代表人", false, "张三"},
        {"注册资本(万元)", false, "1000"}, {"成立日期", false, "2015-06-01"}, {"联系人", false, "李四"},
        {"联系电话", false, "13800000000"}, {"地址", false, "厦门市思明区示例路1号"}};
    static const std::vector<ImportColumn> figures = {
        {"统一社会信用代码", true, "91350200776049653A"}, {"年度", true, "2025"}, {"从业人员(人)", false, "320"},
        {"营业收入(万元)", false, "25000"}, {"资产总额(万元)", false, "40000"}, {"负债总额(万元)", false, "18000"},
        {"研发投入(万元)", false, "1200"}, {"研发人员(人)", false, "45"}, {"工业增加值(万元)", false, "7000"},
        {"发明专利(件)", false, "12"}};
    static const std::vector<ImportColumn> tags = {
        {"统一社会信用代码", true, "91350200776049653A"}, {"标签", true, "高新技术企业"},
        {"生效日期", true, "2024-01-01"}, {"失效日期", false, "2026-12-31"}, {"认定依据", true, "GR202435020001"},
        {"产业链", false, ""}, {"链上环节", false, ""}};
    static const std::vector<ImportColumn> directory = {
        {"统一社会信用代码", true, "91350200776049653A"}, {"层级", false, ""}, {"纳入日期", true, "2025-03-01"},
        {"纳入理由", true, "2025年度重点企业白名单"}, {"依据", false, "厦发改〔2025〕1号"}};
    switch (kind) {
        case ImportKind::kEnterprises: return enterprises;
        case ImportKind::kFigures: return figures;
        case ImportKind::kTags: return tags;
        case ImportKind::kDirectory: return directory;
    }
    return enterprises;
}

// Maps API field names of validation errors to template columns.
size_t ColumnOfField(const std::string& field) {
    static const std::map<std::string, size_t> columns = {
        {"name", 1}, {"district", 2}, {"industry_code", 3}, {"legal_rep", 4}, {"registered_capital_fen", 5},
        {"founded_on", 6}, {"contact_person", 7}, {"contact_phone", 8}, {"address", 9}};
    auto it = columns.find(field);
    return it == columns.end() ? 0 : it->second;
}

struct EnterpriseRecord {
    size_t row;
    std::string uscc;
    std::string uscc_problem;
    EnterpriseFields fields;
};
struct FiguresRecord {
    size_t row;
    long long enterprise_id;
    YearFigures figures;
};
struct TagRecord {
    size_t row;
    long long enterprise_id;
    TagInput tag;
};
struct EntryRecord {
    size_t row;
    EntryInput entry;
};

struct Validated {
    std::vector<EnterpriseRecord> enterprises;
    std::vector<FiguresRecord> figures;
    std::vector<TagRecord> tags;
    std::vector<EntryRecord> entries;
    long long rejected = 0, flagged = 0;
};

std::unordered_map<std::string, long long> KnownCodes(soci::session& s) {
    std::unordered_map<std::string, long long> out;
    std::string uscc;
    long long id = 0;
    soci::statement st = (s.prepare << "SELECT uscc, id FROM enterprises", soci::into(uscc), soci::into(id));
    st.execute();
    while (st.fetch()) out.emplace(uscc, id);
    return out;
}

std::optional<EnterpriseRecord> ValidateEnterpriseRow(ImportRow& c, const ReferenceSets& refs, long long& flagged) {
    EnterpriseRecord r{c.row(), "", "", {}};
    auto uscc = c.Required(0);
    if (uscc) {
        r.uscc = *uscc;
        if (auto valid = ValidateUscc(*uscc); !valid) {
            r.uscc_problem = valid.error().fields.at(0).message;
            c.Problem(0, "代码校验未通过，已标记待核查: " + r.uscc_problem, false);
            ++flagged;
        }
    }
    r.fields.name = c.Required(1);
    r.fields.district = c.Required(2);
    r.fields.industry_code = c.Required(3);
    r.fields.legal_rep = c.Optional(4);
    r.fields.registered_capital_fen = c.Wan(5);
    r.fields.founded_on = c.Date(6, false);
    r.fields.contact_person = c.Optional(7);
    r.fields.contact_phone = c.Optional(8);
    r.fields.address = c.Optional(9);
    EnterpriseFields present = r.fields;
    for (const auto& e : ValidateFields(present, refs, false)) c.Problem(ColumnOfField(e.field), e.message);
    if (c.failed()) return std::nullopt;
    return r;
}

std::optional<FiguresRecord> ValidateFiguresRow(ImportRow& c, const std::unordered_map<std::string, long long>& codes) {
    FiguresRecord r{c.row(), 0, {}};
    auto uscc = c.Required(0);
    if (uscc) {
        auto it = codes.find(*uscc);
        if (it == codes.end()) c.Problem(0, "该企业尚未登记，请先导入企业");
        else r.enterprise_id = it->second;
    }
    auto year = c.Count(1);
    if (!year) c.Problem(1, "必填，应为年份");
    r.figures.year = static_cast<int>(year.value_or(0));
    r.figures.employees = c.Count(2);
    r.figures.revenue_fen = c.Wan(3);
    r.figures.assets_fen = c.Wan(4);
    r.figures.liabilities_fen = c.Wan(5);
    r.figures.rd_spend_fen = c.Wan(6);
    r.figures.rd_staff = c.Count(7);
    r.figures.value_added_fen = c.Wan(8);
    r.figures.invention_patents = c.Count(9);
    static const std::map<std::string, size_t> columns = {{"year", 1}, {"employees", 2}, {"revenue_fen", 3},
                                                          {"assets_fen", 4}, {"liabilities_fen", 5}, {"rd_spend_fen", 6},
                                                          {"rd_staff", 7}, {"invention_patents", 9}};
    if (!c.failed())
        for (const auto& e : ValidateFigures(r.figures)) c.Problem(columns.at(e.field), e.message);
    if (c.failed()) return std::nullopt;
    return r;
}

std::optional<TagRecord> ValidateTagRow(ImportRow& c, const std::unordered_map<std::string, long long>& codes,
                                        const std::map<std::string, std::string>& tag_names) {
    TagRecord r{c.row(), 0, {}};
    if (auto uscc = c.Required(0)) {
        auto it = codes.find(*uscc);
        if (it == codes.end()) c.Problem(0, "该企业尚未登记，请先导入企业");
        else r.enterprise_id = it->second;
    }
    if (auto tag = c.Required(1)) {
        auto it = tag_names.find(*tag);
        if (it == tag_names.end()) c.Problem(1, "未知标签");
        else r.tag.tag = it->second;
    }
    r.tag.valid_from = c.Date(2, true).value_or("");
    r.tag.valid_to = c.Date(3, false).value_or("");
    r.tag.evidence = c.Required(4).value_or("");
    r.tag.chain = c.Optional(5).value_or("");
    r.tag.chain_node = c.Optional(6).value_or("");
    if (!r.tag.valid_to.empty() && !r.tag.valid_from.empty() && r.tag.valid_to <= r.tag.valid_from)
        c.Problem(3, "失效日期须晚于生效日期");
    if ((r.tag.tag == "chain_leader" || r.tag.tag == "chain_member") && r.tag.chain.empty())
        c.Problem(5, "链主/链上企业须注明产业链");
    if (c.failed()) return std::nullopt;
    return r;
}

std::optional<EntryRecord> ValidateEntryRow(ImportRow& c, const std::unordered_map<std::string, long long>& codes,
                                            const std::string& layers) {
    EntryRecord r{c.row(), {}};
    if (auto uscc = c.Required(0)) {
        auto it = codes.find(*uscc);
        if (it == codes.end()) c.Problem(0, "该企业尚未登记，请先导入企业");
        else r.entry.enterprise_id = it->second;
    }
    r.entry.layer = c.Text(1);
    r.entry.effective_from = c.Date(2, true).value_or("");
    r.entry.reason = c.Required(3).value_or("");
    r.entry.evidence = c.Text(4);
    if (!c.failed())
        for (const auto& e : ValidateEntry(r.entry, "enterprise", layers)) c.Problem(e.field == "layer" ? 1 : 2, e.message);
    if (c.failed()) return std::nullopt;
    return r;
}

// Reads the existing stored fields that an import may change, to tell updated from unchanged.
EnterpriseFields ChangedFields(soci::session& s, long long id, const EnterpriseFields& incoming, const FieldCipher& cipher) {
    std::string name, district, industry, legal_cipher, founded, person, phone, address;
    long long capital = 0;
    soci::indicator capital_ind = soci::i_null;
    s << "SELECT name, district, industry_code, legal_rep_cipher, registered_capital_fen, founded_on, contact_person, "
         "contact_phone, address FROM enterprises WHERE id = :id",
        soci::use(id), soci::into(name), soci::into(district), soci::into(industry), soci::into(legal_cipher),
        soci::into(capital, capital_ind), soci::into(founded), soci::into(person), soci::into(phone), soci::into(address);
    EnterpriseFields changed;
    auto differs = [](const std::optional<std::string>& v, const std::string& stored) { return v && *v != stored; };
    if (differs(incoming.name, name)) changed.name = incoming.name;
    if (differs(incoming.district, district)) changed.district = incoming.district;
    if (differs(incoming.industry_code, industry)) changed.industry_code = incoming.industry_code;
    if (incoming.legal_rep && cipher.Decrypt(legal_cipher).value_or("") != *incoming.legal_rep)
        changed.legal_rep = incoming.legal_rep;
    if (incoming.registered_capital_fen && (capital_ind != soci::i_ok || capital != *incoming.registered_capital_fen))
        changed.registered_capital_fen = incoming.registered_capital_fen;
    if (differs(incoming.founded_on, founded)) changed.founded_on = incoming.founded_on;
    if (differs(incoming.contact_person, person)) changed.contact_person = incoming.contact_person;
    if (differs(incoming.contact_phone, phone)) changed.contact_phone = incoming.contact_phone;
    if (differs(incoming.address, address)) changed.address = incoming.address;
    return changed;
}

bool Empty(const EnterpriseFields& f) {
    return !f.name && !f.district && !f.industry_code && !f.legal_rep && !f.registered_capital_fen && !f.founded_on &&
           !f.contact_person && !f.contact_phone && !f.address;
}

}  // namespace

std::optional<ImportKind> ParseImportKind(std::string_view name) {
    if (name == "enterprises") return ImportKind::kEnterprises;
    if (name == "figures") return ImportKind::kFigures;
    if (name == "tags") return ImportKind::kTags;
    if (name == "directory") return ImportKind::kDirectory;
    return std::nullopt;
}

std::string_view ImportKindName(ImportKind kind) {
    switch (kind) {
        case ImportKind::kEnterprises: return "enterprises";
        case ImportKind::kFigures: return "figures";
        case ImportKind::kTags: return "tags";
        case ImportKind::kDirectory: return "directory";
    }
    return "enterprises";
}

json::object ImportReport::ToJson() const {
    return {{"import_id", import_id}, {"kind", ImportKindName(options.kind)}, {"file_name", options.file_name},
            {"dry_run", options.dry_run}, {"strict", options.strict}, {"applied", applied},
            {"total_rows", total_rows}, {"valid_rows", valid_rows}, {"created", created}, {"updated", updated},
            {"unchanged", unchanged}, {"rejected_rows", rejected_rows}, {"flagged_rows", flagged_rows},
            {"problems", ImportProblemsJson(problems, kStoredProblems)}};
}

Result<ImportReport> ImportService::Run(const audit::Actor& actor, const ImportOptions& options, std::string_view file,
                                        const ImportProgress& progress) {
    ImportReport report;
    report.options = options;
    auto table = ReadImportTable(file);
    if (!table) return Fail(table.error());
    auto index = MapImportHeader(table->rows[0], ColumnsFor(options.kind), report.problems);
    if (!index) return Fail(index.error());
    const auto& columns = ColumnsFor(options.kind);
    report.total_rows = static_cast<long long>(table->rows.size()) - 1;

    // Validation reads reference data and existing codes once; nothing is written.
    Validated v;
    std::string directory_layers;
    auto validated = db_.Read([&](soci::session& s) -> Status {
        auto refs = LoadReferenceSets(s);
        if (!refs) return Fail(refs.error());
        std::unordered_map<std::string, long long> codes;
        if (options.kind != ImportKind::kEnterprises) codes = KnownCodes(s);
        std::map<std::string, std::string> tag_names;
        if (options.kind == ImportKind::kTags) {
            std::string code, name;
            soci::statement st = (s.prepare << "SELECT code, name FROM tag_kinds", soci::into(code), soci::into(name));
            st.execute();
            while (st.fetch()) tag_names[code] = code, tag_names[name] = code;
        }
        if (options.kind == ImportKind::kDirectory) {
            if (!options.directory_id) return Fail(Error::Field("directory_id", "required", "导入名录成员须指定名录"));
            std::string kind;
            s << "SELECT member_kind, layers FROM directories WHERE id = :id", soci::use(*options.directory_id),
                soci::into(kind), soci::into(directory_layers);
            if (!s.got_data()) return Fail(Error::Field("directory_id", "not_found", "名录不存在"));
            if (kind != "enterprise") return Fail(Error::Field("directory_id", "not_enterprise", "项目库请逐条录入"));
        }
        std::unordered_map<std::string, size_t> seen;  // credit code (+ year) → first row: duplicates in the file
        for (size_t i = 1; i < table->rows.size(); ++i) {
            ImportRow c(table->rows[i], *index, columns, table->numbers[i], report.problems);
            std::string key = c.Text(0) + (options.kind == ImportKind::kFigures ? "/" + c.Text(1) : "") +
                              (options.kind == ImportKind::kTags ? "/" + c.Text(1) + "/" + c.Text(2) : "");
            if (auto [it, fresh] = seen.emplace(key, c.row()); !fresh && !c.Text(0).empty())
                c.Problem(0, "与第 " + std::to_string(it->second) + " 行重复");
            bool ok = false;
            switch (options.kind) {
                case ImportKind::kEnterprises:
                    if (auto r = ValidateEnterpriseRow(c, *refs, v.flagged); r && !c.failed()) v.enterprises.push_back(std::move(*r)), ok = true;
                    break;
                case ImportKind::kFigures:
                    if (auto r = ValidateFiguresRow(c, codes); r && !c.failed()) v.figures.push_back(std::move(*r)), ok = true;
                    break;
                case ImportKind::kTags:
                    if (auto r = ValidateTagRow(c, codes, tag_names); r && !c.failed()) v.tags.push_back(std::move(*r)), ok = true;
                    break;
                case ImportKind::kDirectory:
                    if (auto r = ValidateEntryRow(c, codes, directory_layers); r && !c.failed()) v.entries.push_back(std::move(*r)), ok = true;
                    break;
            }
            if (!ok) ++v.rejected;
            if (progress && i % 10'000 == 0) progress(static_cast<long long>(i), report.total_rows);
        }
        return {};
    });
    if (!validated) return Fail(validated.error());
    report.rejected_rows = v.rejected;
    report.flagged_rows = v.flagged;
    report.valid_rows = report.total_rows - v.rejected;

    const bool apply = !options.dry_run && !(options.strict && v.rejected > 0) && report.valid_rows > 0;
    const TimestampMs now = clock_.NowMs();
    const json::object payload{{"file_name", options.file_name}, {"kind", ImportKindName(options.kind)},
                               {"dry_run", options.dry_run}, {"strict", options.strict},
                               {"directory_id", OptionalInt(options.directory_id)}, {"rows", report.total_rows}};
    auto outcome = pipeline_.Execute(
        actor, {.action = std::string("import.") + std::string(ImportKindName(options.kind)), .entity = "import",
                .permission = "import:run", .payload = json::serialize(payload)},
        [&](soci::session& s) -> Result<audit::Outcome> {
            if (apply) {
                auto refs = LoadReferenceSets(s);
                if (!refs) return Fail(refs.error());
                long long done = 0;
                auto tick = [&] {
                    if (progress && ++done % 10'000 == 0) progress(done, report.valid_rows);
                };
                const auto existing = v.enterprises.empty() ? std::unordered_map<std::string, long long>{} : KnownCodes(s);
                EnterpriseBatchInserter inserter(s, !db_.is_sqlite(), *refs, cipher_, now);
                for (const auto& r : v.enterprises) {
                    if (auto it = existing.find(r.uscc); it != existing.end()) {
                        const EnterpriseFields changed = ChangedFields(s, it->second, r.fields, cipher_);
                        if (Empty(changed)) ++report.unchanged;
                        else {
                            UpdateEnterprise(s, it->second, changed, cipher_, now);
                            if (changed.industry_code) RecomputeDerived(s, it->second, *refs);
                            ++report.updated;
                        }
                    } else {
                        inserter.Add(r.uscc, r.uscc_problem, r.fields);
                        ++report.created;
                    }
                    tick();
                }
                inserter.Flush();
                for (const auto& r : v.figures) {
                    int exists = 0;
                    s << "SELECT COUNT(*) FROM enterprise_figures WHERE enterprise_id = :e AND year = :y",
                        soci::use(r.enterprise_id), soci::use(r.figures.year), soci::into(exists);
                    UpsertFigures(s, r.enterprise_id, r.figures, now);
                    RecomputeDerived(s, r.enterprise_id, *refs);
                    ++(exists ? report.updated : report.created);
                    tick();
                }
                for (const auto& r : v.tags) {
                    int same = 0;
                    s << "SELECT COUNT(*) FROM enterprise_tags WHERE enterprise_id = :e AND tag = :t AND valid_from = :f "
                         "AND revoked_at IS NULL",
                        soci::use(r.enterprise_id), soci::use(r.tag.tag), soci::use(r.tag.valid_from), soci::into(same);
                    if (same) {
                        ++report.unchanged;
                        continue;
                    }
                    long long by = actor.user_id.value_or(0), id = 0;
                    s << "INSERT INTO enterprise_tags (enterprise_id, tag, valid_from, valid_to, evidence, chain, "
                         "chain_node, created_by, created_at) VALUES (:e, :t, :f, :u, :v, :c, :n, :b, :at) RETURNING id",
                        soci::use(r.enterprise_id), soci::use(r.tag.tag), soci::use(r.tag.valid_from),
                        soci::use(r.tag.valid_to), soci::use(r.tag.evidence), soci::use(r.tag.chain),
                        soci::use(r.tag.chain_node), soci::use(by), soci::use(now), soci::into(id);
                    ++report.created;
                    tick();
                }
                for (const auto& r : v.entries) {
                    int same = 0;
                    s << "SELECT COUNT(*) FROM directory_entries WHERE directory_id = :d AND enterprise_id = :e AND "
                         "effective_from = :f AND effective_to IS NULL",
                        soci::use(*options.directory_id), soci::use(*r.entry.enterprise_id),
                        soci::use(r.entry.effective_from), soci::into(same);
                    if (same) {
                        ++report.unchanged;
                        continue;
                    }
                    auto id = InsertEntry(s, *options.directory_id, r.entry, actor.user_id.value_or(0), now);
                    if (!id) {
                        report.problems.push_back({r.row, "统一社会信用代码", "", id.error().message, true});
                        return Fail(Error::FailedPrecondition("第 " + std::to_string(r.row) + " 行: " + id.error().message));
                    }
                    ++report.created;
                    tick();
                }
            }
            report.applied = apply;
            const std::string problems = json::serialize(ImportProblemsJson(report.problems, kStoredProblems));
            const int dry = options.dry_run ? 1 : 0, strict = options.strict ? 1 : 0, applied = apply ? 1 : 0;
            auto user = storage::Nullable(actor.user_id);
            const std::string kind(ImportKindName(options.kind));
            s << "INSERT INTO imports (kind, file_name, user_id, user_name, dry_run, strict, applied, total_rows, created, "
                 "updated, unchanged, rejected_rows, flagged_rows, problems, at) VALUES (:k, :f, :u, :n, :d, :s, :a, "
                 ":t, :c, :up, :un, :r, :fl, :p, :at) RETURNING id",
                soci::use(kind), soci::use(options.file_name), soci::use(user.value, user.ind), soci::use(actor.name),
                soci::use(dry), soci::use(strict), soci::use(applied), soci::use(report.total_rows),
                soci::use(report.created), soci::use(report.updated), soci::use(report.unchanged),
                soci::use(report.rejected_rows), soci::use(report.flagged_rows), soci::use(problems), soci::use(now),
                soci::into(report.import_id);
            json::object after = report.ToJson();
            after.erase("problems");
            return audit::Outcome{.entity_id = std::to_string(report.import_id), .after = json::serialize(after)};
        });
    if (!outcome) return Fail(outcome.error());
    return report;
}

Result<std::string> ImportService::Template(ImportKind kind, TableWriter::Format format) const {
    TableRow header, example;
    for (const auto& c : ColumnsFor(kind)) {
        header.push_back(std::string(c.header) + (c.required ? "" : ""));
        example.push_back(c.example);
    }
    TableWriter writer(format, "导入模板", header);
    writer.Add(example);
    return writer.Finish();
}

Result<json::object> ImportService::List(long long offset, long long limit) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        long long total = 0;
        s << "SELECT COUNT(*) FROM imports", soci::into(total);
        long long id = 0, rows = 0, created = 0, updated = 0, unchanged = 0, rejected = 0, flagged = 0, at = 0;
        int dry = 0, strict = 0, applied = 0;
        std::string kind, file, user;
        soci::statement st = (s.prepare << "SELECT id, kind, file_name, user_name, dry_run, strict, applied, total_rows, "
                                           "created, updated, unchanged, rejected_rows, flagged_rows, at FROM imports "
                                           "ORDER BY id DESC LIMIT :l OFFSET :o",
                              soci::use(limit), soci::use(offset), soci::into(id), soci::into(kind), soci::into(file),
                              soci::into(user), soci::into(dry), soci::into(strict), soci::into(applied),
                              soci::into(rows), soci::into(created), soci::into(updated), soci::into(unchanged),
                              soci::into(rejected), soci::into(flagged), soci::into(at));
        st.execute();
        json::array items;
        while (st.fetch())
            items.push_back(json::object{{"id", id}, {"kind", kind}, {"file_name", file}, {"user", user},
                                         {"dry_run", dry == 1}, {"strict", strict == 1}, {"applied", applied == 1},
                                         {"total_rows", rows}, {"created", created}, {"updated", updated},
                                         {"unchanged", unchanged}, {"rejected_rows", rejected},
                                         {"flagged_rows", flagged}, {"at", FormatIsoUtc(at)}});
        return PageJson(std::move(items), total, offset, limit);
    });
}

Result<std::string> ImportService::ReportFile(long long import_id, TableWriter::Format format) {
    auto problems = db_.Read([&](soci::session& s) -> Result<std::string> {
        std::string text;
        s << "SELECT problems FROM imports WHERE id = :id", soci::use(import_id), soci::into(text);
        if (!s.got_data()) return Fail(Error::NotFound("导入记录不存在"));
        return text;
    });
    if (!problems) return Fail(problems.error());
    TableWriter writer(format, "导入报告", {"行号", "列", "值", "原因", "级别"});
    const json::value parsed = json::parse(*problems);
    for (const auto& p : parsed.as_array()) {
        const auto& o = p.as_object();
        writer.Add({std::to_string(o.at("row").as_int64()), std::string(o.at("column").as_string()),
                    std::string(o.at("value").as_string()), std::string(o.at("reason").as_string()),
                    o.at("severity") == "error" ? "错误" : "警告"});
    }
    return writer.Finish();
}

}  // namespace chanrong::registry

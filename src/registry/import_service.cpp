#include "registry/import_service.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include <algorithm>
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

constexpr size_t kStoredProblems = kStoredImportProblems;


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

// What rows are checked against: read once before pass 1, and again inside the apply transaction.
struct Context {
    ReferenceSets refs;
    std::unordered_map<std::string, long long> codes;  // credit code → id (every kind but enterprises)
    std::map<std::string, std::string> tag_names;      // tag code or name → code
    std::string layers;                                // the target directory's layers
};

Result<Context> LoadContext(soci::session& s, const ImportOptions& options) {
    Context ctx;
    auto refs = LoadReferenceSets(s);
    if (!refs) return Fail(refs.error());
    ctx.refs = std::move(*refs);
    if (options.kind != ImportKind::kEnterprises) ctx.codes = KnownCodes(s);
    if (options.kind == ImportKind::kTags) {
        std::string code, name;
        soci::statement st = (s.prepare << "SELECT code, name FROM tag_kinds", soci::into(code), soci::into(name));
        st.execute();
        while (st.fetch()) ctx.tag_names[code] = code, ctx.tag_names[name] = code;
    }
    if (options.kind == ImportKind::kDirectory) {
        if (!options.directory_id) return Fail(Error::Field("directory_id", "required", "导入名录成员须指定名录"));
        std::string kind;
        s << "SELECT member_kind, layers FROM directories WHERE id = :id", soci::use(*options.directory_id),
            soci::into(kind), soci::into(ctx.layers);
        if (!s.got_data()) return Fail(Error::Field("directory_id", "not_found", "名录不存在"));
        if (kind != "enterprise") return Fail(Error::Field("directory_id", "not_enterprise", "项目库请逐条录入"));
    }
    return ctx;
}

// One good row as its kind's record.
struct Checked {
    std::optional<EnterpriseRecord> enterprise;
    std::optional<FiguresRecord> figures;
    std::optional<TagRecord> tag;
    std::optional<EntryRecord> entry;
};

// Checks one row; true when it may be applied (warnings allowed).
bool CheckRow(ImportKind kind, ImportRow& c, const Context& ctx, long long& flagged, Checked& out) {
    switch (kind) {
        case ImportKind::kEnterprises: out.enterprise = ValidateEnterpriseRow(c, ctx.refs, flagged); break;
        case ImportKind::kFigures: out.figures = ValidateFiguresRow(c, ctx.codes); break;
        case ImportKind::kTags: out.tag = ValidateTagRow(c, ctx.codes, ctx.tag_names); break;
        case ImportKind::kDirectory: out.entry = ValidateEntryRow(c, ctx.codes, ctx.layers); break;
    }
    return !c.failed();
}

// The key of a row for "duplicate in the file": credit code, plus year for figures, plus tag and start for tags.
std::string DuplicateKey(ImportKind kind, const ImportRow& c) {
    std::string key = c.Text(0);
    if (kind == ImportKind::kFigures) key += "/" + c.Text(1);
    if (kind == ImportKind::kTags) key += "/" + c.Text(1) + "/" + c.Text(2);
    return key;
}

Error Stopped() { return Error::Unavailable("导入已中断：服务正在停止，请稍后重新上传"); }

// Tells `progress` where a phase is: at its start, every kImportProgressRows rows and at its end.
class Ticker {
public:
    Ticker(const ImportProgress& progress, ImportPhase phase, long long total)
        : progress_(progress), phase_(phase), total_(total) {}
    bool Report() const { return !progress_ || progress_({phase_, done_, total_}); }
    bool Row() { return ++done_ % kImportProgressRows != 0 || Report(); }
    bool Finish() {
        total_ = std::max(total_, done_);
        done_ = total_;
        return Report();
    }
    void SetTotal(long long total) { total_ = total; }

private:
    const ImportProgress& progress_;
    ImportPhase phase_;
    long long done_ = 0, total_;
};

// Reads the header row and maps it to the template's columns.
Result<std::vector<int>> ReadHeader(ImportRowStream& rows, ImportKind kind, std::vector<ImportProblem>& problems) {
    std::vector<std::string> header;
    size_t number = 0;
    auto first = rows.Next(header, number);
    if (!first) return Fail(first.error());
    if (!*first) return Fail(Error::Field("file", "empty", "文件为空：第一行应为表头"));
    return MapImportHeader(header, ColumnsFor(kind), problems);
}

// What pass 1 leaves for pass 2: which data rows (in file order) are good.
struct Pass1 {
    std::vector<bool> good;
    long long rejected = 0, flagged = 0, dropped_problems = 0;
};

// Pass 1: every row checked against `ctx`; problems go to `problems` (the first kStoredProblems kept).
Result<Pass1> ValidateRows(ImportRowStream& rows, const std::vector<int>& index, ImportKind kind, const Context& ctx,
                           std::vector<ImportProblem>& problems, Ticker& tick) {
    Pass1 pass;
    const auto& columns = ColumnsFor(kind);
    std::unordered_map<std::string, size_t> seen;  // duplicate key → first row
    seen.reserve(static_cast<size_t>(rows.expected_rows()) + 1);
    std::vector<std::string> cells;
    size_t number = 0;
    for (;;) {
        auto more = rows.Next(cells, number);
        if (!more) return Fail(more.error());
        if (!*more) break;
        ImportRow c(cells, index, columns, number, problems);
        if (auto [it, fresh] = seen.emplace(DuplicateKey(kind, c), number); !fresh && !c.Text(0).empty())
            c.Problem(0, "与第 " + std::to_string(it->second) + " 行重复");
        Checked checked;
        const bool ok = CheckRow(kind, c, ctx, pass.flagged, checked);
        pass.good.push_back(ok);
        if (!ok) ++pass.rejected;
        if (problems.size() > kStoredProblems) {
            pass.dropped_problems += static_cast<long long>(problems.size() - kStoredProblems);
            problems.resize(kStoredProblems);
        }
        if (!tick.Row()) return Fail(Stopped());
    }
    return pass;
}

// Pass 2: writes good rows (re-read and re-checked against the transaction's view) and counts the outcome.
class Applier {
public:
    Applier(soci::session& s, bool postgres, const ImportOptions& options, const Context& ctx, const FieldCipher& cipher,
            TimestampMs now, long long user_id, ImportReport& report)
        : s_(s), options_(options), ctx_(ctx), cipher_(cipher), now_(now), user_id_(user_id), report_(report) {
        if (options.kind == ImportKind::kEnterprises) {
            existing_ = KnownCodes(s);
            inserter_.emplace(s, postgres, ctx.refs, cipher, now);
        }
    }

    Status Apply(ImportRow& c) {
        Checked r;
        long long flagged = 0;
        if (!CheckRow(options_.kind, c, ctx_, flagged, r))
            return Fail(Error::FailedPrecondition("第 " + std::to_string(c.row()) +
                                                  " 行在校验后发生了变化（企业或参考数据已更新），整批未导入，请重新导入"));
        if (r.enterprise) ApplyEnterprise(*r.enterprise);
        if (r.figures) ApplyFigures(*r.figures);
        if (r.tag) ApplyTag(*r.tag);
        if (r.entry) return ApplyEntry(*r.entry);
        return {};
    }

    void Finish() {
        if (inserter_) inserter_->Flush();
    }

private:
    void ApplyEnterprise(const EnterpriseRecord& r) {
        auto it = existing_.find(r.uscc);
        if (it == existing_.end()) {
            inserter_->Add(r.uscc, r.uscc_problem, r.fields);
            ++report_.created;
            return;
        }
        const EnterpriseFields changed = ChangedFields(s_, it->second, r.fields, cipher_);
        if (Empty(changed)) {
            ++report_.unchanged;
            return;
        }
        UpdateEnterprise(s_, it->second, changed, cipher_, now_);
        if (changed.industry_code) RecomputeDerived(s_, it->second, ctx_.refs);
        ++report_.updated;
    }

    void ApplyFigures(const FiguresRecord& r) {
        int exists = 0;
        s_ << "SELECT COUNT(*) FROM enterprise_figures WHERE enterprise_id = :e AND year = :y", soci::use(r.enterprise_id),
            soci::use(r.figures.year), soci::into(exists);
        UpsertFigures(s_, r.enterprise_id, r.figures, now_);
        RecomputeDerived(s_, r.enterprise_id, ctx_.refs);
        ++(exists ? report_.updated : report_.created);
    }

    void ApplyTag(const TagRecord& r) {
        int same = 0;
        s_ << "SELECT COUNT(*) FROM enterprise_tags WHERE enterprise_id = :e AND tag = :t AND valid_from = :f "
              "AND revoked_at IS NULL",
            soci::use(r.enterprise_id), soci::use(r.tag.tag), soci::use(r.tag.valid_from), soci::into(same);
        if (same) {
            ++report_.unchanged;
            return;
        }
        long long id = 0;
        s_ << "INSERT INTO enterprise_tags (enterprise_id, tag, valid_from, valid_to, evidence, chain, chain_node, "
              "created_by, created_at) VALUES (:e, :t, :f, :u, :v, :c, :n, :b, :at) RETURNING id",
            soci::use(r.enterprise_id), soci::use(r.tag.tag), soci::use(r.tag.valid_from), soci::use(r.tag.valid_to),
            soci::use(r.tag.evidence), soci::use(r.tag.chain), soci::use(r.tag.chain_node), soci::use(user_id_),
            soci::use(now_), soci::into(id);
        ++report_.created;
    }

    Status ApplyEntry(const EntryRecord& r) {
        int same = 0;
        s_ << "SELECT COUNT(*) FROM directory_entries WHERE directory_id = :d AND enterprise_id = :e AND "
              "effective_from = :f AND effective_to IS NULL",
            soci::use(*options_.directory_id), soci::use(*r.entry.enterprise_id), soci::use(r.entry.effective_from),
            soci::into(same);
        if (same) {
            ++report_.unchanged;
            return {};
        }
        auto id = InsertEntry(s_, *options_.directory_id, r.entry, user_id_, now_);
        if (!id) return Fail(Error::FailedPrecondition("第 " + std::to_string(r.row) + " 行: " + id.error().message));
        ++report_.created;
        return {};
    }

    soci::session& s_;
    const ImportOptions& options_;
    const Context& ctx_;
    const FieldCipher& cipher_;
    TimestampMs now_;
    long long user_id_;
    ImportReport& report_;
    std::unordered_map<std::string, long long> existing_;  // enterprises: credit code → id
    std::optional<EnterpriseBatchInserter> inserter_;
};

// Pass 2 over the whole file: good rows applied, every row ticked.
Status ApplyRows(ImportRowStream& rows, const std::vector<int>& index, const Pass1& pass, Applier& applier,
                 ImportKind kind, Ticker& tick) {
    if (auto rewound = rows.Rewind(); !rewound) return rewound;
    std::vector<std::string> cells;
    std::vector<ImportProblem> scratch;  // pass 1 already reported them
    size_t number = 0, i = 0;
    if (auto header = rows.Next(cells, number); !header) return Fail(header.error());
    for (;; ++i) {
        auto more = rows.Next(cells, number);
        if (!more) return Fail(more.error());
        if (!*more) break;
        if (i >= pass.good.size()) return Fail(Error::FailedPrecondition("文件在校验后发生了变化，整批未导入"));
        if (pass.good[i]) {
            scratch.clear();
            ImportRow c(cells, index, ColumnsFor(kind), number, scratch);
            if (auto applied = applier.Apply(c); !applied) return applied;
        }
        if (!tick.Row()) return Fail(Stopped());
    }
    applier.Finish();
    return {};
}

// Writes the run's outcome: completes the queued row `options.job_id`, or records a new row.
long long RecordRun(soci::session& s, const audit::Actor& actor, const ImportReport& report, TimestampMs now) {
    const ImportOptions& o = report.options;
    const std::string problems = json::serialize(ImportProblemsJson(report.problems, kStoredProblems));
    const int dry = o.dry_run ? 1 : 0, strict = o.strict ? 1 : 0, applied = report.applied ? 1 : 0;
    const std::string done(ImportPhaseName(ImportPhase::kDone));
    if (o.job_id) {
        s << "UPDATE imports SET applied = :a, total_rows = :t, created = :c, updated = :up, unchanged = :un, "
             "rejected_rows = :r, flagged_rows = :fl, problems = :p, phase = :ph, rows_done = :t2, rows_total = :t3, "
             "finished_at = :at WHERE id = :id",
            soci::use(applied), soci::use(report.total_rows), soci::use(report.created), soci::use(report.updated),
            soci::use(report.unchanged), soci::use(report.rejected_rows), soci::use(report.flagged_rows),
            soci::use(problems), soci::use(done), soci::use(report.total_rows), soci::use(report.total_rows),
            soci::use(now), soci::use(o.job_id);
        return o.job_id;
    }
    long long id = 0;
    auto user = storage::Nullable(actor.user_id);
    auto directory = storage::Nullable(o.directory_id);
    const std::string kind(ImportKindName(o.kind));
    s << "INSERT INTO imports (kind, file_name, user_id, user_name, dry_run, strict, applied, total_rows, created, "
         "updated, unchanged, rejected_rows, flagged_rows, problems, at, phase, rows_done, rows_total, directory_id, "
         "started_at, finished_at) VALUES (:k, :f, :u, :n, :d, :s, :a, :t, :c, :up, :un, :r, :fl, :p, :at, :ph, :t2, "
         ":t3, :dir, :at2, :at3) RETURNING id",
        soci::use(kind), soci::use(o.file_name), soci::use(user.value, user.ind), soci::use(actor.name), soci::use(dry),
        soci::use(strict), soci::use(applied), soci::use(report.total_rows), soci::use(report.created),
        soci::use(report.updated), soci::use(report.unchanged), soci::use(report.rejected_rows),
        soci::use(report.flagged_rows), soci::use(problems), soci::use(now), soci::use(done),
        soci::use(report.total_rows), soci::use(report.total_rows), soci::use(directory.value, directory.ind),
        soci::use(now), soci::use(now), soci::into(id);
    return id;
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

std::string_view ImportPhaseName(ImportPhase phase) {
    switch (phase) {
        case ImportPhase::kQueued: return "queued";
        case ImportPhase::kValidating: return "validating";
        case ImportPhase::kApplying: return "applying";
        case ImportPhase::kDone: return "done";
        case ImportPhase::kFailed: return "failed";
    }
    return "failed";
}

json::object ImportReport::ToJson() const {
    return {{"import_id", import_id}, {"kind", ImportKindName(options.kind)}, {"file_name", options.file_name},
            {"dry_run", options.dry_run}, {"strict", options.strict}, {"applied", applied},
            {"total_rows", total_rows}, {"valid_rows", valid_rows}, {"created", created}, {"updated", updated},
            {"unchanged", unchanged}, {"rejected_rows", rejected_rows}, {"flagged_rows", flagged_rows},
            {"problem_count", problem_count}, {"problems", ImportProblemsJson(problems, kStoredProblems)}};
}

Result<ImportReport> ImportService::Run(const audit::Actor& actor, const ImportOptions& options, std::string_view file,
                                        const ImportProgress& progress) {
    auto rows = ImportRowStream::OpenBytes(file);
    if (!rows) return Fail(rows.error());
    return RunStream(actor, options, **rows, progress);
}

Result<ImportReport> ImportService::RunFile(const audit::Actor& actor, const ImportOptions& options,
                                            const std::string& path, const ImportProgress& progress) {
    auto rows = ImportRowStream::OpenFile(path);
    if (!rows) return Fail(rows.error());
    return RunStream(actor, options, **rows, progress);
}

Result<ImportReport> ImportService::RunStream(const audit::Actor& actor, const ImportOptions& options,
                                              ImportRowStream& rows, const ImportProgress& progress) {
    ImportReport report;
    report.options = options;
    auto index = ReadHeader(rows, options.kind, report.problems);
    if (!index) return Fail(index.error());

    // Pass 1 reads reference data and existing codes once, then checks every row; nothing is written.
    auto ctx = db_.Read([&](soci::session& s) { return LoadContext(s, options); });
    if (!ctx) return Fail(ctx.error());
    Ticker checking(progress, ImportPhase::kValidating, rows.expected_rows());
    if (!checking.Report()) return Fail(Stopped());
    auto pass = ValidateRows(rows, *index, options.kind, *ctx, report.problems, checking);
    if (!pass) return Fail(pass.error());
    report.total_rows = static_cast<long long>(pass->good.size());
    report.rejected_rows = pass->rejected;
    report.flagged_rows = pass->flagged;
    report.valid_rows = report.total_rows - pass->rejected;
    report.problem_count = static_cast<long long>(report.problems.size()) + pass->dropped_problems;
    checking.SetTotal(report.total_rows);
    if (!checking.Finish()) return Fail(Stopped());
    *ctx = Context{};  // pass 2 reads its own inside the transaction: do not hold two copies of the codes

    // Pass 2, in the one audited transaction: the good rows written, the run recorded.
    const bool apply = !options.dry_run && !(options.strict && pass->rejected > 0) && report.valid_rows > 0;
    const TimestampMs now = clock_.NowMs();
    const json::object payload{{"file_name", options.file_name}, {"kind", ImportKindName(options.kind)},
                               {"dry_run", options.dry_run}, {"strict", options.strict},
                               {"directory_id", OptionalInt(options.directory_id)}, {"rows", report.total_rows}};
    // The applying phase is announced before the transaction opens, so that a job can still record it on SQLite.
    Ticker applying(progress, ImportPhase::kApplying, report.total_rows);
    if (apply && !applying.Report()) return Fail(Stopped());
    auto outcome = pipeline_.Execute(
        actor, {.action = std::string("import.") + std::string(ImportKindName(options.kind)), .entity = "import",
                .permission = "import:run", .payload = json::serialize(payload)},
        [&](soci::session& s) -> Result<audit::Outcome> {
            if (apply) {
                auto fresh = LoadContext(s, options);
                if (!fresh) return Fail(fresh.error());
                Applier applier(s, !db_.is_sqlite(), options, *fresh, cipher_, now, actor.user_id.value_or(0), report);
                if (auto st = ApplyRows(rows, *index, *pass, applier, options.kind, applying); !st) return Fail(st.error());
                if (!applying.Finish()) return Fail(Stopped());
            }
            report.applied = apply;
            report.import_id = RecordRun(s, actor, report, now);
            json::object after = report.ToJson();
            after.erase("problems");
            return audit::Outcome{.entity_id = std::to_string(report.import_id), .after = json::serialize(after)};
        });
    if (!outcome) return Fail(outcome.error());
    return report;
}

Result<std::string> ImportService::Template(ImportKind kind, TableWriter::Format format) const {
    return ImportTemplate(format, "导入模板", ColumnsFor(kind));
}

Result<json::object> ImportService::List(long long offset, long long limit) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        long long total = 0;
        s << "SELECT COUNT(*) FROM imports", soci::into(total);
        long long id = 0, rows = 0, created = 0, updated = 0, unchanged = 0, rejected = 0, flagged = 0, at = 0,
                  done = 0, of = 0;
        int dry = 0, strict = 0, applied = 0;
        std::string kind, file, user, phase, error;
        soci::statement st = (s.prepare << "SELECT id, kind, file_name, user_name, dry_run, strict, applied, total_rows, "
                                           "created, updated, unchanged, rejected_rows, flagged_rows, at, phase, "
                                           "rows_done, rows_total, error FROM imports ORDER BY id DESC LIMIT :l OFFSET :o",
                              soci::use(limit), soci::use(offset), soci::into(id), soci::into(kind), soci::into(file),
                              soci::into(user), soci::into(dry), soci::into(strict), soci::into(applied),
                              soci::into(rows), soci::into(created), soci::into(updated), soci::into(unchanged),
                              soci::into(rejected), soci::into(flagged), soci::into(at), soci::into(phase),
                              soci::into(done), soci::into(of), soci::into(error));
        st.execute();
        json::array items;
        while (st.fetch())
            items.push_back(json::object{{"id", id}, {"kind", kind}, {"file_name", file}, {"user", user},
                                         {"dry_run", dry == 1}, {"strict", strict == 1}, {"applied", applied == 1},
                                         {"total_rows", rows}, {"created", created}, {"updated", updated},
                                         {"unchanged", unchanged}, {"rejected_rows", rejected},
                                         {"flagged_rows", flagged}, {"at", FormatIsoUtc(at)}, {"phase", phase},
                                         {"rows_done", done}, {"rows_total", of}, {"error", error}});
        return PageJson(std::move(items), total, offset, limit);
    });
}

Result<json::object> ImportService::Get(long long import_id) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        long long rows = 0, created = 0, updated = 0, unchanged = 0, rejected = 0, flagged = 0, at = 0, done = 0, of = 0;
        int dry = 0, strict = 0, applied = 0;
        std::string kind, file, user, phase, error, problems;
        storage::NullableInt directory, started, finished;
        s << "SELECT kind, file_name, user_name, dry_run, strict, applied, total_rows, created, updated, unchanged, "
             "rejected_rows, flagged_rows, problems, at, phase, rows_done, rows_total, error, directory_id, started_at, "
             "finished_at FROM imports WHERE id = :id",
            soci::use(import_id), soci::into(kind), soci::into(file), soci::into(user), soci::into(dry),
            soci::into(strict), soci::into(applied), soci::into(rows), soci::into(created), soci::into(updated),
            soci::into(unchanged), soci::into(rejected), soci::into(flagged), soci::into(problems), soci::into(at),
            soci::into(phase), soci::into(done), soci::into(of), soci::into(error),
            soci::into(directory.value, directory.ind), soci::into(started.value, started.ind),
            soci::into(finished.value, finished.ind);
        if (!s.got_data()) return Fail(Error::NotFound("导入记录不存在"));
        auto time = [](const storage::NullableInt& t) { return t.get() ? json::value(FormatIsoUtc(*t.get())) : json::value(nullptr); };
        const bool finished_ok = phase == ImportPhaseName(ImportPhase::kDone);
        json::value report = finished_ok ? json::parse(problems) : json::array();
        return json::object{{"id", import_id}, {"import_id", import_id}, {"kind", kind}, {"file_name", file},
                            {"user", user}, {"dry_run", dry == 1}, {"strict", strict == 1},
                            {"directory_id", OptionalInt(directory.get())}, {"phase", phase}, {"rows_done", done},
                            {"rows_total", of}, {"error", error}, {"at", FormatIsoUtc(at)},
                            {"started_at", time(started)}, {"finished_at", time(finished)}, {"applied", applied == 1},
                            {"total_rows", rows}, {"valid_rows", finished_ok ? rows - rejected : 0},
                            {"created", created}, {"updated", updated}, {"unchanged", unchanged},
                            {"rejected_rows", rejected}, {"flagged_rows", flagged}, {"problems", std::move(report)}};
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

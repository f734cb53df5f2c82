#include "registry/import_rows.hpp"

#include <soci/soci.h>

#include "common/uscc.hpp"
#include "storage/row.hpp"

namespace chanrong::registry {
namespace {

// Maps API field names of validation errors to template columns.
size_t ColumnOfField(const std::string& field) {
    static const std::map<std::string, size_t> columns = {
        {"name", 1}, {"district", 2}, {"industry_code", 3}, {"legal_rep", 4}, {"registered_capital_fen", 5},
        {"founded_on", 6}, {"contact_person", 7}, {"contact_phone", 8}, {"address", 9}};
    auto it = columns.find(field);
    return it == columns.end() ? 0 : it->second;
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
                                        const std::map<std::string, std::string>& tag_names, const ReferenceSets& refs) {
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
    if (NeedsChain(refs, r.tag.tag) && r.tag.chain.empty()) c.Problem(5, "该标签须注明产业链（如链主/链上企业）");
    if (c.failed()) return std::nullopt;
    return r;
}

// A new stay from `from` overlaps one the member has unless every stay ended by then; re-importing the open stay
// itself (same start) is not an overlap (it is left unchanged).
bool OverlapsAStay(const MemberStays& stays, const std::string& from) {
    if (!stays.open_from.empty()) return stays.open_from != from;
    return stays.latest_end > from;
}

std::optional<EntryRecord> ValidateEntryRow(ImportRow& c, const std::unordered_map<std::string, long long>& codes,
                                            const std::string& layers,
                                            const std::unordered_map<long long, MemberStays>& stays) {
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
    if (auto it = stays.find(r.entry.enterprise_id.value_or(0)); !c.failed() && it != stays.end() &&
                                                                  OverlapsAStay(it->second, r.entry.effective_from))
        c.Problem(2, "该企业在此日期已在名录中（或之后已有记录）；如需调整层级，请先办理移出");
    if (c.failed()) return std::nullopt;
    return r;
}

}  // namespace

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

std::unordered_map<std::string, long long> KnownCodes(soci::session& s) {
    std::unordered_map<std::string, long long> out;
    std::string uscc;
    long long id = 0;
    soci::statement st = (s.prepare << "SELECT uscc, id FROM enterprises", soci::into(uscc), soci::into(id));
    st.execute();
    while (st.fetch()) out.emplace(uscc, id);
    return out;
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

Result<Context> LoadContext(soci::session& s, const ImportOptions& options) {
    Context ctx;
    auto refs = LoadReferenceSets(s);
    if (!refs) return Fail(refs.error());
    ctx.refs = std::move(*refs);
    if (options.kind != ImportKind::kEnterprises) ctx.codes = KnownCodes(s);
    if (options.kind == ImportKind::kTags)
        for (const auto& [code, kind] : ctx.refs.tag_kinds) ctx.tag_names[code] = code, ctx.tag_names[kind.name] = code;
    if (options.kind == ImportKind::kDirectory) {
        if (!options.directory_id) return Fail(Error::Field("directory_id", "required", "导入名录成员须指定名录"));
        std::string kind;
        s << "SELECT member_kind, layers FROM directories WHERE id = :id", soci::use(*options.directory_id),
            soci::into(kind), soci::into(ctx.layers);
        if (!s.got_data()) return Fail(Error::Field("directory_id", "not_found", "名录不存在"));
        if (kind != "enterprise") return Fail(Error::Field("directory_id", "not_enterprise", "项目库请逐条录入"));
        long long member = 0;
        std::string from, to;
        soci::indicator to_ind = soci::i_null;
        soci::statement st = (s.prepare << "SELECT enterprise_id, effective_from, effective_to FROM directory_entries "
                                           "WHERE directory_id = :d AND enterprise_id IS NOT NULL",
                              soci::use(*options.directory_id), soci::into(member), soci::into(from),
                              soci::into(to, to_ind));
        st.execute();
        while (st.fetch()) {
            MemberStays& stays = ctx.stays[member];
            if (to_ind != soci::i_ok) stays.open_from = from;
            else stays.latest_end = std::max(stays.latest_end, to);
        }
    }
    return ctx;
}

// Checks one row; true when it may be applied (warnings allowed).
bool CheckRow(ImportKind kind, ImportRow& c, const Context& ctx, long long& flagged, Checked& out) {
    switch (kind) {
        case ImportKind::kEnterprises: out.enterprise = ValidateEnterpriseRow(c, ctx.refs, flagged); break;
        case ImportKind::kFigures: out.figures = ValidateFiguresRow(c, ctx.codes); break;
        case ImportKind::kTags: out.tag = ValidateTagRow(c, ctx.codes, ctx.tag_names, ctx.refs); break;
        case ImportKind::kDirectory: out.entry = ValidateEntryRow(c, ctx.codes, ctx.layers, ctx.stays); break;
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

}  // namespace chanrong::registry

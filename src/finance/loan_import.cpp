#include "finance/loan_import.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include <set>
#include <unordered_map>

#include "common/import_table.hpp"
#include "finance/loan_service.hpp"
#include "storage/row.hpp"

namespace chanrong::finance {
namespace json = boost::json;
namespace {

enum Col { kUscc, kRef, kKind, kAmount, kRate, kTerm, kDate, kCollateral, kGuarantee, kUse, kGreen };

const std::vector<ImportColumn>& Columns() {
    static const std::vector<ImportColumn> columns = {
        {"统一社会信用代码", true, "91350213MA3A10007E"}, {"贷款编号", true, "XMB-2026-000123"},
        {"产品类型", false, "credit_loan"},               {"金额(元)", true, "5000000.00"},
        {"年利率(%)", true, "3.45"},                      {"期限(月)", true, "24"},
        {"放款日期", true, "2026-10-15"},                 {"有抵押", false, "否"},
        {"有担保", false, "否"},                          {"贷款投向行业代码", false, "C3974"},
        {"绿色用途", false, "否"}};
    return columns;
}

struct Known {
    std::unordered_map<std::string, long long> enterprises;
    std::set<std::string> refs, kinds, industries;
};

Known LoadKnown(soci::session& s, long long institution) {
    Known k;
    std::string text;
    long long id = 0;
    soci::statement e = (s.prepare << "SELECT uscc, id FROM enterprises", soci::into(text), soci::into(id));
    e.execute();
    while (e.fetch()) k.enterprises.emplace(text, id);
    soci::statement r = (s.prepare << "SELECT loan_ref FROM loans WHERE institution_id = :i", soci::use(institution),
                         soci::into(text));
    r.execute();
    while (r.fetch()) k.refs.insert(text);
    soci::statement p = (s.prepare << "SELECT code FROM product_kinds", soci::into(text));
    p.execute();
    while (p.fetch()) k.kinds.insert(text);
    soci::statement c = (s.prepare << "SELECT code FROM industry_codes", soci::into(text));
    c.execute();
    while (c.fetch()) k.industries.insert(text);
    return k;
}

std::optional<LoanRecord> ValidateRow(ImportRow& c, const Known& known, long long institution) {
    LoanRecord loan{.institution_id = institution, .source = "reported"};
    if (auto uscc = c.Required(kUscc)) {
        auto it = known.enterprises.find(*uscc);
        if (it == known.enterprises.end()) c.Problem(kUscc, "借款企业尚未在平台登记");
        else loan.enterprise_id = it->second;
    }
    loan.loan_ref = c.Required(kRef).value_or("");
    loan.product_kind = c.Optional(kKind).value_or("");
    if (!loan.product_kind.empty() && !known.kinds.contains(loan.product_kind)) c.Problem(kKind, "未知产品类型");
    loan.amount_fen = c.Yuan(kAmount, true).value_or(0);
    loan.rate_bp = c.PercentBp(kRate, true).value_or(0);
    const auto term = c.Count(kTerm);
    if (!term || *term < 1 || *term > 360) c.Problem(kTerm, "期限应为 1–360 个月");
    loan.term_months = term.value_or(0);
    loan.disbursed_on = c.Date(kDate, true).value_or("");
    loan.has_collateral = c.Flag(kCollateral);
    loan.has_guarantee = c.Flag(kGuarantee);
    loan.use_industry_code = c.Optional(kUse).value_or("");
    if (!loan.use_industry_code.empty() && !known.industries.contains(loan.use_industry_code))
        c.Problem(kUse, "不是 GB/T 4754-2017 中的行业代码");
    loan.green_use = c.Flag(kGreen);
    if (c.failed()) return std::nullopt;
    return loan;
}

}  // namespace

Result<json::object> ImportLoans(storage::Database& db, const Clock& clock, audit::CommandPipeline& pipeline,
                                 const audit::Actor& actor, const LoanImportOptions& options, std::string_view file) {
    auto table = ReadImportTable(file);
    if (!table) return Fail(table.error());
    std::vector<ImportProblem> problems;
    auto index = MapImportHeader(table->rows[0], Columns(), problems);
    if (!index) return Fail(index.error());
    const long long total = static_cast<long long>(table->rows.size()) - 1;
    std::vector<LoanRecord> valid;
    long long rejected = 0, unchanged = 0;
    auto validated = db.Read([&](soci::session& s) -> Status {
        const Known known = LoadKnown(s, options.institution_id);
        std::unordered_map<std::string, size_t> seen;
        for (size_t i = 1; i < table->rows.size(); ++i) {
            ImportRow c(table->rows[i], *index, Columns(), table->numbers[i], problems);
            if (auto [it, fresh] = seen.emplace(c.Text(kRef), c.row()); !fresh && !c.Text(kRef).empty())
                c.Problem(kRef, "与第 " + std::to_string(it->second) + " 行重复");
            auto loan = ValidateRow(c, known, options.institution_id);
            if (!loan) ++rejected;
            else if (known.refs.contains(loan->loan_ref)) ++unchanged;
            else valid.push_back(std::move(*loan));
        }
        return {};
    });
    if (!validated) return Fail(validated.error());
    const bool apply = !options.dry_run && !(options.strict && rejected > 0) && !valid.empty();
    const TimestampMs now = clock.NowMs();
    json::object report{{"dry_run", options.dry_run}, {"strict", options.strict}, {"applied", apply},
                        {"total_rows", total}, {"valid_rows", total - rejected}, {"created", apply ? static_cast<long long>(valid.size()) : 0},
                        {"unchanged", unchanged}, {"rejected_rows", rejected}, {"problems", ImportProblemsJson(problems, 10'000)}};
    json::object payload{{"file_name", options.file_name}, {"rows", total}, {"dry_run", options.dry_run}, {"strict", options.strict}};
    auto outcome = pipeline.Execute(
        actor, {.action = "loan.import", .entity = "import", .permission = "loan:write", .payload = json::serialize(payload)},
        [&](soci::session& s) -> Result<audit::Outcome> {
            if (apply)
                for (const auto& loan : valid)
                    if (auto id = InsertLoan(s, loan, now); !id) return Fail(id.error());
            const std::string problems_text = json::serialize(report["problems"]);
            const int dry = options.dry_run, strict = options.strict, applied = apply;
            const long long created = report["created"].as_int64();
            auto user = storage::Nullable(actor.user_id);
            long long import_id = 0;
            s << "INSERT INTO imports (kind, file_name, user_id, user_name, dry_run, strict, applied, total_rows, created, "
                 "updated, unchanged, rejected_rows, flagged_rows, problems, at) VALUES ('loans', :f, :u, :n, :d, :s, :a, "
                 ":t, :c, 0, :un, :r, 0, :p, :at) RETURNING id",
                soci::use(options.file_name), soci::use(user.value, user.ind), soci::use(actor.name), soci::use(dry),
                soci::use(strict), soci::use(applied), soci::use(total), soci::use(created), soci::use(unchanged),
                soci::use(rejected), soci::use(problems_text), soci::use(now), soci::into(import_id);
            report["import_id"] = import_id;
            json::object after = report;
            after.erase("problems");
            return audit::Outcome{.entity_id = std::to_string(import_id), .after = json::serialize(after)};
        });
    if (!outcome) return Fail(outcome.error());
    return report;
}

Result<std::string> LoanImportTemplate(TableWriter::Format format) {
    return ImportTemplate(format, "贷款报送模板", Columns());
}

}  // namespace chanrong::finance

#include "credit/credit_load.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include <map>
#include <set>
#include <unordered_map>

#include "common/import_table.hpp"
#include "common/money.hpp"
#include "common/time_format.hpp"
#include "common/uscc.hpp"
#include "storage/row.hpp"

namespace chanrong::credit {
namespace json = boost::json;
namespace {

enum Col { kUscc, kType, kOccurred, kValidUntil, kStatus, kValue, kAmount, kQuantity, kRef, kDetail };

const std::vector<ImportColumn>& Columns() {
    static const std::vector<ImportColumn> columns = {
        {"统一社会信用代码", true, "91350200776049653A"}, {"记录类型", true, "tax_grade"},
        {"发生日期", true, "2025-12-31"},                 {"有效期至", false, ""},
        {"状态", false, "active"},                        {"等级或程度", false, "A"},
        {"金额(元)", false, ""},                          {"数量", false, ""},
        {"外部编号", false, "TAX-2025-000001"},           {"说明", false, "2025年度纳税信用评价"}};
    return columns;
}

constexpr std::string_view kJsonFields[] = {"uscc", "type", "occurred_on", "valid_until", "status", "value",
                                            "amount_fen", "quantity", "external_ref", "detail"};
constexpr long long kMaxAmountFen = 100'000'000'000'000LL;  // 1 万亿元
constexpr long long kMaxQuantity = 10'000'000;
constexpr const char* kEarliestDate = "1949-10-01";

struct RecordType {
    std::string code, value_kind;
    std::set<std::string> allowed;
};

// Reference data and enterprises looked up once per load.
struct Known {
    std::map<std::string, RecordType> types;  // by code and by Chinese name
    std::unordered_map<std::string, std::optional<long long>> enterprises;
    std::string today;
};

struct ParsedRow {
    size_t row = 0;
    long long enterprise_id = 0;
    CreditRecord record;
    std::string external_ref, detail;
};

std::optional<std::string> NormalStatus(const std::string& text) {
    if (text.empty() || text == "active" || text == "有效") return "active";
    if (text == "closed" || text == "已结案" || text == "已补缴" || text == "已移出名录") return "closed";
    if (text == "removed" || text == "已修复" || text == "已撤销") return "removed";
    return std::nullopt;
}

Known LoadKnown(soci::session& s, const Clock& clock) {
    Known k;
    k.today = TodayIso(clock);
    std::string code, name, kind, allowed;
    soci::statement st = (s.prepare << "SELECT code, name, value_kind, allowed_values FROM credit_record_types",
                          soci::into(code), soci::into(name), soci::into(kind), soci::into(allowed));
    st.execute();
    while (st.fetch()) {
        RecordType t{code, kind, {}};
        for (size_t start = 0; start < allowed.size();) {
            size_t comma = allowed.find(',', start);
            if (comma == std::string::npos) comma = allowed.size();
            t.allowed.insert(allowed.substr(start, comma - start));
            start = comma + 1;
        }
        k.types[code] = t;
        k.types[name] = t;
    }
    return k;
}

std::optional<long long> EnterpriseOf(soci::session& s, Known& known, const std::string& uscc) {
    auto it = known.enterprises.find(uscc);
    if (it != known.enterprises.end()) return it->second;
    long long id = 0;
    s << "SELECT id FROM enterprises WHERE uscc = :u", soci::use(uscc), soci::into(id);
    return known.enterprises[uscc] = s.got_data() ? std::optional(id) : std::nullopt;
}

// Checks one row against the quality rules; `rules` collects the rule codes it broke.
class RowChecker {
public:
    RowChecker(ImportRow& cells, std::set<std::string>& rules) : c_(cells), rules_(rules) {}

    void Break(const char* rule, size_t column, std::string reason, bool error = true) {
        rules_.insert(rule);
        c_.Problem(column, std::move(reason), error);
    }

    std::optional<ParsedRow> Check(soci::session& s, Known& known);

private:
    void CheckEnterprise(soci::session& s, Known& known, ParsedRow& out);
    void CheckValue(const RecordType& type, ParsedRow& out);
    void CheckDates(const Known& known, ParsedRow& out);

    ImportRow& c_;
    std::set<std::string>& rules_;
};

void RowChecker::CheckEnterprise(soci::session& s, Known& known, ParsedRow& out) {
    auto uscc = c_.Required(kUscc);
    if (!uscc) return;
    if (auto valid = ValidateUscc(*uscc); !valid) return Break("code_invalid", kUscc, valid.error().message);
    if (auto id = EnterpriseOf(s, known, *uscc)) out.enterprise_id = *id;
    else Break("enterprise_unknown", kUscc, "企业尚未在平台登记");
}

void RowChecker::CheckValue(const RecordType& type, ParsedRow& out) {
    out.record.value_text = c_.Optional(kValue).value_or("");
    if (!type.allowed.empty() && !type.allowed.contains(out.record.value_text))
        Break("value_invalid", kValue, "应为以下之一：" + [&] {
            std::string list;
            for (const auto& v : type.allowed) list += (list.empty() ? "" : "、") + v;
            return list;
        }());
    if (c_.Text(kAmount).starts_with("-")) return Break("impossible_value", kAmount, "金额不能为负数");
    out.record.amount_fen = c_.Yuan(kAmount, type.value_kind == "amount");
    if (out.record.amount_fen && (*out.record.amount_fen < 0 || *out.record.amount_fen > kMaxAmountFen))
        Break("impossible_value", kAmount, "金额应在 0 至 1 万亿元之间");
    if (!c_.Text(kQuantity).empty() || type.value_kind == "count") {
        out.record.quantity = c_.Count(kQuantity);
        if (out.record.quantity && *out.record.quantity > kMaxQuantity) Break("impossible_value", kQuantity, "数量不可能这么大");
    }
    if (auto status = NormalStatus(c_.Optional(kStatus).value_or(""))) out.record.status = *status;
    else Break("value_invalid", kStatus, "状态应为 active（有效）、closed（已结案）或 removed（已修复）");
}

void RowChecker::CheckDates(const Known& known, ParsedRow& out) {
    out.record.occurred_on = c_.Date(kOccurred, true).value_or("");
    out.record.valid_until = c_.Date(kValidUntil, false).value_or("");
    const std::string& on = out.record.occurred_on;
    if (!on.empty() && (on > known.today || on < kEarliestDate))
        Break("date_range", kOccurred, "发生日期应在 1949-10-01 至今天之间");
    if (!on.empty() && !out.record.valid_until.empty() && out.record.valid_until <= on)
        Break("date_range", kValidUntil, "有效期应晚于发生日期");
}

std::optional<ParsedRow> RowChecker::Check(soci::session& s, Known& known) {
    ParsedRow out;
    out.row = c_.row();
    CheckEnterprise(s, known, out);
    const std::string type_text = c_.Required(kType).value_or("");
    auto type = known.types.find(type_text);
    if (!type_text.empty() && type == known.types.end()) Break("type_unknown", kType, "未知记录类型");
    if (type != known.types.end()) {
        out.record.type = type->second.code;
        CheckValue(type->second, out);
    }
    CheckDates(known, out);
    out.detail = c_.Optional(kDetail).value_or("");
    out.external_ref = c_.Optional(kRef).value_or("");
    if (out.external_ref.empty())
        out.external_ref = out.record.type + ":" + c_.Text(kUscc) + ":" + out.record.occurred_on;
    if (c_.failed() && rules_.empty()) rules_.insert("format");
    if (c_.failed()) return std::nullopt;
    return out;
}

struct Counts {
    long long created = 0, updated = 0, unchanged = 0;
};

// Inserts or updates one record by (source, external_ref); returns whether it changed anything.
bool Upsert(soci::session& s, const std::string& source, const ParsedRow& p, long long import_id, TimestampMs now,
            Counts& counts) {
    const CreditRecord& r = p.record;
    auto amount = storage::Nullable(r.amount_fen), quantity = storage::Nullable(r.quantity);
    storage::NullableInt id, old_amount, old_quantity;
    long long old_enterprise = 0;
    std::string type, on, until, status, value, detail;
    s << "SELECT id, enterprise_id, type_code, occurred_on, valid_until, status, value_text, amount_fen, quantity, detail "
         "FROM credit_records WHERE source = :s AND external_ref = :r",
        soci::use(source), soci::use(p.external_ref), soci::into(id.value, id.ind), soci::into(old_enterprise),
        soci::into(type), soci::into(on), soci::into(until), soci::into(status), soci::into(value),
        soci::into(old_amount.value, old_amount.ind), soci::into(old_quantity.value, old_quantity.ind), soci::into(detail);
    if (s.got_data()) {
        if (old_enterprise == p.enterprise_id && type == r.type && on == r.occurred_on && until == r.valid_until &&
            status == r.status && value == r.value_text && old_amount.get() == r.amount_fen &&
            old_quantity.get() == r.quantity && detail == p.detail) {
            ++counts.unchanged;
            return false;
        }
        s << "UPDATE credit_records SET enterprise_id = :e, type_code = :t, occurred_on = :o, valid_until = :v, status = :s, "
             "value_text = :x, amount_fen = :a, quantity = :q, detail = :d, import_id = :i, updated_at = :n, version = "
             "version + 1 WHERE id = :id",
            soci::use(p.enterprise_id), soci::use(r.type), soci::use(r.occurred_on), soci::use(r.valid_until),
            soci::use(r.status), soci::use(r.value_text), soci::use(amount.value, amount.ind),
            soci::use(quantity.value, quantity.ind), soci::use(p.detail), soci::use(import_id), soci::use(now),
            soci::use(id.value);
        ++counts.updated;
        return true;
    }
    s << "INSERT INTO credit_records (enterprise_id, type_code, source, external_ref, occurred_on, valid_until, status, "
         "value_text, amount_fen, quantity, detail, import_id, created_at, updated_at) VALUES (:e, :t, :src, :ref, :o, :v, "
         ":s, :x, :a, :q, :d, :i, :n1, :n2)",
        soci::use(p.enterprise_id), soci::use(r.type), soci::use(source), soci::use(p.external_ref),
        soci::use(r.occurred_on), soci::use(r.valid_until), soci::use(r.status), soci::use(r.value_text),
        soci::use(amount.value, amount.ind), soci::use(quantity.value, quantity.ind), soci::use(p.detail),
        soci::use(import_id), soci::use(now), soci::use(now);
    ++counts.created;
    return true;
}

json::object QualityJson(const std::map<std::string, long long>& broken, long long total, long long rejected) {
    json::array rules;
    for (const auto& rule : QualityRules()) {
        auto it = broken.find(rule.code);
        rules.push_back({{"code", rule.code}, {"name", rule.name}, {"rows", it == broken.end() ? 0 : it->second}});
    }
    return {{"rules", std::move(rules)}, {"rows_checked", total}, {"rows_passed", total - rejected},
            {"pass_rate", total ? json::value(static_cast<double>(total - rejected) / total) : json::value(nullptr)}};
}

std::string JsonCell(const json::object& record, std::string_view field, size_t index, std::vector<FieldError>& errors) {
    const json::value* v = record.if_contains(field);
    if (!v || v->is_null()) return {};
    if (v->is_string()) return std::string(v->get_string());
    if (v->is_int64() && field == "amount_fen") return FormatYuan(Fen{v->get_int64()});
    if (v->is_int64() && field == "quantity") return std::to_string(v->get_int64());
    errors.push_back({"records[" + std::to_string(index) + "]." + std::string(field), "wrong_type",
                      field == "amount_fen" || field == "quantity" ? "类型错误，应为整数" : "类型错误，应为字符串"});
    return {};
}

}  // namespace

const std::vector<QualityRule>& QualityRules() {
    static const std::vector<QualityRule> rules = {
        {"format", "缺少必填项或格式错误"},      {"code_invalid", "统一社会信用代码校验不通过"},
        {"enterprise_unknown", "企业未在平台登记"}, {"type_unknown", "未知记录类型"},
        {"date_range", "日期超出合理范围"},        {"value_invalid", "等级、程度或状态不在取值范围"},
        {"impossible_value", "数值不可能（负数或超大）"}, {"duplicate", "文件内重复的外部编号"}};
    return rules;
}

Result<std::vector<std::vector<std::string>>> ReadLoadFile(std::string_view file, std::vector<size_t>& row_numbers) {
    auto table = ReadImportTable(file);
    if (!table) return Fail(table.error());
    row_numbers = std::move(table->numbers);
    return std::move(table->rows);
}

Result<std::vector<std::vector<std::string>>> RowsFromJson(const json::value& records) {
    if (!records.is_array()) return Fail(Error::Field("records", "wrong_type", "类型错误，应为数组"));
    if (records.get_array().size() > 100'000) return Fail(Error::Field("records", "too_many", "单次最多 100000 条"));
    std::vector<std::vector<std::string>> rows;
    rows.emplace_back();
    for (const auto& c : Columns()) rows[0].emplace_back(c.header);
    std::vector<FieldError> errors;
    for (size_t i = 0; i < records.get_array().size(); ++i) {
        const json::object* record = records.get_array()[i].if_object();
        if (!record) {
            errors.push_back({"records[" + std::to_string(i) + "]", "wrong_type", "类型错误，应为对象"});
            continue;
        }
        for (const auto& [key, _] : *record)
            if (std::find(std::begin(kJsonFields), std::end(kJsonFields), key) == std::end(kJsonFields))
                errors.push_back({"records[" + std::to_string(i) + "]." + std::string(key), "unknown_field", "未知字段"});
        std::vector<std::string> row;
        for (std::string_view field : kJsonFields) row.push_back(JsonCell(*record, field, i, errors));
        rows.push_back(std::move(row));
    }
    if (!errors.empty()) return Fail(Error::InvalidArgument("记录格式有误", std::move(errors)));
    return rows;
}

Result<json::object> CreditLoader::Load(const audit::Actor& actor, const LoadOptions& options,
                                        std::vector<std::vector<std::string>> rows, std::vector<size_t> row_numbers,
                                        const std::string& format) {
    if (options.source.empty()) return Fail(Error::Field("source", "required", "请注明数据来源"));
    if (rows.empty()) return Fail(Error::Field("file", "empty", "文件为空"));
    if (row_numbers.size() != rows.size())
        for (size_t i = row_numbers.size(); i < rows.size(); ++i) row_numbers.push_back(i + 1);
    std::vector<ImportProblem> problems;
    auto index = MapImportHeader(rows[0], Columns(), problems);
    if (!index) return Fail(index.error());
    const long long total = static_cast<long long>(rows.size()) - 1;
    const TimestampMs now = clock_.NowMs();
    json::object report{{"source", options.source}, {"dry_run", options.dry_run}, {"strict", options.strict},
                        {"total_rows", total}};
    json::object payload{{"source", options.source}, {"file_name", options.file_name}, {"rows", total},
                         {"dry_run", options.dry_run}, {"strict", options.strict}};
    auto outcome = pipeline_.Execute(
        actor, {.action = "credit.load", .entity = "credit_load", .permission = "credit:load", .payload = json::serialize(payload)},
        [&](soci::session& s) -> Result<audit::Outcome> {
            Known known = LoadKnown(s, clock_);
            std::vector<ParsedRow> valid;
            std::map<std::string, long long> broken;
            std::unordered_map<std::string, size_t> seen;
            long long rejected = 0;
            for (size_t i = 1; i < rows.size(); ++i) {
                std::set<std::string> rules;
                ImportRow cells(rows[i], *index, Columns(), row_numbers[i], problems);
                RowChecker checker(cells, rules);
                auto parsed = checker.Check(s, known);
                if (parsed) {
                    auto [it, fresh] = seen.emplace(parsed->external_ref, parsed->row);
                    if (!fresh) {
                        checker.Break("duplicate", kRef, "与第 " + std::to_string(it->second) + " 行的外部编号重复");
                        parsed.reset();
                    }
                }
                for (const auto& rule : rules) ++broken[rule];
                if (parsed) valid.push_back(std::move(*parsed));
                else ++rejected;
            }
            const bool apply = !options.dry_run && !(options.strict && rejected > 0);
            long long import_id = 0;
            const std::string problems_text = json::serialize(ImportProblemsJson(problems, 10'000));
            auto user = storage::Nullable(actor.user_id);
            const int dry = options.dry_run, strict = options.strict, applied = apply;
            s << "INSERT INTO imports (kind, file_name, user_id, user_name, dry_run, strict, applied, total_rows, created, "
                 "updated, unchanged, rejected_rows, flagged_rows, problems, at) VALUES ('credit', :f, :u, :n, :d, :s, :a, "
                 ":t, 0, 0, 0, :r, 0, :p, :at) RETURNING id",
                soci::use(options.file_name), soci::use(user.value, user.ind), soci::use(actor.name), soci::use(dry),
                soci::use(strict), soci::use(applied), soci::use(total), soci::use(rejected), soci::use(problems_text),
                soci::use(now), soci::into(import_id);
            Counts counts;
            std::set<long long> touched;
            if (apply)
                for (const auto& p : valid)
                    if (Upsert(s, options.source, p, import_id, now, counts)) touched.insert(p.enterprise_id);
            const CountingMonths counting = LoadCountingMonths(s);
            const std::string reason = "load:" + std::to_string(import_id);
            for (long long enterprise : touched)
                if (auto scored = Rescore(s, models_, counting, {enterprise, reason, known.today, now}); !scored)
                    return Fail(scored.error());
            s << "UPDATE imports SET created = :c, updated = :u, unchanged = :un WHERE id = :id", soci::use(counts.created),
                soci::use(counts.updated), soci::use(counts.unchanged), soci::use(import_id);
            const json::object quality = QualityJson(broken, total, rejected);
            const std::string quality_text = json::serialize(quality);
            const long long rescored = static_cast<long long>(touched.size());
            s << "INSERT INTO credit_loads (import_id, source, format, quality, rescored, at) VALUES (:i, :s, :f, :q, :r, :t)",
                soci::use(import_id), soci::use(options.source), soci::use(format), soci::use(quality_text),
                soci::use(rescored), soci::use(now);
            report["import_id"] = import_id;
            report["applied"] = apply;
            report["created"] = counts.created;
            report["updated"] = counts.updated;
            report["unchanged"] = counts.unchanged;
            report["rejected_rows"] = rejected;
            report["rescored"] = rescored;
            report["quality"] = quality;
            return audit::Outcome{.entity_id = std::to_string(import_id), .after = json::serialize(report)};
        });
    if (!outcome) return Fail(outcome.error());
    report["problems"] = ImportProblemsJson(problems, 10'000);
    return report;
}

Result<std::string> CreditLoader::Template(TableWriter::Format format) {
    return ImportTemplate(format, "信用记录导入模板", Columns(),
                          {{"91350200776049653A", "court_judgment", "2025-06-30", "", "active", "", "120000.00", "",
                            "COURT-2025-0001", "买卖合同纠纷（被告）"}});
}

}  // namespace chanrong::credit

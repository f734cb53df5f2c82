#include "credit/credit_features.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace chanrong::credit {
namespace {

constexpr double kFenPerWan = 1'000'000.0;
constexpr std::array<std::string_view, 3> kPaymentSources = {"social_insurance", "housing_fund", "utility_payment"};
constexpr std::array<std::string_view, 3> kArrearsTypes = {"social_insurance_arrears", "housing_fund_arrears",
                                                           "utility_arrears"};

int SeverityRank(std::string_view severity) {
    if (severity == "serious") return 3;
    if (severity == "major") return 2;
    return severity == "minor" ? 1 : 0;
}

bool IsOneOf(std::string_view type, const auto& list) {
    return std::find(list.begin(), list.end(), type) != list.end();
}

// Whole and fractional years between two ISO dates.
std::optional<double> YearsBetween(const std::string& from, const std::string& to) {
    int y1, m1, d1, y2, m2, d2;
    if (std::sscanf(from.c_str(), "%d-%d-%d", &y1, &m1, &d1) != 3 || std::sscanf(to.c_str(), "%d-%d-%d", &y2, &m2, &d2) != 3)
        return std::nullopt;
    return (y2 - y1) + (m2 - m1) / 12.0 + (d2 - d1) / 365.25;
}

// Accumulates the features while records are visited once.
struct Accumulator {
    const CreditRecord* tax_grade = nullptr;
    const CreditRecord* tax_paid = nullptr;
    const CreditRecord* headcount = nullptr;
    const CreditRecord* customs = nullptr;
    bool has_payment_data = false, abnormal = false;
    long long arrears_fen = 0;
    int open_judgments = 0, worst_penalty = 0;
    long long honours = 0;
    BuiltInputs out;

    static void KeepLatest(const CreditRecord*& slot, const CreditRecord& r) {
        if (!slot || r.occurred_on > slot->occurred_on || (r.occurred_on == slot->occurred_on && r.id > slot->id)) slot = &r;
    }

    void Visit(const CreditRecord& r) {
        const bool active = r.status == "active";
        bool used = true;
        if (r.type == "tax_grade") KeepLatest(tax_grade, r);
        else if (r.type == "tax_paid") KeepLatest(tax_paid, r);
        else if (r.type == "social_insurance") KeepLatest(headcount, r), has_payment_data = true;
        else if (r.type == "customs_rating") KeepLatest(customs, r);
        else if (IsOneOf(r.type, kPaymentSources)) has_payment_data = true;
        else if (IsOneOf(r.type, kArrearsTypes)) {
            has_payment_data = true;
            if (active) arrears_fen += r.amount_fen.value_or(0);
        } else if (r.type == "court_judgment") open_judgments += active ? 1 : 0;
        else if (r.type == "admin_penalty") worst_penalty = std::max(worst_penalty, SeverityRank(r.value_text));
        else if (r.type == "abnormal_operation") abnormal = abnormal || active;
        else if (r.type == "honour" || r.type == "patent") honours += r.quantity.value_or(1);
        else if ((r.type == "dishonest_debtor" || r.type == "serious_violation") && active) out.inputs.red_flags.insert(r.type);
        else used = false;
        if (used) out.record_ids.push_back(r.id);
    }
};

}  // namespace

std::string AddMonths(const std::string& date, int months) {
    int y, m, d;
    if (std::sscanf(date.c_str(), "%d-%d-%d", &y, &m, &d) != 3) return date;
    const int total = y * 12 + (m - 1) + months;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", total / 12, total % 12 + 1, d);
    return buf;
}

bool RecordCounts(const CreditRecord& record, int counting_months, const std::string& as_of) {
    if (record.status == "removed" || record.occurred_on > as_of) return false;
    if (!record.valid_until.empty() && as_of >= record.valid_until) return false;
    return counting_months <= 0 || as_of < AddMonths(record.occurred_on, counting_months);
}

BuiltInputs BuildScoreInputs(const std::vector<CreditRecord>& records, const CountingMonths& counting,
                             const EnterpriseBasics& basics, const std::string& as_of) {
    Accumulator acc;
    for (const CreditRecord& r : records) {
        auto months = counting.find(r.type);
        if (RecordCounts(r, months == counting.end() ? 0 : months->second, as_of)) acc.Visit(r);
    }
    auto& f = acc.out.inputs.features;
    const char* kPenalties[] = {"none", "minor", "major", "serious"};
    f["tax_grade"] = acc.tax_grade ? InputValue::Category(acc.tax_grade->value_text) : InputValue{};
    f["tax_paid_wan"] = acc.tax_paid && acc.tax_paid->amount_fen ? InputValue::Number(*acc.tax_paid->amount_fen / kFenPerWan)
                                                                  : InputValue{};
    f["social_insurance_headcount"] =
        acc.headcount && acc.headcount->quantity ? InputValue::Number(*acc.headcount->quantity) : InputValue{};
    f["arrears_wan"] = acc.has_payment_data ? InputValue::Number(acc.arrears_fen / kFenPerWan) : InputValue{};
    f["open_judgments"] = InputValue::Number(acc.open_judgments);
    f["admin_penalty"] = InputValue::Category(kPenalties[acc.worst_penalty]);
    f["abnormal_operation"] = InputValue::Category(acc.abnormal ? "yes" : "no");
    f["customs_rating"] = acc.customs ? InputValue::Category(acc.customs->value_text) : InputValue{};
    f["honours_ip"] = InputValue::Number(acc.honours);
    auto years = YearsBetween(basics.founded_on, as_of);
    f["years_in_business"] = years ? InputValue::Number(std::max(0.0, *years)) : InputValue{};
    f["debt_ratio_pct"] = basics.total_assets_fen && basics.liabilities_fen && *basics.total_assets_fen > 0
                              ? InputValue::Number(100.0 * *basics.liabilities_fen / *basics.total_assets_fen)
                              : InputValue{};
    return std::move(acc.out);
}

}  // namespace chanrong::credit

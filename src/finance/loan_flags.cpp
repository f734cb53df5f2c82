#include "finance/loan_flags.hpp"

#include <algorithm>

#include "registry/size_class.hpp"

namespace chanrong::finance {
namespace {

// The normalised code when it is in section C (manufacturing), else "".
std::string ManufacturingCode(const std::string& code) {
    if (code.empty()) return {};
    auto normalized = registry::NormalizeIndustryCode(code);
    if (!normalized || !normalized->starts_with('C')) return {};
    return *normalized;
}

std::string Join(const std::vector<std::string>& parts, const std::string& separator) {
    std::string joined;
    for (size_t i = 0; i < parts.size(); ++i) {
        if (i) joined += separator;
        joined += parts[i];
    }
    return joined;
}

}  // namespace

LoanFlags DeriveLoanFlags(const LoanFacts& facts) {
    LoanFlags flags;
    auto& reasons = flags.reasons_zh;

    flags.credit = !facts.has_collateral && !facts.has_guarantee;
    if (flags.credit) reasons.emplace_back("信用贷款：无抵押（质押）、无保证担保");

    flags.first_loan = !facts.earlier_loan_on_record;
    if (flags.first_loan) reasons.emplace_back("首贷：借款人此前无贷款记录");

    flags.mid_long_term = facts.term_months > 12;
    if (flags.mid_long_term)
        reasons.push_back("中长期贷款：期限 " + std::to_string(facts.term_months) + " 个月，超过 12 个月");

    const bool small_or_micro = facts.borrower_size == "small" || facts.borrower_size == "micro";
    const long long total_credit = std::max(facts.borrower_total_credit_fen, facts.amount_fen);
    flags.inclusive_small_micro =
        (small_or_micro || facts.borrower_is_individual_business) && total_credit <= kInclusiveCreditCeilingFen;
    if (flags.inclusive_small_micro) {
        const std::string who = facts.borrower_size == "small"   ? "小型企业"
                                : facts.borrower_size == "micro" ? "微型企业"
                                                                 : "个体工商户";
        reasons.push_back("普惠型小微企业贷款：借款人为" + who + "，授信总额 " + registry::FormatWan(total_credit) +
                          " 不超过 1000万元");
    }

    const std::string borrower_code = ManufacturingCode(facts.borrower_industry_code);
    flags.manufacturing_by_borrower = !borrower_code.empty();
    if (flags.manufacturing_by_borrower)
        reasons.push_back("制造业贷款（按借款人行业）：借款人行业代码 " + borrower_code + " 属于制造业（C 门类）");

    const std::string use_code = ManufacturingCode(facts.use_industry_code);
    flags.manufacturing_by_use = !use_code.empty();
    if (flags.manufacturing_by_use)
        reasons.push_back("制造业贷款（按贷款投向）：贷款投向行业代码 " + use_code + " 属于制造业（C 门类）");

    std::vector<std::string> green;
    if (facts.product_kind == "green_loan") green.emplace_back("产品为绿色贷款");
    if (facts.product_kind == "carbon_pledge") green.emplace_back("产品为碳排放权质押贷款");
    if (facts.green_use) green.emplace_back("贷款用途属于绿色产业");
    flags.green = !green.empty();
    if (flags.green) reasons.push_back("绿色贷款：" + Join(green, "；"));

    std::vector<std::string> technology;
    if (facts.product_kind == "tech_credit") technology.emplace_back("产品为科技信用贷款");
    if (facts.borrower_tech_tagged) technology.emplace_back("借款人为科技型企业");
    flags.technology = !technology.empty();
    if (flags.technology) reasons.push_back("科技贷款：" + Join(technology, "；"));

    return flags;
}

}  // namespace chanrong::finance

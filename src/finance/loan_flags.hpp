#pragma once
// Statistical flags of a disbursed loan (DOMAIN §8), derived by rule from the loan's facts and stored with the
// loan, so reports count what the rules said on the day of disbursement. Pure: no database.

#include <string>
#include <vector>

namespace chanrong::finance {

/// 普惠型小微企业贷款 ceiling on the borrower's total credit: 1000万元, inclusive.
inline constexpr long long kInclusiveCreditCeilingFen = 1'000'000'000;

/// What is known about a loan when it is disbursed. Money is integer fen.
struct LoanFacts {
    long long amount_fen = 0;
    int term_months = 0;
    bool has_collateral = false;                   ///< 抵押 or 质押
    bool has_guarantee = false;                    ///< 保证 (a guarantor or a guarantee company)
    std::string borrower_size;                     ///< large | medium | small | micro, or "" when unknown
    bool borrower_is_individual_business = false;  ///< 个体工商户 (or an owner's business loan)
    long long borrower_total_credit_fen = 0;       ///< all the borrower's credit lines, this loan included
    std::string borrower_industry_code;            ///< GB/T 4754-2017
    std::string use_industry_code;                 ///< the industry the loan finances (GB/T 4754), may be empty
    bool earlier_loan_on_record = false;           ///< the borrower had a loan before this one
    std::string product_kind;                      ///< e.g. green_loan, carbon_pledge, tech_credit
    bool borrower_tech_tagged = false;             ///< the borrower carries a technology-enterprise tag
    bool green_use = false;                        ///< the loan finances a green-catalogue activity
};

struct LoanFlags {
    bool credit = false;                     ///< 信用贷款
    bool first_loan = false;                 ///< 首贷
    bool mid_long_term = false;              ///< 中长期贷款
    bool inclusive_small_micro = false;      ///< 普惠型小微企业贷款
    bool manufacturing_by_borrower = false;  ///< 制造业贷款 (按借款人行业)
    bool manufacturing_by_use = false;       ///< 制造业贷款 (按贷款投向)
    bool green = false;                      ///< 绿色贷款
    bool technology = false;                 ///< 科技贷款
    /// One Chinese sentence per true flag, in the order above, naming the facts that made it true.
    std::vector<std::string> reasons_zh;
};

/// Derives the flags:
/// - credit: no collateral and no guarantee;
/// - first_loan: no earlier loan on record;
/// - mid_long_term: term > 12 months (exactly 12 is short term);
/// - inclusive_small_micro: borrower small or micro, or an individual business, and total credit ≤ 1000万元
///   (1,000,000,000 fen inclusive); the total is taken as at least this loan's amount;
/// - manufacturing_by_borrower / _by_use: the borrower's / the use's GB/T 4754 code is in section C (codes are
///   normalised first, so "c3974" and "3974" count; an invalid or empty code does not);
/// - green: product kind green_loan or carbon_pledge, or a green use;
/// - technology: product kind tech_credit, or a tech-tagged borrower.
LoanFlags DeriveLoanFlags(const LoanFacts& facts);

}  // namespace chanrong::finance

#pragma once
// The facts the KPI engine aggregates: plain structs the services fill from the database (or the benchmark
// generates). Dates are yyyymmdd integers, money is integer fen, dimension values are small indices into the
// store's `Dimensions` (kNone when unknown). Attributes of a loan's borrower are taken as they stood on the
// disbursement day, like the loan's statistical flags (finance/loan_flags.hpp): reports count what was true then.

#include <cstdint>
#include <string>
#include <vector>

namespace chanrong::kpi {

/// "Unknown / not classified" for a dimension index; it has its own slot so breakdowns add up to the total.
inline constexpr std::uint8_t kNone = 0xFF;

/// At most this many directories (a loan carries its borrower's memberships as a 32-bit mask).
inline constexpr int kMaxDirectories = 32;

/// Codes of each breakdown dimension; a fact's index points into these vectors.
struct Dimensions {
    std::vector<std::string> classes446;         ///< 4+4+6 codes: P1…P4, S1…S4, F1…F6
    std::vector<std::string> districts;          ///< GB/T 2260 codes: 350203 …
    std::vector<std::string> institution_kinds;  ///< bank, insurer, guarantor, fund, leasing …
    std::vector<std::string> directories;        ///< directory codes: white_list, tech_pilot, green_enterprise …
};

/// Bits of LoanFact::flags. The first eight mirror the loans table's is_* columns; the last two describe the
/// borrower on the disbursement day (enterprises.size_class small|micro; tag specialized or little_giant).
enum LoanFlag : std::uint32_t {
    kLoanCredit = 1u << 0,           ///< is_credit
    kLoanFirst = 1u << 1,            ///< is_first_loan
    kLoanMidLong = 1u << 2,          ///< is_mid_long (term > 12 months)
    kLoanInclusiveSmall = 1u << 3,   ///< is_inclusive_small
    kLoanMfgBorrower = 1u << 4,      ///< is_mfg_borrower (制造业贷款, by the borrower's industry)
    kLoanMfgUse = 1u << 5,           ///< is_mfg_use
    kLoanGreen = 1u << 6,            ///< is_green
    kLoanTech = 1u << 7,             ///< is_tech
    kBorrowerSmallMicro = 1u << 8,   ///< the borrower was small or micro
    kBorrowerSpecialized = 1u << 9,  ///< the borrower carried the 专精特新 (or 小巨人) tag
};

/// A principal repayment. Dates before the loan's disbursement are refused.
struct RepaymentFact {
    int paid_on = 0;  ///< yyyymmdd
    long long principal_fen = 0;
};

/// A disbursed loan with its repayments so far.
struct LoanFact {
    long long loan_id = 0;         ///< informational (errors name it)
    long long institution_id = 0;  ///< must have been added with KpiStore::AddInstitution
    long long enterprise_id = 0;   ///< informational
    long long amount_fen = 0;      ///< > 0
    int disbursed_on = 0;          ///< yyyymmdd
    int maturity_on = 0;           ///< yyyymmdd, ≥ disbursed_on; past maturity an unpaid loan is still a balance
    std::uint32_t flags = 0;       ///< LoanFlag bits
    std::uint8_t class446 = kNone;
    std::uint8_t district = kNone;
    std::uint32_t directories = 0;  ///< bit i: the borrower was in Dimensions::directories[i] on disbursed_on
    std::vector<RepaymentFact> repayments;
};

/// An enterprise enrolled on the platform.
struct EnterpriseFact {
    long long enterprise_id = 0;
    int enrolled_on = 0;  ///< yyyymmdd
    std::uint8_t class446 = kNone;
    std::uint8_t district = kNone;
};

/// A financial institution enrolled on the platform; loans reference it by id.
struct InstitutionFact {
    long long institution_id = 0;
    int enrolled_on = 0;  ///< yyyymmdd
    std::uint8_t kind = kNone;
    std::uint8_t district = kNone;
};

/// One stay of a member (enterprise or project) in a directory: [from, to), to == 0 while still a member.
struct DirectoryStayFact {
    std::uint8_t directory = 0;  ///< index into Dimensions::directories
    int from = 0;                ///< yyyymmdd
    int to = 0;                  ///< yyyymmdd or 0
    std::uint8_t class446 = kNone;
    std::uint8_t district = kNone;
};

/// A bank–enterprise matchmaking event (银企对接活动) and the financing it achieved.
struct EventFact {
    long long event_id = 0;
    int held_on = 0;  ///< yyyymmdd
    long long financing_fen = 0;
};

/// A figure a responsible unit reported for an indicator whose source is "reported".
struct ReportedFact {
    std::string indicator_id;
    int as_of = 0;        ///< yyyymmdd the figure stands at
    long long value = 0;  ///< in the indicator's value type: fen, count or parts per million
    std::string reported_by;
};

/// Directory mask of a borrower on `day` from its stays (helper for filling LoanFact::directories).
std::uint32_t DirectoryMaskOn(const std::vector<DirectoryStayFact>& stays, int day);

}  // namespace chanrong::kpi

#pragma once
// Plain structs the matching engine takes and returns. No HTTP, no SQL: the database side fills these from its rows
// (see README.md) and stores what comes back. Money is integer fen, rates are annual basis points.

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chanrong::matching {

/// Credit grades best → worst; kUnknown when the enterprise has no score. The numeric value is the rank.
enum class CreditGrade : std::uint8_t { kAAA, kAA, kA, kBBB, kBB, kB, kCCC, kCC, kC, kUnknown };
inline constexpr int kGradeCount = 10;  ///< including kUnknown

enum class SizeClass : std::uint8_t { kLarge, kMedium, kSmall, kMicro, kUnknown };
inline constexpr int kSizeCount = 5;

/// Stage of an enterprise, used by equity products (funds' investment focus).
enum class Stage : std::uint8_t { kSeed, kEarly, kGrowth, kMature, kPreIpo, kUnknown };
inline constexpr int kStageCount = 6;

enum class Purpose : std::uint8_t { kWorkingCapital, kEquipment, kRd, kExpansion, kGreen, kSupplyChain, kOther };
inline constexpr int kPurposeCount = 7;

enum class ProductKind : std::uint8_t {
    kCreditLoan, kMortgageLoan, kGuaranteedLoan, kIpPledge, kSupplyChain, kGreenLoan, kCarbonPledge, kTechCredit,
    kFirstLoan, kFundGuarantee, kRdInsurance, kEquity,
};
inline constexpr int kProductKindCount = 12;

/// What a product asks the demand to bring.
enum class CollateralRequirement : std::uint8_t {
    kNone, kCollateral, kGuarantee, kCollateralOrGuarantee,
    kCollateralAndGuarantee,  ///< only from the legacy keys collateral_required + guarantee_required both true
};

/// Debt products answer debt demands, equity products (funds) answer equity demands (roadshows).
enum class Instrument : std::uint8_t { kDebt, kEquity, kAny };

/// The hard rules of a product, in the order they are reported.
enum class Rule : std::uint8_t {
    kInstrument, kAmount, kTerm, kRate, kClass446, kIndustry, kDistrict, kSize, kTags, kDirectories,
    kCreditGrade, kYears, kCollateral, kStage,
};
inline constexpr int kRuleCount = 14;

/// The guarantee value that means the city's credit-enhancement fund (增信基金).
inline constexpr std::string_view kFundGuarantee = "fund";

struct Enterprise {
    long long id = 0;
    std::string class446;       ///< "P1" … "F7", empty when unclassified
    std::string industry_code;  ///< GB/T 4754-2017, e.g. "C3974"
    std::string district;       ///< 思明区 …
    SizeClass size = SizeClass::kUnknown;
    CreditGrade grade = CreditGrade::kUnknown;
    Stage stage = Stage::kUnknown;
    int years_in_business = 0;
    std::vector<std::string> tags;         ///< e.g. high_tech, specialized
    std::vector<std::string> directories;  ///< directory codes the enterprise is in today
};

struct Demand {
    long long id = 0;
    long long enterprise_id = 0;
    long long amount_fen = 0;
    int term_months = 0;
    Purpose purpose = Purpose::kWorkingCapital;
    std::string collateral;  ///< "" or a description of what is offered
    std::string guarantee;   ///< "" | "fund" (credit-enhancement fund) | "guarantor" | …
    std::optional<int> max_rate_bp;
    Instrument instrument = Instrument::kDebt;
};

/// Every hard rule of a product. Empty lists mean "any". Parsed from the eligibility JSON by ParseProductRules.
struct ProductRules {
    long long amount_min_fen = 0;              ///< for equity: ticket minimum
    long long amount_max_fen = LLONG_MAX;      ///< for equity: ticket maximum
    int term_min_months = 0;
    int term_max_months = INT_MAX;
    int rate_min_bp = 0;  ///< lowest annual rate offered; fails when above the demand's max_rate_bp
    std::vector<std::string> classes446;
    std::vector<std::string> industry_prefixes;
    std::vector<std::string> districts;
    std::vector<SizeClass> sizes;
    std::vector<std::string> tags;         ///< the enterprise needs at least one
    std::vector<std::string> directories;  ///< the enterprise needs to be in at least one
    std::vector<Stage> stages;
    std::optional<CreditGrade> min_credit_grade;
    int min_years = 0;
    CollateralRequirement collateral = CollateralRequirement::kNone;
    std::vector<std::string> guarantee_kinds;  ///< accepted guarantee values; empty = any non-empty guarantee
};

struct Product {
    long long id = 0;
    long long institution_id = 0;
    ProductKind kind = ProductKind::kCreditLoan;
    int rate_max_bp = 0;       ///< highest annual rate (display only; rules use rules.rate_min_bp)
    int monthly_capacity = 0;  ///< loans it can still take this month (allocation)
    std::vector<std::string> policy_programs;  ///< e.g. "supply_chain_fund_2pct", "credit_enhancement_fund"
    ProductRules rules;
};

/// An institution and its service record (medians over recorded applications; negative when unknown).
struct Institution {
    long long id = 0;
    double accept_hours = -1;  ///< submission → accepted
    double decide_days = -1;   ///< documents complete → decision
};

std::string_view ToString(CreditGrade grade);
std::string_view ToString(SizeClass size);
std::string_view ToString(Stage stage);
std::string_view ToString(Purpose purpose);
std::string_view ToString(ProductKind kind);
std::string_view ToString(CollateralRequirement requirement);
std::string_view ToString(Instrument instrument);
std::string_view ToString(Rule rule);

std::optional<CreditGrade> ParseCreditGrade(std::string_view text);  ///< "unknown"/"" → kUnknown
std::optional<SizeClass> ParseSizeClass(std::string_view text);
std::optional<Stage> ParseStage(std::string_view text);
std::optional<Purpose> ParsePurpose(std::string_view text);
std::optional<ProductKind> ParseProductKind(std::string_view text);
std::optional<CollateralRequirement> ParseCollateralRequirement(std::string_view text);
std::optional<Instrument> ParseInstrument(std::string_view text);
std::optional<Rule> ParseRule(std::string_view text);

}  // namespace chanrong::matching

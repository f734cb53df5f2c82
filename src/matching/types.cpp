#include "matching/types.hpp"

#include <array>

namespace chanrong::matching {
namespace {

constexpr std::array<std::string_view, kGradeCount> kGrades = {"AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C", "unknown"};
constexpr std::array<std::string_view, kSizeCount> kSizes = {"large", "medium", "small", "micro", "unknown"};
constexpr std::array<std::string_view, kStageCount> kStages = {"seed", "early", "growth", "mature", "pre_ipo", "unknown"};
constexpr std::array<std::string_view, kPurposeCount> kPurposes = {"working_capital", "equipment", "rd", "expansion",
                                                                   "green", "supply_chain", "other"};
constexpr std::array<std::string_view, kProductKindCount> kKinds = {
    "credit_loan", "mortgage_loan", "guaranteed_loan", "ip_pledge", "supply_chain", "green_loan", "carbon_pledge",
    "tech_credit", "first_loan", "fund_guarantee", "rd_insurance", "equity"};
constexpr std::array<std::string_view, 5> kCollaterals = {"none", "collateral", "guarantee", "collateral_or_guarantee",
                                                          "collateral_and_guarantee"};
constexpr std::array<std::string_view, 3> kInstruments = {"debt", "equity", "any"};
constexpr std::array<std::string_view, kRuleCount> kRules = {
    "instrument", "amount", "term", "rate", "classes446", "industry_prefixes", "districts", "sizes", "tags",
    "directories", "min_credit_grade", "min_years", "collateral", "stages"};

template <class E, size_t N>
std::optional<E> Find(const std::array<std::string_view, N>& names, std::string_view text) {
    for (size_t i = 0; i < N; ++i)
        if (names[i] == text) return static_cast<E>(i);
    return std::nullopt;
}

}  // namespace

std::string_view ToString(CreditGrade v) { return kGrades[static_cast<int>(v)]; }
std::string_view ToString(SizeClass v) { return kSizes[static_cast<int>(v)]; }
std::string_view ToString(Stage v) { return kStages[static_cast<int>(v)]; }
std::string_view ToString(Purpose v) { return kPurposes[static_cast<int>(v)]; }
std::string_view ToString(ProductKind v) { return kKinds[static_cast<int>(v)]; }
std::string_view ToString(CollateralRequirement v) { return kCollaterals[static_cast<int>(v)]; }
std::string_view ToString(Instrument v) { return kInstruments[static_cast<int>(v)]; }
std::string_view ToString(Rule v) { return kRules[static_cast<int>(v)]; }

std::optional<CreditGrade> ParseCreditGrade(std::string_view t) {
    if (t.empty() || t == "none") return CreditGrade::kUnknown;
    return Find<CreditGrade>(kGrades, t);
}
std::optional<SizeClass> ParseSizeClass(std::string_view t) { return Find<SizeClass>(kSizes, t); }
std::optional<Stage> ParseStage(std::string_view t) { return Find<Stage>(kStages, t); }
std::optional<Purpose> ParsePurpose(std::string_view t) { return Find<Purpose>(kPurposes, t); }
std::optional<ProductKind> ParseProductKind(std::string_view t) { return Find<ProductKind>(kKinds, t); }
std::optional<CollateralRequirement> ParseCollateralRequirement(std::string_view t) {
    return Find<CollateralRequirement>(kCollaterals, t);
}
std::optional<Instrument> ParseInstrument(std::string_view t) { return Find<Instrument>(kInstruments, t); }
std::optional<Rule> ParseRule(std::string_view t) { return Find<Rule>(kRules, t); }

}  // namespace chanrong::matching

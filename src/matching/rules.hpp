#pragma once
// The hard rules of a product: parsing the product's eligibility JSON into ProductRules, and the reference
// evaluation of every rule with a pass/fail record. The index (match_index.hpp) evaluates the same rules with
// bitsets; tests check that both agree.

#include <boost/json/fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "matching/types.hpp"

namespace chanrong::matching {

/// One rule's verdict and a human (Chinese) detail, e.g. "需要信用等级 A 及以上，当前 BBB".
struct RuleCheck {
    Rule rule = Rule::kAmount;
    bool passed = true;
    std::string detail;
};

/// Reads a product's eligibility object. Keys: classes446, industry_prefixes, districts, sizes, tags, directories,
/// stages, guarantee_kinds (string arrays); min_credit_grade ("AAA"…"C"); min_years (integer); collateral
/// ("none" | "collateral" | "guarantee" | "collateral_or_guarantee"); legacy collateral_required /
/// guarantee_required (booleans); amount_min_fen, amount_max_fen, ticket_min_fen, ticket_max_fen (equity),
/// term_min_months, term_max_months, rate_min_bp (integers) override the product's columns when present.
/// `base` carries the product's columns (amount/term/rate ranges). Unknown keys are ignored; wrong types fail.
Result<ProductRules> ParseProductRules(const boost::json::object& eligibility, ProductRules base = {});

/// Writes rules back as an eligibility object (the inverse of ParseProductRules; used by replay snapshots).
boost::json::object RulesToJson(const ProductRules& rules);

/// Every rule of `product` for `enterprise` asking `demand`, in Rule order, each with pass/fail and a detail.
std::vector<RuleCheck> CheckRules(const Product& product, const Enterprise& enterprise, const Demand& demand);

/// Bit r set when Rule r fails; 0 when eligible. Same verdicts as CheckRules, without building texts.
std::uint32_t FailedRuleMask(const Product& product, const Enterprise& enterprise, const Demand& demand);

/// True when a product of `kind` answers a demand for `instrument`.
bool InstrumentMatches(ProductKind kind, Instrument instrument);

/// True when the demand's collateral/guarantee satisfies the requirement.
bool CollateralSatisfied(const ProductRules& rules, bool has_collateral, std::string_view guarantee);

}  // namespace chanrong::matching

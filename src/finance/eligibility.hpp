#pragma once
// A first check of a product's eligibility rules against an enterprise (the matching engine will own the full
// rule set with explanations). Pure: plain structs in, failed rule names out.

#include <boost/json/object.hpp>

#include <set>
#include <string>
#include <vector>

namespace chanrong::finance {

struct EnterpriseFacts {
    std::string class446;       ///< "P1" …
    std::string size;           ///< large | medium | small | micro
    std::string district;       ///< 思明区 …
    std::string industry_code;  ///< GB/T 4754-2017
    std::set<std::string> tags;
    std::set<std::string> directories;  ///< directory codes the enterprise is in today
    int years_in_business = 0;
};

/// The names of the rules of `eligibility` (see ValidateEligibility) that `facts` fail; empty when eligible.
/// Credit grade and collateral/guarantee rules are not judged here (they need the credit profile and the demand).
std::vector<std::string> FailedRules(const boost::json::object& eligibility, const EnterpriseFacts& facts);

}  // namespace chanrong::finance

#pragma once
// White-list rules (白名单准入规则) as versioned data, evaluated on an enterprise's current credit grade and
// profile. Pure: the rule file and plain facts in, a pass/fail record per rule out.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace chanrong::credit {

struct WhitelistRule {
    std::string code;   ///< min_grade | no_red_flags | in_446 | max_size
    std::string name;   ///< shown to officers
    std::string value;  ///< the grade for min_grade, the size for max_size
};

struct WhitelistRules {
    std::string version;
    std::string name;
    std::string directory;  ///< the directory code candidates are published into
    std::vector<WhitelistRule> rules;
};

/// Parses a rule file; unknown rule codes, grades or sizes are refused with the rule's path.
Result<WhitelistRules> ParseWhitelistRules(std::string_view json_text);

struct WhitelistFacts {
    std::string grade;  ///< empty when the enterprise has no score
    std::set<std::string> red_flags;
    std::string class446;
    std::string size;  ///< large | medium | small | micro, empty when unknown
};

struct RuleCheck {
    const WhitelistRule* rule = nullptr;
    bool passed = false;
};

std::vector<RuleCheck> CheckWhitelist(const WhitelistRules& rules, const WhitelistFacts& facts);
bool AllPassed(const std::vector<RuleCheck>& checks);

}  // namespace chanrong::credit

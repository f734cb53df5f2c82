#pragma once
// JSON forms of the engine's results for the API, with product, institution and enterprise names from the database
// and the factors and rules named in Chinese. Used by the matching service only.

#include <boost/json.hpp>

#include <vector>

#include "matching/batch.hpp"
#include "matching/match_index.hpp"
#include "matching/rules.hpp"

namespace soci {
class session;
}

namespace chanrong::matching {

std::string_view FactorLabel(Factor factor);
std::string_view RuleLabel(Rule rule);

boost::json::object MatchResultJson(soci::session& s, const MatchIndex& index, const MatchResult& result);
boost::json::object WhyNotJson(const std::vector<RuleCheck>& checks);
boost::json::object LeadsJson(soci::session& s, const std::vector<Lead>& leads);
boost::json::object BatchSummaryJson(const BatchResult& result);
/// True when `owner` is `institution` or one of its branches (the institution tree).
bool InstitutionOwns(soci::session& s, long long institution, long long owner);

}  // namespace chanrong::matching

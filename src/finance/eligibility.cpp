#include "finance/eligibility.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace chanrong::finance {
namespace json = boost::json;
namespace {

// A rule that lists allowed values: absent or empty means "any".
bool Allows(const json::object& rules, std::string_view key, const std::function<bool(std::string_view)>& matches) {
    const json::value* list = rules.if_contains(key);
    if (!list || !list->is_array() || list->as_array().empty()) return true;
    const auto& items = list->as_array();
    return std::any_of(items.begin(), items.end(), [&](const json::value& v) { return v.is_string() && matches(v.as_string()); });
}

}  // namespace

std::vector<std::string> FailedRules(const json::object& rules, const EnterpriseFacts& f) {
    std::vector<std::string> failed;
    auto check = [&](std::string_view key, const std::function<bool(std::string_view)>& matches) {
        if (!Allows(rules, key, matches)) failed.emplace_back(key);
    };
    check("classes446", [&](std::string_view v) { return v == f.class446; });
    check("sizes", [&](std::string_view v) { return v == f.size; });
    check("districts", [&](std::string_view v) { return v == f.district; });
    check("industry_prefixes", [&](std::string_view v) { return std::string_view(f.industry_code).starts_with(v); });
    check("tags", [&](std::string_view v) { return f.tags.contains(std::string(v)); });
    check("directories", [&](std::string_view v) { return f.directories.contains(std::string(v)); });
    if (const json::value* years = rules.if_contains("min_years"); years && years->is_int64() && f.years_in_business < years->as_int64())
        failed.emplace_back("min_years");
    return failed;
}

}  // namespace chanrong::finance

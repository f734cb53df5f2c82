#include "credit/whitelist_rules.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>

#include "common/json_out.hpp"
#include "credit/scorecard.hpp"

namespace chanrong::credit {
namespace json = boost::json;
namespace {

constexpr std::array<std::string_view, 4> kSizes = {"large", "medium", "small", "micro"};  // biggest first

std::optional<int> SizeRank(std::string_view size) {
    auto it = std::find(kSizes.begin(), kSizes.end(), size);
    return it == kSizes.end() ? std::nullopt : std::optional<int>(static_cast<int>(it - kSizes.begin()));
}

std::optional<FieldError> CheckRule(const WhitelistRule& rule, const std::string& path) {
    if (rule.code == "min_grade" && !GradeRank(rule.value)) return FieldError{path + ".grade", "invalid", "未知信用等级"};
    if (rule.code == "max_size" && !SizeRank(rule.value)) return FieldError{path + ".size", "invalid", "未知企业规模"};
    if (rule.code != "min_grade" && rule.code != "max_size" && rule.code != "no_red_flags" && rule.code != "in_446")
        return FieldError{path + ".code", "invalid", "未知规则 " + rule.code};
    return std::nullopt;
}

}  // namespace

Result<WhitelistRules> ParseWhitelistRules(std::string_view json_text) {
    boost::system::error_code ec;
    json::value root = json::parse(json_text, ec);
    if (ec || !root.is_object()) return Fail(Error::Field("rules", "invalid_json", "白名单规则不是有效的 JSON 对象"));
    const json::object& o = root.get_object();
    WhitelistRules out{TextOf(o, "version"), TextOf(o, "name"), TextOf(o, "directory"), {}};
    std::vector<FieldError> problems;
    if (out.version.empty()) problems.push_back({"version", "required", "缺少版本号"});
    if (out.directory.empty()) problems.push_back({"directory", "required", "缺少发布到的名录"});
    const json::value* rules = o.if_contains("rules");
    if (!rules || !rules->is_array()) problems.push_back({"rules", "required", "缺少规则数组"});
    else
        for (size_t i = 0; i < rules->get_array().size(); ++i) {
            const json::value& v = rules->get_array()[i];
            const std::string path = "rules[" + std::to_string(i) + "]";
            if (!v.is_object()) {
                problems.push_back({path, "wrong_type", "应为对象"});
                continue;
            }
            const auto& r = v.get_object();
            WhitelistRule rule{TextOf(r, "code"), TextOf(r, "name"), TextOf(r, r.contains("grade") ? "grade" : "size")};
            if (auto problem = CheckRule(rule, path)) problems.push_back(*problem);
            out.rules.push_back(std::move(rule));
        }
    if (!problems.empty()) return Fail(Error::InvalidArgument("白名单规则有误", std::move(problems)));
    return out;
}

std::vector<RuleCheck> CheckWhitelist(const WhitelistRules& rules, const WhitelistFacts& facts) {
    std::vector<RuleCheck> checks;
    for (const WhitelistRule& rule : rules.rules) {
        bool passed = false;
        if (rule.code == "min_grade") {
            auto grade = GradeRank(facts.grade);
            passed = grade && *grade <= *GradeRank(rule.value);
        } else if (rule.code == "no_red_flags") {
            passed = facts.red_flags.empty();
        } else if (rule.code == "in_446") {
            passed = !facts.class446.empty();
        } else if (rule.code == "max_size") {
            auto size = SizeRank(facts.size);
            passed = size && *size >= *SizeRank(rule.value);
        }
        checks.push_back({&rule, passed});
    }
    return checks;
}

bool AllPassed(const std::vector<RuleCheck>& checks) {
    return std::all_of(checks.begin(), checks.end(), [](const RuleCheck& c) { return c.passed; });
}

}  // namespace chanrong::credit

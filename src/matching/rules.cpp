#include "matching/rules.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <fmt/format.h>

namespace chanrong::matching {
namespace json = boost::json;
namespace {

Status ReadStrings(const json::object& o, std::string_view key, std::vector<std::string>& out) {
    const json::value* v = o.if_contains(key);
    if (!v) return {};
    if (!v->is_array()) return Fail(Error::Field("eligibility." + std::string(key), "wrong_type", "应为字符串数组"));
    out.clear();
    for (const auto& item : v->as_array()) {
        if (!item.is_string()) return Fail(Error::Field("eligibility." + std::string(key), "wrong_type", "应为字符串数组"));
        out.emplace_back(item.as_string());
    }
    return {};
}

template <class E, class ParseFn>
Status ReadEnums(const json::object& o, std::string_view key, std::vector<E>& out, ParseFn parse) {
    std::vector<std::string> names;
    if (auto s = ReadStrings(o, key, names); !s) return s;
    out.clear();
    for (const auto& n : names) {
        auto e = parse(n);
        if (!e) return Fail(Error::Field("eligibility." + std::string(key), "invalid", "未知取值 " + n));
        out.push_back(*e);
    }
    return {};
}

template <class T>
Status ReadInt(const json::object& o, std::string_view key, T& out) {
    const json::value* v = o.if_contains(key);
    if (!v) return {};
    if (!v->is_int64() || v->as_int64() < 0) return Fail(Error::Field("eligibility." + std::string(key), "invalid", "应为非负整数"));
    out = static_cast<T>(v->as_int64());
    return {};
}

Status ReadCollateral(const json::object& o, ProductRules& r) {
    if (const json::value* v = o.if_contains("collateral")) {
        auto req = v->is_string() ? ParseCollateralRequirement(v->as_string()) : std::nullopt;
        if (!req) return Fail(Error::Field("eligibility.collateral", "invalid", "应为 none、collateral、guarantee 或 collateral_or_guarantee"));
        r.collateral = *req;
        return {};
    }
    auto flag = [&](std::string_view key) -> Result<bool> {
        const json::value* v = o.if_contains(key);
        if (!v) return false;
        if (!v->is_bool()) return Fail(Error::Field("eligibility." + std::string(key), "wrong_type", "应为布尔值"));
        return v->as_bool();
    };
    auto c = flag("collateral_required");
    if (!c) return Fail(c.error());
    auto g = flag("guarantee_required");
    if (!g) return Fail(g.error());
    if (*c && *g) r.collateral = CollateralRequirement::kCollateralAndGuarantee;
    else if (*c) r.collateral = CollateralRequirement::kCollateral;
    else if (*g) r.collateral = CollateralRequirement::kGuarantee;
    return {};
}

bool Contains(const std::vector<std::string>& list, std::string_view value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

bool AnyShared(const std::vector<std::string>& wanted, const std::vector<std::string>& held) {
    return wanted.empty() || std::any_of(wanted.begin(), wanted.end(), [&](const auto& w) { return Contains(held, w); });
}

std::string Join(const std::vector<std::string>& list) {
    std::string out;
    for (const auto& s : list) out += (out.empty() ? "" : "、") + s;
    return out;
}

std::string Yuan(long long fen) { return fmt::format("{:.2f} 万元", static_cast<double>(fen) / 1e6); }

}  // namespace

Result<ProductRules> ParseProductRules(const json::object& o, ProductRules r) {
    for (auto [key, list] : {std::pair{"classes446", &r.classes446}, {"industry_prefixes", &r.industry_prefixes},
                             {"districts", &r.districts}, {"tags", &r.tags}, {"directories", &r.directories},
                             {"guarantee_kinds", &r.guarantee_kinds}})
        if (auto s = ReadStrings(o, key, *list); !s) return Fail(s.error());
    if (auto s = ReadEnums(o, "sizes", r.sizes, ParseSizeClass); !s) return Fail(s.error());
    if (auto s = ReadEnums(o, "stages", r.stages, ParseStage); !s) return Fail(s.error());
    if (const json::value* v = o.if_contains("min_credit_grade")) {
        auto g = v->is_string() ? ParseCreditGrade(v->as_string()) : std::nullopt;
        if (!g || *g == CreditGrade::kUnknown) return Fail(Error::Field("eligibility.min_credit_grade", "invalid", "应为 AAA…C"));
        r.min_credit_grade = *g;
    }
    for (auto [key, field] : {std::pair{"amount_min_fen", &r.amount_min_fen}, {"amount_max_fen", &r.amount_max_fen},
                              {"ticket_min_fen", &r.amount_min_fen}, {"ticket_max_fen", &r.amount_max_fen}})
        if (auto s = ReadInt(o, key, *field); !s) return Fail(s.error());
    for (auto [key, field] : {std::pair{"term_min_months", &r.term_min_months}, {"term_max_months", &r.term_max_months},
                              {"rate_min_bp", &r.rate_min_bp}, {"min_years", &r.min_years}})
        if (auto s = ReadInt(o, key, *field); !s) return Fail(s.error());
    if (auto s = ReadCollateral(o, r); !s) return Fail(s.error());
    return r;
}

json::object RulesToJson(const ProductRules& r) {
    json::object o;
    auto strings = [&](const char* key, const std::vector<std::string>& list) {
        if (list.empty()) return;
        json::array a;
        for (const auto& s : list) a.emplace_back(s);
        o[key] = std::move(a);
    };
    auto enums = [&](const char* key, const auto& list) {
        if (list.empty()) return;
        json::array a;
        for (auto e : list) a.emplace_back(ToString(e));
        o[key] = std::move(a);
    };
    strings("classes446", r.classes446);
    strings("industry_prefixes", r.industry_prefixes);
    strings("districts", r.districts);
    strings("tags", r.tags);
    strings("directories", r.directories);
    strings("guarantee_kinds", r.guarantee_kinds);
    enums("sizes", r.sizes);
    enums("stages", r.stages);
    if (r.min_credit_grade) o["min_credit_grade"] = ToString(*r.min_credit_grade);
    o["amount_min_fen"] = r.amount_min_fen;
    o["amount_max_fen"] = r.amount_max_fen;
    o["term_min_months"] = r.term_min_months;
    o["term_max_months"] = r.term_max_months;
    o["rate_min_bp"] = r.rate_min_bp;
    o["min_years"] = r.min_years;
    o["collateral"] = ToString(r.collateral);
    return o;
}

bool InstrumentMatches(ProductKind kind, Instrument instrument) {
    if (instrument == Instrument::kAny) return true;
    return (kind == ProductKind::kEquity) == (instrument == Instrument::kEquity);
}

bool CollateralSatisfied(const ProductRules& r, bool has_collateral, std::string_view guarantee) {
    const bool guaranteed = !guarantee.empty() && (r.guarantee_kinds.empty() || Contains(r.guarantee_kinds, guarantee));
    switch (r.collateral) {
        case CollateralRequirement::kNone: return true;
        case CollateralRequirement::kCollateral: return has_collateral;
        case CollateralRequirement::kGuarantee: return guaranteed;
        case CollateralRequirement::kCollateralOrGuarantee: return has_collateral || guaranteed;
        case CollateralRequirement::kCollateralAndGuarantee: return has_collateral && guaranteed;
    }
    return false;
}

std::uint32_t FailedRuleMask(const Product& p, const Enterprise& e, const Demand& d) {
    const ProductRules& r = p.rules;
    const bool equity = p.kind == ProductKind::kEquity;
    std::uint32_t mask = 0;
    auto fail = [&](Rule rule, bool failed) { if (failed) mask |= 1u << static_cast<int>(rule); };
    fail(Rule::kInstrument, !InstrumentMatches(p.kind, d.instrument));
    fail(Rule::kAmount, d.amount_fen < r.amount_min_fen || d.amount_fen > r.amount_max_fen);
    fail(Rule::kTerm, !equity && (d.term_months < r.term_min_months || d.term_months > r.term_max_months));
    fail(Rule::kRate, !equity && d.max_rate_bp && r.rate_min_bp > *d.max_rate_bp);
    fail(Rule::kClass446, !r.classes446.empty() && !Contains(r.classes446, e.class446));
    fail(Rule::kIndustry, !r.industry_prefixes.empty() &&
                              std::none_of(r.industry_prefixes.begin(), r.industry_prefixes.end(), [&](const auto& pre) {
                                  return std::string_view(e.industry_code).starts_with(pre);
                              }));
    fail(Rule::kDistrict, !r.districts.empty() && !Contains(r.districts, e.district));
    fail(Rule::kSize, !r.sizes.empty() && std::find(r.sizes.begin(), r.sizes.end(), e.size) == r.sizes.end());
    fail(Rule::kTags, !AnyShared(r.tags, e.tags));
    fail(Rule::kDirectories, !AnyShared(r.directories, e.directories));
    fail(Rule::kCreditGrade, r.min_credit_grade && e.grade > *r.min_credit_grade);
    fail(Rule::kYears, e.years_in_business < r.min_years);
    fail(Rule::kCollateral, !CollateralSatisfied(r, !d.collateral.empty(), d.guarantee));
    fail(Rule::kStage, !r.stages.empty() && std::find(r.stages.begin(), r.stages.end(), e.stage) == r.stages.end());
    return mask;
}

namespace {

std::string Detail(Rule rule, const Product& p, const Enterprise& e, const Demand& d) {
    const ProductRules& r = p.rules;
    switch (rule) {
        case Rule::kInstrument: return p.kind == ProductKind::kEquity ? "股权投资产品" : "债权融资产品";
        case Rule::kAmount: return fmt::format("额度 {}–{}，申请 {}", Yuan(r.amount_min_fen), Yuan(r.amount_max_fen), Yuan(d.amount_fen));
        case Rule::kTerm: return fmt::format("期限 {}–{} 个月，申请 {} 个月", r.term_min_months, r.term_max_months, d.term_months);
        case Rule::kRate: return d.max_rate_bp ? fmt::format("最低利率 {} bp，可接受上限 {} bp", r.rate_min_bp, *d.max_rate_bp) : "未设利率上限";
        case Rule::kClass446: return r.classes446.empty() ? "不限产业" : "限 " + Join(r.classes446) + "，企业为 " + e.class446;
        case Rule::kIndustry: return r.industry_prefixes.empty() ? "不限行业" : "限行业 " + Join(r.industry_prefixes) + "，企业为 " + e.industry_code;
        case Rule::kDistrict: return r.districts.empty() ? "不限区域" : "限 " + Join(r.districts) + "，企业在 " + e.district;
        case Rule::kSize: {
            std::vector<std::string> s;
            for (auto v : r.sizes) s.emplace_back(ToString(v));
            return s.empty() ? "不限规模" : "限规模 " + Join(s) + "，企业为 " + std::string(ToString(e.size));
        }
        case Rule::kTags: return r.tags.empty() ? "不限资质" : "需具备 " + Join(r.tags) + " 之一";
        case Rule::kDirectories: return r.directories.empty() ? "不限名录" : "需列入 " + Join(r.directories) + " 之一";
        case Rule::kCreditGrade:
            return r.min_credit_grade ? fmt::format("需要信用等级 {} 及以上，当前 {}", ToString(*r.min_credit_grade), ToString(e.grade)) : "不限信用等级";
        case Rule::kYears: return fmt::format("需经营满 {} 年，企业 {} 年", r.min_years, e.years_in_business);
        case Rule::kCollateral: return fmt::format("要求 {}，需求提供抵押「{}」担保「{}」", ToString(r.collateral), d.collateral, d.guarantee);
        case Rule::kStage: return r.stages.empty() ? "不限阶段" : "限定投资阶段，企业为 " + std::string(ToString(e.stage));
    }
    return {};
}

}  // namespace

std::vector<RuleCheck> CheckRules(const Product& p, const Enterprise& e, const Demand& d) {
    const std::uint32_t mask = FailedRuleMask(p, e, d);
    std::vector<RuleCheck> checks;
    checks.reserve(kRuleCount);
    for (int i = 0; i < kRuleCount; ++i) {
        const Rule rule = static_cast<Rule>(i);
        checks.push_back({rule, (mask & (1u << i)) == 0, Detail(rule, p, e, d)});
    }
    return checks;
}

}  // namespace chanrong::matching

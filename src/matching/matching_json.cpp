#include "matching/matching_json.hpp"

#include <soci/soci.h>

#include <cmath>
#include <map>

namespace chanrong::matching {
namespace json = boost::json;
namespace {

struct ProductInfo {
    std::string name, institution;
};

std::string IdList(const std::vector<long long>& ids) {
    std::string out;
    for (long long id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
    return out.empty() ? "0" : out;
}

std::map<long long, ProductInfo> ProductNames(soci::session& s, const std::vector<long long>& ids) {
    std::map<long long, ProductInfo> out;
    long long id = 0;
    ProductInfo info;
    soci::statement st = (s.prepare << "SELECT p.id, p.name, i.name FROM products p JOIN institutions i ON i.id = "
                                       "p.institution_id WHERE p.id IN (" + IdList(ids) + ")",
                          soci::into(id), soci::into(info.name), soci::into(info.institution));
    st.execute();
    while (st.fetch()) out[id] = info;
    return out;
}

double Round(double v) { return std::round(v * 10000) / 10000; }

json::object RecommendationJson(const Recommendation& r, const std::map<long long, ProductInfo>& names) {
    json::array factors, drivers;
    for (const auto& f : r.factors)
        factors.push_back({{"factor", ToString(f.factor)}, {"label", FactorLabel(f.factor)}, {"value", Round(f.value)},
                           {"contribution", Round(f.contribution)}});
    for (const auto& d : r.drivers) drivers.push_back({{"feature", d.feature}, {"weight", Round(d.weight)}});
    auto it = names.find(r.product_id);
    return {{"product_id", r.product_id}, {"product_name", it == names.end() ? "" : it->second.name},
            {"institution_id", r.institution_id}, {"institution_name", it == names.end() ? "" : it->second.institution},
            {"kind", ToString(r.kind)}, {"score", Round(r.score)}, {"approval", Round(r.approval)},
            {"factors", std::move(factors)}, {"drivers", std::move(drivers)}};
}

}  // namespace

std::string_view FactorLabel(Factor factor) {
    static constexpr std::string_view kLabels[] = {"获批可能性", "金额匹配", "期限匹配", "利率匹配",
                                                   "用途匹配",   "企业资质", "机构服务效率", "政策支持"};
    return kLabels[static_cast<int>(factor)];
}

std::string_view RuleLabel(Rule rule) {
    static constexpr std::string_view kLabels[] = {"融资方式", "金额", "期限", "利率上限", "4+4+6 产业",
                                                   "行业",     "区域", "规模", "资质标签", "名录",
                                                   "信用等级", "成立年限", "抵押担保", "发展阶段"};
    return kLabels[static_cast<int>(rule)];
}

json::object MatchResultJson(soci::session& s, const MatchIndex& index, const MatchResult& result) {
    std::vector<long long> ids;
    for (const auto& r : result.recommendations) ids.push_back(r.product_id);
    for (const auto& m : result.near_misses) ids.push_back(m.product_id);
    const auto names = ProductNames(s, ids);
    json::array recommendations, near_misses, counterfactuals;
    for (const auto& r : result.recommendations) recommendations.push_back(RecommendationJson(r, names));
    for (const auto& m : result.near_misses) {
        json::array failed;
        for (Rule rule : m.failed) failed.push_back({{"rule", ToString(rule)}, {"label", RuleLabel(rule)}});
        auto it = names.find(m.product_id);
        near_misses.push_back({{"product_id", m.product_id}, {"product_name", it == names.end() ? "" : it->second.name},
                               {"institution_name", it == names.end() ? "" : it->second.institution},
                               {"failed", std::move(failed)}});
    }
    for (const auto& c : result.counterfactuals) {
        json::array opens;
        for (long long id : c.product_ids) opens.push_back(id);
        counterfactuals.push_back({{"change", c.change}, {"value", c.value}, {"text", c.text}, {"product_ids", std::move(opens)}});
    }
    return {{"model_version", result.model_version}, {"eligible_count", result.eligible_count},
            {"products_indexed", index.product_count()}, {"recommendations", std::move(recommendations)},
            {"near_misses", std::move(near_misses)}, {"counterfactuals", std::move(counterfactuals)}};
}

json::object WhyNotJson(const std::vector<RuleCheck>& checks) {
    json::array rules;
    bool eligible = true;
    for (const auto& c : checks) {
        rules.push_back({{"rule", ToString(c.rule)}, {"label", RuleLabel(c.rule)}, {"passed", c.passed}, {"detail", c.detail}});
        eligible = eligible && c.passed;
    }
    return {{"eligible", eligible}, {"rules", std::move(rules)}};
}

json::object LeadsJson(soci::session& s, const std::vector<Lead>& leads) {
    std::vector<long long> ids;
    for (const auto& l : leads) ids.push_back(l.demand_id);
    struct Row {
        std::string enterprise, purpose;
        long long amount = 0;
        int term = 0;
    };
    std::map<long long, Row> rows;
    long long id = 0;
    Row row;
    soci::statement st = (s.prepare << "SELECT d.id, e.name, d.amount_fen, d.term_months, d.purpose FROM demands d JOIN "
                                       "enterprises e ON e.id = d.enterprise_id WHERE d.id IN (" + IdList(ids) + ")",
                          soci::into(id), soci::into(row.enterprise), soci::into(row.amount), soci::into(row.term),
                          soci::into(row.purpose));
    st.execute();
    while (st.fetch()) rows[id] = row;
    json::array items;
    for (const auto& l : leads) {
        const Row& r = rows[l.demand_id];
        items.push_back({{"demand_id", l.demand_id}, {"enterprise_id", l.enterprise_id}, {"enterprise_name", r.enterprise},
                         {"amount_fen", r.amount}, {"term_months", r.term}, {"purpose", r.purpose},
                         {"score", Round(l.score)}, {"approval", Round(l.approval)}});
    }
    return {{"items", std::move(items)}};
}

json::object BatchSummaryJson(const BatchResult& r) {
    std::map<long long, long long> per_institution;
    for (const auto& a : r.assignments) ++per_institution[a.institution_id];
    json::array institutions;
    for (const auto& [id, n] : per_institution) institutions.push_back({{"institution_id", id}, {"assigned", n}});
    return {{"demands", r.demands}, {"assigned", r.assignments.size()}, {"candidate_edges", r.candidate_edges},
            {"expected_funded_fen", r.expected_funded_fen}, {"upper_bound_fen", r.upper_bound_fen},
            {"institution_cap", r.institution_cap}, {"method", r.method}, {"capacity_respected", r.capacity_respected},
            {"share_cap_respected", r.share_cap_respected}, {"candidate_seconds", Round(r.candidate_seconds)},
            {"allocation_seconds", Round(r.allocation_seconds)}, {"by_institution", std::move(institutions)}};
}

bool InstitutionOwns(soci::session& s, long long institution, long long owner) {
    for (long long current = owner, hops = 0; hops < 16; ++hops) {
        if (current == institution) return true;
        long long parent = 0;
        soci::indicator ind;
        s << "SELECT parent_id FROM institutions WHERE id = :id", soci::use(current), soci::into(parent, ind);
        if (!s.got_data() || ind != soci::i_ok) return false;
        current = parent;
    }
    return false;
}

}  // namespace chanrong::matching

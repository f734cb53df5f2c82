#include "matching/replay.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace chanrong::matching {
namespace json = boost::json;
namespace {

std::string Exact(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", x);
    return buf;
}

double FromExact(const json::value& v) { return std::strtod(std::string(v.as_string()).c_str(), nullptr); }

json::array Strings(const std::vector<std::string>& v) { return json::array(v.begin(), v.end()); }

std::vector<std::string> Strings(const json::value& v) {
    std::vector<std::string> out;
    for (const auto& s : v.as_array()) out.emplace_back(s.as_string());
    return out;
}

template <class E, class Parse>
E Enum(const json::value& v, Parse parse) {
    auto e = parse(std::string_view(v.as_string()));
    if (!e) throw std::invalid_argument("unknown value " + std::string(v.as_string()));
    return *e;
}

json::object EnterpriseJson(const Enterprise& e) {
    return {{"id", e.id}, {"class446", e.class446}, {"industry_code", e.industry_code}, {"district", e.district},
            {"size", ToString(e.size)}, {"grade", ToString(e.grade)}, {"stage", ToString(e.stage)},
            {"years_in_business", e.years_in_business}, {"tags", Strings(e.tags)}, {"directories", Strings(e.directories)}};
}

Enterprise EnterpriseFrom(const json::object& o) {
    Enterprise e;
    e.id = o.at("id").as_int64();
    e.class446 = o.at("class446").as_string();
    e.industry_code = o.at("industry_code").as_string();
    e.district = o.at("district").as_string();
    e.size = Enum<SizeClass>(o.at("size"), ParseSizeClass);
    e.grade = Enum<CreditGrade>(o.at("grade"), ParseCreditGrade);
    e.stage = Enum<Stage>(o.at("stage"), ParseStage);
    e.years_in_business = static_cast<int>(o.at("years_in_business").as_int64());
    e.tags = Strings(o.at("tags"));
    e.directories = Strings(o.at("directories"));
    return e;
}

json::object DemandJson(const Demand& d) {
    return {{"id", d.id}, {"enterprise_id", d.enterprise_id}, {"amount_fen", d.amount_fen}, {"term_months", d.term_months},
            {"purpose", ToString(d.purpose)}, {"collateral", d.collateral}, {"guarantee", d.guarantee},
            {"max_rate_bp", d.max_rate_bp ? json::value(*d.max_rate_bp) : json::value(nullptr)},
            {"instrument", ToString(d.instrument)}};
}

Demand DemandFrom(const json::object& o) {
    Demand d;
    d.id = o.at("id").as_int64();
    d.enterprise_id = o.at("enterprise_id").as_int64();
    d.amount_fen = o.at("amount_fen").as_int64();
    d.term_months = static_cast<int>(o.at("term_months").as_int64());
    d.purpose = Enum<Purpose>(o.at("purpose"), ParsePurpose);
    d.collateral = o.at("collateral").as_string();
    d.guarantee = o.at("guarantee").as_string();
    if (!o.at("max_rate_bp").is_null()) d.max_rate_bp = static_cast<int>(o.at("max_rate_bp").as_int64());
    d.instrument = Enum<Instrument>(o.at("instrument"), ParseInstrument);
    return d;
}

json::object ProductJson(const Product& p) {
    return {{"id", p.id}, {"institution_id", p.institution_id}, {"kind", ToString(p.kind)}, {"rate_max_bp", p.rate_max_bp},
            {"monthly_capacity", p.monthly_capacity}, {"policy_programs", Strings(p.policy_programs)},
            {"eligibility", RulesToJson(p.rules)}};
}

Result<Product> ProductFrom(const json::object& o) {
    Product p;
    p.id = o.at("id").as_int64();
    p.institution_id = o.at("institution_id").as_int64();
    p.kind = Enum<ProductKind>(o.at("kind"), ParseProductKind);
    p.rate_max_bp = static_cast<int>(o.at("rate_max_bp").as_int64());
    p.monthly_capacity = static_cast<int>(o.at("monthly_capacity").as_int64());
    p.policy_programs = Strings(o.at("policy_programs"));
    auto rules = ParseProductRules(o.at("eligibility").as_object());
    if (!rules) return Fail(rules.error());
    p.rules = std::move(*rules);
    return p;
}

json::object OptionsJson(const QueryOptions& q) {
    return {{"top_n", q.top_n}, {"explain", q.explain}, {"approval_drivers", q.approval_drivers},
            {"counterfactuals", q.counterfactuals}, {"near_misses", q.near_misses}};
}

QueryOptions OptionsFrom(const json::object& o) {
    return {static_cast<int>(o.at("top_n").as_int64()), o.at("explain").as_bool(),
            static_cast<int>(o.at("approval_drivers").as_int64()), o.at("counterfactuals").as_bool(),
            static_cast<int>(o.at("near_misses").as_int64())};
}

json::object ResultObject(const MatchResult& r) {
    json::array recs, near, counter;
    for (const auto& x : r.recommendations) {
        json::array factors, drivers;
        for (const auto& f : x.factors)
            factors.push_back({{"factor", ToString(f.factor)}, {"value", f.value}, {"contribution", f.contribution}});
        for (const auto& d : x.drivers) drivers.push_back({{"feature", d.feature}, {"weight", d.weight}});
        recs.push_back({{"product_id", x.product_id}, {"institution_id", x.institution_id}, {"kind", ToString(x.kind)},
                        {"score", x.score}, {"approval", x.approval}, {"factors", std::move(factors)}, {"drivers", std::move(drivers)}});
    }
    for (const auto& n : r.near_misses) {
        json::array failed;
        for (auto rule : n.failed) failed.emplace_back(ToString(rule));
        near.push_back({{"product_id", n.product_id}, {"failed", std::move(failed)}});
    }
    for (const auto& c : r.counterfactuals)
        counter.push_back({{"change", c.change}, {"value", c.value}, {"text", c.text},
                           {"product_ids", json::array(c.product_ids.begin(), c.product_ids.end())}});
    return {{"model_version", r.model_version}, {"eligible_count", r.eligible_count}, {"recommendations", std::move(recs)},
            {"near_misses", std::move(near)}, {"counterfactuals", std::move(counter)}};
}

json::object InstitutionJson(const Institution& i) {
    return {{"id", i.id}, {"accept_hours", Exact(i.accept_hours)}, {"decide_days", Exact(i.decide_days)}};
}

Institution InstitutionFrom(const json::object& o) {
    return {o.at("id").as_int64(), FromExact(o.at("accept_hours")), FromExact(o.at("decide_days"))};
}

// Everything of a snapshot except its products and institutions.
json::object HeadJson(const MatchSnapshot& s) {
    return {{"model_version", s.model_version}, {"options", OptionsJson(s.options)}, {"enterprise", EnterpriseJson(s.enterprise)},
            {"demand", DemandJson(s.demand)}, {"result", s.result_json}};
}

MatchSnapshot HeadFrom(const json::object& o) {
    MatchSnapshot s;
    s.model_version = static_cast<int>(o.at("model_version").as_int64());
    s.options = OptionsFrom(o.at("options").as_object());
    s.enterprise = EnterpriseFrom(o.at("enterprise").as_object());
    s.demand = DemandFrom(o.at("demand").as_object());
    s.result_json = o.at("result").as_string();
    return s;
}

}  // namespace

MatchSnapshot CaptureSnapshot(const MatchIndex& index, const Enterprise& e, const Demand& d, const QueryOptions& options,
                              const MatchResult& result) {
    MatchSnapshot s{result.model_version, options, e, d, {}, {}, ResultToJson(result)};
    std::vector<long long> ids = index.EligibleProducts(e, d);
    for (const auto& c : result.counterfactuals) ids.insert(ids.end(), c.product_ids.begin(), c.product_ids.end());
    for (const auto& n : result.near_misses) ids.push_back(n.product_id);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::set<long long> institutions;
    for (long long id : ids)
        if (const Product* p = index.FindProduct(id)) {
            s.products.push_back(*p);
            institutions.insert(p->institution_id);
        }
    for (long long id : institutions)
        s.institutions.push_back(index.FindInstitution(id) ? *index.FindInstitution(id) : Institution{id});
    return s;
}

std::string ResultToJson(const MatchResult& r) { return json::serialize(ResultObject(r)); }

std::string ProductToJson(const Product& p) { return json::serialize(ProductJson(p)); }

std::string ProductStateToJson(const Product& product, const Institution& institution) {
    json::object o = ProductJson(product);
    o["institution"] = InstitutionJson(institution);
    return json::serialize(o);
}

std::string SnapshotToJson(const MatchSnapshot& s) {
    json::object o = HeadJson(s);
    json::array products, institutions;
    for (const auto& p : s.products) products.push_back(ProductJson(p));
    for (const auto& i : s.institutions) institutions.push_back(InstitutionJson(i));
    o["products"] = std::move(products);
    o["institutions"] = std::move(institutions);
    return json::serialize(o);
}

std::string StoredSnapshotToJson(const MatchSnapshot& s, std::string_view catalogue) {
    json::object o = HeadJson(s);
    o["catalogue"] = catalogue;
    return json::serialize(o);
}

Result<MatchSnapshot> SnapshotFromJson(std::string_view text) {
    try {
        const json::object o = json::parse(text).as_object();
        MatchSnapshot s = HeadFrom(o);
        for (const auto& p : o.at("products").as_array()) {
            auto product = ProductFrom(p.as_object());
            if (!product) return Fail(product.error());
            s.products.push_back(std::move(*product));
        }
        for (const auto& i : o.at("institutions").as_array()) s.institutions.push_back(InstitutionFrom(i.as_object()));
        return s;
    } catch (const std::exception& e) {
        return Fail(Error::InvalidArgument(std::string("快照格式不正确: ") + e.what()));
    }
}

Result<StoredSnapshot> ParseStoredSnapshot(std::string_view text) {
    try {
        const json::object o = json::parse(text).as_object();
        StoredSnapshot out{HeadFrom(o), {}, {}};
        if (const auto* c = o.if_contains("catalogue")) out.catalogue = c->as_string();
        if (const auto* list = o.if_contains("product_states"))
            for (const auto& hash : list->as_array()) out.state_hashes.emplace_back(hash.as_string());
        if (const auto* listed = o.if_contains("institutions"))
            for (const auto& i : listed->as_array()) out.snapshot.institutions.push_back(InstitutionFrom(i.as_object()));
        return out;
    } catch (const std::exception& e) {
        return Fail(Error::InvalidArgument(std::string("快照格式不正确: ") + e.what()));
    }
}

Status AddProductStates(MatchSnapshot& s, const std::vector<std::string>& bodies) {
    try {
        std::set<long long> known;
        for (const auto& i : s.institutions) known.insert(i.id);
        for (const auto& body : bodies) {
            const json::object state = json::parse(body).as_object();
            auto product = ProductFrom(state);
            if (!product) return Fail(product.error());
            if (const auto* i = state.if_contains("institution"); i && known.insert(product->institution_id).second)
                s.institutions.push_back(InstitutionFrom(i->as_object()));
            s.products.push_back(std::move(*product));
        }
        return {};
    } catch (const std::exception& e) {
        return Fail(Error::InvalidArgument(std::string("产品状态格式不正确: ") + e.what()));
    }
}

Result<MatchResult> Replay(const MatchSnapshot& s, std::shared_ptr<const ScoringModel> model) {
    if (model->version() != s.model_version)
        return Fail(Error::FailedPrecondition("快照使用模型版本 " + std::to_string(s.model_version) + "，提供的是 " +
                                              std::to_string(model->version())));
    MatchIndex index(std::move(model));
    for (const auto& i : s.institutions) index.UpsertInstitution(i);
    for (const auto& p : s.products) index.UpsertProduct(p);
    return index.Recommend(s.enterprise, s.demand, s.options);
}

}  // namespace chanrong::matching

namespace chanrong::matching {

bool ReplayMatches(const MatchSnapshot& s, std::shared_ptr<const ScoringModel> model) {
    auto replayed = Replay(s, std::move(model));
    return replayed && ResultToJson(*replayed) == s.result_json;
}

}  // namespace chanrong::matching

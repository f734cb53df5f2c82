#include "finance/product_service.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include <set>

#include "common/json_out.hpp"
#include "common/text_normalize.hpp"
#include "common/time_format.hpp"
#include "storage/query.hpp"

namespace chanrong::finance {
namespace json = boost::json;
namespace {

constexpr const char* kSelect =
    "SELECT p.id, p.institution_id, i.name, p.name, p.kind, k.name, p.description, p.amount_min_fen, "
    "p.amount_max_fen, p.term_min_months, p.term_max_months, p.rate_mode, p.rate_min_bp, p.rate_max_bp, "
    "p.eligibility, p.monthly_capacity, p.valid_from, p.valid_to, p.policy_links, p.status, p.created_at, "
    "p.updated_at, p.version FROM products p JOIN institutions i ON i.id = p.institution_id "
    "JOIN product_kinds k ON k.code = p.kind";

struct ProductRow {
    long long id = 0, institution_id = 0, amount_min = 0, amount_max = 0, created = 0, updated = 0;
    int term_min = 0, term_max = 0, rate_min = 0, rate_max = 0, capacity = 0, version = 0;
    std::string institution, name, kind, kind_name, description, rate_mode, eligibility, valid_from, valid_to, links,
        status;
    void Into(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(institution_id));
        for (std::string* s : {&institution, &name, &kind, &kind_name, &description}) st.exchange(soci::into(*s));
        st.exchange(soci::into(amount_min));
        st.exchange(soci::into(amount_max));
        st.exchange(soci::into(term_min));
        st.exchange(soci::into(term_max));
        st.exchange(soci::into(rate_mode));
        st.exchange(soci::into(rate_min));
        st.exchange(soci::into(rate_max));
        st.exchange(soci::into(eligibility));
        st.exchange(soci::into(capacity));
        for (std::string* s : {&valid_from, &valid_to, &links, &status}) st.exchange(soci::into(*s));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
        st.exchange(soci::into(version));
    }
    json::object ToJson(int lpr_one_year, int lpr_five_year) const {
        const int lpr = term_max > 60 ? lpr_five_year : lpr_one_year;
        const bool spread = rate_mode == "lpr_spread";
        return {{"id", id}, {"institution_id", institution_id}, {"institution_name", institution}, {"name", name},
                {"kind", kind}, {"kind_name", kind_name}, {"description", description}, {"amount_min_fen", amount_min},
                {"amount_max_fen", amount_max}, {"term_min_months", term_min}, {"term_max_months", term_max},
                {"rate_mode", rate_mode}, {"rate_min_bp", rate_min}, {"rate_max_bp", rate_max},
                {"effective_rate_min_bp", spread ? rate_min + lpr : rate_min},
                {"effective_rate_max_bp", spread ? rate_max + lpr : rate_max}, {"lpr_bp", lpr},
                {"eligibility", json::parse(eligibility)}, {"monthly_capacity", capacity}, {"valid_from", valid_from},
                {"valid_to", valid_to}, {"policy_links", json::parse(links)}, {"status", status},
                {"created_at", FormatIsoUtc(created)}, {"updated_at", FormatIsoUtc(updated)}, {"version", version}};
    }
};

bool IsDate(const std::string& s) { return s.size() == 10 && ParseIsoTimestamp(s).has_value(); }

// Published products are public; an institution's own products are visible to it in every status.
std::string Scope(const auth::Principal& p) {
    if (p.institution_id) return "(p.status = 'published' OR p.institution_id = " + std::to_string(*p.institution_id) + ")";
    if (p.Can("product:review")) return "1=1";
    return "p.status = 'published'";
}

std::optional<json::object> Load(soci::session& s, long long id, const std::string& scope, const std::string& today) {
    storage::Query q(kSelect);
    q.Sql(" WHERE p.id = ").Bind(id).Sql(" AND " + scope);
    ProductRow row;
    std::optional<json::object> out;
    const int one = LprOn(s, today, 12), five = LprOn(s, today, 120);
    storage::ForEachRow(s, q, row, [&] { out = row.ToJson(one, five); });
    return out;
}

// Whole-product checks after a create or an update is merged.
std::vector<FieldError> ValidateProduct(const ProductInput& p, soci::session& s) {
    std::vector<FieldError> errors;
    auto add = [&](const char* f, const char* c, std::string m) { errors.push_back({f, c, std::move(m)}); };
    if (p.kind) {
        int known = 0;
        s << "SELECT COUNT(*) FROM product_kinds WHERE code = :c", soci::use(*p.kind), soci::into(known);
        if (!known) add("kind", "unknown_kind", "未知产品类型");
    }
    if (*p.amount_min_fen <= 0 || *p.amount_max_fen < *p.amount_min_fen)
        add("amount_max_fen", "invalid_range", "额度范围无效：下限须大于 0 且不高于上限");
    if (*p.term_min_months <= 0 || *p.term_max_months < *p.term_min_months || *p.term_max_months > 360)
        add("term_max_months", "invalid_range", "期限范围无效（1–360 个月，下限不高于上限）");
    if (*p.rate_mode != "fixed" && *p.rate_mode != "lpr_spread") add("rate_mode", "invalid", "应为 fixed 或 lpr_spread");
    if (*p.rate_max_bp < *p.rate_min_bp || *p.rate_max_bp > 3600 || (*p.rate_mode == "fixed" && *p.rate_min_bp < 0))
        add("rate_max_bp", "invalid_range", "利率范围无效（基点，下限不高于上限，不超过 36%）");
    if (p.valid_from && !p.valid_from->empty() && !IsDate(*p.valid_from)) add("valid_from", "invalid_date", "日期格式应为 YYYY-MM-DD");
    if (p.valid_to && !p.valid_to->empty() && (!IsDate(*p.valid_to) || (p.valid_from && *p.valid_to < *p.valid_from)))
        add("valid_to", "invalid_date", "应为不早于开始日期的 YYYY-MM-DD");
    if (p.monthly_capacity && *p.monthly_capacity < 0) add("monthly_capacity", "negative", "不能为负数");
    json::error_code ec;
    const json::value eligibility = json::parse(p.eligibility.value_or("{}"), ec);
    if (ec) add("eligibility", "malformed_json", "准入条件不是合法的 JSON");
    else for (auto& e : ValidateEligibility(eligibility)) errors.push_back(std::move(e));
    const json::value links = json::parse(p.policy_links.value_or("[]"), ec);
    if (ec || !links.is_array()) add("policy_links", "wrong_type", "应为数组");
    return errors;
}

// Fills unset fields of `in` from the stored product, so validation sees the merged whole.
void MergeStored(ProductInput& in, const json::object& stored) {
    auto text = [&](std::optional<std::string>& f, const char* k) { if (!f) f = std::string(stored.at(k).as_string()); };
    auto num = [&](std::optional<long long>& f, const char* k) { if (!f) f = stored.at(k).as_int64(); };
    text(in.name, "name");
    text(in.kind, "kind");
    text(in.description, "description");
    num(in.amount_min_fen, "amount_min_fen");
    num(in.amount_max_fen, "amount_max_fen");
    num(in.term_min_months, "term_min_months");
    num(in.term_max_months, "term_max_months");
    text(in.rate_mode, "rate_mode");
    num(in.rate_min_bp, "rate_min_bp");
    num(in.rate_max_bp, "rate_max_bp");
    if (!in.eligibility) in.eligibility = json::serialize(stored.at("eligibility"));
    num(in.monthly_capacity, "monthly_capacity");
    text(in.valid_from, "valid_from");
    text(in.valid_to, "valid_to");
    if (!in.policy_links) in.policy_links = json::serialize(stored.at("policy_links"));
}

Error NotFound() { return Error::NotFound("产品不存在"); }

}  // namespace

std::vector<FieldError> ValidateEligibility(const json::value& v) {
    std::vector<FieldError> errors;
    if (!v.is_object()) return {{"eligibility", "wrong_type", "准入条件应为 JSON 对象"}};
    static const std::set<std::string> arrays = {"classes446", "industry_prefixes", "districts", "sizes", "tags",
                                                 "directories", "stages", "guarantee_kinds"};
    static const std::set<std::string> collateral = {"none", "collateral", "guarantee", "collateral_or_guarantee"};
    static const std::set<std::string> grades = {"AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C"};
    for (const auto& [key, value] : v.as_object()) {
        const std::string field = "eligibility." + std::string(key);
        if (arrays.contains(std::string(key))) {
            if (!value.is_array()) errors.push_back({field, "wrong_type", "应为字符串数组"});
            else for (const auto& item : value.as_array())
                if (!item.is_string()) errors.push_back({field, "wrong_type", "应为字符串数组"});
        } else if (key == "min_credit_grade") {
            if (!value.is_string() || !grades.contains(std::string(value.as_string())))
                errors.push_back({field, "invalid", "应为 AAA、AA、A、BBB、BB、B、CCC、CC 或 C"});
        } else if (key == "min_years") {
            if (!value.is_int64() || value.as_int64() < 0 || value.as_int64() > 100)
                errors.push_back({field, "invalid", "应为 0–100 的整数"});
        } else if (key == "collateral") {
            if (!value.is_string() || !collateral.contains(std::string(value.as_string())))
                errors.push_back({field, "invalid", "应为 none、collateral、guarantee 或 collateral_or_guarantee"});
        } else if (key == "ticket_min_fen" || key == "ticket_max_fen") {
            if (!value.is_int64() || value.as_int64() < 0) errors.push_back({field, "invalid", "应为非负整数（分）"});
        } else if (key == "collateral_required" || key == "guarantee_required") {
            if (!value.is_bool()) errors.push_back({field, "wrong_type", "应为布尔值"});
        } else {
            errors.push_back({field, "unknown_field", "未知准入条件"});
        }
    }
    return errors;
}

int LprOn(soci::session& s, const std::string& date, int term_months) {
    int one = 0, five = 0;
    s << "SELECT one_year_bp, five_year_bp FROM lpr_rates WHERE effective_on <= :d ORDER BY effective_on DESC LIMIT 1",
        soci::use(date), soci::into(one), soci::into(five);
    return term_months > 60 ? five : one;
}

Result<json::object> ProductService::List(const auth::Principal& viewer, const ProductFilter& f) {
    const std::string today = TodayIso(clock_);
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        auto where = [&](storage::Query& q) {
            q.Sql(" WHERE " + Scope(viewer));
            if (f.q) q.Sql(" AND (p.name LIKE ").Bind(storage::LikePattern(*f.q)).Sql(" ESCAPE '\\' OR i.name_normalized LIKE ")
                         .Bind(storage::LikePattern(NormalizeForSearch(*f.q))).Sql(" ESCAPE '\\')");
            if (f.kind) q.Sql(" AND p.kind = ").Bind(*f.kind);
            if (f.institution_id) q.Sql(" AND p.institution_id = ").Bind(*f.institution_id);
            if (f.status) q.Sql(" AND p.status = ").Bind(*f.status);
        };
        storage::Query count("SELECT COUNT(*) FROM products p JOIN institutions i ON i.id = p.institution_id");
        where(count);
        const long long total = storage::CountOf(s, count);
        storage::Query q(kSelect);
        where(q);
        q.Sql(" ORDER BY p.id DESC LIMIT ").Bind(f.limit).Sql(" OFFSET ").Bind(f.offset);
        const int one = LprOn(s, today, 12), five = LprOn(s, today, 120);
        ProductRow row;
        json::array items;
        storage::ForEachRow(s, q, row, [&] { items.push_back(row.ToJson(one, five)); });
        return PageJson(std::move(items), total, f.offset, f.limit);
    });
}

Result<json::object> ProductService::Get(const auth::Principal& viewer, long long id) {
    const std::string today = TodayIso(clock_);
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        auto product = Load(s, id, Scope(viewer), today);
        if (!product) return Fail(NotFound());
        return *product;
    });
}

Result<audit::Outcome> ProductService::Create(const auth::Principal& viewer, const audit::Actor& actor,
                                              const ProductInput& input, const audit::Command& command) {
    if (!viewer.institution_id) return Fail(Error::PermissionDenied("只有金融机构用户可以发布产品"));
    const TimestampMs now = clock_.NowMs();
    const std::string today = FormatIsoUtc(now).substr(0, 10);
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        ProductInput p = input;
        if (!p.eligibility) p.eligibility = "{}";
        if (!p.policy_links) p.policy_links = "[]";
        if (auto errors = ValidateProduct(p, s); !errors.empty()) return Fail(Error::InvalidArgument("产品信息有误", errors));
        long long id = 0;
        const long long institution = *viewer.institution_id, capacity = p.monthly_capacity.value_or(0);
        const std::string description = p.description.value_or(""), from = p.valid_from.value_or(""),
                          to = p.valid_to.value_or("");
        s << "INSERT INTO products (institution_id, name, kind, description, amount_min_fen, amount_max_fen, "
             "term_min_months, term_max_months, rate_mode, rate_min_bp, rate_max_bp, eligibility, monthly_capacity, "
             "valid_from, valid_to, policy_links, created_at, updated_at) VALUES (:i, :n, :k, :d, :a1, :a2, :t1, :t2, "
             ":m, :r1, :r2, :e, :c, :f, :u, :l, :at1, :at2) RETURNING id",
            soci::use(institution), soci::use(*p.name), soci::use(*p.kind), soci::use(description),
            soci::use(*p.amount_min_fen), soci::use(*p.amount_max_fen), soci::use(*p.term_min_months),
            soci::use(*p.term_max_months), soci::use(*p.rate_mode), soci::use(*p.rate_min_bp), soci::use(*p.rate_max_bp),
            soci::use(*p.eligibility), soci::use(capacity), soci::use(from), soci::use(to), soci::use(*p.policy_links),
            soci::use(now), soci::use(now), soci::into(id);
        const std::string after = json::serialize(*Load(s, id, "1=1", today));
        return audit::Outcome{.entity_id = std::to_string(id), .after = after, .response = after, .status = 201};
    });
}

Result<audit::Outcome> ProductService::Update(const auth::Principal& viewer, const audit::Actor& actor, long long id,
                                              const ProductInput& input, long long version,
                                              const audit::Command& command) {
    const TimestampMs now = clock_.NowMs();
    const std::string today = FormatIsoUtc(now).substr(0, 10);
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto before = Load(s, id, "p.institution_id = " + std::to_string(viewer.institution_id.value_or(-1)), today);
        if (!before) return Fail(NotFound());
        if ((*before)["version"].as_int64() != version) return Fail(Error::Conflict("该产品已被他人修改，请刷新后重试"));
        if ((*before)["status"] == "withdrawn") return Fail(Error::Conflict("产品已下架，不能修改"));
        ProductInput p = input;
        MergeStored(p, *before);
        if (auto errors = ValidateProduct(p, s); !errors.empty()) return Fail(Error::InvalidArgument("产品信息有误", errors));
        s << "UPDATE products SET name = :n, kind = :k, description = :d, amount_min_fen = :a1, amount_max_fen = :a2, "
             "term_min_months = :t1, term_max_months = :t2, rate_mode = :m, rate_min_bp = :r1, rate_max_bp = :r2, "
             "eligibility = :e, monthly_capacity = :c, valid_from = :f, valid_to = :u, policy_links = :l, "
             "updated_at = :at, version = version + 1 WHERE id = :id",
            soci::use(*p.name), soci::use(*p.kind), soci::use(*p.description), soci::use(*p.amount_min_fen),
            soci::use(*p.amount_max_fen), soci::use(*p.term_min_months), soci::use(*p.term_max_months),
            soci::use(*p.rate_mode), soci::use(*p.rate_min_bp), soci::use(*p.rate_max_bp), soci::use(*p.eligibility),
            soci::use(*p.monthly_capacity), soci::use(*p.valid_from), soci::use(*p.valid_to), soci::use(*p.policy_links),
            soci::use(now), soci::use(id);
        const std::string after = json::serialize(*Load(s, id, "1=1", today));
        return audit::Outcome{.entity_id = std::to_string(id), .before = json::serialize(*before), .after = after,
                              .response = after};
    });
}

Result<audit::Outcome> ProductService::ChangeStatus(const auth::Principal& viewer, const audit::Actor& actor,
                                                    long long id, const std::string& action,
                                                    const audit::Command& command) {
    const TimestampMs now = clock_.NowMs();
    const std::string today = FormatIsoUtc(now).substr(0, 10);
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        const bool reviewer = action == "approve";
        const std::string scope = reviewer ? "1=1" : "p.institution_id = " + std::to_string(viewer.institution_id.value_or(-1));
        auto before = Load(s, id, scope, today);
        if (!before) return Fail(NotFound());
        const std::string from(before->at("status").as_string());
        std::string to;
        if (action == "publish" && (from == "draft" || from == "rejected"))
            to = config_.require_product_review ? "pending_review" : "published";
        else if (action == "approve" && from == "pending_review") to = "published";
        else if (action == "suspend" && from == "published") to = "suspended";
        else if (action == "resume" && from == "suspended") to = "published";
        else if (action == "withdraw" && from != "withdrawn") to = "withdrawn";
        if (to.empty()) return Fail(Error::Conflict("产品当前状态为 " + from + "，不能执行 " + action));
        s << "UPDATE products SET status = :s, updated_at = :t, version = version + 1 WHERE id = :id", soci::use(to),
            soci::use(now), soci::use(id);
        const std::string after = json::serialize(*Load(s, id, "1=1", today));
        return audit::Outcome{.entity_id = std::to_string(id), .before = json::serialize(*before), .after = after,
                              .response = after};
    });
}

}  // namespace chanrong::finance

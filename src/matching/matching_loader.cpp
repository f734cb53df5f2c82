#include "matching/matching_loader.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <limits>
#include <map>

#include "matching/rules.hpp"

namespace chanrong::matching {
namespace json = boost::json;
namespace {

constexpr int kUnlimitedCapacity = 1'000'000;

std::string N(long long v) { return std::to_string(v); }

void LoadInstitutions(soci::session& s, MatchIndex& index, const std::string& where) {
    long long id = 0;
    double accept = 0, decide = 0;
    soci::indicator ai = soci::i_ok, di = soci::i_ok;
    soci::statement st = (s.prepare << "SELECT i.id, (SELECT AVG((a.accepted_at - a.submitted_at) / 3600000.0) FROM "
                                       "applications a WHERE a.institution_id = i.id AND a.accepted_at IS NOT NULL), "
                                       "(SELECT AVG((a.decided_at - a.docs_complete_at) / 86400000.0) FROM applications a "
                                       "WHERE a.institution_id = i.id AND a.decided_at IS NOT NULL AND a.docs_complete_at "
                                       "IS NOT NULL) FROM institutions i" + where,
                          soci::into(id), soci::into(accept, ai), soci::into(decide, di));
    st.execute();
    while (st.fetch()) index.UpsertInstitution({id, ai == soci::i_ok ? accept : -1, di == soci::i_ok ? decide : -1});
}

struct ProductRow {
    long long id = 0, institution = 0, amount_min = 0, amount_max = 0, used = 0;
    int term_min = 0, term_max = 0, rate_min = 0, rate_max = 0, capacity = 0;
    std::string kind, mode, eligibility, from, to, status, policy;
};

std::vector<std::string> PolicyPrograms(const ProductRow& r) {
    if (r.kind == "supply_chain") return {"supply_chain_fund_2pct"};
    if (r.kind == "fund_guarantee") return {"credit_enhancement_fund"};
    if (r.policy != "[]" && !r.policy.empty()) return {"interest_subsidy"};
    return {};
}

// The product as the engine sees it, or nullopt when it is not live today (or its rules do not parse).
std::optional<Product> ToProduct(const ProductRow& r, int lpr_bp, const std::string& today) {
    const bool live = r.status == "published" && (r.from.empty() || r.from <= today) && (r.to.empty() || r.to >= today);
    auto kind = ParseProductKind(r.kind);
    if (!live || !kind) return std::nullopt;
    ProductRules base;
    base.amount_min_fen = r.amount_min;
    base.amount_max_fen = r.amount_max;
    base.term_min_months = r.term_min;
    base.term_max_months = r.term_max;
    base.rate_min_bp = r.rate_min + (r.mode == "lpr_spread" ? lpr_bp : 0);
    boost::system::error_code ec;
    const json::value eligibility = json::parse(r.eligibility, ec);
    auto rules = ParseProductRules(!ec && eligibility.is_object() ? eligibility.get_object() : json::object{}, base);
    if (!rules) {
        spdlog::warn("product {} left out of matching: {}", r.id, rules.error().message);
        return std::nullopt;
    }
    Product p;
    p.id = r.id;
    p.institution_id = r.institution;
    p.kind = *kind;
    p.rate_max_bp = r.rate_max + (r.mode == "lpr_spread" ? lpr_bp : 0);
    p.monthly_capacity = r.capacity == 0 ? kUnlimitedCapacity : static_cast<int>(std::max<long long>(0, r.capacity - r.used));
    p.policy_programs = PolicyPrograms(r);
    p.rules = std::move(*rules);
    return p;
}

void LoadProducts(soci::session& s, MatchIndex& index, const std::string& where, const std::string& today) {
    int lpr = 0;
    s << "SELECT one_year_bp FROM lpr_rates WHERE effective_on <= :d ORDER BY effective_on DESC LIMIT 1", soci::use(today),
        soci::into(lpr);
    long long month_start = 0;
    {
        std::tm tm{};
        std::sscanf(today.c_str(), "%d-%d", &tm.tm_year, &tm.tm_mon);
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        tm.tm_mday = 1;
        month_start = static_cast<long long>(timegm(&tm)) * 1000;
    }
    ProductRow r;
    soci::statement st = (s.prepare << "SELECT p.id, p.institution_id, p.kind, p.amount_min_fen, p.amount_max_fen, "
                                       "p.term_min_months, p.term_max_months, p.rate_mode, p.rate_min_bp, p.rate_max_bp, "
                                       "p.eligibility, p.monthly_capacity, p.valid_from, p.valid_to, p.status, "
                                       "p.policy_links, (SELECT COUNT(*) FROM applications a WHERE a.product_id = p.id AND "
                                       "a.submitted_at >= :m) FROM products p" + where,
                          soci::use(month_start), soci::into(r.id), soci::into(r.institution), soci::into(r.kind),
                          soci::into(r.amount_min), soci::into(r.amount_max), soci::into(r.term_min), soci::into(r.term_max),
                          soci::into(r.mode), soci::into(r.rate_min), soci::into(r.rate_max), soci::into(r.eligibility),
                          soci::into(r.capacity), soci::into(r.from), soci::into(r.to), soci::into(r.status),
                          soci::into(r.policy), soci::into(r.used));
    st.execute();
    while (st.fetch()) {
        if (auto product = ToProduct(r, lpr, today)) index.UpsertProduct(*product);
        else index.RemoveProduct(r.id);
    }
}

// Stage for equity matching, derived: in the listing reserve → pre-IPO; otherwise by years in business.
Stage StageOf(const Enterprise& e) {
    if (std::find(e.directories.begin(), e.directories.end(), "listing_reserve") != e.directories.end()) return Stage::kPreIpo;
    if (e.years_in_business < 1) return Stage::kSeed;
    if (e.years_in_business < 3) return Stage::kEarly;
    return e.years_in_business < 8 ? Stage::kGrowth : Stage::kMature;
}

// Whole years between an ISO founding date and today.
int YearsSince(const std::string& founded, const std::string& today) {
    int y1 = 0, m1 = 0, d1 = 0, y2 = 0, m2 = 0, d2 = 0;
    if (std::sscanf(founded.c_str(), "%d-%d-%d", &y1, &m1, &d1) != 3 || std::sscanf(today.c_str(), "%d-%d-%d", &y2, &m2, &d2) != 3)
        return 0;
    return std::max(0, y2 - y1 - ((m2 < m1 || (m2 == m1 && d2 < d1)) ? 1 : 0));
}

void LoadEnterprises(soci::session& s, MatchIndex& index, const std::string& ids, const std::string& today) {
    std::map<long long, Enterprise> found;
    Enterprise e;
    std::string c446, code, district, size, founded, grade;
    soci::indicator ci, ii, di, gi;
    soci::statement st = (s.prepare << "SELECT e.id, e.industry_446, e.industry_code, e.district, e.size_class, e.founded_on, "
                                       "(SELECT c.grade FROM credit_scores c WHERE c.enterprise_id = e.id AND c.is_current = 1) "
                                       "FROM enterprises e WHERE e.id IN (" + ids + ")",
                          soci::into(e.id), soci::into(c446, ci), soci::into(code, ii), soci::into(district, di),
                          soci::into(size), soci::into(founded), soci::into(grade, gi));
    st.execute();
    while (st.fetch()) {
        Enterprise& out = found[e.id];
        out.id = e.id;
        out.class446 = ci == soci::i_ok ? c446 : "";
        out.industry_code = ii == soci::i_ok ? code : "";
        out.district = di == soci::i_ok ? district : "";
        out.size = ParseSizeClass(size).value_or(SizeClass::kUnknown);
        out.grade = gi == soci::i_ok ? ParseCreditGrade(grade).value_or(CreditGrade::kUnknown) : CreditGrade::kUnknown;
        out.years_in_business = YearsSince(founded, today);
    }
    long long id = 0;
    std::string label;
    soci::statement tags = (s.prepare << "SELECT enterprise_id, tag FROM enterprise_tags WHERE revoked_at IS NULL AND "
                                         "valid_from <= :t1 AND (valid_to = '' OR valid_to > :t2) AND enterprise_id IN (" + ids + ")",
                            soci::use(today), soci::use(today), soci::into(id), soci::into(label));
    tags.execute();
    while (tags.fetch())
        if (auto it = found.find(id); it != found.end()) it->second.tags.push_back(label);
    soci::statement dirs = (s.prepare << "SELECT e.enterprise_id, d.code FROM directory_entries e JOIN directories d ON d.id = "
                                         "e.directory_id WHERE e.effective_from <= :t1 AND (e.effective_to IS NULL OR "
                                         "e.effective_to > :t2) AND e.enterprise_id IN (" + ids + ")",
                            soci::use(today), soci::use(today), soci::into(id), soci::into(label));
    dirs.execute();
    while (dirs.fetch())
        if (auto it = found.find(id); it != found.end()) it->second.directories.push_back(label);
    for (auto& [_, enterprise] : found) {
        enterprise.stage = StageOf(enterprise);
        index.UpsertEnterprise(enterprise);
    }
}

void LoadDemands(soci::session& s, MatchIndex& index, const std::string& where) {
    Demand d;
    std::string purpose, status;
    int max_rate = 0;
    soci::indicator ri;
    soci::statement st = (s.prepare << "SELECT id, enterprise_id, amount_fen, term_months, purpose, collateral, guarantee, "
                                       "max_rate_bp, status FROM demands" + where,
                          soci::into(d.id), soci::into(d.enterprise_id), soci::into(d.amount_fen), soci::into(d.term_months),
                          soci::into(purpose), soci::into(d.collateral), soci::into(d.guarantee), soci::into(max_rate, ri),
                          soci::into(status));
    st.execute();
    while (st.fetch()) {
        if (status != "open") {
            index.RemoveDemand(d.id);
            continue;
        }
        d.purpose = PurposeOf(purpose);
        d.instrument = purpose == "equity" ? Instrument::kEquity : Instrument::kDebt;
        d.max_rate_bp = ri == soci::i_ok ? std::optional(max_rate) : std::nullopt;
        index.UpsertDemand(d);
    }
}

long long Max(soci::session& s, const std::string& sql) {
    long long v = 0;
    soci::indicator ind;
    s << sql, soci::into(v, ind);
    return ind == soci::i_ok ? v : 0;
}

}  // namespace

Purpose PurposeOf(const std::string& purpose) {
    if (purpose == "project") return Purpose::kExpansion;
    if (purpose == "trade") return Purpose::kSupplyChain;
    if (purpose == "green_upgrade") return Purpose::kGreen;
    return ParsePurpose(purpose).value_or(Purpose::kOther);
}

std::span<const std::string_view> IndexMarkQueries() {
    // Each one an index lookup: they run before every query (MAX of an expression over the tags, say, would scan
    // them all — 140 ms at 2 million tags — so a tag's change is the larger of two maxima).
    static constexpr std::string_view kQueries[] = {
        "SELECT MAX(updated_at) FROM products",          "SELECT MAX(updated_at) FROM demands",
        "SELECT MAX(updated_at) FROM enterprises",       "SELECT MAX(id) FROM credit_scores",
        "SELECT MAX(updated_at) FROM directory_entries", "SELECT MAX(created_at) FROM enterprise_tags",
        "SELECT MAX(revoked_at) FROM enterprise_tags",   "SELECT MAX(updated_at) FROM applications"};
    return kQueries;
}

IndexMarks ReadIndexMarks(soci::session& s) {
    long long v[8];
    const auto queries = IndexMarkQueries();
    for (size_t i = 0; i < queries.size(); ++i) v[i] = Max(s, std::string(queries[i]));
    return {v[0], v[1], v[2], v[3], v[4], std::max(v[5], v[6]), v[7]};
}

IndexMarks NoFloor() {
    constexpr long long kTop = std::numeric_limits<long long>::max();
    return {kTop, kTop, kTop, kTop, kTop, kTop, kTop};
}

void LowerFloor(std::string_view notice, IndexMarks& floor) {
    const size_t space = notice.find(' ');
    if (space == std::string_view::npos) return;
    long long mark = 0;
    const std::string_view digits = notice.substr(space + 1);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), mark);
    if (error != std::errc{} || end != digits.data() + digits.size()) return;
    const std::string_view table = notice.substr(0, space);
    long long* field = table == "products"            ? &floor.products
                       : table == "demands"           ? &floor.demands
                       : table == "enterprises"       ? &floor.enterprises
                       : table == "credit_scores"     ? &floor.scores
                       : table == "directory_entries" ? &floor.entries
                       : table == "enterprise_tags"   ? &floor.tags
                       : table == "applications"      ? &floor.applications
                                                      : nullptr;
    if (field) *field = std::min(*field, mark - 1);  // catching up reads marks above (or at) the floor
}

IndexMarks Lowest(const IndexMarks& a, const IndexMarks& b) {
    return {std::min(a.products, b.products), std::min(a.demands, b.demands),
            std::min(a.enterprises, b.enterprises), std::min(a.scores, b.scores),
            std::min(a.entries, b.entries),       std::min(a.tags, b.tags),
            std::min(a.applications, b.applications)};
}

void LoadIndex(soci::session& s, MatchIndex& index, const std::string& today) {
    LoadInstitutions(s, index, "");
    LoadProducts(s, index, "", today);
    LoadEnterprises(s, index, "SELECT id FROM enterprises", today);
    LoadDemands(s, index, " WHERE status = 'open'");
}

void CatchUpIndex(soci::session& s, MatchIndex& index, const IndexMarks& from, const IndexMarks& to,
                  const std::string& today) {
    if (to.applications != from.applications) {
        const std::string changed = "SELECT institution_id FROM applications WHERE updated_at >= " + N(from.applications);
        LoadInstitutions(s, index, " WHERE i.id IN (" + changed + ")");
        LoadProducts(s, index, " WHERE p.id IN (SELECT product_id FROM applications WHERE updated_at > " +
                                   N(from.applications) + ")", today);
    }
    if (to.products != from.products) LoadProducts(s, index, " WHERE p.updated_at >= " + N(from.products), today);
    if (to.enterprises != from.enterprises || to.scores != from.scores || to.entries != from.entries || to.tags != from.tags)
        LoadEnterprises(s, index,
                        "SELECT id FROM enterprises WHERE updated_at >= " + N(from.enterprises) +
                            " UNION SELECT enterprise_id FROM credit_scores WHERE id > " + N(from.scores) +
                            " UNION SELECT enterprise_id FROM directory_entries WHERE updated_at >= " + N(from.entries) +
                            " AND enterprise_id IS NOT NULL UNION SELECT enterprise_id FROM enterprise_tags WHERE "
                            "created_at >= " + N(from.tags) + " OR revoked_at >= " + N(from.tags),
                        today);
    if (to.demands != from.demands) LoadDemands(s, index, " WHERE updated_at >= " + N(from.demands));
}

}  // namespace chanrong::matching

#pragma once
// The matching engine's eligibility filter and ranking written as ONE SQL query, on SQLite (raw C API) and on
// PostgreSQL (libpq), for the side-by-side timing in matching_bench. Same rules, same score formula as
// ScoringModel (v1 defaults ref_rate_bp 450, rate_span_bp 300), institution logits from a weights table.

#include <libpq-fe.h>
#include <sqlite3.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "matching/model.hpp"
#include "matching/synthetic.hpp"

namespace chanrong::matching::bench {

enum class Dialect { kSqlite, kPostgres };

inline std::string List(const std::vector<std::string>& v) {
    if (v.empty()) return "";
    std::string s = ",";
    for (const auto& x : v) s += x + ",";
    return s;
}

template <class E>
inline std::string EnumList(const std::vector<E>& v) {
    std::vector<std::string> names;
    for (auto e : v) names.emplace_back(ToString(e));
    return List(names);
}

inline std::string Quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

/// DDL + rows for products, institution weights and purpose affinity, as SQL statements in batches.
inline std::vector<std::string> LoadStatements(const SyntheticWorld& w, const ScoringModel& m, Dialect dialect) {
    const char* real = dialect == Dialect::kSqlite ? "REAL" : "DOUBLE PRECISION";
    std::vector<std::string> out = {
        std::string("CREATE TABLE products (id BIGINT PRIMARY KEY, institution_id BIGINT, kind TEXT, is_equity INTEGER, "
                    "amount_min BIGINT, amount_max BIGINT, term_min INTEGER, term_max INTEGER, rate_min INTEGER, min_years INTEGER, "
                    "min_grade INTEGER, collateral TEXT, guarantee_kinds TEXT, classes TEXT, sizes TEXT, districts TEXT, prefixes TEXT, "
                    "tags TEXT, dirs TEXT, stages TEXT, service ") + real + ", policy " + real + ")",
        std::string("CREATE TABLE inst_weights (col BIGINT, feature INTEGER, w ") + real + ", PRIMARY KEY (feature, col))",
        std::string("CREATE TABLE affinity (purpose TEXT, kind TEXT, a ") + real + ", PRIMARY KEY (purpose, kind))"};
    std::string batch;
    auto flush = [&](const char* table) {
        if (!batch.empty()) out.push_back(std::string("INSERT INTO ") + table + " VALUES " + batch);
        batch.clear();
    };
    auto add = [&](const char* table, const std::string& row) {
        batch += (batch.empty() ? "" : ",") + row;
        if (batch.size() > 200'000) flush(table);
    };
    for (const auto& p : w.products) {
        const auto& r = p.rules;
        const auto& inst = w.institutions[p.institution_id - 1];
        char buf[512];
        std::snprintf(buf, sizeof buf, "(%lld,%lld,'%s',%d,%lld,%lld,%d,%d,%d,%d,%s,'%s',", p.id, p.institution_id,
                      std::string(ToString(p.kind)).c_str(), p.kind == ProductKind::kEquity, r.amount_min_fen, r.amount_max_fen,
                      r.term_min_months, r.term_max_months, r.rate_min_bp, r.min_years,
                      r.min_credit_grade ? std::to_string(static_cast<int>(*r.min_credit_grade)).c_str() : "NULL",
                      std::string(ToString(r.collateral)).c_str());
        std::string row = buf;
        for (const auto& s : {List(r.guarantee_kinds), List(r.classes446), EnumList(r.sizes), List(r.districts),
                              List(r.industry_prefixes), List(r.tags), List(r.directories), EnumList(r.stages)})
            row += Quote(s) + ",";
        row += std::to_string(m.ServiceScore(inst)) + "," + std::to_string(m.PolicyScore(p)) + ")";
        add("products", row);
    }
    flush("products");
    auto weights = [&](long long col, const double* row) {
        for (int f = 0; f < m.feature_count(); ++f)
            if (row[f] != 0) add("inst_weights", "(" + std::to_string(col) + "," + std::to_string(f) + "," + std::to_string(row[f]) + ")");
    };
    weights(0, m.Row(m.global_column()));
    for (size_t c = 0; c < m.trained_institutions().size(); ++c) weights(m.trained_institutions()[c], m.Row(static_cast<int>(c)));
    flush("inst_weights");
    for (int p = 0; p < kPurposeCount; ++p)
        for (int k = 0; k < kProductKindCount; ++k)
            add("affinity", "('" + std::string(ToString(static_cast<Purpose>(p))) + "','" +
                                std::string(ToString(static_cast<ProductKind>(k))) + "'," +
                                std::to_string(m.PurposeFit(static_cast<Purpose>(p), static_cast<ProductKind>(k))) + ")");
    flush("affinity");
    return out;
}

/// The one query: eligibility of every rule, score = Σ w_k f_k with the institution's learned logit, top 10.
inline std::string TopTenQuery(const ScoringModel& m, const Enterprise& e, const Demand& d, Dialect dialect) {
    const bool pg = dialect == Dialect::kPostgres;
    auto has = [&](const std::string& column, const std::string& value) {
        return pg ? "strpos(" + column + ", " + Quote("," + value + ",") + ") > 0" : "instr(" + column + ", " + Quote("," + value + ",") + ") > 0";
    };
    auto any = [&](const std::string& column, const std::vector<std::string>& values) {
        std::string s = "(" + column + " = ''";
        for (const auto& v : values) s += " OR " + has(column, v);
        return s + ")";
    };
    std::vector<std::string> prefixes;
    for (size_t n = 1; n <= e.industry_code.size(); ++n) prefixes.push_back(e.industry_code.substr(0, n));
    const FeatureList f = m.Features(e, d);
    std::string features;
    for (int i = 0; i < f.size; ++i) features += (i ? "," : "") + std::to_string(f.index[i]);
    const std::string G = pg ? "GREATEST" : "max", L = pg ? "LEAST" : "min";
    const std::string a = std::to_string(d.amount_fen), t = std::to_string(d.term_months);
    const double lna = ScoringModel::LnFen(d.amount_fen);
    const std::string ref = std::to_string(d.max_rate_bp ? *d.max_rate_bp : 450);
    const int grade = static_cast<int>(e.grade);
    const bool has_c = !d.collateral.empty(), has_g = !d.guarantee.empty();
    const std::string gk = has_g ? "(guarantee_kinds = '' OR " + has("guarantee_kinds", d.guarantee) + ")" : "FALSE";
    const std::string instrument = d.instrument == Instrument::kAny ? "TRUE" : d.instrument == Instrument::kEquity ? "is_equity = 1" : "is_equity = 0";
    char score[2048];
    std::snprintf(score, sizeof score,
        "%.17g / (1 + exp(-COALESCE(l.z, g.z))) "
        "+ %.17g * CASE WHEN amount_max <= amount_min THEN 1 ELSE %s(0, %s(1, 1 - abs(%.17g - (ln(%s(amount_min,1)) + ln(%s(amount_max,1))) / 2) / ((ln(%s(amount_max,1)) - ln(%s(amount_min,1))) / 2))) END "
        "+ %.17g * CASE WHEN is_equity = 1 OR term_max <= term_min THEN 1 ELSE %s(0, %s(1, 1 - abs(%s - (term_min + term_max) / 2.0) / ((term_max - term_min) / 2.0))) END "
        "+ %.17g * CASE WHEN is_equity = 1 THEN 0.5 ELSE %s(0, %s(1, 0.5 + (%s - rate_min) / 300.0)) END "
        "+ %.17g * af.a + %.17g * %.17g + %.17g * service + %.17g * policy",
        m.weight(Factor::kApproval), m.weight(Factor::kAmount), G.c_str(), L.c_str(), lna, G.c_str(), G.c_str(), G.c_str(), G.c_str(),
        m.weight(Factor::kTerm), G.c_str(), L.c_str(), t.c_str(), m.weight(Factor::kRate), G.c_str(), L.c_str(), ref.c_str(),
        m.weight(Factor::kPurpose), m.weight(Factor::kProfile), m.ProfileScore(e), m.weight(Factor::kService), m.weight(Factor::kPolicy));
    std::string sql = "WITH lg AS (SELECT col, SUM(w) AS z FROM inst_weights WHERE feature IN (" + features + ") GROUP BY col) "
        "SELECT p.id, " + std::string(score) + " AS score FROM products p "
        "LEFT JOIN lg l ON l.col = p.institution_id CROSS JOIN (SELECT z FROM lg WHERE col = 0) g "
        "JOIN affinity af ON af.purpose = '" + std::string(ToString(d.purpose)) + "' AND af.kind = p.kind "
        "WHERE " + instrument + " AND " + a + " BETWEEN amount_min AND amount_max "
        "AND (is_equity = 1 OR " + t + " BETWEEN term_min AND term_max) "
        "AND (is_equity = 1 OR " + (d.max_rate_bp ? "rate_min <= " + std::to_string(*d.max_rate_bp) : std::string("TRUE")) + ") "
        "AND min_years <= " + std::to_string(e.years_in_business) + " "
        "AND (min_grade IS NULL OR (" + std::to_string(grade) + " < 9 AND " + std::to_string(grade) + " <= min_grade)) "
        "AND " + any("classes", {e.class446}) + " AND " + any("sizes", {std::string(ToString(e.size))}) +
        " AND " + any("districts", {e.district}) + " AND " + any("prefixes", prefixes) + " AND " + any("tags", e.tags) +
        " AND " + any("dirs", e.directories) + " AND " + any("stages", {std::string(ToString(e.stage))}) +
        " AND (collateral = 'none' OR (collateral = 'collateral' AND " + (has_c ? "TRUE" : "FALSE") + ") OR (collateral = 'guarantee' AND " + gk +
        ") OR (collateral = 'collateral_or_guarantee' AND (" + (has_c ? "TRUE" : "FALSE") + " OR " + gk + ")) OR (collateral = 'collateral_and_guarantee' AND " +
        (has_c ? "TRUE" : "FALSE") + " AND " + gk + ")) ORDER BY score DESC, p.id LIMIT 10";
    return sql;
}

class SqliteBench {
public:
    explicit SqliteBench(const std::string& path) {
        std::remove(path.c_str());
        if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("sqlite open");
    }
    ~SqliteBench() { sqlite3_close(db_); }
    void Exec(const std::string& sql) {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
            std::string msg = err ? err : "?";
            sqlite3_free(err);
            throw std::runtime_error("sqlite: " + msg);
        }
    }
    std::vector<long long> Query(const std::string& sql) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db_));
        std::vector<long long> ids;
        while (sqlite3_step(st) == SQLITE_ROW) ids.push_back(sqlite3_column_int64(st, 0));
        sqlite3_finalize(st);
        return ids;
    }

private:
    sqlite3* db_ = nullptr;
};

class PgBench {
public:
    explicit PgBench(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
        if (PQstatus(conn_) != CONNECTION_OK) throw std::runtime_error(std::string("pg: ") + PQerrorMessage(conn_));
    }
    ~PgBench() { PQfinish(conn_); }
    void Exec(const std::string& sql) { Run(sql); }
    std::vector<long long> Query(const std::string& sql) {
        PGresult* r = Run(sql, true);
        std::vector<long long> ids;
        for (int i = 0; i < PQntuples(r); ++i) ids.push_back(std::stoll(PQgetvalue(r, i, 0)));
        PQclear(r);
        return ids;
    }

private:
    PGresult* Run(const std::string& sql, bool keep = false) {
        PGresult* r = PQexec(conn_, sql.c_str());
        const auto status = PQresultStatus(r);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            std::string msg = PQerrorMessage(conn_);
            PQclear(r);
            throw std::runtime_error("pg: " + msg);
        }
        if (!keep) PQclear(r);
        return keep ? r : nullptr;
    }
    PGconn* conn_;
};

}  // namespace chanrong::matching::bench

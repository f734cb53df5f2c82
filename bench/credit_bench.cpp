// Scoring throughput: the shipped scorecard over N synthetic enterprises with full reason codes, in-process on
// one core, side by side with the same points computed by one SQL query (a CASE per characteristic, generated
// from the same model) on SQLite and, with --pg, on PostgreSQL, in the same run. The totals must agree.
//
//   build/credit_bench [--n 1000000] [--pg postgresql://…]
//
// Target (credit issue): ≥ 200,000 enterprises per second on one core.

#include <soci/soci.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include "common/config.hpp"
#include "common/embedded_data.hpp"
#include "credit/scorecard.hpp"
#include "storage/database.hpp"

namespace {
using namespace chanrong;
using namespace chanrong::credit;

double Seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// One synthetic enterprise per row: a value (or missing, 5%) for every characteristic, drawn so that every bin
// is visited, and a red flag for 1%.
std::vector<BoundInputs> Generate(const ScorecardModel& model, long long n) {
    std::mt19937_64 rng(20261121);
    std::uniform_real_distribution<double> unit(0, 1);
    std::vector<BoundInputs> rows(n);
    for (auto& row : rows) {
        for (const Characteristic& c : model.characteristics) {
            if (unit(rng) < 0.05) {
                row.values.emplace_back();
                continue;
            }
            std::vector<const Bin*> bins;
            for (const Bin& b : c.bins)
                if (!b.missing) bins.push_back(&b);
            const Bin& b = *bins[rng() % bins.size()];
            if (c.categorical) row.values.push_back(InputValue::Category(b.values[0]));
            else row.values.push_back(InputValue::Number(b.min.value_or(b.max.value_or(0) - 1) + (b.min && b.max ? unit(rng) * (*b.max - *b.min) : unit(rng) * 5)));
        }
        if (unit(rng) < 0.01) row.red_flags.push_back(0);
    }
    return rows;
}

// The model's points as one SQL expression over columns named after the characteristics.
std::string PointsSql(const ScorecardModel& model) {
    std::string sql = std::to_string(model.intercept_points);
    for (const Characteristic& c : model.characteristics) {
        std::string missing = "0", cases;
        for (const Bin& b : c.bins) {
            if (b.missing) {
                missing = std::to_string(b.points);
                continue;
            }
            std::string cond;
            if (c.categorical) {
                for (const auto& v : b.values) cond += (cond.empty() ? "" : " OR ") + c.code + " = '" + v + "'";
            } else {
                if (b.min) cond += c.code + " >= " + std::to_string(*b.min);
                if (b.max) cond += std::string(cond.empty() ? "" : " AND ") + c.code + " < " + std::to_string(*b.max);
            }
            cases += " WHEN " + cond + " THEN " + std::to_string(b.points);
        }
        sql += " + (CASE WHEN " + c.code + " IS NULL THEN " + missing + cases + " ELSE " + missing + " END)";
    }
    return sql;
}

void Load(storage::Database& db, const ScorecardModel& model, const std::vector<BoundInputs>& rows) {
    (void)db.Write([&](soci::session& s) -> Status {
        std::string create = "CREATE TABLE bench_credit_inputs (id BIGINT PRIMARY KEY";
        for (const Characteristic& c : model.characteristics) create += ", " + c.code + (c.categorical ? " TEXT" : " DOUBLE PRECISION");
        s << "DROP TABLE IF EXISTS bench_credit_inputs";
        s << create + ")";
        for (size_t start = 0; start < rows.size(); start += 500) {
            std::string sql = "INSERT INTO bench_credit_inputs VALUES ";
            for (size_t i = start; i < std::min(rows.size(), start + 500); ++i) {
                sql += (i == start ? "(" : ",(") + std::to_string(i);
                for (size_t k = 0; k < model.characteristics.size(); ++k) {
                    const InputValue& v = rows[i].values[k];
                    sql += v.missing ? ",NULL" : model.characteristics[k].categorical ? ",'" + v.category + "'" : "," + std::to_string(v.number);
                }
                sql += ")";
            }
            s << sql;
        }
        return {};
    });
}

struct SqlRun {
    double seconds = 0;
    long long total = 0;
};

SqlRun RunSql(const std::string& url, const ScorecardModel& model, const std::vector<BoundInputs>& rows) {
    DatabaseConfig config;
    config.url = url;
    auto db = storage::Database::Open(config);
    if (!db) {
        std::fprintf(stderr, "cannot open %s: %s\n", url.c_str(), db.error().message.c_str());
        std::exit(2);
    }
    Load(**db, model, rows);
    SqlRun run;
    const std::string sql = "SELECT id, " + PointsSql(model) + " FROM bench_credit_inputs";
    const auto start = std::chrono::steady_clock::now();
    (void)(*db)->Read([&](soci::session& s) -> Status {
        long long id = 0, points = 0;
        soci::statement st = (s.prepare << sql, soci::into(id), soci::into(points));
        st.execute();
        while (st.fetch()) run.total += std::clamp(points, 0LL, 1000LL);
        return {};
    });
    run.seconds = Seconds(start);
    return run;
}

}  // namespace

int main(int argc, char** argv) {
    long long n = 1'000'000;
    std::string pg;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--n") n = std::stoll(argv[i + 1]);
        else if (flag == "--pg") pg = argv[i + 1];
    }
    auto model = ParseScorecardModel(EmbeddedFile("credit-scorecard-2026.1.json"));
    if (!model) return 2;
    const auto rows = Generate(*model, n);
    ScoreResult result;
    long long total = 0, reasons = 0, capped = 0;
    const auto start = std::chrono::steady_clock::now();
    for (const auto& row : rows) {
        Score(*model, row, result);
        total += result.score;
        reasons += static_cast<long long>(result.reasons.size());
        capped += !result.capped_by.empty();
    }
    const double engine = Seconds(start);
    std::printf("scorecard %s, %lld enterprises, one core\n", model->version.c_str(), n);
    std::printf("  engine:     %8.3f s  %10.0f enterprises/s  (%.1f reason codes each, %lld grades capped)\n", engine,
                n / engine, static_cast<double>(reasons) / n, capped);
    const std::string sqlite_path = "/tmp/chanrong-credit-bench.db";
    std::filesystem::remove(sqlite_path);
    const SqlRun lite = RunSql("sqlite://" + sqlite_path, *model, rows);
    std::printf("  SQLite SQL: %8.3f s  %10.0f enterprises/s  (points only)  engine is %.1fx faster; totals %s\n",
                lite.seconds, n / lite.seconds, lite.seconds / engine, lite.total == total ? "agree" : "DIFFER");
    if (!pg.empty()) {
        const SqlRun post = RunSql(pg, *model, rows);
        std::printf("  PG SQL:     %8.3f s  %10.0f enterprises/s  (points only)  engine is %.1fx faster; totals %s\n",
                    post.seconds, n / post.seconds, post.seconds / engine, post.total == total ? "agree" : "DIFFER");
    }
    return lite.total == total ? 0 : 1;
}

// Matching engine benchmark and offline evaluation (issue #5), on a seeded synthetic city.
//
//   build/matching_bench --small                       # seconds: 20k enterprises/demands, 2k products, 300 institutions
//   build/matching_bench [--enterprises 1000000] [--demands 1000000] [--products 20000] [--institutions 3000]
//                        [--seed 42] [--queries 10000] [--sql-queries 30] [--pg postgresql://…] [--no-batch]
//
// Reports: index build time and memory, evaluation (precision@5 rules-only baseline vs model before/after training,
// lift), single-demand top-10 latency with explanations (p50/p99), a bare scan of the product array, the same query in
// SQL on SQLite and PostgreSQL with the ratio, and the batch allocation of every open demand.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>

#include "matching/batch.hpp"
#include "matching/match_index.hpp"
#include "matching/rules.hpp"
#include "matching/synthetic.hpp"
#include "matching/train.hpp"
#include "matching_sql.hpp"

namespace {
using namespace chanrong::matching;
using Clock = std::chrono::steady_clock;

struct Options {
    SyntheticConfig city{.enterprises = 1'000'000, .demands = 1'000'000, .products = 20'000, .institutions = 3'000};
    int queries = 10'000;
    int sql_queries = 30;
    std::string pg;
    bool batch = true;
};

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

double RssMb() {
    long pages = 0, resident = 0;
    std::ifstream("/proc/self/statm") >> pages >> resident;
    return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1 << 20);
}

Options Parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) { std::fprintf(stderr, "%s needs a value\n", a.c_str()); std::exit(2); }
            return argv[++i];
        };
        if (a == "--small") o.city = {.enterprises = 20'000, .demands = 20'000, .products = 2'000, .institutions = 300}, o.queries = 2000;
        else if (a == "--enterprises") o.city.enterprises = std::stoi(next());
        else if (a == "--demands") o.city.demands = std::stoi(next());
        else if (a == "--products") o.city.products = std::stoi(next());
        else if (a == "--institutions") o.city.institutions = std::stoi(next());
        else if (a == "--seed") o.city.seed = std::stoull(next());
        else if (a == "--queries") o.queries = std::stoi(next());
        else if (a == "--sql-queries") o.sql_queries = std::stoi(next());
        else if (a == "--pg") o.pg = next();
        else if (a == "--no-batch") o.batch = false;
        else { std::fprintf(stderr, "unknown flag %s\n", a.c_str()); std::exit(2); }
    }
    if (o.pg.empty())
        if (const char* env = std::getenv("CHANRONG_BENCH_PG")) o.pg = env;
    return o;
}

double Percentile(std::vector<double> v, double q) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}

// Evaluation: history from the first 80% of demands, precision@5 on up to 3,000 of the rest.
void Evaluate(const SyntheticWorld& w, MatchIndex& index, const Options& o) {
    const size_t n = w.demands.size(), history_end = n * 8 / 10, eval_end = std::min(n, history_end + 3000);
    const EvaluationReport before = w.Evaluate(index, history_end, eval_end);
    auto t = Clock::now();
    const size_t want = static_cast<size_t>(o.city.institutions) * 150;
    const auto samples = w.SimulateDecisions(index, 0, history_end, want, 3, o.city.seed + 1);
    const double simulate = Seconds(t);
    t = Clock::now();
    auto trained = TrainModel(index.model(), samples);
    const double train = Seconds(t);
    if (!trained) { std::fprintf(stderr, "training failed: %s\n", trained.error().message.c_str()); std::exit(1); }
    index.SetModel(std::make_shared<ScoringModel>(trained->model));
    const EvaluationReport after = w.Evaluate(index, history_end, eval_end);
    std::printf("\n== Evaluation (hidden institution policies; %d evaluation demands with >= 5 eligible products)\n", after.demands);
    std::printf("  decisions simulated        %zu in %.1f s; training %.1f s -> model v%d (%zu institutions)\n", samples.size(),
                simulate, train, trained->model.version(), trained->model.trained_institutions().size());
    std::printf("  holdout AUC                before %.3f  global-only %.3f  after %.3f\n", trained->before.auc,
                trained->global_only.auc, trained->after.auc);
    std::printf("  holdout log-loss           before %.3f  global-only %.3f  after %.3f\n", trained->before.log_loss,
                trained->global_only.log_loss, trained->after.log_loss);
    std::printf("  approvable among eligible  %.3f\n", after.eligible_approval);
    std::printf("  precision@5 rules-only     %.3f\n", after.precision_baseline);
    std::printf("  precision@5 model v1       %.3f  (lift %.2fx)\n", before.precision_model, before.lift);
    std::printf("  precision@5 trained        %.3f  (lift %.2fx)  target >= 0.8\n", after.precision_model, after.lift);
}

std::vector<long long> SampleIds(const SyntheticWorld& w, int count, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<long long> ids;
    for (int i = 0; i < count; ++i) ids.push_back(std::uniform_int_distribution<long long>(1, static_cast<long long>(w.demands.size()))(rng));
    return ids;
}

double Latency(const MatchIndex& index, const std::vector<long long>& ids, const QueryOptions& q, const char* label) {
    std::vector<double> us;
    size_t eligible = 0;
    for (long long id : ids) {
        const auto t = Clock::now();
        auto r = index.RecommendForDemand(id, q);
        us.push_back(Seconds(t) * 1e6);
        eligible += r ? r->eligible_count : 0;
    }
    double sum = 0;
    for (double x : us) sum += x;
    std::printf("  %-38s p50 %7.1f us  p99 %7.1f us  max %7.1f us  mean %7.1f us  (mean eligible %.0f)\n", label,
                Percentile(us, 0.5), Percentile(us, 0.99), Percentile(us, 1.0), sum / us.size(), double(eligible) / ids.size());
    return sum / static_cast<double>(us.size());
}

// The same work without the index: every product of the array checked by the reference rules and scored.
double BareScan(const SyntheticWorld& w, const ScoringModel& m, const std::vector<long long>& ids) {
    const auto t = Clock::now();
    size_t sink = 0;
    std::vector<std::pair<double, long long>> ranked;
    for (long long id : ids) {
        const Demand& d = w.demands[id - 1];
        const Enterprise& e = w.enterprises[d.enterprise_id - 1];
        ranked.clear();
        for (const auto& p : w.products)
            if (FailedRuleMask(p, e, d) == 0) ranked.push_back({-Score(m, e, d, p, w.institutions[p.institution_id - 1]).score, p.id});
        const size_t n = std::min<size_t>(10, ranked.size());
        std::partial_sort(ranked.begin(), ranked.begin() + n, ranked.end());
        sink += n;
    }
    const double per = Seconds(t) * 1e6 / static_cast<double>(ids.size());
    std::printf("  %-38s %7.1f us per demand (%zu results)\n", "bare scan of the product array", per, sink);
    return per;
}

template <class Db>
void SqlSide(const char* name, Db& db, chanrong::matching::bench::Dialect dialect, const SyntheticWorld& w,
             const MatchIndex& index, const std::vector<long long>& ids, double engine_us) {
    auto t = Clock::now();
    db.Exec("BEGIN");
    for (const auto& s : chanrong::matching::bench::LoadStatements(w, index.model(), dialect)) db.Exec(s);
    db.Exec("COMMIT");
    const double load = Seconds(t);
    std::vector<double> us;
    int same_top = 0;
    for (long long id : ids) {
        const Demand& d = w.demands[id - 1];
        const Enterprise& e = w.enterprises[d.enterprise_id - 1];
        t = Clock::now();
        const auto rows = db.Query(chanrong::matching::bench::TopTenQuery(index.model(), e, d, dialect));
        us.push_back(Seconds(t) * 1e6);
        auto r = index.RecommendForDemand(id, {});
        same_top += r && (r->recommendations.empty() ? rows.empty() : (!rows.empty() && rows[0] == r->recommendations[0].product_id));
    }
    double sum = 0;
    for (double x : us) sum += x;
    const double mean = sum / static_cast<double>(us.size());
    std::printf("  %-38s p50 %9.1f us  mean %9.1f us  -> engine is %.0fx faster (load %.1f s; same top-1 %d/%zu)\n", name,
                Percentile(us, 0.5), mean, mean / engine_us, load, same_top, ids.size());
}

void Batch(const MatchIndex& index) {
    const auto ids = index.OpenDemandIds();
    const double rss = RssMb();
    const auto t = Clock::now();
    BatchOptions o;
    o.institution_share_cap = 0.02;
    const BatchResult r = AllocateBatch(index, ids, o);
    const double total = Seconds(t);
    std::printf("\n== Batch allocation of %d open demands (top-%d candidates, 2 threads, institution share cap %.0f%% = %d)\n",
                r.demands, o.candidates_per_demand, o.institution_share_cap * 100, r.institution_cap);
    std::printf("  time                       %.1f s (candidates %.1f s, allocation %.1f s, %s), RSS +%.0f MB\n", total,
                r.candidate_seconds, r.allocation_seconds, r.method.c_str(), RssMb() - rss);
    std::printf("  allocated                  %zu demands over %zu candidate edges\n", r.assignments.size(), r.candidate_edges);
    std::printf("  expected funded            %.2f 亿元 (%.1f%% of the capacity-free bound %.2f 亿元)\n",
                static_cast<double>(r.expected_funded_fen) / 1e10, 100.0 * static_cast<double>(r.expected_funded_fen) / std::max(1.0, static_cast<double>(r.upper_bound_fen)),
                static_cast<double>(r.upper_bound_fen) / 1e10);
    std::printf("  capacity respected %s, share cap respected %s\n", r.capacity_respected ? "yes" : "NO", r.share_cap_respected ? "yes" : "NO");
    // Quality of the scalable method against the exact optimum on a slice small enough for min-cost flow.
    const std::vector<long long> slice(ids.begin(), ids.begin() + std::min<size_t>(ids.size(), 3000));
    for (auto& p : std::vector<std::pair<AllocationMethod, const char*>>{{AllocationMethod::kExact, "exact"}, {AllocationMethod::kGreedy, "greedy"}}) {
        o.method = p.first;
        o.institution_share_cap = 0.02;
        const auto t2 = Clock::now();
        const BatchResult s = AllocateBatch(index, slice, o);
        std::printf("  slice of %zu demands, %-6s  %.2f 亿元 expected in %.2f s (%zu allocated)\n", slice.size(), p.second,
                    static_cast<double>(s.expected_funded_fen) / 1e10, Seconds(t2), s.assignments.size());
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const Options o = Parse(argc, argv);
    std::printf("matching_bench: %d enterprises, %d demands, %d products, %d institutions, seed %llu\n", o.city.enterprises,
                o.city.demands, o.city.products, o.city.institutions, static_cast<unsigned long long>(o.city.seed));
    auto t = Clock::now();
    const SyntheticWorld w = SyntheticWorld::Generate(o.city);
    std::printf("  generated in %.1f s\n", Seconds(t));
    const double rss = RssMb();
    t = Clock::now();
    MatchIndex index(std::make_shared<ScoringModel>(ScoringModel::Default()));
    w.Fill(index);
    std::printf("\n== Index\n  build %.2f s; memory: RSS +%.0f MB, computed %.0f MB (limit 2048 MB)\n", Seconds(t), RssMb() - rss,
                static_cast<double>(index.MemoryBytes()) / (1 << 20));
    Evaluate(w, index, o);

    std::printf("\n== Single demand, top 10 (trained model, %d random demands)\n", o.queries);
    const auto ids = SampleIds(w, o.queries, o.city.seed + 2);
    QueryOptions with_all;
    with_all.counterfactuals = true;
    with_all.near_misses = 5;
    const double explained = Latency(index, ids, {}, "with explanations");
    Latency(index, ids, with_all, "+ counterfactuals + 5 near misses");
    const std::vector<long long> few(ids.begin(), ids.begin() + std::min<size_t>(ids.size(), 1000));
    const double bare = BareScan(w, index.model(), few);
    std::printf("  %-38s %.1fx faster than the bare scan\n", "engine (with explanations)", bare / explained);

    const std::vector<long long> sql_ids(ids.begin(), ids.begin() + std::min<size_t>(ids.size(), o.sql_queries));
    try {
        chanrong::matching::bench::SqliteBench sqlite("/tmp/matching_bench.sqlite");
        SqlSide("SQLite, one SQL query", sqlite, chanrong::matching::bench::Dialect::kSqlite, w, index, sql_ids, explained);
    } catch (const std::exception& e) {
        std::printf("  SQLite failed: %s\n", e.what());
    }
    if (!o.pg.empty()) {
        try {
            chanrong::matching::bench::PgBench pg(o.pg);
            pg.Exec("DROP SCHEMA IF EXISTS bench_matching CASCADE");
            pg.Exec("CREATE SCHEMA bench_matching");
            pg.Exec("SET search_path TO bench_matching");
            SqlSide("PostgreSQL, one SQL query", pg, chanrong::matching::bench::Dialect::kPostgres, w, index, sql_ids, explained);
            pg.Exec("DROP SCHEMA bench_matching CASCADE");
        } catch (const std::exception& e) {
            std::printf("  PostgreSQL failed: %s\n", e.what());
        }
    } else {
        std::printf("  PostgreSQL skipped (pass --pg URL or set CHANRONG_BENCH_PG)\n");
    }
    if (o.batch) Batch(index);
    return 0;
}

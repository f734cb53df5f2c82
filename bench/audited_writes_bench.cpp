// Audited writes per second (application create and decide, each one audited command in its own transaction)
// side by side with plain INSERTs of the same rows into the same database, in the same run.
//
//   build/audited_writes_bench [--n 2000] [--pg postgresql://…]
//
// Targets (financing issue): audited ≥ ¼ of the plain-insert rate, and ≥ 1,000 audited writes/s on SQLite.

#include <soci/soci.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "audit/command_pipeline.hpp"
#include "common/clock.hpp"
#include "common/config.hpp"
#include "finance/application_service.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

namespace {
using namespace chanrong;

struct Rates {
    double create = 0, decide = 0, plain = 0;
};

double Seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// One institution, one enterprise and one published product to apply to.
long long Setup(storage::Database& db) {
    long long product = 0;
    (void)db.Write([&](soci::session& s) -> Status {
        s << "INSERT INTO institutions (name, name_normalized, kind, created_at, updated_at) VALUES ('银行', '银行', 'bank', 0, 0)";
        s << "INSERT INTO enterprises (uscc, name, name_normalized, industry_code, created_at, updated_at) VALUES "
             "('91350200776049653A', '企业', '企业', 'C3974', 0, 0)";
        s << "INSERT INTO products (institution_id, name, kind, amount_min_fen, amount_max_fen, term_min_months, "
             "term_max_months, rate_mode, rate_min_bp, rate_max_bp, status, created_at, updated_at) VALUES (1, '贷', "
             "'credit_loan', 1, 100000000000, 1, 60, 'fixed', 300, 500, 'published', 0, 0) RETURNING id",
            soci::into(product);
        return {};
    });
    return product;
}

Rates Measure(const std::string& url, int n) {
    DatabaseConfig config;
    config.url = url;
    auto db = storage::Database::Open(config);
    if (!db) {
        std::fprintf(stderr, "cannot open %s: %s\n", url.c_str(), db.error().message.c_str());
        std::exit(2);
    }
    SystemClock clock;
    (void)storage::Migrate(**db, clock);
    const long long product = Setup(**db);
    audit::CommandPipeline pipeline(**db, clock);
    FinanceConfig finance;
    finance::ApplicationService applications(**db, clock, pipeline, finance);
    auth::Principal enterprise, bank;
    enterprise.user_id = 1, enterprise.enterprise_id = 1;
    bank.user_id = 2, bank.institution_id = 1;
    Rates rates;

    std::vector<long long> ids;
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
        auto out = applications.Apply(enterprise, {1, "enterprise", "", "bench", nullptr}, {product, std::nullopt, 1'000'000, 12},
                                      {.action = "application.create", .entity = "application",
                                       .payload = R"({"product_id":1,"amount_fen":1000000,"term_months":12})"});
        if (out) ids.push_back(std::stoll(out->entity_id));
    }
    rates.create = n / Seconds(start);
    start = std::chrono::steady_clock::now();
    for (long long id : ids)
        (void)applications.Act(bank, {2, "bank", "", "bench", nullptr}, id, "accept", {},
                               {.action = "application.accept", .entity = "application", .entity_id = std::to_string(id)});
    rates.decide = ids.size() / Seconds(start);

    start = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
        (void)(*db)->Write([&](soci::session& s) -> Status {
            const long long now = clock.NowMs();
            s << "INSERT INTO applications (enterprise_id, product_id, institution_id, origin, status, amount_fen, "
                 "term_months, submitted_at, updated_at) VALUES (1, :p, 1, 'enterprise', 'submitted', 1000000, 12, :t, :t2)",
                soci::use(product), soci::use(now), soci::use(now);
            return {};
        });
    }
    rates.plain = n / Seconds(start);
    return rates;
}

void Print(const char* name, const Rates& r) {
    std::printf("| %s | %.0f | %.0f | %.0f | %.2f | %.2f |\n", name, r.create, r.decide, r.plain, r.create / r.plain,
                r.decide / r.plain);
}

}  // namespace

int main(int argc, char** argv) {
    int n = 2000;
    std::string pg;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::string(argv[i]) == "--n") n = std::stoi(argv[i + 1]);
        if (std::string(argv[i]) == "--pg") pg = argv[i + 1];
    }
    const auto dir = std::filesystem::temp_directory_path() / ("chanrong-writes-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    std::printf("| database | audited create/s | audited decide/s | plain INSERT/s | create ÷ plain | decide ÷ plain |\n");
    std::printf("|---|---:|---:|---:|---:|---:|\n");
    Print("SQLite", Measure("sqlite:" + (dir / "bench.db").string(), n));
    if (!pg.empty()) {
        const std::string db = "writes_bench_" + std::to_string(getpid());
        auto admin = storage::Database::Open({.url = pg, .pool_size = 1});
        if (!admin) return 2;
        (void)(*admin)->Read([&](soci::session& s) -> Status {
            s << "CREATE DATABASE " + db;
            return {};
        });
        Print("PostgreSQL", Measure(pg.substr(0, pg.rfind('/') + 1) + db, n));
        (void)(*admin)->Read([&](soci::session& s) -> Status {
            s << "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)";
            return {};
        });
    }
    std::filesystem::remove_all(dir);
    return 0;
}

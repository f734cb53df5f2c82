// Cockpit benchmark (issue #7): the full cockpit — every indicator of data/kpi-indicators.csv with its breakdowns
// and 12-month trend, every pilot target's progress, the institution ranking — over N synthetic loans (with
// repayments) and M enterprises, from the KPI engine's store, side by side with the same figures computed by
// plain SQL aggregates on SQLite (and PostgreSQL with --pg) in the same run; every SQL figure is compared with
// the engine's and the mismatches counted (must be 0).
//
//   build/kpi_bench [--loans 10000000] [--enterprises 1000000] [--institutions 200] [--refreshes 50]
//                   [--small] [--no-sqlite] [--sqlite /tmp/kpi_bench.sqlite] [--pg postgresql://…/db]
//
// The SQL tables are a simplified copy of loans / repayments / enterprises / institutions / directory_entries
// with the borrower's class, district, directories and institution kind stamped on each loan as the engine sees
// them (the favourable case for SQL: no joins but repayments → loans). Reported indicators are not compared.

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "kpi/calendar.hpp"
#include "kpi/cockpit.hpp"
#include "kpi/snapshot.hpp"

using namespace chanrong::kpi;

namespace {

struct Options {
    long long loans = 10'000'000, enterprises = 1'000'000;
    int institutions = 200, refreshes = 50;
    bool sqlite = true;
    std::string sqlite_path = "/tmp/kpi_bench.sqlite";
    std::string pg_url;
};

constexpr int kAsOf = 20251130;
const Dimensions kDims{{"P1", "P2", "P3", "P4", "S1", "S2", "S3", "S4", "F1", "F2", "F3", "F4", "F5", "F6"},
                       {"350203", "350205", "350206", "350211", "350212", "350213"},
                       {"bank", "insurer", "guarantor", "fund", "leasing"},
                       {"white_list", "tech_pilot", "green_enterprise", "green_project", "listing_reserve",
                        "key_projects", "chain_display", "chain_battery", "chain_biomed"}};
// Per-mille of enterprises in each directory (project directories get project members instead).
constexpr int kDirectoryPerMille[] = {20, 10, 15, 0, 10, 0, 5, 5, 5};

using Figures = std::map<std::string, long long>;
std::string Key(const std::string& id, const std::string& dim, const std::string& code, int day) {
    return id + "|" + dim + "|" + code + "|" + std::to_string(day);
}

std::uint64_t Mix(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}
std::uint64_t R(long long i, int salt) {
    return Mix(static_cast<std::uint64_t>(i) * 0x100000001B3ULL + salt * 7919ULL);
}
int DayIn(std::uint64_t r, int from, int to) {
    const int a = DayNumber(from), b = DayNumber(to);
    return DateOfDay(a + static_cast<int>(r % static_cast<std::uint64_t>(b - a + 1)));
}
int AddDays(int day, int days) {
    return DateOfDay(DayNumber(day) + days);
}
std::uint8_t OrNone(std::uint64_t r, int n) {
    return r % (n + 1) == static_cast<std::uint64_t>(n) ? kNone : r % (n + 1);
}

struct GenEnterprise {
    EnterpriseFact fact;
    bool small_micro, specialized, mfg;
    std::vector<DirectoryStayFact> stays;
};

GenEnterprise Enterprise(long long e) {
    GenEnterprise g;
    g.fact = {e + 1, DayIn(R(e, 1), 20180101, kAsOf), OrNone(R(e, 2), 14), OrNone(R(e, 3), 6)};
    g.small_micro = R(e, 4) % 10 < 7;
    g.specialized = R(e, 5) % 20 == 0;
    g.mfg = R(e, 6) % 10 < 4;
    for (int d = 0; d < 9; ++d) {
        if (static_cast<int>(R(e, 100 + d) % 1000) >= kDirectoryPerMille[d]) continue;
        const int from = DayIn(R(e, 200 + d), 20200101, kAsOf);
        const int to = R(e, 300 + d) % 5 == 0 ? AddDays(from, 30 + static_cast<int>(R(e, 400 + d) % 700)) : 0;
        g.stays.push_back({static_cast<std::uint8_t>(d), from, to, g.fact.class446, g.fact.district});
    }
    return g;
}

// Members of the project directories (green_project, key_projects): projects, not enterprises.
DirectoryStayFact ProjectStay(long long p) {
    const int from = DayIn(R(p, 11), 20200101, kAsOf);
    return {static_cast<std::uint8_t>(p % 2 == 0 ? 3 : 5), from, R(p, 12) % 6 == 0 ? AddDays(from, 200) : 0,
            OrNone(R(p, 13), 14), OrNone(R(p, 14), 6)};
}

InstitutionFact Institution(int k) {
    static const std::uint8_t kinds[] = {0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
    return {k + 1, DayIn(R(k, 21), 20160101, 20241231), kinds[k % 10], static_cast<std::uint8_t>(k % 6)};
}

EventFact Event(long long v) {
    return {v + 1, DayIn(R(v, 31), 20160101, kAsOf), static_cast<long long>(R(v, 32) % 50'000'000) * 100};
}

// Loan i; the first 30 % of enterprises get loan i == e, the only loans that may carry the first-loan flag.
void Loan(const Options& o, long long i, LoanFact& loan) {
    const long long e = i < o.enterprises * 3 / 10 ? i : static_cast<long long>(R(i, 1) % o.enterprises);
    const GenEnterprise ent = Enterprise(e);
    loan.loan_id = i + 1;
    loan.institution_id = static_cast<long long>(R(i, 2) % o.institutions) + 1;
    loan.enterprise_id = e + 1;
    loan.amount_fen = (10'000 + static_cast<long long>(R(i, 3) % 5'000'000)) * 100;
    loan.disbursed_on = DayIn(R(i, 4), 20160101, kAsOf);
    const int term = 3 + static_cast<int>(R(i, 5) % 58);
    loan.maturity_on = AddDays(loan.disbursed_on, term * 30);
    const bool first = i < o.enterprises * 3 / 10 && R(i, 6) % 2 == 0;
    loan.flags = (ent.mfg ? kLoanMfgBorrower : 0u) | (term > 12 ? kLoanMidLong : 0u) |
                 (R(i, 7) % 12 == 0 ? kLoanGreen : 0u) | (R(i, 8) % 10 == 0 ? kLoanTech : 0u) |
                 (first ? kLoanFirst : 0u) | (ent.small_micro ? kBorrowerSmallMicro : 0u) |
                 (ent.specialized ? kBorrowerSpecialized : 0u);
    loan.class446 = ent.fact.class446;
    loan.district = ent.fact.district;
    loan.directories = DirectoryMaskOn(ent.stays, loan.disbursed_on);
    loan.repayments.clear();
    const int n = static_cast<int>(R(i, 9) % 3);
    for (int k = 0; k < n; ++k)
        loan.repayments.push_back({AddDays(loan.disbursed_on, 30 + static_cast<int>(R(i, 10 + k) % (term * 30))),
                                   loan.amount_fen * (10 + static_cast<long long>(R(i, 20 + k) % 30)) / 100});
}

double Seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}
long PeakRssMb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

// Feeds every generated fact to `sink` (the engine or a database loader), in the same order each time.
template <class Sink>
void Generate(const Options& o, Sink& sink) {
    for (int k = 0; k < o.institutions; ++k) sink.Institution(Institution(k));
    for (long long e = 0; e < o.enterprises; ++e) {
        const GenEnterprise g = Enterprise(e);
        sink.Enterprise(g.fact);
        for (const auto& stay : g.stays) sink.Stay(stay);
    }
    for (long long p = 0; p < o.enterprises / 100; ++p) sink.Stay(ProjectStay(p));
    for (long long v = 0; v < 3000; ++v) sink.Event(Event(v));
    LoanFact loan;
    for (long long i = 0; i < o.loans; ++i) {
        Loan(o, i, loan);
        sink.Loan(loan);
    }
}

struct EngineSink {
    KpiStore& store;
    long long repayments = 0, failures = 0;
    void Institution(const InstitutionFact& f) { failures += !store.AddInstitution(f); }
    void Enterprise(const EnterpriseFact& f) { failures += !store.AddEnterprise(f); }
    void Stay(const DirectoryStayFact& f) { failures += !store.AddDirectoryStay(f); }
    void Event(const EventFact& f) { failures += !store.AddEvent(f); }
    void Loan(const LoanFact& f) {
        repayments += static_cast<long long>(f.repayments.size());
        failures += !store.AddLoan(f);
    }
};

std::string CodeOf(Dimension dim, std::uint8_t index) {
    if (index == kNone) return "_none";
    switch (dim) {
        case Dimension::kClass446: return kDims.classes446[index];
        case Dimension::kDistrict: return kDims.districts[index];
        case Dimension::kInstitutionKind: return kDims.institution_kinds[index];
        case Dimension::kDirectory: return kDims.directories[index];
        default: return "";
    }
}

// The engine's figures keyed as the SQL side keys them: "indicator|dimension|code|day" and "rank|id|field".
Figures EngineFigures(const Cockpit& cockpit) {
    Figures out;
    for (const auto& f : cockpit.figures) {
        if (f.indicator->source != Source::kPlatform) continue;
        const std::string& id = f.indicator->id;
        for (const auto& point : f.trend)
            if (point.value) out[Key(id, "total", "", point.day)] = *point.value;
        for (const auto& b : f.breakdowns)
            for (const auto& cell : b.cells)
                if (cell.value)
                    out[Key(id, std::string(DimensionName(b.dimension)), CodeOf(b.dimension, cell.index),
                            cockpit.as_of)] = *cell.value;
    }
    for (const auto& r : cockpit.ranking) {
        const std::string p = "rank|" + std::to_string(r.institution_id) + "|";
        out[p + "loans_amount"] = r.loans_amount_fen;
        out[p + "first_loan_count"] = r.first_loan_count;
        out[p + "first_loan_amount"] = r.first_loan_amount_fen;
        out[p + "manufacturing_balance"] = r.manufacturing_balance_fen;
        out[p + "green_balance"] = r.green_balance_fen;
    }
    return out;
}

// Mismatches of the SQL figures against the engine's (a SQL key the engine lacks counts too).
long long Compare(const Figures& engine, const Figures& sql, const char* name) {
    long long bad = 0;
    for (const auto& [key, value] : sql) {
        const auto it = engine.find(key);
        if (it != engine.end() && it->second == value) continue;
        if (++bad <= 5)
            std::printf("  %s mismatch %s: sql %lld engine %s\n", name, key.c_str(), value,
                        it == engine.end() ? "-" : std::to_string(it->second).c_str());
    }
    for (const auto& [key, value] : engine)
        if (value != 0 && !sql.contains(key) && ++bad <= 5)
            std::printf("  %s lacks %s: engine %lld\n", name, key.c_str(), value);
    return bad;
}

}  // namespace

#include "kpi_bench_sql.inc"

namespace {

Options Parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        const auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (flag == "--loans")
            o.loans = std::stoll(next());
        else if (flag == "--enterprises")
            o.enterprises = std::stoll(next());
        else if (flag == "--institutions")
            o.institutions = std::stoi(next());
        else if (flag == "--refreshes")
            o.refreshes = std::stoi(next());
        else if (flag == "--small")
            o.loans = 100'000, o.enterprises = 10'000;
        else if (flag == "--no-sqlite")
            o.sqlite = false;
        else if (flag == "--sqlite")
            o.sqlite_path = next();
        else if (flag == "--pg")
            o.pg_url = next();
        else {
            std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
            std::exit(2);
        }
    }
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress lines appear as they come, even into a file
    const Options o = Parse(argc, argv);
    auto catalogue = LoadEmbeddedCatalogue();
    if (!catalogue) return std::fprintf(stderr, "catalogue: %s\n", catalogue.error().message.c_str()), 1;
    auto store = KpiStore::Create({kDims});
    std::printf("kpi_bench: %lld loans, %lld enterprises, %d institutions, as of %d\n", o.loans, o.enterprises,
                o.institutions, kAsOf);
    auto t0 = std::chrono::steady_clock::now();
    EngineSink sink{*store};
    store->BeginBatch();
    Generate(o, sink);
    const double generate_and_add = Seconds(t0);
    t0 = std::chrono::steady_clock::now();
    for (const auto& [id, value] : {std::pair<const char*, long long>{"fund_count", 84},
                                    {"fund_size", 12'000'000'000'000},
                                    {"pollution_insurance_cover", 98'000'000'000},
                                    {"tech_guiding_fund_size", 240'000'000'000},
                                    {"sei_value_added_share", 372'000},
                                    {"pilot_tech_transfers", 41},
                                    {"pilot_equity_enterprises", 4}})
        for (int month = 1; month <= 10; ++month)  // reported figures, growing 1 % a month (not compared with SQL)
            sink.failures += !store->AddReported({id, MonthEnd(202500 + month), value * (90 + month) / 100, "bench"});
    store->EndBatch();
    std::printf(
        "engine build: %.2f s generating + adding (%lld repayments, %lld refused), %.3f s sealing; store %.1f MB, "
        "peak RSS %ld MB\n",
        generate_and_add, sink.repayments, sink.failures, Seconds(t0), static_cast<double>(store->MemoryBytes()) / 1e6,
        PeakRssMb());
    auto engine = CockpitEngine::Create(*store, *catalogue);
    if (!engine) return std::fprintf(stderr, "engine: %s\n", engine.error().message.c_str()), 1;
    std::vector<double> ms;
    Cockpit cockpit;
    for (int r = 0; r < o.refreshes; ++r) {
        t0 = std::chrono::steady_clock::now();
        cockpit = engine->Refresh(kAsOf);
        ms.push_back(Seconds(t0) * 1000);
    }
    std::sort(ms.begin(), ms.end());
    const auto pct = [&](double p) { return ms[std::min(ms.size() - 1, static_cast<size_t>(p * ms.size()))]; };
    const Figures engine_figures = EngineFigures(cockpit);
    std::printf(
        "engine refresh (%zu indicators, %zu targets, %zu institutions, %zu figures): p50 %.3f ms, p99 %.3f ms, "
        "max %.3f ms over %d refreshes (target ≤ 100 ms)\n",
        cockpit.figures.size(), cockpit.targets.size(), cockpit.ranking.size(), engine_figures.size(), pct(0.5),
        pct(0.99), ms.back(), o.refreshes);
    t0 = std::chrono::steady_clock::now();
    const auto snapshot = TakeSnapshot(*engine, PeriodOf(kAsOf));
    std::printf("snapshot %d: %zu rows, sha256 %s (%.3f ms)\n", snapshot.period, snapshot.rows.size(),
                snapshot.Hash().c_str(), Seconds(t0) * 1000);
    for (const auto& t : cockpit.targets)
        std::printf("  %-7s %-26s %-9s\n", t.target->id.c_str(), t.indicator->id.c_str(),
                    std::string(TargetStatusName(t.progress.status)).c_str());
    long long mismatches = 0;
    if (o.sqlite) mismatches += RunSql(std::make_unique<SqliteDb>(o.sqlite_path), o, *catalogue, engine_figures);
    if (!o.pg_url.empty()) mismatches += RunSql(std::make_unique<PgDb>(o.pg_url), o, *catalogue, engine_figures);
    std::printf("total mismatches: %lld\n", mismatches);
    return mismatches == 0 ? 0 : 1;
}

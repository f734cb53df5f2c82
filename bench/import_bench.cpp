// Import benchmark: N generated enterprise rows (valid credit codes, Xiamen districts, GB/T 4754 classes)
// imported with full validation by `chanrong import`, side by side with loading the same file without
// validation by the sqlite3 CLI's .import and by PostgreSQL COPY, in the same run.
//
//   build/import_bench [--rows N] [--pg postgresql://…] [--bin build/chanrong] [--keep DIR]
//
// Prints rows/s, seconds and peak memory of each loader and the ratios (target: chanrong ≤ 2× each reference).

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "common/uscc.hpp"

namespace {

struct Options {
    long long rows = 1'000'000;
    std::string pg_url;
    std::string bin = "build/chanrong";
    std::string dir;
};

struct Run {
    std::string name;
    double seconds = 0;
    long peak_kb = 0;
    int status = 0;
};

const std::vector<std::string> kDistricts = {"思明区", "海沧区", "湖里区", "集美区", "同安区", "翔安区"};
const std::vector<std::string> kIndustries = {"C3974", "C3972", "C3841", "C3825", "C2720", "C3581", "C3240", "C3670",
                                              "C3484", "I6513", "I6520", "I6579", "F5179", "G5990", "R8710", "M7340"};

// Organisation-code body for row i: "MA" + six base-31 characters (credit-code alphabet).
std::string OrganisationBody(long long i) {
    static const std::string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    std::string body = "MA";
    for (int k = 0; k < 6; ++k) {
        body += alphabet[i % 31];
        i /= 31;
    }
    return body;
}

void Generate(const std::string& path, long long rows) {
    std::ofstream out(path);
    out << "统一社会信用代码,企业名称,所属区,国民经济行业代码,法定代表人,注册资本(万元),成立日期,联系人,联系电话,地址\n";
    std::mt19937_64 rng(4754);
    std::string code;
    for (long long i = 0, made = 0; made < rows; ++i) {
        auto uscc = chanrong::MakeUscc("91350203", OrganisationBody(i));
        if (!uscc) continue;  // an organisation check character outside the credit-code alphabet
        const auto& district = kDistricts[rng() % kDistricts.size()];
        out << *uscc << ",厦门测试企业" << made << "号有限公司," << district << ',' << kIndustries[rng() % kIndustries.size()]
            << ",张" << (made % 97) << ',' << (rng() % 100000) << '.' << (rng() % 100) << ",20" << (10 + rng() % 15) << "-0"
            << (1 + rng() % 9) << "-1" << (rng() % 9) << ",李经理,1395920" << (1000 + made % 9000) << ",厦门市" << district
            << "测试路" << made % 500 << "号\n";
        ++made;
    }
}

// Runs `argv` as a child process; wall time and the child's peak resident memory.
Run Measure(const std::string& name, const std::vector<std::string>& argv, const std::string& cwd = "",
            const std::vector<std::string>& env = {}) {
    Run run{name};
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
        if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(127);
        for (const auto& e : env) putenv(const_cast<char*>(e.c_str()));
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        if (!freopen("/dev/null", "w", stdout)) _exit(127);
        execvp(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    run.peak_kb = usage.ru_maxrss;
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
}

// The same file loaded without validation into the platform's own enterprises table (same indexes, same
// full-text trigger): staged by the loader, then INSERT … SELECT.
const char* kIntoSchema =
    "INSERT INTO enterprises (uscc, name, name_normalized, district, industry_code, legal_rep_masked, contact_person, "
    "contact_phone, address, founded_on, created_at, updated_at) SELECT uscc, name, name, district, industry_code, "
    "legal_rep, contact_person, contact_phone, address, founded_on, 0, 0 FROM plain";

const char* kPlainTable =
    "CREATE TABLE plain (uscc TEXT, name TEXT, district TEXT, industry_code TEXT, legal_rep TEXT, capital TEXT, "
    "founded_on TEXT, contact_person TEXT, contact_phone TEXT, address TEXT)";

// What any loader that keeps the search and its upsert by credit code must build besides the rows, at the
// least: after a plain load, a unique index of credit codes, indexes of district and industry (the platform keeps six)
// and a trigram index of names — built once over the loaded rows, the cheapest way.
const char* kSqliteIndexesAfter =
    "CREATE UNIQUE INDEX plain_uscc ON plain(uscc); CREATE INDEX plain_district ON plain(district); "
    "CREATE INDEX plain_industry ON plain(industry_code); "
    "CREATE VIRTUAL TABLE plain_search USING fts5(name, content='plain', tokenize='trigram'); "
    "INSERT INTO plain_search (plain_search) VALUES ('rebuild')";
const char* kPgIndexesAfter =
    "CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE UNIQUE INDEX ON plain(uscc); CREATE INDEX ON plain(district); "
    "CREATE INDEX ON plain(industry_code); CREATE INDEX ON plain USING gin (name gin_trgm_ops)";

std::string WithDatabase(const std::string& url, const std::string& db) {
    return url.substr(0, url.rfind('/') + 1) + db;
}

void Print(const std::vector<Run>& runs, long long rows) {
    std::printf("| loader | seconds | rows/s | peak MB | exit |\n|---|---:|---:|---:|---:|\n");
    for (const auto& r : runs)
        std::printf("| %s | %.2f | %.0f | %.1f | %d |\n", r.name.c_str(), r.seconds, rows / r.seconds, r.peak_kb / 1024.0,
                    r.status);
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--rows") o.rows = std::stoll(argv[i + 1]);
        else if (flag == "--pg") o.pg_url = argv[i + 1];
        else if (flag == "--bin") o.bin = argv[i + 1];
        else if (flag == "--keep") o.dir = argv[i + 1];
    }
    const std::string bin = std::filesystem::absolute(o.bin).string();
    const std::string dir =
        o.dir.empty()
            ? (std::filesystem::temp_directory_path() / ("chanrong-import-bench-" + std::to_string(getpid()))).string()
            : o.dir;
    std::filesystem::create_directories(dir);
    const std::string csv = dir + "/enterprises.csv";
    std::fprintf(stderr, "generating %lld rows → %s\n", o.rows, csv.c_str());
    Generate(csv, o.rows);

    std::vector<Run> runs;
    const std::string sqlite_dir = dir + "/sqlite";
    std::filesystem::create_directories(sqlite_dir);
    const std::string import_csv = ".import --skip 1 " + csv + " plain";
    runs.push_back(Measure("sqlite3 .import into a plain table (no validation)",
                           {"sqlite3", sqlite_dir + "/plain.db", kPlainTable, ".mode csv", import_csv}));
    runs.push_back(Measure("sqlite3 .import into a plain table, then its indexes and a trigram index of names",
                           {"sqlite3", sqlite_dir + "/indexed.db", kPlainTable, ".mode csv", import_csv, kSqliteIndexesAfter}));
    std::filesystem::create_directories(sqlite_dir + "/schema");
    Measure("migrate", {bin, "migrate"}, sqlite_dir + "/schema", {"CHANRONG_LOG_LEVEL=warn"});
    runs.push_back(Measure("sqlite3 .import into the enterprises schema (no validation)",
                           {"sqlite3", sqlite_dir + "/schema/var/chanrong.db", std::string(kPlainTable), ".mode csv",
                            import_csv, kIntoSchema}));
    std::filesystem::create_directories(sqlite_dir + "/app");
    Measure("migrate", {bin, "migrate"}, sqlite_dir + "/app", {"CHANRONG_LOG_LEVEL=warn"});
    runs.push_back(Measure("chanrong import, SQLite (full validation)", {bin, "import", "enterprises", csv}, sqlite_dir + "/app",
                           {"CHANRONG_LOG_LEVEL=warn"}));

    std::vector<std::string> created;  // PostgreSQL databases, dropped at the end
    if (!o.pg_url.empty()) {
        const std::string tag = std::to_string(getpid());
        auto database = [&](const std::string& name) {
            created.push_back(name + "_" + tag);
            Measure("create", {"psql", o.pg_url, "-qc", "CREATE DATABASE " + created.back()});
            return WithDatabase(o.pg_url, name + "_" + tag);
        };
        const std::string copy_csv = "\\copy plain FROM '" + csv + "' CSV HEADER";
        const std::string plain = database("bench_plain"), indexed = database("bench_indexed"),
                          schema = database("bench_schema"), app = database("bench_app");
        Measure("table", {"psql", plain, "-qc", kPlainTable});
        runs.push_back(Measure("PostgreSQL COPY into a plain table (no validation)", {"psql", plain, "-qc", copy_csv}));
        Measure("table", {"psql", indexed, "-qc", kPlainTable});
        runs.push_back(Measure("PostgreSQL COPY into a plain table, then its indexes and a trigram index of names",
                               {"psql", indexed, "-q", "-c", copy_csv, "-c", kPgIndexesAfter}));
        Measure("migrate", {bin, "migrate"}, sqlite_dir + "/app", {"CHANRONG_DATABASE_URL=" + schema, "CHANRONG_LOG_LEVEL=warn"});
        Measure("table", {"psql", schema, "-qc", kPlainTable});
        runs.push_back(Measure("PostgreSQL COPY into the enterprises schema (no validation)",
                               {"psql", schema, "-q", "-c", copy_csv, "-c", kIntoSchema}));
        Measure("migrate", {bin, "migrate"}, sqlite_dir + "/app", {"CHANRONG_DATABASE_URL=" + app, "CHANRONG_LOG_LEVEL=warn"});
        runs.push_back(Measure("chanrong import, PostgreSQL (full validation)", {bin, "import", "enterprises", csv},
                               sqlite_dir + "/app", {"CHANRONG_DATABASE_URL=" + app, "CHANRONG_LOG_LEVEL=warn"}));
    }
    Print(runs, o.rows);
    for (size_t first = 0; first + 4 <= runs.size(); first += 4)
        std::printf("\n%s: %.2f× the plain load, %.2f× the plain load with its indexes built after, %.2f× the load into "
                    "the schema\n",
                    first == 0 ? "SQLite" : "PostgreSQL", runs[first + 3].seconds / runs[first].seconds,
                    runs[first + 3].seconds / runs[first + 1].seconds, runs[first + 3].seconds / runs[first + 2].seconds);
    for (const auto& name : created) Measure("drop", {"psql", o.pg_url, "-qc", "DROP DATABASE " + name});
    if (o.dir.empty()) std::filesystem::remove_all(dir);
    return 0;
}

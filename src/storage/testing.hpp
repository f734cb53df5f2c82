#pragma once
// Test support: fresh databases for each backend. SQLite always; PostgreSQL when CHANRONG_TEST_PG_URL is set
// (make test starts a local server and sets it). Header-only so it never ships in the library.

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/config.hpp"
#include "common/crypto.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

namespace chanrong::storage::testing {

/// Backends to run a suite on: "sqlite" and, when configured, "postgres".
inline std::vector<std::string> Backends() {
    std::vector<std::string> out = {"sqlite"};
    if (const char* url = std::getenv("CHANRONG_TEST_PG_URL"); url && *url) out.push_back("postgres");
    return out;
}

/// A configuration pointing at an empty database of `backend`: a new SQLite file, or a new PostgreSQL schema.
inline DatabaseConfig FreshDatabase(const std::string& backend) {
    DatabaseConfig config;
    config.pool_size = 4;
    const std::string name = "t_" + crypto::Sha256Hex(crypto::RandomToken(8)).substr(0, 12);
    if (backend == "sqlite") {
        config.url = "sqlite:" + (std::filesystem::temp_directory_path() / ("chanrong-" + name + ".db")).string();
        return config;
    }
    const std::string base = std::getenv("CHANRONG_TEST_PG_URL");
    {
        auto admin = Database::Open({.url = base, .pool_size = 1});
        if (!admin) throw std::runtime_error(admin.error().message);
        (void)(*admin)->Write([&](soci::session& s) -> Status {
            s << "CREATE SCHEMA " + name;
            // Extensions live in public, shared by every test schema (which search public second).
            s << "DO $$ BEGIN PERFORM pg_advisory_xact_lock(7242002); "
                 "IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN "
                 "CREATE EXTENSION pg_trgm SCHEMA public; "
                 "ELSIF (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                 "WHERE e.extname = 'pg_trgm') <> 'public' THEN ALTER EXTENSION pg_trgm SET SCHEMA public; END IF; END $$";
            return {};
        });
    }
    // Database::Open turns the URI into libpq keywords; the search path rides along as an extra keyword.
    config.url = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + name + "%2Cpublic";
    return config;
}

/// A suite over a fresh, migrated database of each backend (the test parameter), with helpers to run SQL.
class MigratedDatabaseTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        db_ = std::move(*Database::Open(FreshDatabase(GetParam())));
        ASSERT_TRUE(Migrate(*db_, clock_));
    }

    /// Runs one statement in its own transaction.
    void Exec(const std::string& sql) {
        ASSERT_TRUE(db_->Write([&](soci::session& s) -> Status {
            s << sql;
            return {};
        }));
    }

    /// The single integer a query returns (-1 when it fails).
    long long Count(const std::string& sql) {
        long long n = -1;
        (void)db_->Read([&](soci::session& s) -> Status {
            s << sql, soci::into(n);
            return {};
        });
        return n;
    }

    ManualClock clock_{1'790'000'000'000};
    std::unique_ptr<Database> db_;
};

}  // namespace chanrong::storage::testing

#pragma once
// Versioned schema migrations, embedded in the binary and applied in order, each in its own transaction.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "storage/database.hpp"

namespace chanrong::storage {

struct Migration {
    int version = 0;
    std::string name;
    std::string sql;  ///< raw file text, before dialect processing
};

/// The migrations shipped in src/storage/migrations/, sorted by version.
std::vector<Migration> EmbeddedMigrations();

/// Splits a migration into the statements for `backend`: "{{id}}" is replaced by the dialect's primary key,
/// "-- dialect: sqlite|postgres|all" lines select sections, and trigger bodies (BEGIN … END; or $$ … $$)
/// stay whole.
std::vector<std::string> StatementsFor(std::string_view sql, Backend backend);

/// Applies every migration not yet recorded in schema_migrations; refuses to start if an applied one was
/// changed since. On PostgreSQL an advisory lock keeps concurrent instances from racing. Returns how many
/// were applied; `progress` is told each one's name.
Result<int> Migrate(Database& db, const Clock& clock, const std::function<void(const std::string&)>& progress = {});

}  // namespace chanrong::storage

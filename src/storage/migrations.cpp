#include "storage/migrations.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <sstream>

#include "common/crypto.hpp"

namespace chanrong::storage {

extern const std::vector<std::pair<std::string_view, std::string_view>> kEmbeddedMigrations;

namespace {

std::string Trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string_view::npos) return {};
    return std::string(s.substr(b, s.find_last_not_of(" \t\r") - b + 1));
}

std::string ReplaceAll(std::string s, std::string_view from, std::string_view to) {
    for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
    return s;
}

size_t CountDollarQuotes(std::string_view line) {
    size_t n = 0;
    for (size_t pos = 0; (pos = line.find("$$", pos)) != std::string_view::npos; pos += 2) ++n;
    return n;
}

}  // namespace

std::vector<Migration> EmbeddedMigrations() {
    std::vector<Migration> out;
    for (const auto& [file, text] : kEmbeddedMigrations) {
        Migration m;
        m.version = std::stoi(std::string(file.substr(0, file.find('_'))));
        m.name = std::string(file);
        m.sql = std::string(text);
        out.push_back(std::move(m));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
    return out;
}

std::vector<std::string> StatementsFor(std::string_view sql, Backend backend) {
    const std::string id = backend == Backend::kSqlite ? "id INTEGER PRIMARY KEY AUTOINCREMENT" : "id BIGSERIAL PRIMARY KEY";
    std::vector<std::string> out;
    std::string current;
    bool active = true, in_dollar = false, in_trigger = false;
    std::istringstream lines{std::string(sql)};
    for (std::string raw; std::getline(lines, raw);) {
        const std::string line = Trim(raw);
        if (line.starts_with("-- dialect:")) {
            const std::string which = Trim(line.substr(11));
            active = which == "all" || (which == "sqlite") == (backend == Backend::kSqlite);
            continue;
        }
        if (!active || line.empty() || (line.starts_with("--") && current.empty())) continue;
        current += ReplaceAll(raw, "{{id}}", id) + "\n";
        if (CountDollarQuotes(line) % 2 == 1) in_dollar = !in_dollar;
        if (line.ends_with("BEGIN") && !in_dollar) in_trigger = true;
        if (in_dollar) continue;
        if (in_trigger) {
            if (line == "END;") in_trigger = false;
            else continue;
        }
        if (line.ends_with(";")) {
            current.erase(current.find_last_of(';'));
            out.push_back(Trim(current));
            current.clear();
        }
    }
    if (!Trim(current).empty()) out.push_back(Trim(current));
    return out;
}

namespace {

Status EnsureMigrationTable(Database& db) {
    return db.Write([](soci::session& s) -> Status {
        s << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
             "checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)";
        return {};
    });
}

// Applies one migration unless already applied; returns whether it ran.
Result<bool> ApplyOne(Database& db, const Clock& clock, const Migration& m) {
    const std::string checksum = crypto::Sha256Hex(m.sql);
    return db.Write([&](soci::session& s) -> Result<bool> {
        if (!db.is_sqlite()) s << "SELECT pg_advisory_xact_lock(7242001)";
        std::string stored;
        soci::indicator ind = soci::i_null;
        s << "SELECT checksum FROM schema_migrations WHERE version = :v", soci::use(m.version), soci::into(stored, ind);
        if (s.got_data() && ind == soci::i_ok) {
            if (stored != checksum)
                return Fail(Error::FailedPrecondition("迁移 " + m.name + " 已应用但内容已被修改；请勿修改已发布的迁移"));
            return false;
        }
        for (const auto& statement : StatementsFor(m.sql, db.backend())) s << statement;
        const long long now = clock.NowMs();
        s << "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (:v, :n, :c, :t)",
            soci::use(m.version), soci::use(m.name), soci::use(checksum), soci::use(now);
        return true;
    });
}

}  // namespace

Result<int> Migrate(Database& db, const Clock& clock, const std::function<void(const std::string&)>& progress) {
    if (auto s = EnsureMigrationTable(db); !s) return Fail(s.error());
    int applied = 0;
    for (const auto& m : EmbeddedMigrations()) {
        auto ran = ApplyOne(db, clock, m);
        if (!ran) return Fail(ran.error());
        if (*ran) {
            ++applied;
            if (progress) progress(m.name);
        }
    }
    return applied;
}

}  // namespace chanrong::storage

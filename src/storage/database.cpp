#include "storage/database.hpp"

#include <soci/connection-pool.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <filesystem>

#include "storage/query.hpp"

namespace chanrong::storage {
namespace {

Error DbError(ErrorCode code, std::string message, std::string_view reason) {
    Error e{code, std::move(message), {}};
    e.reason = reason;
    return e;
}

Error ClassifySqlite(const soci::sqlite3_soci_error& e) {
    const std::string what = e.what();
    const int rc = e.result() & 0xff;
    if (rc == 19 /*SQLITE_CONSTRAINT*/) {
        if (what.find("UNIQUE") != std::string::npos || what.find("PRIMARY KEY") != std::string::npos)
            return DbError(ErrorCode::kConflict, "记录已存在", kUniqueViolation);
        if (what.find("FOREIGN KEY") != std::string::npos)
            return DbError(ErrorCode::kFailedPrecondition, "关联的记录不存在或仍被引用", kForeignKeyViolation);
    }
    if (rc == 5 /*SQLITE_BUSY*/ || rc == 6 /*SQLITE_LOCKED*/)
        return DbError(ErrorCode::kUnavailable, "数据库繁忙，请稍后重试", kTimeout);
    spdlog::error("sqlite error: {}", what);
    return Error::Internal("数据库错误");
}

Error ClassifyPostgres(const soci::postgresql_soci_error& e) {
    const std::string state = e.sqlstate();
    if (state == "23505") return DbError(ErrorCode::kConflict, "记录已存在", kUniqueViolation);
    if (state == "23503")
        return DbError(ErrorCode::kFailedPrecondition, "关联的记录不存在或仍被引用", kForeignKeyViolation);
    if (state == "57014" || state == "55P03" || state == "40001" || state == "40P01")
        return DbError(ErrorCode::kUnavailable, "数据库繁忙，请稍后重试", kTimeout);
    if (state.starts_with("08") || state == "57P01" || state.empty())
        return DbError(ErrorCode::kUnavailable, "数据库连接中断，请稍后重试", kConnectionLost);
    spdlog::error("postgresql error {}: {}", state, e.what());
    return Error::Internal("数据库错误");
}

Error ClassifyCurrentException() {
    try {
        throw;
    } catch (const soci::sqlite3_soci_error& e) {
        return ClassifySqlite(e);
    } catch (const soci::postgresql_soci_error& e) {
        return ClassifyPostgres(e);
    } catch (const soci::soci_error& e) {
        if (e.get_error_category() == soci::soci_error::connection_error)
            return DbError(ErrorCode::kUnavailable, "数据库连接中断，请稍后重试", kConnectionLost);
        spdlog::error("database error: {}", e.what());
        return Error::Internal("数据库错误");
    } catch (const std::exception& e) {
        spdlog::error("unexpected exception in database code: {}", e.what());
        return Error::Internal("内部错误");
    }
}

void ConfigureSqlite(soci::session& session, std::int64_t busy_timeout_ms) {
    session << "PRAGMA journal_mode=WAL";
    session << "PRAGMA synchronous=NORMAL";
    session << "PRAGMA foreign_keys=ON";
    session << "PRAGMA cache_size=-65536";  // 64 MiB per connection: keeps index pages of large imports in memory
    session << "PRAGMA temp_store=MEMORY";
    session << "PRAGMA busy_timeout=" + std::to_string(busy_timeout_ms);
    // Checkpoints run in the background (Database::StartCheckpointer), not in whichever write crosses the
    // threshold; this limit only caps the WAL if they stop.
    session << "PRAGMA wal_autocheckpoint=100000";
}

// SOCI 4.0 does not hand PostgreSQL URIs to libpq intact, so spell them out as libpq keywords.
std::string ToLibpqKeywords(const std::string& url) {
    if (!url.starts_with("postgresql://") && !url.starts_with("postgres://")) return url;
    std::string keywords;
    char* error = nullptr;
    if (PQconninfoOption* options = PQconninfoParse(url.c_str(), &error)) {
        for (PQconninfoOption* o = options; o->keyword; ++o) {
            if (!o->val || !*o->val) continue;
            std::string value;
            for (const char* c = o->val; *c; ++c) value += (*c == '\\' || *c == '\'') ? std::string("\\") + *c : std::string(1, *c);
            keywords += std::string(o->keyword) + "='" + value + "' ";
        }
        PQconninfoFree(options);
    }
    if (error) PQfreemem(error);
    return keywords;
}

void Rollback(soci::session& session) {
    try {
        session << "ROLLBACK";
    } catch (...) {
        // The connection may be gone; the server rolls back on its own.
    }
}

}  // namespace

Database::Database(Backend backend, std::unique_ptr<soci::connection_pool> pool, size_t pool_size)
    : backend_(backend), pool_(std::move(pool)), pool_size_(pool_size), locals_(pool_size) {
    for (size_t i = 0; i < pool_size_; ++i) positions_[&pool_->at(i)] = i;
}

std::shared_ptr<void>& Database::LocalSlot(soci::session& session, const std::string& key) const {
    return locals_[positions_.at(&session)][key];
}

Database::~Database() = default;

void Database::StartCheckpointer() {
    checkpointer_ = std::jthread([this](std::stop_token stop) {
        std::mutex mutex;
        std::condition_variable_any wake;
        while (!stop.stop_requested()) {
            {
                std::unique_lock lock(mutex);
                wake.wait_for(lock, stop, std::chrono::seconds(1), [] { return false; });
            }
            if (stop.stop_requested()) break;
            (void)Read([](soci::session& s) -> Status {
                int busy = 0, frames = 0, done = 0;
                s << "PRAGMA wal_checkpoint(PASSIVE)", soci::into(busy), soci::into(frames), soci::into(done);
                return {};
            });
        }
    });
}

Result<std::unique_ptr<Database>> Database::Open(const DatabaseConfig& config) {
    const bool sqlite = config.url.starts_with("sqlite:");
    const size_t size = static_cast<size_t>(config.pool_size);
    auto pool = std::make_unique<soci::connection_pool>(size);
    try {
        for (size_t i = 0; i < size; ++i) {
            if (sqlite) {
                std::string path = config.url.substr(7);
                if (path.starts_with("//")) path = path.substr(2);
                const auto parent = std::filesystem::path(path).parent_path();
                if (!parent.empty()) std::filesystem::create_directories(parent);
                pool->at(i).open(*soci::factory_sqlite3(), "db=" + path);
                ConfigureSqlite(pool->at(i), config.busy_timeout_ms);
            } else {
                pool->at(i).open(*soci::factory_postgresql(), ToLibpqKeywords(config.url));
            }
        }
    } catch (const std::exception& e) {
        return Fail(Error::Unavailable(std::string("无法打开数据库: ") + e.what()));
    }
    auto db = std::unique_ptr<Database>(new Database(sqlite ? Backend::kSqlite : Backend::kPostgres, std::move(pool), size));
    if (sqlite) db->StartCheckpointer();
    return db;
}

Status Database::RunBody(bool write, const std::function<Status(soci::session&)>& body) {
    std::unique_lock<std::mutex> sqlite_lock;
    if (write && is_sqlite()) sqlite_lock = std::unique_lock(sqlite_write_mutex_);
    // Lease by position so connection-local objects can be found from the session.
    const size_t position = pool_->lease();
    struct GiveBack {
        soci::connection_pool& pool;
        size_t position;
        ~GiveBack() { pool.give_back(position); }
    } give_back{*pool_, position};
    soci::session& session = pool_->at(position);
    bool in_transaction = false;
    try {
        if (!is_sqlite() && !session.is_connected()) {
            locals_[position].clear();
            session.reconnect();
        }
        if (write) {
            session << (is_sqlite() ? "BEGIN IMMEDIATE" : "BEGIN");
            in_transaction = true;
        }
        Status status = body(session);
        if (in_transaction) {
            if (status) session << "COMMIT";
            else Rollback(session);
        }
        return status;
    } catch (...) {
        if (in_transaction) Rollback(session);
        Error error = ClassifyCurrentException();
        if (error.reason == kConnectionLost) {
            locals_[position].clear();
            try {
                session.reconnect();
            } catch (...) {
            }
        }
        return Fail(std::move(error));
    }
}

Status Database::Ping() {
    return Read([](soci::session& s) -> Status {
        int one = 0;
        s << "SELECT 1", soci::into(one);
        return {};
    });
}

std::string LikePattern(std::string_view text) {
    std::string out = "%";
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    return out + "%";
}

Query& Query::Bind(std::string value) {
    sql_ += ":p" + std::to_string(order_.size());
    order_.emplace_back(true, strings_.size());
    strings_.push_back(std::move(value));
    return *this;
}

Query& Query::Bind(long long value) {
    sql_ += ":p" + std::to_string(order_.size());
    order_.emplace_back(false, ints_.size());
    ints_.push_back(value);
    return *this;
}

long long CountOf(soci::session& session, const Query& q) {
    long long total = 0;
    soci::statement st(session);
    q.PrepareInto(st);
    st.exchange(soci::into(total));
    st.define_and_bind();
    st.execute(true);
    return total;
}

void Query::PrepareInto(soci::statement& statement) const {
    statement.alloc();
    statement.prepare(sql_);
    for (size_t i = 0; i < order_.size(); ++i) {
        const auto [is_string, index] = order_[i];
        const std::string name = "p" + std::to_string(i);
        if (is_string) statement.exchange(soci::use(strings_[index], name));
        else statement.exchange(soci::use(ints_[index], name));
    }
}

}  // namespace chanrong::storage

#pragma once
// The database: one code path over SQLite (embedded default) and PostgreSQL, through SOCI.

#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "common/config.hpp"
#include "common/error.hpp"

namespace soci {
class session;
class connection_pool;
}  // namespace soci

namespace chanrong::storage {

enum class Backend { kSqlite, kPostgres };

/// Sub-reasons set in Error::reason for database failures.
inline constexpr std::string_view kUniqueViolation = "unique_violation";
inline constexpr std::string_view kForeignKeyViolation = "foreign_key_violation";
inline constexpr std::string_view kTimeout = "timeout";
inline constexpr std::string_view kConnectionLost = "connection_lost";

/// A pool of connections and the only place that opens, commits or rolls back transactions.
/// Database exceptions never escape: they become typed Errors (unique → 409, foreign key → 422,
/// busy/timeout or lost connection → 503).
class Database {
public:
    static Result<std::unique_ptr<Database>> Open(const DatabaseConfig& config);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    Backend backend() const { return backend_; }
    bool is_sqlite() const { return backend_ == Backend::kSqlite; }

    /// " FOR UPDATE" on PostgreSQL, "" on SQLite (where a write transaction already holds the lock).
    const char* ForUpdate() const { return is_sqlite() ? "" : " FOR UPDATE"; }

    /// Runs `fn(session)` in one write transaction (BEGIN IMMEDIATE on SQLite). `fn` returns a Result;
    /// an error result or any exception rolls everything back.
    template <class F>
    auto Write(F&& fn) -> std::invoke_result_t<F&, soci::session&> {
        return Run<F>(true, std::forward<F>(fn));
    }

    /// Runs `fn(session)` on a pooled connection outside an explicit transaction.
    template <class F>
    auto Read(F&& fn) -> std::invoke_result_t<F&, soci::session&> {
        return Run<F>(false, std::forward<F>(fn));
    }

    /// Checks the connection works (for /readyz).
    Status Ping();

    /// An object that lives with the connection `session` belongs to (for statements prepared once and
    /// re-executed, e.g. the command log's), made by `make` on first use. Only the holder of the connection
    /// touches it; it is dropped when the connection is re-established.
    template <class T, class Make>
    T& ConnectionLocal(soci::session& session, const std::string& key, Make&& make) const {
        std::shared_ptr<void>& slot = LocalSlot(session, key);
        if (!slot) slot = std::shared_ptr<T>(make());
        return *static_cast<T*>(slot.get());
    }

private:
    Database(Backend backend, std::unique_ptr<soci::connection_pool> pool, size_t pool_size);
    /// SQLite: checkpoints the WAL every second on a background thread (PASSIVE: never blocks readers or the writer).
    void StartCheckpointer();
    Status RunBody(bool write, const std::function<Status(soci::session&)>& body);

    template <class F>
    auto Run(bool write, F&& fn) -> std::invoke_result_t<F&, soci::session&> {
        using R = std::invoke_result_t<F&, soci::session&>;
        std::optional<R> out;
        Status status = RunBody(write, [&](soci::session& s) -> Status {
            out.emplace(fn(s));
            if (!out->has_value()) return Fail(out->error());
            return {};
        });
        if (!status) return Fail(status.error());
        return std::move(*out);
    }

    std::shared_ptr<void>& LocalSlot(soci::session& session, const std::string& key) const;

    Backend backend_;
    std::unique_ptr<soci::connection_pool> pool_;
    size_t pool_size_;
    std::unordered_map<const soci::session*, size_t> positions_;                           // pooled session → index
    mutable std::vector<std::unordered_map<std::string, std::shared_ptr<void>>> locals_;  // per connection
    std::mutex sqlite_write_mutex_;
    std::jthread checkpointer_;  // last: stopped before the pool it uses goes away  // SQLite has one writer; queueing here beats spinning on SQLITE_BUSY
};

/// `%text%` for a LIKE with `ESCAPE '\'`, with % _ and \ in the text escaped.
std::string LikePattern(std::string_view text);

}  // namespace chanrong::storage

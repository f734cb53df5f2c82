#pragma once
// The append-only, hash-chained command log.

#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "storage/database.hpp"

namespace chanrong::audit {

/// One row of the command log.
struct AuditEntry {
    long long id = 0;
    TimestampMs at = 0;
    std::optional<long long> actor_id;  ///< empty for the system (CLI, migrations)
    std::string actor_name;
    std::string action;     ///< e.g. "user.create"
    std::string entity;     ///< e.g. "user"
    std::string entity_id;
    std::string payload;    ///< request JSON with secrets removed
    std::string before;     ///< JSON of the entity before, "null" when created
    std::string after;      ///< JSON after, "null" when removed or on failure
    std::string result;     ///< "ok" or an error code name
    std::string request_id;
    std::string ip;
    std::string prev_hash;
    std::string hash;
};

/// SHA-256 over the previous hash and every field of the entry, in a fixed, unambiguous encoding.
std::string ComputeEntryHash(const AuditEntry& entry, const std::string& prev_hash);

/// Appends `entry` inside the caller's open write transaction: takes the chain head's lock, assigns the next id,
/// links and hashes. Fills entry.id, prev_hash and hash.
Status AppendInTransaction(soci::session& session, const storage::Database& db, AuditEntry& entry);

struct VerifyReport {
    bool ok = true;
    long long checked = 0;
    std::optional<long long> first_broken_id;
    std::string message;
};

/// Recomputes the whole chain in id order; names the first row whose hash, link or sequence is wrong.
/// `progress` is told the number of rows checked so far every 10,000 rows.
Result<VerifyReport> VerifyChain(storage::Database& db, const std::function<void(long long)>& progress = {});

struct AuditFilter {
    std::optional<std::string> actor;   ///< substring of actor name
    std::optional<std::string> action;  ///< prefix, e.g. "user." or "user.create"
    std::optional<std::string> entity;
    std::optional<std::string> entity_id;
    std::optional<std::string> result;
    std::optional<TimestampMs> from, to;  ///< [from, to)
    long long offset = 0, limit = 20;
};

struct AuditPage {
    std::vector<AuditEntry> items;
    long long total = 0;
};

/// Newest first.
Result<AuditPage> Search(storage::Database& db, const AuditFilter& filter);

/// Calls `sink` for every matching row, oldest first, in batches (for streamed export).
Status ForEach(storage::Database& db, AuditFilter filter, const std::function<void(const AuditEntry&)>& sink);

}  // namespace chanrong::audit

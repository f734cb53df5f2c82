#pragma once
// Stores the recommendations shown off the request path. An answer takes an id reserved ahead (in blocks, from
// id_reservations) and queues its row; one background thread writes queued rows in batches, one transaction each,
// so an answer never waits for SQLite's single writer or a WAL checkpoint. Flush() waits for what was queued before
// it; stopping flushes. The catalogues and product states recommendations name go through the same queue, ahead of
// them. A crash loses at most the rows still queued (written within `flush_interval` normally).

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "matching/catalogue.hpp"
#include "storage/database.hpp"

namespace chanrong::matching {

/// One recommendation shown, as stored in match_recommendations.
struct RecommendationRecord {
    long long id = 0;
    TimestampMs at = 0;
    long long demand_id = 0, enterprise_id = 0;
    int model_version = 0;
    std::string viewer, snapshot, result;
};

/// A product state (hash, body) for match_product_states.
using ProductStateRow = std::pair<std::string, std::string>;

/// A catalogue for match_catalogues (catalogue.hpp): a root (no base) or a delta against the root `base`.
struct CatalogueRow {
    std::string hash, base, body;
    TimestampMs at = 0;
};

class RecommendationLog {
public:
    struct Options {
        std::chrono::milliseconds flush_interval{20};
        size_t max_queued = 20'000;  ///< Append waits while this many rows wait (memory bound under a stalled database)
        long long id_block = 1'000;
    };
    explicit RecommendationLog(storage::Database& db) : RecommendationLog(db, Options{}) {}
    RecommendationLog(storage::Database& db, Options options);
    ~RecommendationLog();  ///< writes everything still queued

    /// An id no other record (of any instance) gets; reserves a new block when this one is used up.
    Result<long long> ReserveId();
    /// Queues a record for writing.
    void Append(RecommendationRecord record);
    /// Queues product states and the catalogue naming them; stored no later than any record appended after them.
    void AppendCatalogue(std::vector<ProductStateRow> states, CatalogueRow catalogue);
    /// Waits until every record appended before the call is written (or dropped after a permanent error).
    void Flush();

private:
    void Run(std::stop_token stop);
    /// Writes a batch in one transaction; on a permanent error, the states and then each record alone.
    struct Catalogues {
        std::vector<ProductStateRow> states;
        std::vector<CatalogueRow> catalogues;
    };
    void WriteBatch(const Catalogues& catalogues, const std::vector<RecommendationRecord>& batch);

    storage::Database& db_;
    Options options_;
    std::mutex id_mutex_;
    long long next_id_ = 0, end_id_ = 0;
    std::mutex mutex_;
    std::condition_variable_any changed_;
    std::deque<RecommendationRecord> queue_;
    Catalogues catalogues_;
    unsigned long long appended_ = 0, written_ = 0;  // entries (records, state lists) appended / finished
    unsigned long long catalogue_entries_ = 0;       // catalogues in catalogues_
    bool flush_now_ = false;
    std::jthread writer_;  // last: stops (and flushes) before the members above go away
};

/// The entries of a stored catalogue, following its bases to a root; not_found when a link is missing.
Result<CatalogueEntries> LoadCatalogue(soci::session& s, const std::string& hash);

}  // namespace chanrong::matching

#pragma once
// Imports uploaded through the API run in the background. The upload stores the file under the spool directory
// and records the run as 'queued' (audited as import.queue, in one transaction); a bounded pool of worker threads
// (config import.workers) takes runs in order and hands them to ImportService, which validates and then applies
// them in its one audited transaction. Phase and progress (rows_done of rows_total) are written to the run's row
// at each phase change and every 5,000 rows or 250 ms — except while applying on SQLite, whose single writer is
// the apply transaction itself: there the progress is kept in memory and Get() serves it from there. Runs a
// stopped process left unfinished are marked failed with the reason when the next process with the same runner
// name (host:port) starts — their transaction never committed, so nothing of them was applied — and so are runs
// of any runner that has not reported for kStaleImportMs (an instance retired for good).

#include <boost/json/object.hpp>

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "audit/command_pipeline.hpp"
#include "common/clock.hpp"
#include "common/config.hpp"
#include "registry/import_service.hpp"
#include "storage/database.hpp"

namespace chanrong::registry {

/// Runs written to the database at least this often while validating (and applying, on PostgreSQL).
inline constexpr long long kJobProgressRows = 5'000;
inline constexpr long long kJobProgressMs = 250;
/// Unfinished runs of another runner with no report for this long are taken for dead at start-up.
inline constexpr long long kStaleImportMs = 3'600'000;
/// Uploads waiting beyond this many are refused with 429.
inline constexpr size_t kMaxQueuedImports = 50;

class ImportJobs {
public:
    /// `runner` names this process for its runs, e.g. "host:8080": the same name after a restart.
    ImportJobs(storage::Database& db, const Clock& clock, audit::CommandPipeline& pipeline, ImportService& imports,
               ImportConfig config, std::string runner);
    /// Stops the workers: a running import is interrupted (its transaction rolls back) and it and any queued
    /// ones are marked failed.
    ~ImportJobs();
    ImportJobs(const ImportJobs&) = delete;
    ImportJobs& operator=(const ImportJobs&) = delete;

    /// Marks runs this runner left queued, validating or applying (and stale runs of others) as failed, empties
    /// the spool directory and starts the workers. Call once.
    Status Start();

    /// Checks the options, records the run as queued, stores `file` and queues it; the run as Get() shows it
    /// (phase "queued"). 429 when too many wait.
    Result<boost::json::object> Submit(const audit::Actor& actor, const ImportOptions& options, std::string_view file);

    /// The run (ImportService::Get), with the live progress of one this process is running.
    Result<boost::json::object> Get(long long import_id);

    /// Blocks until no run is queued or running (tests).
    void WaitIdle();

    /// Marks this runner's unfinished runs and stale ones as failed with `reason`; the number marked.
    Result<long long> FailUnfinished(const std::string& reason);

private:
    struct Job;
    Result<long long> RecordQueued(const audit::Actor& actor, const ImportOptions& options, size_t bytes);
    void Work(std::stop_token stop);
    void Execute(Job& job, std::stop_token stop);
    bool Report(Job& job, const ImportProgressUpdate& update, std::stop_token stop);
    Status WriteProgress(long long id, const ImportProgressUpdate& update);
    void MarkFailed(long long id, const std::string& reason);
    std::string SpoolPath(long long id) const;

    storage::Database& db_;
    const Clock& clock_;
    audit::CommandPipeline& pipeline_;
    ImportService& imports_;
    ImportConfig config_;
    std::string runner_;

    std::mutex mutex_;
    std::condition_variable_any wake_;  // a run was queued
    std::condition_variable idle_;      // a run finished
    std::deque<std::shared_ptr<Job>> queue_;
    std::map<long long, ImportProgressUpdate> live_;  // runs being executed here
    size_t running_ = 0;
    std::vector<std::jthread> workers_;
};

}  // namespace chanrong::registry

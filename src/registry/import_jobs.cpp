#include "registry/import_jobs.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <unordered_set>

#include "common/json_out.hpp"
#include "storage/row.hpp"

namespace chanrong::registry {
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

constexpr const char* kUnfinished = "phase IN ('queued', 'validating', 'applying', 'indexing')";

std::string Describe(const Error& e) {
    std::string text = e.message;
    for (const auto& f : e.fields)
        if (text.find(f.message) == std::string::npos) text += "（" + f.field + ": " + f.message + "）";
    return text;
}

}  // namespace

/// A queued run: its options and who asked (with a copy of their permissions, checked again when it applies).
struct ImportJobs::Job {
    long long id = 0;
    ImportOptions options;
    audit::Actor actor;
    std::unordered_set<std::string> permissions;
    ImportProgressUpdate written{ImportPhase::kQueued, 0, 0};  // last written to the database
    TimestampMs written_at = 0;
};

ImportJobs::ImportJobs(storage::Database& db, const Clock& clock, audit::CommandPipeline& pipeline,
                       ImportService& imports, ImportConfig config, std::string runner)
    : db_(db), clock_(clock), pipeline_(pipeline), imports_(imports), config_(std::move(config)), runner_(std::move(runner)) {}

ImportJobs::~ImportJobs() {
    for (auto& w : workers_) w.request_stop();
    wake_.notify_all();
    workers_.clear();  // joins; a running import sees the stop at its next progress report
    for (const auto& job : queue_) {
        MarkFailed(job->id, "服务停止，导入未执行（未写入任何数据），请重新上传");
        std::error_code ignored;
        fs::remove(SpoolPath(job->id), ignored);
    }
}

std::string ImportJobs::SpoolPath(long long id) const {
    return (fs::path(config_.spool_dir) / ("import-" + std::to_string(id) + ".upload")).string();
}

Result<long long> ImportJobs::FailUnfinished(const std::string& reason) {
    const TimestampMs now = clock_.NowMs(), stale = now - kStaleImportMs;
    const std::string mine = std::string(" AND (runner = :r OR heartbeat_at IS NULL OR heartbeat_at < :s)");
    auto count = db_.Read([&](soci::session& s) -> Result<long long> {
        long long n = 0;
        s << std::string("SELECT COUNT(*) FROM imports WHERE ") + kUnfinished + mine, soci::use(runner_), soci::use(stale),
            soci::into(n);
        return n;
    });
    if (!count || *count == 0) return count;
    const std::string failed(ImportPhaseName(ImportPhase::kFailed));
    auto outcome = pipeline_.Execute(
        audit::Actor::System("import-recovery"),
        {.action = "import.interrupt", .entity = "import", .permission = "import:run",
         .payload = json::serialize(json::object{{"reason", reason}, {"runner", runner_}})},
        [&](soci::session& s) -> Result<audit::Outcome> {
            s << std::string("UPDATE imports SET phase = :p, error = :e, finished_at = :t WHERE ") + kUnfinished + mine,
                soci::use(failed), soci::use(reason), soci::use(now), soci::use(runner_), soci::use(stale);
            return audit::Outcome{.after = json::serialize(json::object{{"failed", *count}})};
        });
    if (!outcome) return Fail(outcome.error());
    return *count;
}

Status ImportJobs::Start() {
    std::error_code ec;
    fs::create_directories(config_.spool_dir, ec);
    if (ec) return Fail(Error::InvalidArgument("配置错误: 无法创建 import.spool_dir " + config_.spool_dir + ": " + ec.message()));
    auto failed = FailUnfinished("服务重启，导入中断（未写入任何数据），请重新上传");
    if (!failed) return Fail(failed.error());
    if (*failed > 0) spdlog::warn("{} import(s) interrupted by the previous shutdown were marked failed", *failed);
    for (const auto& entry : fs::directory_iterator(config_.spool_dir, ec))
        if (entry.path().extension() == ".upload") fs::remove(entry.path(), ec);
    for (long long i = 0; i < config_.workers; ++i)
        workers_.emplace_back([this](std::stop_token stop) { Work(stop); });
    return {};
}

Result<long long> ImportJobs::RecordQueued(const audit::Actor& actor, const ImportOptions& options, size_t bytes) {
    const TimestampMs now = clock_.NowMs();
    const json::object payload{{"file_name", options.file_name}, {"kind", ImportKindName(options.kind)},
                               {"dry_run", options.dry_run}, {"strict", options.strict},
                               {"directory_id", OptionalInt(options.directory_id)},
                               {"bytes", static_cast<long long>(bytes)}};
    long long id = 0;
    auto queued = pipeline_.Execute(
        actor, {.action = "import.queue", .entity = "import", .permission = "import:run", .payload = json::serialize(payload)},
        [&](soci::session& s) -> Result<audit::Outcome> {
            const std::string kind(ImportKindName(options.kind)), phase(ImportPhaseName(ImportPhase::kQueued));
            const int dry = options.dry_run ? 1 : 0, strict = options.strict ? 1 : 0;
            auto user = storage::Nullable(actor.user_id);
            auto directory = storage::Nullable(options.directory_id);
            s << "INSERT INTO imports (kind, file_name, user_id, user_name, dry_run, strict, applied, total_rows, "
                 "created, updated, unchanged, rejected_rows, flagged_rows, problems, at, phase, directory_id, runner, "
                 "heartbeat_at) VALUES (:k, :f, :u, :n, :d, :s, 0, 0, 0, 0, 0, 0, 0, '[]', :at, :ph, :dir, :run, :hb) "
                 "RETURNING id",
                soci::use(kind), soci::use(options.file_name), soci::use(user.value, user.ind), soci::use(actor.name),
                soci::use(dry), soci::use(strict), soci::use(now), soci::use(phase),
                soci::use(directory.value, directory.ind), soci::use(runner_), soci::use(now), soci::into(id);
            return audit::Outcome{.entity_id = std::to_string(id), .after = json::serialize(payload), .status = 202};
        });
    if (!queued) return Fail(queued.error());
    return id;
}

Result<json::object> ImportJobs::Submit(const audit::Actor& actor, const ImportOptions& options, std::string_view file) {
    {
        std::lock_guard lock(mutex_);
        if (queue_.size() >= kMaxQueuedImports)
            return Fail(Error::ResourceExhausted("排队的导入过多，请稍后再上传"));
    }
    if (options.kind == ImportKind::kDirectory && !options.directory_id)
        return Fail(Error::Field("directory_id", "required", "导入名录成员须指定名录"));
    auto job = std::make_shared<Job>();
    job->options = options;
    job->actor = actor;
    if (actor.permissions) {
        job->permissions = *actor.permissions;
        job->actor.permissions = &job->permissions;
    }
    auto id = RecordQueued(actor, options, file.size());
    if (!id) return Fail(id.error());
    job->id = job->options.job_id = *id;
    std::ofstream out(SpoolPath(job->id), std::ios::binary | std::ios::trunc);
    out.write(file.data(), static_cast<std::streamsize>(file.size()));
    out.close();
    if (!out) {
        MarkFailed(job->id, "服务器无法保存上传的文件，请稍后重试");
        return Fail(Error::Unavailable("服务器暂时无法保存上传的文件，请稍后重试"));
    }
    auto run = imports_.Get(job->id);  // as queued, before a worker can take it
    if (!run) return run;
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(job);
    }
    wake_.notify_one();
    return run;
}

Result<json::object> ImportJobs::Get(long long import_id) {
    auto run = imports_.Get(import_id);
    if (!run) return run;
    const auto& phase = (*run)["phase"];
    if (phase == "done" || phase == "failed") return run;
    std::lock_guard lock(mutex_);
    if (auto it = live_.find(import_id); it != live_.end()) {
        (*run)["phase"] = ImportPhaseName(it->second.phase);
        (*run)["rows_done"] = it->second.done;
        (*run)["rows_total"] = it->second.total;
    }
    return run;
}

void ImportJobs::WaitIdle() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return queue_.empty() && running_ == 0; });
}

void ImportJobs::Work(std::stop_token stop) {
    for (;;) {
        std::shared_ptr<Job> job;
        {
            std::unique_lock lock(mutex_);
            if (!wake_.wait(lock, stop, [&] { return !queue_.empty(); }) || stop.stop_requested()) return;
            job = queue_.front();
            queue_.pop_front();
            ++running_;
            live_[job->id] = {ImportPhase::kValidating, 0, 0};
        }
        Execute(*job, stop);
        {
            std::lock_guard lock(mutex_);
            live_.erase(job->id);
            --running_;
        }
        idle_.notify_all();
    }
}

void ImportJobs::Execute(Job& job, std::stop_token stop) {
    const TimestampMs started = clock_.NowMs();
    auto begun = db_.Write([&](soci::session& s) -> Status {
        const std::string phase(ImportPhaseName(ImportPhase::kValidating));
        s << "UPDATE imports SET phase = :p, started_at = :t WHERE id = :id", soci::use(phase), soci::use(started),
            soci::use(job.id);
        return {};
    });
    if (!begun) spdlog::warn("import {}: could not record its start: {}", job.id, begun.error().message);
    auto report = imports_.RunFile(job.actor, job.options, SpoolPath(job.id),
                                   [&](const ImportProgressUpdate& u) { return Report(job, u, stop); });
    if (!report) {
        spdlog::info("import {} failed: {}", job.id, report.error().message);
        MarkFailed(job.id, Describe(report.error()));
    }
    std::error_code ignored;
    fs::remove(SpoolPath(job.id), ignored);
}

// Keeps the live progress and writes it to the row when due; false asks the run to stop.
bool ImportJobs::Report(Job& job, const ImportProgressUpdate& u, std::stop_token stop) {
    if (stop.stop_requested()) return false;
    {
        std::lock_guard lock(mutex_);
        live_[job.id] = u;
    }
    const TimestampMs now = clock_.NowMs();
    const bool due = u.phase != job.written.phase || u.done - job.written.done >= kJobProgressRows ||
                     now - job.written_at >= kJobProgressMs || u.done == u.total;
    // While applying and indexing, SQLite's one writer is the apply transaction on this very thread: memory only.
    const bool in_transaction = u.phase == ImportPhase::kIndexing || (u.phase == ImportPhase::kApplying && u.done != 0);
    const bool writable = !in_transaction || !db_.is_sqlite();
    if (due && writable && WriteProgress(job.id, u)) {
        job.written = u;
        job.written_at = now;
    }
    return true;
}

Status ImportJobs::WriteProgress(long long id, const ImportProgressUpdate& u) {
    // Outside the apply transaction on SQLite (rows_done 0 is announced before it opens); on PostgreSQL the
    // row is not touched by the apply transaction until it records the outcome. The heartbeat of this runner's
    // queued runs moves along with it.
    const std::string phase(ImportPhaseName(u.phase));
    const TimestampMs now = clock_.NowMs();
    return db_.Write([&](soci::session& s) -> Status {
        s << std::string("UPDATE imports SET phase = :p, rows_done = :d, rows_total = :t WHERE id = :id AND ") + kUnfinished,
            soci::use(phase), soci::use(u.done), soci::use(u.total), soci::use(id);
        s << std::string("UPDATE imports SET heartbeat_at = :h WHERE runner = :r AND ") + kUnfinished, soci::use(now),
            soci::use(runner_);
        return {};
    });
}

void ImportJobs::MarkFailed(long long id, const std::string& reason) {
    const std::string phase(ImportPhaseName(ImportPhase::kFailed));
    const TimestampMs now = clock_.NowMs();
    auto marked = db_.Write([&](soci::session& s) -> Status {
        s << std::string("UPDATE imports SET phase = :p, error = :e, finished_at = :t WHERE id = :id AND ") + kUnfinished,
            soci::use(phase), soci::use(reason), soci::use(now), soci::use(id);
        return {};
    });
    if (!marked) spdlog::error("import {}: could not record its failure: {}", id, marked.error().message);
}

}  // namespace chanrong::registry

#include "registry/import_service.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <unordered_map>

#include "common/batch_handoff.hpp"
#include "common/import_table.hpp"
#include "common/json_out.hpp"
#include "common/time_format.hpp"
#include "registry/directory_service.hpp"
#include "registry/enterprise_store.hpp"
#include "registry/import_rows.hpp"
#include "storage/row.hpp"

namespace chanrong::registry {
namespace json = boost::json;
namespace {

constexpr size_t kStoredProblems = kStoredImportProblems;


Error Stopped() { return Error::Unavailable("导入已中断：服务正在停止，请稍后重新上传"); }

// Tells `progress` where a phase is: at its start, every kImportProgressRows rows and at its end.
class Ticker {
public:
    Ticker(const ImportProgress& progress, ImportPhase phase, long long total)
        : progress_(progress), phase_(phase), total_(total) {}
    bool Report() const { return !progress_ || progress_({phase_, done_, total_}); }
    bool Row() { return ++done_ % kImportProgressRows != 0 || Report(); }
    bool Finish() {
        total_ = std::max(total_, done_);
        done_ = total_;
        return Report();
    }
    void SetTotal(long long total) { total_ = total; }

private:
    const ImportProgress& progress_;
    ImportPhase phase_;
    long long done_ = 0, total_;
};

// Reads the header row and maps it to the template's columns.
Result<std::vector<int>> ReadHeader(ImportRowStream& rows, ImportKind kind, std::vector<ImportProblem>& problems) {
    std::vector<std::string> header;
    size_t number = 0;
    auto first = rows.Next(header, number);
    if (!first) return Fail(first.error());
    if (!*first) return Fail(Error::Field("file", "empty", "文件为空：第一行应为表头"));
    return MapImportHeader(header, ColumnsFor(kind), problems);
}

// What pass 1 leaves for pass 2: which data rows (in file order) are good.
struct Pass1 {
    std::vector<bool> good;
    long long rejected = 0, flagged = 0, dropped_problems = 0;
};

constexpr size_t kBatchRows = 512;  // rows handed from the reading thread at a time

// A data row as read from the file.
struct FileRow {
    size_t number = 0;
    std::vector<std::string> cells;
};

// The reading side of both passes: reads the data rows (the header already read) and hands over what `make` turns
// each into (`make(i, cells, number)`, i counting data rows from 0), in batches. Returns early, without error, once
// the other side has stopped.
template <class T, class Make>
Status HandOverRows(ImportRowStream& rows, BatchHandoff<T>& out, Make make) {
    std::vector<std::string> cells;
    size_t number = 0;
    std::vector<T> batch;
    for (size_t i = 0;; ++i) {
        auto more = rows.Next(cells, number);
        if (!more) return Fail(more.error());
        if (!*more) break;
        auto row = make(i, cells, number);
        if (!row) return Fail(row.error());
        batch.push_back(std::move(*row));
        if (batch.size() == kBatchRows) {
            if (!out.Push(std::move(batch))) return {};
            batch = {};
        }
    }
    if (!batch.empty()) out.Push(std::move(batch));
    return {};
}

// Pass 1: every row checked against `ctx` while a helper thread reads the next ones; problems go to `problems`
// (the first kStoredProblems kept).
Result<Pass1> ValidateRows(ImportRowStream& rows, const std::vector<int>& index, ImportKind kind, const Context& ctx,
                           std::vector<ImportProblem>& problems, Ticker& tick) {
    Pass1 pass;
    const auto& columns = ColumnsFor(kind);
    std::unordered_map<std::string, size_t> seen;  // duplicate key → first row
    seen.reserve(static_cast<size_t>(rows.expected_rows()) + 1);
    auto validate = [&](const std::vector<FileRow>& batch) -> Status {
        for (const FileRow& row : batch) {
            ImportRow c(row.cells, index, columns, row.number, problems);
            if (auto [it, fresh] = seen.emplace(DuplicateKey(kind, c), row.number); !fresh && !c.Text(0).empty())
                c.Problem(0, "与第 " + std::to_string(it->second) + " 行重复");
            Checked checked;
            const bool ok = CheckRow(kind, c, ctx, pass.flagged, checked);
            pass.good.push_back(ok);
            if (!ok) ++pass.rejected;
            if (problems.size() > kStoredProblems) {
                pass.dropped_problems += static_cast<long long>(problems.size() - kStoredProblems);
                problems.resize(kStoredProblems);
            }
            if (!tick.Row()) return Fail(Stopped());
        }
        return {};
    };
    auto read = [&](BatchHandoff<FileRow>& out) {
        return HandOverRows(rows, out, [](size_t, std::vector<std::string>& cells, size_t number) -> Result<FileRow> {
            return FileRow{number, std::move(cells)};
        });
    };
    if (auto done = RunPipelined<FileRow>(read, validate); !done) return Fail(done.error());
    return pass;
}

// One row of pass 2 as the reading thread hands it to the writing one.
struct PreparedRow {
    bool good = false;  // false: rejected in pass 1, only counted
    Checked checked;
    std::optional<NewEnterpriseRow> insert;  // a new enterprise, every column computed
};

// Pass 2: good rows re-checked against the transaction's view and prepared (Prepare, any thread), then written
// (Write, the transaction's thread), and the outcome counted.
class Applier {
public:
    Applier(soci::session& s, bool postgres, const ImportOptions& options, const Context& ctx, const FieldCipher& cipher,
            TimestampMs now, long long user_id, ImportReport& report)
        : s_(s), options_(options), ctx_(ctx), cipher_(cipher), now_(now), user_id_(user_id), report_(report) {
        if (options.kind != ImportKind::kEnterprises) return;
        existing_ = KnownCodes(s);
        const auto rows = static_cast<size_t>(report.valid_rows);
        if (!postgres && rows >= kDeferIndexesFrom && rows >= existing_.size()) deferred_.emplace(s);
        inserter_.emplace(s, postgres, now);
    }

    Result<PreparedRow> Prepare(ImportRow& c) const {
        PreparedRow out{.good = true};
        long long flagged = 0;
        if (!CheckRow(options_.kind, c, ctx_, flagged, out.checked))
            return Fail(Error::FailedPrecondition("第 " + std::to_string(c.row()) +
                                                  " 行在校验后发生了变化（企业或参考数据已更新），整批未导入，请重新导入"));
        if (const auto& e = out.checked.enterprise; e && !existing_.contains(e->uscc))
            out.insert = MakeNewEnterpriseRow(e->uscc, e->uscc_problem, e->fields, ctx_.refs, cipher_);
        return out;
    }

    Status Write(PreparedRow& row) {
        const Checked& r = row.checked;
        if (row.insert) {
            inserter_->Add(std::move(*row.insert));
            ++report_.created;
        } else if (r.enterprise) {
            UpdateEnterprise(existing_.at(r.enterprise->uscc), r.enterprise->fields);
        }
        if (r.figures) ApplyFigures(*r.figures);
        if (r.tag) ApplyTag(*r.tag);
        if (r.entry) return ApplyEntry(*r.entry);
        return {};
    }

    // Writes what is buffered and, after a large load on SQLite, builds the indexes (its own progress phase).
    Status Finish(const ImportProgress& progress) {
        if (inserter_) inserter_->Flush();
        if (!deferred_) return {};
        Ticker indexing(progress, ImportPhase::kIndexing, 1);
        if (!indexing.Report()) return Fail(Stopped());
        deferred_->Restore();
        if (!indexing.Finish()) return Fail(Stopped());
        return {};
    }

private:
    // At or above this many rows, and at least as many as the table holds, SQLite's indexes are built after the load.
    static constexpr size_t kDeferIndexesFrom = 10'000;

    void UpdateEnterprise(long long id, const EnterpriseFields& incoming) {
        inserter_->Flush();  // PostgreSQL: the open COPY ends before another statement
        const EnterpriseFields changed = ChangedFields(s_, id, incoming, cipher_);
        if (Empty(changed)) {
            ++report_.unchanged;
            return;
        }
        registry::UpdateEnterprise(s_, id, changed, cipher_, now_);
        if (changed.industry_code) RecomputeDerived(s_, id, ctx_.refs, now_);
        ++report_.updated;
    }

    void ApplyFigures(const FiguresRecord& r) {
        int exists = 0;
        s_ << "SELECT COUNT(*) FROM enterprise_figures WHERE enterprise_id = :e AND year = :y", soci::use(r.enterprise_id),
            soci::use(r.figures.year), soci::into(exists);
        UpsertFigures(s_, r.enterprise_id, r.figures, now_);
        RecomputeDerived(s_, r.enterprise_id, ctx_.refs, now_);
        ++(exists ? report_.updated : report_.created);
    }

    void ApplyTag(const TagRecord& r) {
        int same = 0;
        s_ << "SELECT COUNT(*) FROM enterprise_tags WHERE enterprise_id = :e AND tag = :t AND valid_from = :f "
              "AND revoked_at IS NULL",
            soci::use(r.enterprise_id), soci::use(r.tag.tag), soci::use(r.tag.valid_from), soci::into(same);
        if (same) {
            ++report_.unchanged;
            return;
        }
        long long id = 0;
        s_ << "INSERT INTO enterprise_tags (enterprise_id, tag, valid_from, valid_to, evidence, chain, chain_node, "
              "created_by, created_at) VALUES (:e, :t, :f, :u, :v, :c, :n, :b, :at) RETURNING id",
            soci::use(r.enterprise_id), soci::use(r.tag.tag), soci::use(r.tag.valid_from), soci::use(r.tag.valid_to),
            soci::use(r.tag.evidence), soci::use(r.tag.chain), soci::use(r.tag.chain_node), soci::use(user_id_),
            soci::use(now_), soci::into(id);
        ++report_.created;
    }

    Status ApplyEntry(const EntryRecord& r) {
        int same = 0;
        s_ << "SELECT COUNT(*) FROM directory_entries WHERE directory_id = :d AND enterprise_id = :e AND "
              "effective_from = :f AND effective_to IS NULL",
            soci::use(*options_.directory_id), soci::use(*r.entry.enterprise_id), soci::use(r.entry.effective_from),
            soci::into(same);
        if (same) {
            ++report_.unchanged;
            return {};
        }
        auto id = InsertEntry(s_, *options_.directory_id, r.entry, user_id_, now_);
        if (!id) return Fail(Error::FailedPrecondition("第 " + std::to_string(r.row) + " 行: " + id.error().message));
        ++report_.created;
        return {};
    }

    soci::session& s_;
    const ImportOptions& options_;
    const Context& ctx_;
    const FieldCipher& cipher_;
    TimestampMs now_;
    long long user_id_;
    ImportReport& report_;
    std::unordered_map<std::string, long long> existing_;  // enterprises: credit code → id
    std::optional<DeferredEnterpriseIndexes> deferred_;
    std::optional<EnterpriseBatchInserter> inserter_;
};

// Pass 2 over the whole file: a helper thread reads and prepares the rows while this thread (the transaction's)
// writes them, so parsing, checking and encrypting overlap with the database's work. Every row is ticked.
Status ApplyRows(ImportRowStream& rows, const std::vector<int>& index, const Pass1& pass, Applier& applier,
                 ImportKind kind, Ticker& tick, const ImportProgress& progress) {
    if (auto rewound = rows.Rewind(); !rewound) return rewound;
    std::vector<std::string> header;
    size_t number = 0;
    if (auto read = rows.Next(header, number); !read) return Fail(read.error());
    // Each row re-checked and prepared on the reading thread; rows pass 1 refused only counted.
    auto prepare = [&](BatchHandoff<PreparedRow>& out) {
        std::vector<ImportProblem> scratch;  // pass 1 already reported them
        return HandOverRows(rows, out, [&](size_t i, std::vector<std::string>& cells, size_t line) -> Result<PreparedRow> {
            if (i >= pass.good.size()) return Fail(Error::FailedPrecondition("文件在校验后发生了变化，整批未导入"));
            if (!pass.good[i]) return PreparedRow{};
            scratch.clear();
            ImportRow c(cells, index, ColumnsFor(kind), line, scratch);
            return applier.Prepare(c);
        });
    };
    auto write = [&](std::vector<PreparedRow>& batch) -> Status {
        for (PreparedRow& row : batch) {
            if (row.good)
                if (auto written = applier.Write(row); !written) return written;
            if (!tick.Row()) return Fail(Stopped());
        }
        return {};
    };
    if (auto done = RunPipelined<PreparedRow>(prepare, write); !done) return done;
    if (!tick.Finish()) return Fail(Stopped());
    return applier.Finish(progress);
}

// Writes the run's outcome: completes the queued row `options.job_id`, or records a new row.
long long RecordRun(soci::session& s, const audit::Actor& actor, const ImportReport& report, TimestampMs now) {
    const ImportOptions& o = report.options;
    const std::string problems = json::serialize(ImportProblemsJson(report.problems, kStoredProblems));
    const int dry = o.dry_run ? 1 : 0, strict = o.strict ? 1 : 0, applied = report.applied ? 1 : 0;
    const std::string done(ImportPhaseName(ImportPhase::kDone));
    if (o.job_id) {
        s << "UPDATE imports SET applied = :a, total_rows = :t, created = :c, updated = :up, unchanged = :un, "
             "rejected_rows = :r, flagged_rows = :fl, problems = :p, phase = :ph, rows_done = :t2, rows_total = :t3, "
             "finished_at = :at WHERE id = :id",
            soci::use(applied), soci::use(report.total_rows), soci::use(report.created), soci::use(report.updated),
            soci::use(report.unchanged), soci::use(report.rejected_rows), soci::use(report.flagged_rows),
            soci::use(problems), soci::use(done), soci::use(report.total_rows), soci::use(report.total_rows),
            soci::use(now), soci::use(o.job_id);
        return o.job_id;
    }
    long long id = 0;
    auto user = storage::Nullable(actor.user_id);
    auto directory = storage::Nullable(o.directory_id);
    const std::string kind(ImportKindName(o.kind));
    s << "INSERT INTO imports (kind, file_name, user_id, user_name, dry_run, strict, applied, total_rows, created, "
         "updated, unchanged, rejected_rows, flagged_rows, problems, at, phase, rows_done, rows_total, directory_id, "
         "started_at, finished_at) VALUES (:k, :f, :u, :n, :d, :s, :a, :t, :c, :up, :un, :r, :fl, :p, :at, :ph, :t2, "
         ":t3, :dir, :at2, :at3) RETURNING id",
        soci::use(kind), soci::use(o.file_name), soci::use(user.value, user.ind), soci::use(actor.name), soci::use(dry),
        soci::use(strict), soci::use(applied), soci::use(report.total_rows), soci::use(report.created),
        soci::use(report.updated), soci::use(report.unchanged), soci::use(report.rejected_rows),
        soci::use(report.flagged_rows), soci::use(problems), soci::use(now), soci::use(done),
        soci::use(report.total_rows), soci::use(report.total_rows), soci::use(directory.value, directory.ind),
        soci::use(now), soci::use(now), soci::into(id);
    return id;
}

}  // namespace

std::optional<ImportKind> ParseImportKind(std::string_view name) {
    if (name == "enterprises") return ImportKind::kEnterprises;
    if (name == "figures") return ImportKind::kFigures;
    if (name == "tags") return ImportKind::kTags;
    if (name == "directory") return ImportKind::kDirectory;
    return std::nullopt;
}

std::string_view ImportKindName(ImportKind kind) {
    switch (kind) {
        case ImportKind::kEnterprises: return "enterprises";
        case ImportKind::kFigures: return "figures";
        case ImportKind::kTags: return "tags";
        case ImportKind::kDirectory: return "directory";
    }
    return "enterprises";
}

std::string_view ImportPhaseName(ImportPhase phase) {
    switch (phase) {
        case ImportPhase::kQueued: return "queued";
        case ImportPhase::kValidating: return "validating";
        case ImportPhase::kApplying: return "applying";
        case ImportPhase::kIndexing: return "indexing";
        case ImportPhase::kDone: return "done";
        case ImportPhase::kFailed: return "failed";
    }
    return "failed";
}

json::object ImportReport::ToJson() const {
    return {{"import_id", import_id}, {"kind", ImportKindName(options.kind)}, {"file_name", options.file_name},
            {"dry_run", options.dry_run}, {"strict", options.strict}, {"applied", applied},
            {"total_rows", total_rows}, {"valid_rows", valid_rows}, {"created", created}, {"updated", updated},
            {"unchanged", unchanged}, {"rejected_rows", rejected_rows}, {"flagged_rows", flagged_rows},
            {"problem_count", problem_count}, {"problems", ImportProblemsJson(problems, kStoredProblems)}};
}

Result<ImportReport> ImportService::Run(const audit::Actor& actor, const ImportOptions& options, std::string_view file,
                                        const ImportProgress& progress) {
    auto rows = ImportRowStream::OpenBytes(file);
    if (!rows) return Fail(rows.error());
    return RunStream(actor, options, **rows, progress);
}

Result<ImportReport> ImportService::RunFile(const audit::Actor& actor, const ImportOptions& options,
                                            const std::string& path, const ImportProgress& progress) {
    auto rows = ImportRowStream::OpenFile(path);
    if (!rows) return Fail(rows.error());
    return RunStream(actor, options, **rows, progress);
}

Result<ImportReport> ImportService::RunStream(const audit::Actor& actor, const ImportOptions& options,
                                              ImportRowStream& rows, const ImportProgress& progress) {
    ImportReport report;
    report.options = options;
    auto index = ReadHeader(rows, options.kind, report.problems);
    if (!index) return Fail(index.error());

    // Pass 1 reads reference data and existing codes once, then checks every row; nothing is written.
    auto ctx = db_.Read([&](soci::session& s) { return LoadContext(s, options); });
    if (!ctx) return Fail(ctx.error());
    Ticker checking(progress, ImportPhase::kValidating, rows.expected_rows());
    if (!checking.Report()) return Fail(Stopped());
    auto pass = ValidateRows(rows, *index, options.kind, *ctx, report.problems, checking);
    if (!pass) return Fail(pass.error());
    report.total_rows = static_cast<long long>(pass->good.size());
    report.rejected_rows = pass->rejected;
    report.flagged_rows = pass->flagged;
    report.valid_rows = report.total_rows - pass->rejected;
    report.problem_count = static_cast<long long>(report.problems.size()) + pass->dropped_problems;
    checking.SetTotal(report.total_rows);
    if (!checking.Finish()) return Fail(Stopped());
    *ctx = Context{};  // pass 2 reads its own inside the transaction: do not hold two copies of the codes

    // Pass 2, in the one audited transaction: the good rows written, the run recorded.
    const bool apply = !options.dry_run && !(options.strict && pass->rejected > 0) && report.valid_rows > 0;
    const json::object payload{{"file_name", options.file_name}, {"kind", ImportKindName(options.kind)},
                               {"dry_run", options.dry_run}, {"strict", options.strict},
                               {"directory_id", OptionalInt(options.directory_id)}, {"rows", report.total_rows}};
    // The applying phase is announced before the transaction opens, so that a job can still record it on SQLite.
    Ticker applying(progress, ImportPhase::kApplying, report.total_rows);
    if (apply && !applying.Report()) return Fail(Stopped());
    auto outcome = pipeline_.Execute(
        actor, {.action = std::string("import.") + std::string(ImportKindName(options.kind)), .entity = "import",
                .permission = "import:run", .payload = json::serialize(payload)},
        [&](soci::session& s) -> Result<audit::Outcome> {
            const TimestampMs now = clock_.NowMs();  // taken holding the write lock (SQLite): stamps follow commits
            if (apply) {
                auto fresh = LoadContext(s, options);
                if (!fresh) return Fail(fresh.error());
                Applier applier(s, !db_.is_sqlite(), options, *fresh, cipher_, now, actor.user_id.value_or(0), report);
                if (auto st = ApplyRows(rows, *index, *pass, applier, options.kind, applying, progress); !st)
                    return Fail(st.error());
            }
            report.applied = apply;
            report.import_id = RecordRun(s, actor, report, now);
            json::object after = report.ToJson();
            after.erase("problems");
            return audit::Outcome{.entity_id = std::to_string(report.import_id), .after = json::serialize(after)};
        });
    if (!outcome) return Fail(outcome.error());
    return report;
}

Result<std::string> ImportService::Template(ImportKind kind, TableWriter::Format format) const {
    return ImportTemplate(format, "导入模板", ColumnsFor(kind));
}

Result<json::object> ImportService::List(long long offset, long long limit) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        long long total = 0;
        s << "SELECT COUNT(*) FROM imports", soci::into(total);
        long long id = 0, rows = 0, created = 0, updated = 0, unchanged = 0, rejected = 0, flagged = 0, at = 0,
                  done = 0, of = 0;
        int dry = 0, strict = 0, applied = 0;
        std::string kind, file, user, phase, error;
        soci::statement st = (s.prepare << "SELECT id, kind, file_name, user_name, dry_run, strict, applied, total_rows, "
                                           "created, updated, unchanged, rejected_rows, flagged_rows, at, phase, "
                                           "rows_done, rows_total, error FROM imports ORDER BY id DESC LIMIT :l OFFSET :o",
                              soci::use(limit), soci::use(offset), soci::into(id), soci::into(kind), soci::into(file),
                              soci::into(user), soci::into(dry), soci::into(strict), soci::into(applied),
                              soci::into(rows), soci::into(created), soci::into(updated), soci::into(unchanged),
                              soci::into(rejected), soci::into(flagged), soci::into(at), soci::into(phase),
                              soci::into(done), soci::into(of), soci::into(error));
        st.execute();
        json::array items;
        while (st.fetch())
            items.push_back(json::object{{"id", id}, {"kind", kind}, {"file_name", file}, {"user", user},
                                         {"dry_run", dry == 1}, {"strict", strict == 1}, {"applied", applied == 1},
                                         {"total_rows", rows}, {"created", created}, {"updated", updated},
                                         {"unchanged", unchanged}, {"rejected_rows", rejected},
                                         {"flagged_rows", flagged}, {"at", FormatIsoUtc(at)}, {"phase", phase},
                                         {"rows_done", done}, {"rows_total", of}, {"error", error}});
        return PageJson(std::move(items), total, offset, limit);
    });
}

Result<json::object> ImportService::Get(long long import_id) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        long long rows = 0, created = 0, updated = 0, unchanged = 0, rejected = 0, flagged = 0, at = 0, done = 0, of = 0;
        int dry = 0, strict = 0, applied = 0;
        std::string kind, file, user, phase, error, problems;
        storage::NullableInt directory, started, finished;
        s << "SELECT kind, file_name, user_name, dry_run, strict, applied, total_rows, created, updated, unchanged, "
             "rejected_rows, flagged_rows, problems, at, phase, rows_done, rows_total, error, directory_id, started_at, "
             "finished_at FROM imports WHERE id = :id",
            soci::use(import_id), soci::into(kind), soci::into(file), soci::into(user), soci::into(dry),
            soci::into(strict), soci::into(applied), soci::into(rows), soci::into(created), soci::into(updated),
            soci::into(unchanged), soci::into(rejected), soci::into(flagged), soci::into(problems), soci::into(at),
            soci::into(phase), soci::into(done), soci::into(of), soci::into(error),
            soci::into(directory.value, directory.ind), soci::into(started.value, started.ind),
            soci::into(finished.value, finished.ind);
        if (!s.got_data()) return Fail(Error::NotFound("导入记录不存在"));
        auto time = [](const storage::NullableInt& t) { return t.get() ? json::value(FormatIsoUtc(*t.get())) : json::value(nullptr); };
        const bool finished_ok = phase == ImportPhaseName(ImportPhase::kDone);
        json::value report = finished_ok ? json::parse(problems) : json::array();
        return json::object{{"id", import_id}, {"import_id", import_id}, {"kind", kind}, {"file_name", file},
                            {"user", user}, {"dry_run", dry == 1}, {"strict", strict == 1},
                            {"directory_id", OptionalInt(directory.get())}, {"phase", phase}, {"rows_done", done},
                            {"rows_total", of}, {"error", error}, {"at", FormatIsoUtc(at)},
                            {"started_at", time(started)}, {"finished_at", time(finished)}, {"applied", applied == 1},
                            {"total_rows", rows}, {"valid_rows", finished_ok ? rows - rejected : 0},
                            {"created", created}, {"updated", updated}, {"unchanged", unchanged},
                            {"rejected_rows", rejected}, {"flagged_rows", flagged}, {"problems", std::move(report)}};
    });
}

Result<std::string> ImportService::ReportFile(long long import_id, TableWriter::Format format) {
    auto problems = db_.Read([&](soci::session& s) -> Result<std::string> {
        std::string text;
        s << "SELECT problems FROM imports WHERE id = :id", soci::use(import_id), soci::into(text);
        if (!s.got_data()) return Fail(Error::NotFound("导入记录不存在"));
        return text;
    });
    if (!problems) return Fail(problems.error());
    TableWriter writer(format, "导入报告", {"行号", "列", "值", "原因", "级别"});
    const json::value parsed = json::parse(*problems);
    for (const auto& p : parsed.as_array()) {
        const auto& o = p.as_object();
        writer.Add({std::to_string(o.at("row").as_int64()), std::string(o.at("column").as_string()),
                    std::string(o.at("value").as_string()), std::string(o.at("reason").as_string()),
                    o.at("severity") == "error" ? "错误" : "警告"});
    }
    return writer.Finish();
}

}  // namespace chanrong::registry

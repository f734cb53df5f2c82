#pragma once
// Bulk import of enterprises, yearly figures, tags and directory membership from CSV or XLSX with Chinese
// headers: every cell validated, a per-row report (row, column, value, reason), dry runs, strict mode (one bad
// row rejects the file), idempotent upsert by credit code, and all-or-nothing application in one transaction.
// A credit code that fails its check is imported flagged for review (a warning), never dropped or corrected.
//
// A run reads its file twice, one row at a time: pass 1 validates every row (outside any transaction) and keeps
// only the problems, the keys seen (for duplicates) and which rows are good; pass 2, inside the one audited
// transaction, reads the file again and writes the good rows in batches. Memory is bounded by the keys, not by
// the parsed file.

#include <boost/json/object.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/command_pipeline.hpp"
#include "common/clock.hpp"
#include "common/field_cipher.hpp"
#include "common/import_table.hpp"
#include "common/table_export.hpp"
#include "storage/database.hpp"

namespace chanrong::registry {

enum class ImportKind { kEnterprises, kFigures, kTags, kDirectory };

std::optional<ImportKind> ParseImportKind(std::string_view name);
std::string_view ImportKindName(ImportKind kind);

/// Where a run is: waiting for a worker, checking rows, writing rows, finished (with its report) or failed.
/// kIndexing follows kApplying when SQLite builds the table's indexes after a large load (0 of 1, then 1 of 1).
enum class ImportPhase { kQueued, kValidating, kApplying, kIndexing, kDone, kFailed };

std::string_view ImportPhaseName(ImportPhase phase);

struct ImportOptions {
    ImportKind kind = ImportKind::kEnterprises;
    bool dry_run = true;
    bool strict = false;
    std::optional<long long> directory_id;  ///< for kDirectory
    std::string file_name;
    /// The queued run (row of `imports`) this run completes; 0 records a new row when it finishes.
    long long job_id = 0;
};

struct ImportReport {
    long long import_id = 0;
    ImportOptions options;
    bool applied = false;
    long long total_rows = 0, valid_rows = 0, created = 0, updated = 0, unchanged = 0, rejected_rows = 0,
              flagged_rows = 0;
    std::vector<ImportProblem> problems;  ///< the first kStoredImportProblems
    long long problem_count = 0;          ///< all problems found, kept or not

    boost::json::object ToJson() const;
};

/// Problems kept in a report (the counts stay exact beyond it).
inline constexpr size_t kStoredImportProblems = 10'000;

/// Progress of a run: the phase, rows handled in it and the rows of the file (while validating a CSV, counted
/// from its line ends until validation has read every row).
struct ImportProgressUpdate {
    ImportPhase phase = ImportPhase::kValidating;
    long long done = 0;
    long long total = 0;
};

/// Told at each phase's start and end and every kImportProgressRows rows. Returning false stops the run: it
/// fails with 503 and nothing is applied (used when the server shuts down).
using ImportProgress = std::function<bool(const ImportProgressUpdate&)>;

inline constexpr long long kImportProgressRows = 1'000;

class ImportService {
public:
    ImportService(storage::Database& db, const Clock& clock, audit::CommandPipeline& pipeline, const FieldCipher& cipher)
        : db_(db), clock_(clock), pipeline_(pipeline), cipher_(cipher) {}

    /// Validates the file in `file` and (unless a dry run, or strict with errors) applies it; always records the
    /// run (completing options.job_id when set).
    Result<ImportReport> Run(const audit::Actor& actor, const ImportOptions& options, std::string_view file,
                             const ImportProgress& progress = {});
    /// The same for the file at `path`, streamed from disk (CLI and import jobs).
    Result<ImportReport> RunFile(const audit::Actor& actor, const ImportOptions& options, const std::string& path,
                                 const ImportProgress& progress = {});

    /// A template with the kind's Chinese headers and one example row.
    Result<std::string> Template(ImportKind kind, TableWriter::Format format) const;
    /// Past runs, newest first, with their phase.
    Result<boost::json::object> List(long long offset, long long limit);
    /// One run: options, phase and progress, and (once done) its counts and problems; 404 if unknown.
    Result<boost::json::object> Get(long long import_id);
    /// The stored report of a run as a table file.
    Result<std::string> ReportFile(long long import_id, TableWriter::Format format);

private:
    Result<ImportReport> RunStream(const audit::Actor& actor, const ImportOptions& options, ImportRowStream& rows,
                                   const ImportProgress& progress);

    storage::Database& db_;
    const Clock& clock_;
    audit::CommandPipeline& pipeline_;
    const FieldCipher& cipher_;
};

}  // namespace chanrong::registry

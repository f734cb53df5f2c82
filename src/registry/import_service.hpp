#pragma once
// Bulk import of enterprises, yearly figures, tags and directory membership from CSV or XLSX with Chinese
// headers: every cell validated, a per-row report (row, column, value, reason), dry runs, strict mode (one bad
// row rejects the file), idempotent upsert by credit code, and all-or-nothing application in one transaction.
// A credit code that fails its check is imported flagged for review (a warning), never dropped or corrected.

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

struct ImportOptions {
    ImportKind kind = ImportKind::kEnterprises;
    bool dry_run = true;
    bool strict = false;
    std::optional<long long> directory_id;  ///< for kDirectory
    std::string file_name;
};


struct ImportReport {
    long long import_id = 0;
    ImportOptions options;
    bool applied = false;
    long long total_rows = 0, valid_rows = 0, created = 0, updated = 0, unchanged = 0, rejected_rows = 0,
              flagged_rows = 0;
    std::vector<ImportProblem> problems;

    boost::json::object ToJson() const;
};

/// Told the number of rows processed so far, every few thousand rows.
using ImportProgress = std::function<void(long long done, long long total)>;

class ImportService {
public:
    ImportService(storage::Database& db, const Clock& clock, audit::CommandPipeline& pipeline, const FieldCipher& cipher)
        : db_(db), clock_(clock), pipeline_(pipeline), cipher_(cipher) {}

    /// Parses, validates and (unless a dry run, or strict with errors) applies the file; always records the run.
    Result<ImportReport> Run(const audit::Actor& actor, const ImportOptions& options, std::string_view file,
                             const ImportProgress& progress = {});

    /// A template with the kind's Chinese headers and one example row.
    Result<std::string> Template(ImportKind kind, TableWriter::Format format) const;
    /// Past runs, newest first.
    Result<boost::json::object> List(long long offset, long long limit);
    /// The stored report of a run as a table file.
    Result<std::string> ReportFile(long long import_id, TableWriter::Format format);

private:
    storage::Database& db_;
    const Clock& clock_;
    audit::CommandPipeline& pipeline_;
    const FieldCipher& cipher_;
};

}  // namespace chanrong::registry

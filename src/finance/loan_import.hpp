#pragma once
// Institutions' bulk report of loans made outside the platform (monthly CSV/XLSX): every cell validated, a
// per-row report, dry runs, strict mode, idempotent by the institution's loan reference, applied in one
// audited transaction.

#include <boost/json/object.hpp>

#include <string>

#include "audit/command_pipeline.hpp"
#include "common/clock.hpp"
#include "common/table_export.hpp"
#include "storage/database.hpp"

namespace chanrong::finance {

struct LoanImportOptions {
    long long institution_id = 0;
    bool dry_run = true;
    bool strict = false;
    std::string file_name;
};

/// {import_id, dry_run, strict, applied, total_rows, valid_rows, created, unchanged, rejected_rows, problems}.
Result<boost::json::object> ImportLoans(storage::Database& db, const Clock& clock, audit::CommandPipeline& pipeline,
                                        const audit::Actor& actor, const LoanImportOptions& options,
                                        std::string_view file);

/// The template with its Chinese headers and one example row.
Result<std::string> LoanImportTemplate(TableWriter::Format format);

}  // namespace chanrong::finance

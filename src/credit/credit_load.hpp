#pragma once
// Loads of credit records from the data-sharing exchange (CSV or XLSX upload, or JSON through the API with an
// API key): every row checked by the data-quality rules, a per-row report and a quality report per load,
// idempotent upsert by (source, external reference), and the affected enterprises rescored in the same
// audited transaction. A strict load with any rejected row applies nothing.

#include <boost/json/object.hpp>

#include <string>
#include <vector>

#include "audit/command_pipeline.hpp"
#include "common/clock.hpp"
#include "common/table_export.hpp"
#include "credit/credit_store.hpp"
#include "storage/database.hpp"

namespace chanrong::credit {

struct LoadOptions {
    std::string source;  ///< the sending department or system, e.g. "xm-tax"
    std::string file_name;
    bool dry_run = false;
    bool strict = false;
};

/// The data-quality rules a row is checked against, with their report names.
struct QualityRule {
    const char* code;
    const char* name;
};
const std::vector<QualityRule>& QualityRules();

/// Reads a CSV/XLSX file into rows (header first) of the load template.
Result<std::vector<std::vector<std::string>>> ReadLoadFile(std::string_view file, std::vector<size_t>& row_numbers);
/// Turns a JSON body {"records": [{uscc, type, occurred_on, valid_until, status, value, amount_fen, quantity,
/// external_ref, detail}]} into the same rows; 400 naming the record and field for a malformed one.
Result<std::vector<std::vector<std::string>>> RowsFromJson(const boost::json::value& records);

class CreditLoader {
public:
    CreditLoader(storage::Database& db, const Clock& clock, audit::CommandPipeline& pipeline, ScorecardModels& models)
        : db_(db), clock_(clock), pipeline_(pipeline), models_(models) {}

    /// {import_id, source, dry_run, strict, applied, total_rows, created, updated, unchanged, rejected_rows,
    ///  rescored, quality: {rules: [{code, name, rows}], pass_rate}, problems}.
    Result<boost::json::object> Load(const audit::Actor& actor, const LoadOptions& options,
                                     std::vector<std::vector<std::string>> rows, std::vector<size_t> row_numbers,
                                     const std::string& format);

    /// The template with its Chinese headers and example rows.
    static Result<std::string> Template(TableWriter::Format format);

private:
    storage::Database& db_;
    const Clock& clock_;
    audit::CommandPipeline& pipeline_;
    ScorecardModels& models_;
};

}  // namespace chanrong::credit

#pragma once
// The shared machinery of file imports: reading a CSV or XLSX upload into rows, mapping a template's Chinese
// headers to columns, and reading each cell with a per-row problem report (row, column, value, reason).

#include <boost/json/array.hpp>

#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "common/table_export.hpp"
#include "common/xlsx_reader.hpp"

namespace chanrong {

/// One column of an import template.
struct ImportColumn {
    const char* header;   ///< the Chinese header, e.g. "统一社会信用代码"
    bool required;
    const char* example;  ///< shown in the downloadable template
};

/// One problem found in one cell (or, with row 1, in the header).
struct ImportProblem {
    size_t row = 0;  ///< row number in the file (the header is row 1)
    std::string column;
    std::string value;
    std::string reason;
    bool error = true;  ///< false: a warning; the row is still imported
};

/// The rows of an uploaded file with their row numbers; rows[0] is the header.
struct ImportTable {
    std::vector<size_t> numbers;
    std::vector<std::vector<std::string>> rows;
};

/// XLSX when the bytes are a zip archive, CSV (UTF-8 or GB18030) otherwise; 400 for an empty or unreadable file.
Result<ImportTable> ReadImportTable(std::string_view file);

class CsvReader;

/// The rows of an uploaded file one at a time, so a large file is never held parsed in memory: CSV is read in
/// chunks from disk or from memory (with ReadCsv's rules); an XLSX worksheet is read whole (its XML is unpacked
/// anyway, and sheets are capped at two million rows) and handed out row by row. Rewind() starts again from the
/// header, for a second pass over the same file.
class ImportRowStream {
public:
    /// The file at `path`: XLSX when it starts with "PK", CSV otherwise; 400 naming "file" if unreadable.
    static Result<std::unique_ptr<ImportRowStream>> OpenFile(const std::string& path);
    /// The file in `bytes`, which must outlive the stream.
    static Result<std::unique_ptr<ImportRowStream>> OpenBytes(std::string_view bytes);
    ~ImportRowStream();
    ImportRowStream(const ImportRowStream&) = delete;
    ImportRowStream& operator=(const ImportRowStream&) = delete;

    /// Reads the next row into `cells` and its row number in the file into `number`; false at the end. A file
    /// that cannot be parsed fails here (400 naming "csv" or "file", with the line).
    Result<bool> Next(std::vector<std::string>& cells, size_t& number);
    /// Back to the first row (the header).
    Status Rewind();
    /// The number of data rows (header excluded): exact for XLSX, counted from line ends for CSV (a guess
    /// for progress only; quoted line breaks are allowed for, blank lines are not counted).
    long long expected_rows() const { return expected_rows_; }

private:
    ImportRowStream() = default;
    Status OpenCsv();

    std::string path_;             // empty: reading bytes_
    std::string_view bytes_;
    std::unique_ptr<std::istream> in_;
    std::unique_ptr<CsvReader> csv_;
    std::vector<XlsxRow> xlsx_;      // the whole worksheet (XLSX only)
    bool is_xlsx_ = false;
    size_t next_ = 0;
    long long expected_rows_ = 0;
};

/// The file column of each template column (-1 when absent). An unknown header is a warning; a missing required
/// column rejects the file (400 naming it).
Result<std::vector<int>> MapImportHeader(const std::vector<std::string>& header,
                                         const std::vector<ImportColumn>& columns, std::vector<ImportProblem>& problems);

/// The cells of one row by template column, recording problems as they are read.
class ImportRow {
public:
    ImportRow(const std::vector<std::string>& cells, const std::vector<int>& index,
              const std::vector<ImportColumn>& columns, size_t row, std::vector<ImportProblem>& problems)
        : cells_(cells), index_(index), columns_(columns), row_(row), problems_(problems) {}

    std::string Text(size_t column) const;
    void Problem(size_t column, std::string reason, bool error = true);
    std::optional<std::string> Required(size_t column);
    std::optional<std::string> Optional(size_t column) const;
    /// An amount in 万元 (up to six decimals) as fen.
    std::optional<long long> Wan(size_t column);
    /// An amount in 元 (up to two decimals) as fen.
    std::optional<long long> Yuan(size_t column, bool required);
    /// A percentage with up to two decimals ("3.45") as basis points.
    std::optional<long long> PercentBp(size_t column, bool required);
    /// A non-negative integer.
    std::optional<long long> Count(size_t column);
    std::optional<std::string> Date(size_t column, bool required);
    /// 是/否, Y/N, true/false, 1/0; empty is false.
    bool Flag(size_t column);

    size_t row() const { return row_; }
    bool failed() const { return failed_; }

private:
    const std::vector<std::string>& cells_;
    const std::vector<int>& index_;
    const std::vector<ImportColumn>& columns_;
    size_t row_;
    std::vector<ImportProblem>& problems_;
    bool failed_ = false;
};

/// A downloadable template: the columns' Chinese headers, their example row and any `more_rows`.
Result<std::string> ImportTemplate(TableWriter::Format format, const std::string& sheet,
                                   const std::vector<ImportColumn>& columns, const std::vector<TableRow>& more_rows = {});

/// "123.45" 万元 → fen (1 万元 = 1,000,000 fen), exactly; at most six decimals.
std::optional<long long> ParseWanToFen(std::string_view text);
/// "2024-03-01", "2024/3/1" or an Excel serial day number → "YYYY-MM-DD".
std::optional<std::string> ParseImportDate(std::string_view text);

/// The first `cap` problems as JSON ({row, column, value, reason, severity}).
boost::json::array ImportProblemsJson(const std::vector<ImportProblem>& problems, size_t cap);

}  // namespace chanrong

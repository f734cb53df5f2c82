#pragma once
// Tables to CSV (UTF-8 with BOM, for Excel) and XLSX. Cells that a spreadsheet would run as formulas are
// neutralised with a leading apostrophe.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace chanrong {

using TableRow = std::vector<std::string>;

/// Receives a finished piece of the file (streamed exports).
using ChunkSink = std::function<void(std::string&&)>;

/// Writes rows as CSV or XLSX. Without a sink the file is returned by Finish(); with one it is handed over in
/// pieces of about 64 KiB — CSV as rows are added, XLSX (built in constant memory in a temporary file) at Finish().
class TableWriter {
public:
    enum class Format { kCsv, kXlsx };
    TableWriter(Format format, std::string sheet_name, TableRow header, ChunkSink sink = {});
    ~TableWriter();
    TableWriter(const TableWriter&) = delete;
    TableWriter& operator=(const TableWriter&) = delete;

    void Add(const TableRow& row);
    /// The finished file's bytes (empty when a sink received them).
    Result<std::string> Finish();

    static const char* ContentType(Format format);
    static const char* Extension(Format format);

private:
    struct Xlsx;
    Format format_;
    std::string csv_;
    std::unique_ptr<Xlsx> xlsx_;
    ChunkSink sink_;
    size_t row_index_ = 0;
};

/// "=1+1" → "'=1+1"; other text unchanged.
std::string NeutraliseFormula(const std::string& cell);

}  // namespace chanrong

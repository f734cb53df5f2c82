#pragma once
// Tables to CSV (UTF-8 with BOM, for Excel) and XLSX. Cells that a spreadsheet would run as formulas are
// neutralised with a leading apostrophe.

#include <memory>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace chanrong {

using TableRow = std::vector<std::string>;

/// Accumulates rows and renders them; rows are written as they come when the sink is XLSX.
class TableWriter {
public:
    enum class Format { kCsv, kXlsx };
    TableWriter(Format format, std::string sheet_name, TableRow header);
    ~TableWriter();
    TableWriter(const TableWriter&) = delete;
    TableWriter& operator=(const TableWriter&) = delete;

    void Add(const TableRow& row);
    /// The finished file's bytes.
    Result<std::string> Finish();

    static const char* ContentType(Format format);
    static const char* Extension(Format format);

private:
    struct Xlsx;
    Format format_;
    std::string csv_;
    std::unique_ptr<Xlsx> xlsx_;
    size_t row_index_ = 0;
};

/// "=1+1" → "'=1+1"; other text unchanged.
std::string NeutraliseFormula(const std::string& cell);

}  // namespace chanrong

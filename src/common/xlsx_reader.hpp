#pragma once
// Reading one worksheet of an .xlsx workbook (Office Open XML) from memory, for imports. Values come back as
// text exactly as stored: numbers keep their literal form ("123.45", "1E-3"), so no floating-point rounding.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace chanrong {

struct XlsxOptions {
    /// The worksheet to read; empty reads the first worksheet in workbook order (hidden or not).
    std::string sheet_name;
    /// Refuse any XML part (workbook, relationships, shared strings, sheet) that unpacks to more bytes.
    std::uint64_t max_part_bytes = 512ull << 20;
    /// Refuse sheets with more <row> elements.
    size_t max_rows = 2'000'000;
    /// Refuse sheets whose returned rows would hold more cells in total (gaps included).
    size_t max_cells = 20'000'000;
};

/// One non-empty row: its 1-based number in the sheet and its cells from column A, placed by their reference
/// ("C7" → cells[2]); gaps are empty strings and trailing empty cells are dropped.
struct XlsxRow {
    size_t row = 0;
    std::vector<std::string> cells;
};

struct XlsxSheet {
    std::string name;
    std::vector<XlsxRow> rows;  ///< in sheet order; rows without any value are left out
};

/// Reads a worksheet from the bytes of an .xlsx file.
///  - shared strings (t="s", including rich-text runs; phonetic runs are ignored), inline strings
///    (t="inlineStr"), formula results (t="str" and cached <v> values) and "_xHHHH_" escapes are decoded;
///  - numbers (t="n" or no type), errors (t="e") and ISO dates (t="d") are the literal <v> text; dates stored as
///    serial numbers stay serial numbers (styles are not applied); booleans (t="b") become "TRUE"/"FALSE".
/// Failures are Error values, never exceptions: invalid_argument with field "file" for anything that is not a
/// readable workbook (codes not_xlsx, legacy_xls, bad_zip, missing_part, bad_xml, bad_cell), field "sheet" for an
/// unknown sheet name, and payload_too_large for the limits in `options`.
Result<XlsxSheet> ReadXlsx(std::string_view bytes, const XlsxOptions& options = {});

/// Names of the worksheets in workbook order (chart sheets excluded).
Result<std::vector<std::string>> ListXlsxSheets(std::string_view bytes, const XlsxOptions& options = {});

}  // namespace chanrong

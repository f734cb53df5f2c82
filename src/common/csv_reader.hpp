#pragma once
// Reading CSV files (RFC 4180, as Excel and WPS write them): a whole buffer at once or row by row from a stream.
// Input may be UTF-8 (with or without BOM) or GB18030/GBK, as Chinese Excel's "CSV (逗号分隔)" writes it.

#include <cstddef>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace chanrong {

struct CsvOptions {
    char delimiter = ',';
    /// Lines with nothing on them (not even a delimiter or a pair of quotes) produce no row.
    bool skip_empty_lines = true;
    /// A longer field fails with code "field_too_large" instead of growing without bound.
    size_t max_field_bytes = 16u << 20;
};

/// One record and the 1-based physical line it starts on (quoted fields may span several lines).
struct CsvRow {
    size_t line = 0;
    std::vector<std::string> fields;
};

/// The encoding a reader found. ASCII-only input reports kUtf8.
enum class TextEncoding { kUtf8, kGb18030 };

struct CsvTable {
    TextEncoding encoding = TextEncoding::kUtf8;
    std::vector<CsvRow> rows;
};

/// Parses a whole file. A UTF-8 BOM is skipped; bytes that are not valid UTF-8 are read as GB18030 and converted
/// to UTF-8. Records end at CRLF, LF or a lone CR; quoted fields may hold delimiters, doubled quotes and line
/// breaks (kept as written); a quote inside an unquoted field is kept literally. Failures are invalid_argument
/// errors naming field "csv", with the line in the message ("第 12 行: …") and the code: unterminated_quote,
/// text_after_quote, field_too_large, bad_encoding or utf16.
Result<CsvTable> ReadCsv(std::string_view bytes, const CsvOptions& options = {});

/// Reads records one at a time from a stream, in 64 KiB chunks, with ReadCsv's rules. The encoding is decided at
/// the first non-ASCII byte from the rest of the chunk it falls in (at least 4 KiB unless the input ends first):
/// well-formed UTF-8 → UTF-8, otherwise GB18030. A later byte that does not fit the decided encoding fails with
/// "bad_encoding" naming its line; rows before it are still returned.
class CsvReader {
public:
    explicit CsvReader(std::istream& in, CsvOptions options = {});
    ~CsvReader();
    CsvReader(const CsvReader&) = delete;
    CsvReader& operator=(const CsvReader&) = delete;

    /// The next record, nullopt at the end, or the error (repeated by every later call).
    Result<std::optional<CsvRow>> Next();

    /// The encoding decided so far (kUtf8 until the first non-ASCII byte).
    TextEncoding encoding() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

/// Converts GB18030 (a superset of GBK and GB2312) to UTF-8; an invalid or truncated sequence fails with
/// "bad_encoding" naming its 1-based line.
Result<std::string> Gb18030ToUtf8(std::string_view bytes);

}  // namespace chanrong

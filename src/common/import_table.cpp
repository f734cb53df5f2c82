#include "common/import_table.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <spanstream>

#include "common/csv_reader.hpp"
#include "common/money.hpp"
#include "common/time_format.hpp"
#include "common/xlsx_reader.hpp"

namespace chanrong {
namespace {

std::string Trim(std::string s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

}  // namespace

Result<ImportTable> ReadImportTable(std::string_view file) {
    ImportTable t;
    if (file.starts_with("PK")) {
        auto sheet = ReadXlsx(file);
        if (!sheet) return Fail(sheet.error());
        for (auto& r : sheet->rows) {
            t.numbers.push_back(r.row);
            t.rows.push_back(std::move(r.cells));
        }
    } else {
        auto csv = ReadCsv(file);
        if (!csv) return Fail(csv.error());
        for (auto& r : csv->rows) {
            t.numbers.push_back(r.line);
            t.rows.push_back(std::move(r.fields));
        }
    }
    if (t.rows.empty()) return Fail(Error::Field("file", "empty", "文件为空：第一行应为表头"));
    return t;
}


namespace {

// Records in CSV text: line ends outside double quotes that close a non-empty line. For progress only.
long long CountCsvRecords(std::istream& in) {
    long long records = 0;
    bool quoted = false, content = false;
    std::vector<char> buffer(1 << 20);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto n = static_cast<size_t>(in.gcount());
        for (size_t i = 0; i < n; ++i) {
            const char c = buffer[i];
            if (c == '"') quoted = !quoted;
            if (!quoted && (c == '\n' || c == '\r')) {
                records += content ? 1 : 0;
                content = false;
            } else {
                content = true;
            }
        }
    }
    return records + (content ? 1 : 0);
}

Error Unreadable(const std::string& path) {
    return Error::Field("file", "unreadable", "无法读取上传的文件: " + path);
}

}  // namespace

ImportRowStream::~ImportRowStream() = default;

Result<std::unique_ptr<ImportRowStream>> ImportRowStream::OpenFile(const std::string& path) {
    std::unique_ptr<ImportRowStream> stream(new ImportRowStream());
    stream->path_ = path;
    std::ifstream probe(path, std::ios::binary);
    if (!probe) return Fail(Unreadable(path));
    char magic[2] = {0, 0};
    probe.read(magic, 2);
    if (probe.gcount() == 2 && magic[0] == 'P' && magic[1] == 'K') {
        probe.seekg(0, std::ios::end);
        std::string bytes(static_cast<size_t>(probe.tellg()), '\0');
        probe.seekg(0);
        probe.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        auto sheet = ReadXlsx(bytes);
        if (!sheet) return Fail(sheet.error());
        stream->is_xlsx_ = true;
        stream->xlsx_ = std::move(sheet->rows);
        stream->expected_rows_ = std::max<long long>(0, static_cast<long long>(stream->xlsx_.size()) - 1);
        return stream;
    }
    probe.clear();
    probe.seekg(0);
    stream->expected_rows_ = std::max(0LL, CountCsvRecords(probe) - 1);
    if (auto opened = stream->OpenCsv(); !opened) return Fail(opened.error());
    return stream;
}

Result<std::unique_ptr<ImportRowStream>> ImportRowStream::OpenBytes(std::string_view bytes) {
    std::unique_ptr<ImportRowStream> stream(new ImportRowStream());
    stream->bytes_ = bytes;
    if (bytes.starts_with("PK")) {
        auto sheet = ReadXlsx(bytes);
        if (!sheet) return Fail(sheet.error());
        stream->is_xlsx_ = true;
        stream->xlsx_ = std::move(sheet->rows);
        stream->expected_rows_ = std::max<long long>(0, static_cast<long long>(stream->xlsx_.size()) - 1);
        return stream;
    }
    std::ispanstream counting(std::span<const char>(bytes.data(), bytes.size()));
    stream->expected_rows_ = std::max(0LL, CountCsvRecords(counting) - 1);
    if (auto opened = stream->OpenCsv(); !opened) return Fail(opened.error());
    return stream;
}

Status ImportRowStream::OpenCsv() {
    csv_.reset();
    if (path_.empty()) {
        in_ = std::make_unique<std::ispanstream>(std::span<const char>(bytes_.data(), bytes_.size()));
    } else {
        auto file = std::make_unique<std::ifstream>(path_, std::ios::binary);
        if (!*file) return Fail(Unreadable(path_));
        in_ = std::move(file);
    }
    csv_ = std::make_unique<CsvReader>(*in_);
    return {};
}

Status ImportRowStream::Rewind() {
    next_ = 0;
    return is_xlsx_ ? Status{} : OpenCsv();
}

Result<bool> ImportRowStream::Next(std::vector<std::string>& cells, size_t& number) {
    if (is_xlsx_) {
        if (next_ >= xlsx_.size()) return false;
        number = xlsx_[next_].row;
        cells = xlsx_[next_++].cells;  // copied: a second pass reads the sheet again
        return true;
    }
    auto row = csv_->Next();
    if (!row) return Fail(row.error());
    if (!*row) return false;
    number = (*row)->line;
    cells = std::move((*row)->fields);
    return true;
}

// Finds each template column in the header; an unknown header is a warning, a missing required one an error.
Result<std::vector<int>> MapImportHeader(const std::vector<std::string>& header,
                                         const std::vector<ImportColumn>& columns, std::vector<ImportProblem>& problems) {
    std::vector<int> index(columns.size(), -1);
    std::vector<FieldError> missing;
    for (size_t h = 0; h < header.size(); ++h) {
        const std::string name = Trim(header[h]);
        if (name.empty()) continue;
        bool known = false;
        for (size_t c = 0; c < columns.size(); ++c)
            if (name == columns[c].header) index[c] = static_cast<int>(h), known = true;
        if (!known) problems.push_back({1, name, "", "未知列，已忽略", false});
    }
    for (size_t c = 0; c < columns.size(); ++c)
        if (columns[c].required && index[c] < 0)
            missing.push_back({"file", "missing_column", std::string("缺少必填列: ") + columns[c].header});
    if (!missing.empty()) return Fail(Error::InvalidArgument("表头不符合模板：" + missing[0].message, missing));
    return index;
}


std::string ImportRow::Text(size_t column) const {
    const int i = index_[column];
    return i >= 0 && static_cast<size_t>(i) < cells_.size() ? Trim(cells_[i]) : std::string();
}

void ImportRow::Problem(size_t column, std::string reason, bool error) {
    problems_.push_back({row_, columns_[column].header, Text(column), std::move(reason), error});
    if (error) failed_ = true;
}

std::optional<std::string> ImportRow::Required(size_t column) {
    std::string v = Text(column);
    if (v.empty()) {
        Problem(column, "必填");
        return std::nullopt;
    }
    return v;
}

std::optional<std::string> ImportRow::Optional(size_t column) const {
    std::string v = Text(column);
    return v.empty() ? std::nullopt : std::optional(v);
}

std::optional<long long> ImportRow::Wan(size_t column) {
    auto v = Optional(column);
    if (!v) return std::nullopt;
    auto fen = ParseWanToFen(*v);
    if (!fen) Problem(column, "应为以万元计的数字（最多六位小数）");
    return fen;
}

std::optional<long long> ImportRow::Yuan(size_t column, bool required) {
    auto v = required ? Required(column) : Optional(column);
    if (!v) return std::nullopt;
    auto fen = ParseYuan(*v);
    if (!fen || fen->value <= 0) {
        Problem(column, "应为大于 0、最多两位小数的金额（元）");
        return std::nullopt;
    }
    return fen->value;
}

std::optional<long long> ImportRow::PercentBp(size_t column, bool required) {
    auto v = required ? Required(column) : Optional(column);
    if (!v) return std::nullopt;
    auto hundredths = ParseYuan(*v);  // the same exact two-decimal parse: "3.45" → 345
    if (!hundredths || hundredths->value < 0 || hundredths->value > 3600) {
        Problem(column, "应为 0–36 之间、最多两位小数的百分数");
        return std::nullopt;
    }
    return hundredths->value;
}

std::optional<long long> ImportRow::Count(size_t column) {
    auto v = Optional(column);
    if (!v) return std::nullopt;
    long long n = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || end != v->data() + v->size() || n < 0) {
        Problem(column, "应为非负整数");
        return std::nullopt;
    }
    return n;
}

std::optional<std::string> ImportRow::Date(size_t column, bool required) {
    auto v = required ? Required(column) : Optional(column);
    if (!v) return std::nullopt;
    auto d = ParseImportDate(*v);
    if (!d) Problem(column, "日期格式应为 YYYY-MM-DD");
    return d;
}

bool ImportRow::Flag(size_t column) {
    const std::string v = Text(column);
    if (v.empty() || v == "否" || v == "N" || v == "n" || v == "false" || v == "0") return false;
    if (v == "是" || v == "Y" || v == "y" || v == "true" || v == "1") return true;
    Problem(column, "应为 是 或 否");
    return false;
}

std::optional<long long> ParseWanToFen(std::string_view text) {
    bool negative = false;
    if (!text.empty() && text[0] == '-') negative = true, text.remove_prefix(1);
    const size_t dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    const std::string_view frac = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
    if (whole.empty() || whole.size() > 12 || frac.size() > 6) return std::nullopt;
    long long value = 0;
    for (char c : whole) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    for (size_t i = 0; i < 6; ++i) {
        const char c = i < frac.size() ? frac[i] : '0';
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return negative ? -value : value;
}

std::optional<std::string> ParseImportDate(std::string_view text) {
    if (!text.empty() && text.size() <= 6 && std::all_of(text.begin(), text.end(), ::isdigit)) {
        // Excel's serial day number: day 25569 is 1970-01-01.
        const long long serial = std::stoll(std::string(text));
        if (serial < 1 || serial > 2958465) return std::nullopt;
        return FormatIsoUtc((serial - 25569) * 86'400'000LL).substr(0, 10);
    }
    std::string normalized(text.substr(0, 10));
    std::replace(normalized.begin(), normalized.end(), '/', '-');
    // Accept unpadded month and day: 2024-3-1.
    int y = 0, m = 0, d = 0;
    char extra = 0;
    if (std::sscanf(normalized.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3) return std::nullopt;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    if (text.size() > 10 || !ParseIsoTimestamp(buf)) return std::nullopt;
    return std::string(buf);
}


boost::json::array ImportProblemsJson(const std::vector<ImportProblem>& problems, size_t cap) {
    boost::json::array out;
    for (size_t i = 0; i < problems.size() && i < cap; ++i)
        out.push_back(boost::json::object{{"row", problems[i].row}, {"column", problems[i].column}, {"value", problems[i].value},
                                   {"reason", problems[i].reason}, {"severity", problems[i].error ? "error" : "warning"}});
    return out;
}


Result<std::string> ImportTemplate(TableWriter::Format format, const std::string& sheet,
                                   const std::vector<ImportColumn>& columns, const std::vector<TableRow>& more_rows) {
    TableRow header, example;
    for (const auto& c : columns) {
        header.push_back(c.header);
        example.push_back(c.example);
    }
    TableWriter writer(format, sheet, header);
    writer.Add(example);
    for (const auto& row : more_rows) writer.Add(row);
    return writer.Finish();
}

}  // namespace chanrong

#include "common/xlsx_reader.hpp"

#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <optional>

#include "common/text_normalize.hpp"

namespace chanrong {
namespace {

constexpr size_t kExcelMaxRows = 1'048'576;
constexpr size_t kExcelMaxColumns = 16'384;
constexpr size_t kReadChunk = 64u << 10;
constexpr char kNamespaceSeparator = '|';

Error FileError(std::string code, std::string message) {
    return Error::Field("file", std::move(code), std::move(message));
}

Error TooLarge(std::string message) {
    return Error{ErrorCode::kPayloadTooLarge, std::move(message), {}};
}

// "http://…/main|row" → "row": elements and attributes are matched by local name, whatever their namespace
// (transitional and strict OOXML use different ones, and some writers use prefixes).
std::string_view LocalName(const XML_Char* name) {
    std::string_view full(name);
    const size_t bar = full.rfind(kNamespaceSeparator);
    return bar == std::string_view::npos ? full : full.substr(bar + 1);
}

std::optional<std::string_view> Attribute(const XML_Char** attributes, std::string_view local) {
    for (size_t i = 0; attributes[i] && attributes[i + 1]; i += 2)
        if (LocalName(attributes[i]) == local) return std::string_view(attributes[i + 1]);
    return std::nullopt;
}

// ST_Xstring escapes: "_x000D_" is a carriage return, "_x005F_" a literal underscore.
std::string DecodeEscapes(std::string text) {
    if (text.find("_x") == std::string::npos) return text;
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        unsigned value = 0;
        if (text.compare(i, 2, "_x") == 0 && i + 7 <= text.size() && text[i + 6] == '_') {
            const char* begin = text.data() + i + 2;
            const auto [end, ec] = std::from_chars(begin, begin + 4, value, 16);
            if (ec == std::errc() && end == begin + 4) {
                AppendUtf8(out, static_cast<char32_t>(value));
                i += 7;
                continue;
            }
        }
        out += text[i++];
    }
    return out;
}

std::string ColumnName(size_t column) {
    std::string name;
    for (; column > 0; column = (column - 1) / 26)
        name.insert(name.begin(), static_cast<char>('A' + (column - 1) % 26));
    return name;
}

// The 1-based column of a cell reference such as "B3" (letters then digits); nullopt if malformed or past XFD.
std::optional<size_t> ParseColumn(std::string_view reference) {
    size_t column = 0, i = 0;
    for (; i < reference.size() && i < 4; ++i) {
        char c = reference[i];
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (c < 'A' || c > 'Z') break;
        column = column * 26 + static_cast<size_t>(c - 'A' + 1);
    }
    if (i == 0 || column > kExcelMaxColumns) return std::nullopt;
    for (; i < reference.size(); ++i)
        if (reference[i] < '0' || reference[i] > '9') return std::nullopt;
    return column;
}

std::optional<size_t> ParseIndex(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n')) text.remove_suffix(1);
    size_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// Receives the SAX events of one XML part. A handler that sets `error` stops the parse.
class XmlHandler {
public:
    virtual ~XmlHandler() = default;
    virtual void Start(std::string_view name, const XML_Char** attributes) = 0;
    virtual void End(std::string_view name) = 0;
    virtual void Text(std::string_view) {}
    std::optional<Error> error;
};

struct ParseContext {
    XML_Parser parser;
    XmlHandler& handler;
    std::string part;
};

void XMLCALL OnStart(void* data, const XML_Char* name, const XML_Char** attributes) {
    auto* context = static_cast<ParseContext*>(data);
    context->handler.Start(LocalName(name), attributes);
    if (context->handler.error) XML_StopParser(context->parser, XML_FALSE);
}

void XMLCALL OnEnd(void* data, const XML_Char* name) {
    auto* context = static_cast<ParseContext*>(data);
    context->handler.End(LocalName(name));
    if (context->handler.error) XML_StopParser(context->parser, XML_FALSE);
}

void XMLCALL OnText(void* data, const XML_Char* text, int length) {
    static_cast<ParseContext*>(data)->handler.Text(std::string_view(text, static_cast<size_t>(length)));
}

// Office never writes a DTD; refusing one rules out entity-expansion attacks.
void XMLCALL OnDoctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    auto* context = static_cast<ParseContext*>(data);
    context->handler.error = FileError("bad_xml", context->part + " 含有 DTD 声明，已拒绝");
    XML_StopParser(context->parser, XML_FALSE);
}

struct ZipDiscard {
    void operator()(zip_t* archive) const { zip_discard(archive); }
};
struct ZipFileClose {
    void operator()(zip_file_t* file) const { zip_fclose(file); }
};
struct XmlParserFree {
    void operator()(XML_Parser parser) const { XML_ParserFree(parser); }
};

// A read-only zip archive over caller-owned bytes.
class Archive {
public:
    static Result<Archive> Open(std::string_view bytes) {
        if (bytes.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"))
            return Fail(FileError("legacy_xls", "这是旧版 .xls 或加密的 Excel 文件，请另存为 .xlsx 后再导入"));
        if (!bytes.starts_with("PK")) return Fail(FileError("not_xlsx", "不是 .xlsx 文件"));
        zip_error_t error;
        zip_error_init(&error);
        zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
        zip_t* archive = source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
        if (!archive) {
            std::string message = std::string(".xlsx 文件已损坏（") + zip_error_strerror(&error) + "）";
            if (source) zip_source_free(source);
            zip_error_fini(&error);
            return Fail(FileError("bad_zip", std::move(message)));
        }
        zip_error_fini(&error);
        return Archive(archive);
    }

    bool Has(const std::string& part) const { return Locate(part).has_value(); }

    /// Streams one XML part through `handler`, refusing parts above `max_bytes`.
    Status Parse(const std::string& part, XmlHandler& handler, std::uint64_t max_bytes) const {
        const auto index = Locate(part);
        if (!index) return Fail(FileError("missing_part", ".xlsx 文件缺少 " + part));
        zip_stat_t stat;
        zip_stat_init(&stat);
        if (zip_stat_index(archive_.get(), *index, 0, &stat) == 0 && (stat.valid & ZIP_STAT_SIZE) &&
            stat.size > max_bytes)
            return Fail(TooLarge(PartTooLarge(part, max_bytes)));
        std::unique_ptr<zip_file_t, ZipFileClose> file(zip_fopen_index(archive_.get(), *index, 0));
        if (!file) return Fail(ZipError(part, zip_get_error(archive_.get())));
        std::unique_ptr<XML_ParserStruct, XmlParserFree> parser(XML_ParserCreateNS(nullptr, kNamespaceSeparator));
        if (!parser) return Fail(Error::Internal("无法创建 XML 解析器"));
        ParseContext context{parser.get(), handler, part};
        XML_SetUserData(parser.get(), &context);
        XML_SetElementHandler(parser.get(), OnStart, OnEnd);
        XML_SetCharacterDataHandler(parser.get(), OnText);
        XML_SetStartDoctypeDeclHandler(parser.get(), OnDoctype);
        std::string buffer(kReadChunk, '\0');
        std::uint64_t total = 0;
        for (;;) {
            const zip_int64_t n = zip_fread(file.get(), buffer.data(), buffer.size());
            if (n < 0) return Fail(ZipError(part, zip_file_get_error(file.get())));
            total += static_cast<std::uint64_t>(n);
            if (total > max_bytes) return Fail(TooLarge(PartTooLarge(part, max_bytes)));
            const bool last = n == 0;
            if (XML_Parse(parser.get(), buffer.data(), static_cast<int>(n), last) == XML_STATUS_ERROR) {
                if (handler.error) return Fail(*handler.error);
                return Fail(
                    FileError("bad_xml", part + " 第 " + std::to_string(XML_GetCurrentLineNumber(parser.get())) +
                                             " 行不是有效的 XML: " + XML_ErrorString(XML_GetErrorCode(parser.get()))));
            }
            if (handler.error) return Fail(*handler.error);
            if (last) return {};
        }
    }

private:
    explicit Archive(zip_t* archive) : archive_(archive) {}

    std::optional<zip_uint64_t> Locate(const std::string& part) const {
        const zip_int64_t index = zip_name_locate(archive_.get(), part.c_str(), ZIP_FL_NOCASE);
        if (index < 0) return std::nullopt;
        return static_cast<zip_uint64_t>(index);
    }

    static std::string PartTooLarge(const std::string& part, std::uint64_t max_bytes) {
        return ".xlsx 文件中的 " + part + " 解压后超过 " + std::to_string(max_bytes >> 20) + " MiB，已拒绝";
    }

    static Error ZipError(const std::string& part, zip_error_t* error) {
        return FileError("bad_zip", ".xlsx 文件已损坏，无法读取 " + part + "（" + zip_error_strerror(error) + "）");
    }

    std::unique_ptr<zip_t, ZipDiscard> archive_;
};

struct Relationship {
    std::string id, type, target;
};

class RelationshipsHandler : public XmlHandler {
public:
    void Start(std::string_view name, const XML_Char** attributes) override {
        if (name != "Relationship") return;
        if (Attribute(attributes, "TargetMode").value_or("") == "External") return;
        relationships.push_back({std::string(Attribute(attributes, "Id").value_or("")),
                                 std::string(Attribute(attributes, "Type").value_or("")),
                                 std::string(Attribute(attributes, "Target").value_or(""))});
    }
    void End(std::string_view) override {}
    std::vector<Relationship> relationships;
};

struct SheetEntry {
    std::string name, relationship_id;
};

class WorkbookHandler : public XmlHandler {
public:
    void Start(std::string_view name, const XML_Char** attributes) override {
        if (name != "sheet") return;
        sheets.push_back({std::string(Attribute(attributes, "name").value_or("")),
                          std::string(Attribute(attributes, "id").value_or(""))});
    }
    void End(std::string_view) override {}
    std::vector<SheetEntry> sheets;
};

// Collects the text of <t> elements inside <si>, or inside <is> for inline strings, skipping phonetic runs.
class StringCollector {
public:
    void Start(std::string_view name) {
        if (name == "rPh") ++phonetic_depth_;
        if (name == "t" && phonetic_depth_ == 0) in_text_ = true;
    }
    void End(std::string_view name) {
        if (name == "rPh" && phonetic_depth_ > 0) --phonetic_depth_;
        if (name == "t") in_text_ = false;
    }
    void Text(std::string_view text) {
        if (in_text_) text_ += text;
    }
    std::string Take() {
        std::string text = DecodeEscapes(std::move(text_));
        text_.clear();
        in_text_ = false;
        phonetic_depth_ = 0;
        return text;
    }

private:
    std::string text_;
    bool in_text_ = false;
    int phonetic_depth_ = 0;
};

class SharedStringsHandler : public XmlHandler {
public:
    void Start(std::string_view name, const XML_Char**) override {
        if (name == "si") in_item_ = true;
        if (in_item_) collector_.Start(name);
    }
    void End(std::string_view name) override {
        if (!in_item_) return;
        collector_.End(name);
        if (name == "si") {
            strings.push_back(collector_.Take());
            in_item_ = false;
        }
    }
    void Text(std::string_view text) override {
        if (in_item_) collector_.Text(text);
    }
    std::vector<std::string> strings;

private:
    bool in_item_ = false;
    StringCollector collector_;
};

class SheetHandler : public XmlHandler {
public:
    SheetHandler(const std::vector<std::string>& shared, const XlsxOptions& options)
        : shared_(shared), options_(options) {}

    void Start(std::string_view name, const XML_Char** attributes) override {
        if (name == "sheetData") {
            in_data_ = true;
        } else if (name == "row" && in_data_) {
            StartRow(attributes);
        } else if (name == "c" && in_row_) {
            StartCell(attributes);
        } else if (in_cell_) {
            if (name == "v") in_value_ = true;
            if (name == "is") in_inline_ = true;
            if (in_inline_) inline_.Start(name);
        }
    }

    void End(std::string_view name) override {
        if (name == "sheetData") {
            in_data_ = false;
        } else if (name == "row" && in_row_) {
            EndRow();
        } else if (name == "c" && in_cell_) {
            EndCell();
        } else if (in_cell_) {
            if (name == "v") in_value_ = false;
            if (in_inline_) inline_.End(name);
            if (name == "is") in_inline_ = false;
        }
    }

    void Text(std::string_view text) override {
        if (in_value_) value_ += text;
        if (in_inline_) inline_.Text(text);
    }

    std::vector<XlsxRow> rows;

private:
    void StartRow(const XML_Char** attributes) {
        if (++row_count_ > options_.max_rows) {
            error = TooLarge("工作表超过 " + std::to_string(options_.max_rows) + " 行，已拒绝");
            return;
        }
        row_number_ = next_row_;
        if (const auto r = Attribute(attributes, "r")) {
            const auto number = ParseIndex(*r);
            if (!number || *number == 0 || *number > kExcelMaxRows) {
                error = FileError("bad_cell", "工作表中的行号 \"" + std::string(*r) + "\" 无效");
                return;
            }
            row_number_ = *number;
        }
        next_row_ = row_number_ + 1;
        next_column_ = 1;
        cells_.clear();
        in_row_ = true;
    }

    void StartCell(const XML_Char** attributes) {
        column_ = next_column_;
        if (const auto r = Attribute(attributes, "r")) {
            const auto column = ParseColumn(*r);
            if (!column) {
                error = FileError("bad_cell", "第 " + std::to_string(row_number_) + " 行的单元格引用 \"" +
                                                  std::string(*r) + "\" 无效");
                return;
            }
            column_ = *column;
        }
        if (column_ > kExcelMaxColumns) {
            error = FileError("bad_cell", "第 " + std::to_string(row_number_) + " 行的单元格超出 XFD 列");
            return;
        }
        next_column_ = column_ + 1;
        type_ = std::string(Attribute(attributes, "t").value_or("n"));
        value_.clear();
        inline_.Take();
        in_cell_ = true;
    }

    void EndCell() {
        in_cell_ = in_value_ = in_inline_ = false;
        std::string text;
        if (type_ == "s") {
            const auto index = ParseIndex(value_);
            if (!index || *index >= shared_.size()) {
                error = FileError("bad_cell", "单元格 " + ColumnName(column_) + std::to_string(row_number_) +
                                                  " 引用的共享字符串 \"" + value_ + "\" 不存在");
                return;
            }
            text = shared_[*index];
        } else if (type_ == "inlineStr") {
            text = inline_.Take();
            if (text.empty()) text = DecodeEscapes(value_);
        } else if (type_ == "str") {
            text = DecodeEscapes(value_);
        } else if (type_ == "b") {
            text = value_ == "1" ? "TRUE" : value_ == "0" ? "FALSE" : value_;
        } else {
            text = value_.empty() ? inline_.Take() : value_;
        }
        if (text.empty()) return;
        if (cells_.size() < column_) cells_.resize(column_);
        cells_[column_ - 1] = std::move(text);
    }

    void EndRow() {
        in_row_ = false;
        if (cells_.empty()) return;
        total_cells_ += cells_.size();
        if (total_cells_ > options_.max_cells) {
            error = TooLarge("工作表超过 " + std::to_string(options_.max_cells) + " 个单元格，已拒绝");
            return;
        }
        rows.push_back({row_number_, std::move(cells_)});
        cells_.clear();
    }

    const std::vector<std::string>& shared_;
    const XlsxOptions& options_;
    bool in_data_ = false, in_row_ = false, in_cell_ = false, in_value_ = false, in_inline_ = false;
    size_t row_count_ = 0, row_number_ = 0, next_row_ = 1, column_ = 0, next_column_ = 1, total_cells_ = 0;
    std::string type_, value_;
    StringCollector inline_;
    std::vector<std::string> cells_;
};

// Resolves a relationship target against the folder of its source part ("xl/"), following "." and "..".
std::string ResolveTarget(std::string_view base_folder, std::string_view target) {
    std::string joined =
        target.starts_with('/') ? std::string(target.substr(1)) : std::string(base_folder) + std::string(target);
    std::vector<std::string> segments;
    size_t start = 0;
    while (start <= joined.size()) {
        const size_t slash = std::min(joined.find('/', start), joined.size());
        const std::string segment = joined.substr(start, slash - start);
        if (segment == "..") {
            if (!segments.empty()) segments.pop_back();
        } else if (!segment.empty() && segment != ".") {
            segments.push_back(segment);
        }
        start = slash + 1;
    }
    std::string path;
    for (const auto& segment : segments) path += (path.empty() ? "" : "/") + segment;
    return path;
}

std::string FolderOf(const std::string& part) {
    const size_t slash = part.rfind('/');
    return slash == std::string::npos ? "" : part.substr(0, slash + 1);
}

std::string RelationshipsPartOf(const std::string& part) {
    const size_t slash = part.rfind('/');
    const std::string file = slash == std::string::npos ? part : part.substr(slash + 1);
    return FolderOf(part) + "_rels/" + file + ".rels";
}

struct WorksheetRef {
    std::string name, part;
    bool is_worksheet = false;
};

// The workbook's sheets in order, with the parts they live in.
struct Workbook {
    std::vector<WorksheetRef> sheets;
    std::string shared_strings_part;  // empty if the workbook has none
};

Result<Workbook> ReadWorkbook(const Archive& archive, const XlsxOptions& options) {
    std::string workbook_part = "xl/workbook.xml";
    if (archive.Has("_rels/.rels")) {
        RelationshipsHandler root;
        if (auto status = archive.Parse("_rels/.rels", root, options.max_part_bytes); !status)
            return Fail(status.error());
        for (const auto& rel : root.relationships)
            if (rel.type.ends_with("/officeDocument")) workbook_part = ResolveTarget("", rel.target);
    }
    WorkbookHandler workbook;
    if (auto status = archive.Parse(workbook_part, workbook, options.max_part_bytes); !status)
        return Fail(status.error());
    RelationshipsHandler rels;
    if (auto status = archive.Parse(RelationshipsPartOf(workbook_part), rels, options.max_part_bytes); !status)
        return Fail(status.error());

    Workbook result;
    const std::string folder = FolderOf(workbook_part);
    for (const auto& rel : rels.relationships)
        if (rel.type.ends_with("/sharedStrings")) result.shared_strings_part = ResolveTarget(folder, rel.target);
    if (result.shared_strings_part.empty() && archive.Has(folder + "sharedStrings.xml"))
        result.shared_strings_part = folder + "sharedStrings.xml";
    for (const auto& sheet : workbook.sheets) {
        WorksheetRef ref{sheet.name, "", false};
        for (const auto& rel : rels.relationships) {
            if (rel.id != sheet.relationship_id) continue;
            ref.part = ResolveTarget(folder, rel.target);
            ref.is_worksheet = rel.type.ends_with("/worksheet");
        }
        result.sheets.push_back(std::move(ref));
    }
    return result;
}

bool SameNameIgnoringAsciiCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

Result<WorksheetRef> ChooseSheet(const Workbook& workbook, const std::string& wanted) {
    if (wanted.empty()) {
        for (const auto& sheet : workbook.sheets)
            if (sheet.is_worksheet) return sheet;
        return Fail(FileError("missing_part", ".xlsx 文件中没有工作表"));
    }
    const WorksheetRef* found = nullptr;
    for (const auto& sheet : workbook.sheets)
        if (sheet.name == wanted) found = &sheet;
    if (!found)
        for (const auto& sheet : workbook.sheets)
            if (SameNameIgnoringAsciiCase(sheet.name, wanted)) found = &sheet;
    if (!found) return Fail(Error::Field("sheet", "not_found", "找不到名为“" + wanted + "”的工作表"));
    if (!found->is_worksheet || found->part.empty())
        return Fail(Error::Field("sheet", "not_worksheet", "“" + wanted + "”不是可读取的工作表"));
    return *found;
}

}  // namespace

Result<XlsxSheet> ReadXlsx(std::string_view bytes, const XlsxOptions& options) {
    auto archive = Archive::Open(bytes);
    if (!archive) return Fail(archive.error());
    auto workbook = ReadWorkbook(*archive, options);
    if (!workbook) return Fail(workbook.error());
    auto sheet = ChooseSheet(*workbook, options.sheet_name);
    if (!sheet) return Fail(sheet.error());

    SharedStringsHandler shared;
    // A declared but absent shared-strings part is tolerated: cells that refer to it fail as bad_cell.
    if (!workbook->shared_strings_part.empty() && archive->Has(workbook->shared_strings_part))
        if (auto status = archive->Parse(workbook->shared_strings_part, shared, options.max_part_bytes); !status)
            return Fail(status.error());
    SheetHandler handler(shared.strings, options);
    if (auto status = archive->Parse(sheet->part, handler, options.max_part_bytes); !status)
        return Fail(status.error());
    return XlsxSheet{sheet->name, std::move(handler.rows)};
}

Result<std::vector<std::string>> ListXlsxSheets(std::string_view bytes, const XlsxOptions& options) {
    auto archive = Archive::Open(bytes);
    if (!archive) return Fail(archive.error());
    auto workbook = ReadWorkbook(*archive, options);
    if (!workbook) return Fail(workbook.error());
    std::vector<std::string> names;
    for (const auto& sheet : workbook->sheets)
        if (sheet.is_worksheet) names.push_back(sheet.name);
    return names;
}

}  // namespace chanrong

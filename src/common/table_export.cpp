#include "common/table_export.hpp"

#include <xlsxwriter.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "common/crypto.hpp"

namespace chanrong {
namespace {
constexpr size_t kChunk = 64 * 1024;
}  // namespace

struct TableWriter::Xlsx {
    std::string path;
    lxw_workbook* workbook = nullptr;
    lxw_worksheet* sheet = nullptr;
    ~Xlsx() {
        if (workbook) workbook_close(workbook);
        std::error_code ec;
        std::filesystem::remove(path, ec);
    }
};

std::string NeutraliseFormula(const std::string& cell) {
    if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' || cell[0] == '\t'))
        return "'" + cell;
    return cell;
}

namespace {

void AppendCsvCell(std::string& out, const std::string& raw) {
    const std::string cell = NeutraliseFormula(raw);
    if (cell.find_first_of(",\"\n\r") == std::string::npos) {
        out += cell;
        return;
    }
    out += '"';
    for (char c : cell) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

}  // namespace

TableWriter::TableWriter(Format format, std::string sheet_name, TableRow header, ChunkSink sink)
    : format_(format), sink_(std::move(sink)) {
    if (format_ == Format::kCsv) {
        csv_ = "\xEF\xBB\xBF";
    } else {
        xlsx_ = std::make_unique<Xlsx>();
        xlsx_->path = (std::filesystem::temp_directory_path() / ("chanrong-" + crypto::RandomToken(9) + ".xlsx")).string();
        lxw_workbook_options options{};
        options.constant_memory = LXW_TRUE;
        options.tmpdir = nullptr;
        xlsx_->workbook = workbook_new_opt(xlsx_->path.c_str(), &options);
        xlsx_->sheet = workbook_add_worksheet(xlsx_->workbook, sheet_name.c_str());
    }
    Add(header);
}

TableWriter::~TableWriter() = default;

void TableWriter::Add(const TableRow& row) {
    if (format_ == Format::kCsv) {
        for (size_t i = 0; i < row.size(); ++i) {
            if (i) csv_ += ',';
            AppendCsvCell(csv_, row[i]);
        }
        csv_ += "\r\n";
        if (sink_ && csv_.size() >= kChunk) {
            sink_(std::move(csv_));
            csv_.clear();
        }
    } else if (xlsx_->sheet) {
        for (size_t i = 0; i < row.size(); ++i)
            worksheet_write_string(xlsx_->sheet, static_cast<lxw_row_t>(row_index_), static_cast<lxw_col_t>(i),
                                   NeutraliseFormula(row[i]).c_str(), nullptr);
    }
    ++row_index_;
}

Result<std::string> TableWriter::Finish() {
    if (format_ == Format::kCsv) {
        if (!sink_) return std::move(csv_);
        if (!csv_.empty()) sink_(std::move(csv_));
        return std::string();
    }
    if (!xlsx_->workbook) return Fail(Error::Internal("无法创建 Excel 文件"));
    const lxw_error err = workbook_close(xlsx_->workbook);
    xlsx_->workbook = nullptr;
    if (err != LXW_NO_ERROR) return Fail(Error::Internal(std::string("生成 Excel 失败: ") + lxw_strerror(err)));
    std::ifstream in(xlsx_->path, std::ios::binary);
    if (sink_) {
        std::string chunk(kChunk, '\0');
        while (in.read(chunk.data(), kChunk) || in.gcount() > 0) {
            sink_(chunk.substr(0, static_cast<size_t>(in.gcount())));
            if (!in) break;
        }
        return std::string();
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

const char* TableWriter::ContentType(Format format) {
    return format == Format::kCsv ? "text/csv; charset=utf-8"
                                  : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}

const char* TableWriter::Extension(Format format) { return format == Format::kCsv ? "csv" : "xlsx"; }

}  // namespace chanrong

#include "common/xlsx_reader.hpp"

#include <gtest/gtest.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>

#include "common/crypto.hpp"
#include "common/table_export.hpp"

namespace chanrong {
namespace {

using Cells = std::vector<std::string>;

// Writes a workbook with libxlsxwriter (shared strings, unless constant_memory) and returns its bytes.
std::string BuildWorkbook(const std::function<void(lxw_workbook*)>& fill, bool constant_memory = false) {
    const auto path =
        std::filesystem::temp_directory_path() / ("chanrong-xlsx-test-" + crypto::RandomToken(6) + ".xlsx");
    lxw_workbook_options options{};
    options.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
    lxw_workbook* workbook = workbook_new_opt(path.c_str(), &options);
    EXPECT_NE(workbook, nullptr);
    fill(workbook);
    EXPECT_EQ(workbook_close(workbook), LXW_NO_ERROR);
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    std::filesystem::remove(path);
    return bytes.str();
}

// A zip archive in memory holding exactly `files`, for hand-written (and broken) workbook XML.
std::string MakeZip(const std::vector<std::pair<std::string, std::string>>& files) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
    zip_source_keep(buffer);
    zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
    EXPECT_NE(archive, nullptr);
    for (const auto& [name, content] : files) {
        zip_source_t* file = zip_source_buffer(archive, content.data(), content.size(), 0);
        EXPECT_GE(zip_file_add(archive, name.c_str(), file, ZIP_FL_ENC_UTF_8), 0);
    }
    EXPECT_EQ(zip_close(archive), 0);
    std::string bytes;
    EXPECT_EQ(zip_source_open(buffer), 0);
    char chunk[4096];
    for (zip_int64_t n; (n = zip_source_read(buffer, chunk, sizeof(chunk))) > 0;)
        bytes.append(chunk, static_cast<size_t>(n));
    zip_source_close(buffer);
    zip_source_free(buffer);
    zip_error_fini(&error);
    return bytes;
}

constexpr const char* kMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr const char* kRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

std::string SheetXml(const std::string& sheet_data) {
    return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><worksheet xmlns=\"") + kMain +
           "\"><sheetData>" + sheet_data + "</sheetData></worksheet>";
}

// A minimal workbook: one sheet "Data" with the given <sheetData> content and optional shared strings.
std::vector<std::pair<std::string, std::string>> MinimalParts(const std::string& sheet_data,
                                                              const std::string& shared_items = "") {
    const std::string rel_type = std::string(kRel) + "/";
    std::vector<std::pair<std::string, std::string>> parts = {
        {"_rels/.rels",
         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId1\" Type=\"" +
             rel_type +
             "officeDocument\" Target=\"xl/workbook.xml\"/>"
             "</Relationships>"},
        {"xl/workbook.xml", std::string("<workbook xmlns=\"") + kMain + "\" xmlns:r=\"" + kRel +
                                "\"><sheets><sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
        {"xl/_rels/workbook.xml.rels",
         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId1\" Type=\"" +
             rel_type +
             "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
             "<Relationship Id=\"rId2\" Type=\"" +
             rel_type +
             "sharedStrings\" Target=\"sharedStrings.xml\"/>"
             "</Relationships>"},
        {"xl/worksheets/sheet1.xml", SheetXml(sheet_data)},
    };
    if (!shared_items.empty())
        parts.push_back(
            {"xl/sharedStrings.xml", std::string("<sst xmlns=\"") + kMain + "\">" + shared_items + "</sst>"});
    return parts;
}

std::vector<Cells> CellsOf(const XlsxSheet& sheet) {
    std::vector<Cells> rows;
    for (const auto& row : sheet.rows) rows.push_back(row.cells);
    return rows;
}

std::vector<size_t> RowNumbersOf(const XlsxSheet& sheet) {
    std::vector<size_t> numbers;
    for (const auto& row : sheet.rows) numbers.push_back(row.row);
    return numbers;
}

XlsxSheet MustRead(const std::string& bytes, const XlsxOptions& options = {}) {
    auto sheet = ReadXlsx(bytes, options);
    EXPECT_TRUE(sheet) << sheet.error().message;
    return sheet ? *sheet : XlsxSheet{};
}

std::string FieldCode(const Error& error) {
    return error.fields.empty() ? "" : error.fields[0].code;
}

TEST(XlsxReader, ReadsWhatTableWriterWrites) {
    TableWriter writer(TableWriter::Format::kXlsx, "企业名录", {"企业名称", "统一社会信用代码", "备注"});
    writer.Add({"厦门银行股份有限公司", "91350200260130346B", "=SUM(A1:A3)"});
    writer.Add({"廈門國際銀行", "", "-5 +3 @x"});
    writer.Add({"a & b < c > \"d\" 'e'", "  spaced  ", "line1\nline2"});
    auto bytes = writer.Finish();
    ASSERT_TRUE(bytes);
    const XlsxSheet sheet = MustRead(*bytes);
    EXPECT_EQ(sheet.name, "企业名录");
    EXPECT_EQ(CellsOf(sheet), (std::vector<Cells>{{"企业名称", "统一社会信用代码", "备注"},
                                                  {"厦门银行股份有限公司", "91350200260130346B", "'=SUM(A1:A3)"},
                                                  {"廈門國際銀行", "", "'-5 +3 @x"},
                                                  {"a & b < c > \"d\" 'e'", "  spaced  ", "line1\nline2"}}));
    EXPECT_EQ(RowNumbersOf(sheet), (std::vector<size_t>{1, 2, 3, 4}));
}

TEST(XlsxReader, NumbersKeepTheirLiteralText) {
    const std::string bytes = BuildWorkbook([](lxw_workbook* workbook) {
        lxw_worksheet* sheet = workbook_add_worksheet(workbook, "Numbers");
        worksheet_write_string(sheet, 0, 0, "金额", nullptr);
        worksheet_write_number(sheet, 1, 0, 123.45, nullptr);
        worksheet_write_number(sheet, 2, 0, 42, nullptr);
        worksheet_write_number(sheet, 3, 0, -0.5, nullptr);
        worksheet_write_number(sheet, 4, 0, 0.1, nullptr);
        worksheet_write_number(sheet, 5, 0, 12345678901234, nullptr);
        worksheet_write_boolean(sheet, 6, 0, 1, nullptr);
        worksheet_write_boolean(sheet, 6, 1, 0, nullptr);
        worksheet_write_formula_num(sheet, 7, 0, "=A2*2", nullptr, 246.9);
        worksheet_write_formula_str(sheet, 8, 0, "=\"厦\"&\"门\"", nullptr, "厦门");
    });
    const XlsxSheet sheet = MustRead(bytes);
    EXPECT_EQ(CellsOf(sheet), (std::vector<Cells>{{"金额"},
                                                  {"123.45"},
                                                  {"42"},
                                                  {"-0.5"},
                                                  {"0.1"},
                                                  {"12345678901234"},
                                                  {"TRUE", "FALSE"},
                                                  {"246.9"},
                                                  {"厦门"}}));
}

TEST(XlsxReader, PlacesCellsByReferenceAndSkipsEmptyRows) {
    const std::string bytes = BuildWorkbook([](lxw_workbook* workbook) {
        lxw_worksheet* sheet = workbook_add_worksheet(workbook, "Sparse");
        worksheet_write_string(sheet, 0, 0, "A1", nullptr);
        worksheet_write_string(sheet, 2, 1, "B3", nullptr);
        worksheet_write_number(sheet, 2, 4, 5, nullptr);
        worksheet_write_blank(sheet, 4, 2, workbook_add_format(workbook));  // styled but empty: no row
        worksheet_write_string(sheet, 6, 27, "AB7", nullptr);
    });
    const XlsxSheet sheet = MustRead(bytes);
    EXPECT_EQ(RowNumbersOf(sheet), (std::vector<size_t>{1, 3, 7}));
    EXPECT_EQ(sheet.rows[0].cells, (Cells{"A1"}));
    EXPECT_EQ(sheet.rows[1].cells, (Cells{"", "B3", "", "", "5"}));
    ASSERT_EQ(sheet.rows[2].cells.size(), 28u);
    EXPECT_EQ(sheet.rows[2].cells[27], "AB7");
}

TEST(XlsxReader, ChoosesSheetsByNameOrTheFirst) {
    const std::string bytes = BuildWorkbook([](lxw_workbook* workbook) {
        worksheet_write_string(workbook_add_worksheet(workbook, "说明"), 0, 0, "first", nullptr);
        worksheet_write_string(workbook_add_worksheet(workbook, "Data"), 0, 0, "second", nullptr);
    });
    EXPECT_EQ(ListXlsxSheets(bytes).value(), (std::vector<std::string>{"说明", "Data"}));
    EXPECT_EQ(MustRead(bytes).rows.at(0).cells, (Cells{"first"}));
    XlsxOptions named;
    named.sheet_name = "Data";
    EXPECT_EQ(MustRead(bytes, named).rows.at(0).cells, (Cells{"second"}));
    named.sheet_name = "data";  // Excel sheet names are case-insensitive
    EXPECT_EQ(MustRead(bytes, named).name, "Data");
    named.sheet_name = "不存在";
    auto missing = ReadXlsx(bytes, named);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().fields.at(0).field, "sheet");
    EXPECT_EQ(FieldCode(missing.error()), "not_found");
}

TEST(XlsxReader, RichTextSharedStrings) {
    const std::string bytes = BuildWorkbook([](lxw_workbook* workbook) {
        lxw_worksheet* sheet = workbook_add_worksheet(workbook, "Rich");
        lxw_format* bold = workbook_add_format(workbook);
        format_set_bold(bold);
        lxw_rich_string_tuple plain = {nullptr, const_cast<char*>("厦门")};
        lxw_rich_string_tuple strong = {bold, const_cast<char*>("银行")};
        lxw_rich_string_tuple* parts[] = {&plain, &strong, nullptr};
        worksheet_write_rich_string(sheet, 0, 0, parts, nullptr);
    });
    EXPECT_EQ(MustRead(bytes).rows.at(0).cells, (Cells{"厦门银行"}));

    // Runs, phonetic runs (ignored) and escapes, written by hand.
    const auto parts = MinimalParts(
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v> 1 </v></c><c r=\"C1\" "
        "t=\"s\"><v>2</v></c></row>",
        "<si><r><rPr><b/></rPr><t>厦门</t></r><r><t xml:space=\"preserve\"> 银行 </t></r></si>"
        "<si><t>東京</t><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh></si>"
        "<si><t>a_x000D_b_x005F_x0041_</t></si>");
    EXPECT_EQ(MustRead(MakeZip(parts)).rows.at(0).cells, (Cells{"厦门 银行 ", "東京", "a\rb_x0041_"}));
}

TEST(XlsxReader, InlineStringsMissingReferencesAndPrefixedNamespaces) {
    const std::string data =
        "<row><c t=\"inlineStr\"><is><t>one</t></is></c><c "
        "t=\"inlineStr\"><is><r><t>t</t></r><r><t>wo</t></r></is></c></row>"
        "<row><c><v>7</v></c><c r=\"D2\" t=\"e\"><v>#DIV/0!</v></c><c t=\"str\"><f>A1</f><v>x</v></c></row>"
        "<row r=\"5\"><c r=\"A5\" t=\"d\"><v>2024-01-31</v></c></row><row><c t=\"b\"><v>1</v></c></row>";
    const XlsxSheet sheet = MustRead(MakeZip(MinimalParts(data)));
    EXPECT_EQ(RowNumbersOf(sheet), (std::vector<size_t>{1, 2, 5, 6}));
    EXPECT_EQ(CellsOf(sheet),
              (std::vector<Cells>{{"one", "two"}, {"7", "", "", "#DIV/0!", "x"}, {"2024-01-31"}, {"TRUE"}}));

    auto prefixed = MinimalParts("");
    prefixed[3].second = std::string("<x:worksheet xmlns:x=\"") + kMain +
                         "\"><x:sheetData><x:row r=\"2\"><x:c r=\"B2\"><x:v>3.5</x:v></x:c></x:row></x:sheetData>"
                         "</x:worksheet>";
    const XlsxSheet sheet2 = MustRead(MakeZip(prefixed));
    ASSERT_EQ(sheet2.rows.size(), 1u);
    EXPECT_EQ(sheet2.rows[0].row, 2u);
    EXPECT_EQ(sheet2.rows[0].cells, (Cells{"", "3.5"}));
}

TEST(XlsxReader, BadCellsAreErrors) {
    const auto code_of = [](const std::string& data, const std::string& shared = "") {
        auto result = ReadXlsx(MakeZip(MinimalParts(data, shared)));
        EXPECT_FALSE(result);
        return result ? std::string("ok") : FieldCode(result.error());
    };
    EXPECT_EQ(code_of("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>3</v></c></row>", "<si><t>only</t></si>"), "bad_cell");
    EXPECT_EQ(code_of("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>x</v></c></row>", "<si><t>only</t></si>"), "bad_cell");
    EXPECT_EQ(code_of("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"), "bad_cell");  // no shared strings
    EXPECT_EQ(code_of("<row r=\"0\"><c><v>1</v></c></row>"), "bad_cell");
    EXPECT_EQ(code_of("<row r=\"1048577\"><c><v>1</v></c></row>"), "bad_cell");
    EXPECT_EQ(code_of("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>"), "bad_cell");
    EXPECT_EQ(code_of("<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>"), "bad_cell");
    EXPECT_EQ(code_of("<row r=\"1\"><c><v>1</v></c>"), "bad_xml");
    auto error =
        ReadXlsx(MakeZip(MinimalParts("<row r=\"1\"><c r=\"B1\" t=\"s\"><v>9</v></c></row>", "<si><t>a</t></si>")));
    EXPECT_NE(error.error().message.find("B1"), std::string::npos) << error.error().message;
}

TEST(XlsxReader, RefusesDtdsAndBrokenPackages) {
    auto doctype = MinimalParts("");
    doctype[3].second = "<!DOCTYPE lol [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>" +
                        SheetXml("<row><c t=\"inlineStr\"><is><t>&b;</t></is></c></row>");
    EXPECT_EQ(FieldCode(ReadXlsx(MakeZip(doctype)).error()), "bad_xml");

    auto no_workbook = MinimalParts("");
    no_workbook.erase(no_workbook.begin() + 1);
    EXPECT_EQ(FieldCode(ReadXlsx(MakeZip(no_workbook)).error()), "missing_part");
    auto no_sheet = MinimalParts("");
    no_sheet.erase(no_sheet.begin() + 3);
    EXPECT_EQ(FieldCode(ReadXlsx(MakeZip(no_sheet)).error()), "missing_part");

    EXPECT_EQ(FieldCode(ReadXlsx("").error()), "not_xlsx");
    EXPECT_EQ(FieldCode(ReadXlsx("name,uscc\n").error()), "not_xlsx");
    EXPECT_EQ(FieldCode(ReadXlsx(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0')).error()),
              "legacy_xls");
    EXPECT_EQ(FieldCode(ReadXlsx(MakeZip({{"hello.txt", "hi"}})).error()), "missing_part");
    EXPECT_EQ(FieldCode(ReadXlsx(std::string("PK\x03\x04", 4) + std::string(100, 'x')).error()), "bad_zip");
}

TEST(XlsxReader, LimitsStopZipBombs) {
    // 4 MiB of XML that deflates to a few KiB.
    std::string rows;
    for (int i = 1; i <= 40000; ++i)
        rows += "<row r=\"" + std::to_string(i) + "\"><c><v>1</v></c></row>" + std::string(60, ' ');
    const std::string bytes = MakeZip(MinimalParts(rows));
    ASSERT_LT(bytes.size(), 400'000u);
    XlsxOptions options;
    EXPECT_EQ(MustRead(bytes, options).rows.size(), 40000u);
    options.max_part_bytes = 1 << 20;
    auto too_big = ReadXlsx(bytes, options);
    ASSERT_FALSE(too_big);
    EXPECT_EQ(too_big.error().code, ErrorCode::kPayloadTooLarge);
    EXPECT_NE(too_big.error().message.find("xl/worksheets/sheet1.xml"), std::string::npos);

    XlsxOptions few_rows;
    few_rows.max_rows = 39999;
    EXPECT_EQ(ReadXlsx(bytes, few_rows).error().code, ErrorCode::kPayloadTooLarge);
    few_rows.max_rows = 40000;
    EXPECT_TRUE(ReadXlsx(bytes, few_rows));

    // One far-right cell per row pads every row to 16384 cells.
    std::string wide;
    for (int i = 1; i <= 100; ++i)
        wide += "<row r=\"" + std::to_string(i) + "\"><c r=\"XFD" + std::to_string(i) + "\"><v>1</v></c></row>";
    XlsxOptions few_cells;
    few_cells.max_cells = 1'000'000;
    EXPECT_EQ(ReadXlsx(MakeZip(MinimalParts(wide)), few_cells).error().code, ErrorCode::kPayloadTooLarge);

    XlsxOptions small_strings;
    small_strings.max_part_bytes = 1000;
    std::string items;
    for (int i = 0; i < 100; ++i) items += "<si><t>shared string " + std::to_string(i) + "</t></si>";
    auto strings = ReadXlsx(MakeZip(MinimalParts("<row><c t=\"s\"><v>0</v></c></row>", items)), small_strings);
    ASSERT_FALSE(strings);
    EXPECT_NE(strings.error().message.find("sharedStrings.xml"), std::string::npos) << strings.error().message;
}

TEST(XlsxReader, TruncatedAndCorruptedFilesAreErrorsNotCrashes) {
    TableWriter writer(TableWriter::Format::kXlsx, "S", {"名称", "金额"});
    for (int i = 0; i < 50; ++i) writer.Add({"企业" + std::to_string(i), std::to_string(i * 100)});
    const std::string good = writer.Finish().value();
    ASSERT_TRUE(ReadXlsx(good));
    for (size_t length = 0; length < good.size(); length += 37) {
        Result<XlsxSheet> result = Fail(Error::Internal(""));
        ASSERT_NO_THROW(result = ReadXlsx(good.substr(0, length))) << length;
        EXPECT_FALSE(result) << length;  // the central directory sits at the end
        if (!result) {
            EXPECT_NE(result.error().code, ErrorCode::kInternal) << length;
        }
    }
    std::mt19937 rng(1234);
    size_t failures = 0;
    for (int i = 0; i < 1500; ++i) {
        std::string corrupted = good;
        for (int flips = 1 + static_cast<int>(rng() % 8); flips > 0; --flips)
            corrupted[rng() % corrupted.size()] = static_cast<char>(rng() % 256);
        Result<XlsxSheet> result = Fail(Error::Internal(""));
        ASSERT_NO_THROW(result = ReadXlsx(corrupted)) << i;
        if (!result) {
            ++failures;
            EXPECT_NE(result.error().code, ErrorCode::kInternal) << i << ": " << result.error().message;
        } else {
            for (const auto& row : result->rows) EXPECT_LE(row.cells.size(), 16384u);
        }
    }
    EXPECT_GT(failures, 0u);
}

TEST(XlsxReader, FuzzRandomBytesAndRandomSheetXml) {
    std::mt19937 rng(31337);
    for (int i = 0; i < 2000; ++i) {
        std::string bytes = rng() % 2 ? "PK\x03\x04" : "";
        for (size_t n = rng() % 300; n > 0; --n) bytes += static_cast<char>(rng() % 256);
        Result<XlsxSheet> result = Fail(Error::Internal(""));
        ASSERT_NO_THROW(result = ReadXlsx(bytes)) << i;
        EXPECT_FALSE(result) << i;
    }
    // Random but well-formed-ish sheet XML from plausible pieces.
    const std::vector<std::string> pieces = {"<row>",
                                             "</row>",
                                             "<row r=\"3\">",
                                             "<row r=\"0\">",
                                             "<c>",
                                             "</c>",
                                             "<c r=\"B2\">",
                                             "<c r=\"ZZZZ9\">",
                                             "<c t=\"s\">",
                                             "<c t=\"inlineStr\">",
                                             "<c t=\"b\">",
                                             "<v>",
                                             "</v>",
                                             "<v>0</v>",
                                             "<v>1</v>",
                                             "<v>-1</v>",
                                             "<is><t>x</t></is>",
                                             "<f>SUM(A1)</f>",
                                             "text",
                                             "&amp;",
                                             "_x0041_",
                                             "<rPh><t>p</t></rPh>",
                                             "厦门"};
    for (int i = 0; i < 3000; ++i) {
        std::string data;
        for (size_t n = rng() % 20; n > 0; --n) data += pieces[rng() % pieces.size()];
        Result<XlsxSheet> result = Fail(Error::Internal(""));
        ASSERT_NO_THROW(result = ReadXlsx(MakeZip(MinimalParts(data, "<si><t>shared</t></si>")))) << i;
        if (!result) {
            EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument) << i << ": " << data;
            continue;
        }
        for (const auto& row : result->rows) {
            EXPECT_GE(row.row, 1u) << data;
            EXPECT_LE(row.row, 1'048'576u) << data;
            EXPECT_FALSE(row.cells.empty()) << data;
            EXPECT_FALSE(row.cells.back().empty()) << data;
        }
    }
}

}  // namespace
}  // namespace chanrong

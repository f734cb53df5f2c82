#include "common/csv_reader.hpp"

#include <gtest/gtest.h>
#include <iconv.h>

#include <random>
#include <sstream>

#include "common/text_normalize.hpp"

namespace chanrong {
namespace {

using Fields = std::vector<std::string>;

std::vector<Fields> FieldsOf(const CsvTable& table) {
    std::vector<Fields> rows;
    for (const auto& row : table.rows) rows.push_back(row.fields);
    return rows;
}

std::vector<size_t> LinesOf(const CsvTable& table) {
    std::vector<size_t> lines;
    for (const auto& row : table.rows) lines.push_back(row.line);
    return lines;
}

CsvTable MustRead(std::string_view text, const CsvOptions& options = {}) {
    auto table = ReadCsv(text, options);
    EXPECT_TRUE(table) << table.error().message;
    return table ? *table : CsvTable{};
}

// Reads everything through the streaming reader into the same shape as ReadCsv.
Result<CsvTable> StreamAll(const std::string& bytes, const CsvOptions& options = {}) {
    std::istringstream in(bytes);
    CsvReader reader(in, options);
    CsvTable table;
    for (;;) {
        auto row = reader.Next();
        if (!row) return Fail(row.error());
        if (!*row) break;
        table.rows.push_back(std::move(**row));
    }
    table.encoding = reader.encoding();
    return table;
}

std::string ToGb18030(std::string_view utf8) {
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1));
    std::string out(utf8.size() * 2 + 16, '\0');
    char* in_ptr = const_cast<char*>(utf8.data());
    size_t in_left = utf8.size();
    char* out_ptr = out.data();
    size_t out_left = out.size();
    EXPECT_NE(iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left), static_cast<size_t>(-1));
    iconv_close(cd);
    out.resize(out.size() - out_left);
    return out;
}

// An RFC 4180 writer, to round-trip random tables.
std::string WriteCsv(const std::vector<Fields>& rows, const std::string& newline) {
    std::string out;
    for (const auto& row : rows) {
        for (size_t i = 0; i < row.size(); ++i) {
            if (i) out += ',';
            const std::string& cell = row[i];
            if (cell.find_first_of(",\"\r\n") == std::string::npos && !cell.empty()) {
                out += cell;
                continue;
            }
            out += '"';
            for (char c : cell) out += c == '"' ? std::string("\"\"") : std::string(1, c);
            out += '"';
        }
        out += newline;
    }
    return out;
}

TEST(CsvReader, ReadsSimpleRowsWithLineNumbers) {
    const CsvTable table = MustRead("name,uscc\n厦门银行,91350200260130346B\nabc,1\n");
    EXPECT_EQ(FieldsOf(table),
              (std::vector<Fields>{{"name", "uscc"}, {"厦门银行", "91350200260130346B"}, {"abc", "1"}}));
    EXPECT_EQ(LinesOf(table), (std::vector<size_t>{1, 2, 3}));
    EXPECT_EQ(table.encoding, TextEncoding::kUtf8);
}

TEST(CsvReader, HandlesBomCrlfAndAMissingFinalNewline) {
    const CsvTable table = MustRead(
        "\xEF\xBB\xBF"
        "a,b\r\n1,2\r\n3,4");
    EXPECT_EQ(FieldsOf(table), (std::vector<Fields>{{"a", "b"}, {"1", "2"}, {"3", "4"}}));
    EXPECT_EQ(LinesOf(table), (std::vector<size_t>{1, 2, 3}));
    EXPECT_EQ(FieldsOf(MustRead("a\rb\r")), (std::vector<Fields>{{"a"}, {"b"}}));  // old Mac line ends
    EXPECT_EQ(FieldsOf(MustRead("\xEF\xBB\xBF")), std::vector<Fields>{});
    EXPECT_EQ(FieldsOf(MustRead("")), std::vector<Fields>{});
}

TEST(CsvReader, QuotedFieldsKeepCommasQuotesAndLineBreaks) {
    const CsvTable table = MustRead("id,note\n1,\"a,b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\r\nlines\nthree\"\n4,end\n");
    EXPECT_EQ(FieldsOf(table),
              (std::vector<Fields>{
                  {"id", "note"}, {"1", "a,b"}, {"2", "say \"hi\""}, {"3", "two\r\nlines\nthree"}, {"4", "end"}}));
    EXPECT_EQ(LinesOf(table), (std::vector<size_t>{1, 2, 3, 4, 7}));
}

TEST(CsvReader, EmptyFieldsAndEmptyLines) {
    EXPECT_EQ(FieldsOf(MustRead(",,\n")), (std::vector<Fields>{{"", "", ""}}));
    EXPECT_EQ(FieldsOf(MustRead("a,\n")), (std::vector<Fields>{{"a", ""}}));
    EXPECT_EQ(FieldsOf(MustRead("\"\"\n")), (std::vector<Fields>{{""}}));  // a quoted empty field is a row
    const CsvTable skipped = MustRead("a\n\n\r\n\nb\n");
    EXPECT_EQ(FieldsOf(skipped), (std::vector<Fields>{{"a"}, {"b"}}));
    EXPECT_EQ(LinesOf(skipped), (std::vector<size_t>{1, 5}));
    CsvOptions keep;
    keep.skip_empty_lines = false;
    EXPECT_EQ(FieldsOf(MustRead("a\n\nb", keep)), (std::vector<Fields>{{"a"}, {""}, {"b"}}));
}

TEST(CsvReader, QuoteInsideUnquotedFieldIsLiteral) {
    EXPECT_EQ(FieldsOf(MustRead("a\"b,c\n")), (std::vector<Fields>{{"a\"b", "c"}}));
    EXPECT_EQ(FieldsOf(MustRead(" \"x\" ,y\n")), (std::vector<Fields>{{" \"x\" ", "y"}}));
}

TEST(CsvReader, OtherDelimiters) {
    CsvOptions tab;
    tab.delimiter = '\t';
    EXPECT_EQ(FieldsOf(MustRead("a\tb,c\n\"x\ty\"\tz\n", tab)), (std::vector<Fields>{{"a", "b,c"}, {"x\ty", "z"}}));
    CsvOptions semicolon;
    semicolon.delimiter = ';';
    EXPECT_EQ(FieldsOf(MustRead("1,5;2\n", semicolon)), (std::vector<Fields>{{"1,5", "2"}}));
}

TEST(CsvReader, UnterminatedQuoteNamesTheLineItStarts) {
    auto result = ReadCsv("a,b\nc,\"open\nmore\nlines\n");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
    ASSERT_EQ(result.error().fields.size(), 1u);
    EXPECT_EQ(result.error().fields[0].field, "csv");
    EXPECT_EQ(result.error().fields[0].code, "unterminated_quote");
    EXPECT_NE(result.error().message.find("第 2 行"), std::string::npos) << result.error().message;
    EXPECT_NE(result.error().message.find("第 5 行"), std::string::npos) << result.error().message;
    EXPECT_EQ(ReadCsv("\"").error().fields[0].code, "unterminated_quote");
}

TEST(CsvReader, TextAfterClosingQuoteIsAnError) {
    auto result = ReadCsv("a\nb\n\"x\"y,z\n");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().fields[0].code, "text_after_quote");
    EXPECT_NE(result.error().message.find("第 3 行"), std::string::npos) << result.error().message;
}

TEST(CsvReader, FieldSizeIsBounded) {
    CsvOptions small;
    small.max_field_bytes = 4;
    EXPECT_TRUE(ReadCsv("abcd,\"efgh\"\n", small));
    auto result = ReadCsv("ok\nabcde\n", small);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().fields[0].code, "field_too_large");
    EXPECT_NE(result.error().message.find("第 2 行"), std::string::npos);
}

TEST(CsvReader, ConvertsGbkFromChineseExcel) {
    // "企业名称,地址\r\n厦门银行,思明区\r\n" as Excel's "CSV (逗号分隔)" writes it on a Chinese Windows.
    const std::string gbk =
        "\xC6\xF3\xD2\xB5\xC3\xFB\xB3\xC6,\xB5\xD8\xD6\xB7\r\n"
        "\xCF\xC3\xC3\xC5\xD2\xF8\xD0\xD0,\xCB\xBC\xC3\xF7\xC7\xF8\r\n";
    const CsvTable table = MustRead(gbk);
    EXPECT_EQ(table.encoding, TextEncoding::kGb18030);
    EXPECT_EQ(FieldsOf(table), (std::vector<Fields>{{"企业名称", "地址"}, {"厦门银行", "思明区"}}));
    const std::string gb18030 = ToGb18030("名称,符号\n欧元,€\n\"引号,内\",𠀀\n");  // € and U+20000 need GB18030
    const CsvTable wide = MustRead(gb18030);
    EXPECT_EQ(wide.encoding, TextEncoding::kGb18030);
    EXPECT_EQ(FieldsOf(wide), (std::vector<Fields>{{"名称", "符号"}, {"欧元", "€"}, {"引号,内", "𠀀"}}));
}

TEST(CsvReader, BytesThatAreNeitherUtf8NorGb18030NameTheirLine) {
    auto result = ReadCsv("a,b\nc,d\ne,\x80\n");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().fields[0].code, "bad_encoding");
    EXPECT_NE(result.error().message.find("第 3 行"), std::string::npos) << result.error().message;
    for (const std::string text : {"a\rb\r\x80", "a\r\nb\r\n\x80", "\xCF\xC3\nb\n\x80\n"}) {
        auto whole = ReadCsv(text);
        auto streamed = StreamAll(text);
        ASSERT_FALSE(whole || streamed) << text;
        EXPECT_NE(whole.error().message.find("第 3 行"), std::string::npos) << whole.error().message;
        EXPECT_NE(streamed.error().message.find("第 3 行"), std::string::npos) << streamed.error().message;
    }
    EXPECT_EQ(ReadCsv("\xCF").error().fields[0].code, "bad_encoding");  // truncated double-byte character
    EXPECT_EQ(Gb18030ToUtf8("\xCF\xC3\xC3\xC5").value(), "厦门");
}

TEST(CsvReader, RefusesUtf16WithAHint) {
    for (const char* bom : {"\xFF\xFE", "\xFE\xFF"}) {
        auto result = ReadCsv(std::string(bom) + std::string("a\0,\0b\0", 6));
        ASSERT_FALSE(result);
        EXPECT_EQ(result.error().fields[0].code, "utf16");
        std::istringstream in(std::string(bom) + "xx");
        CsvReader reader(in);
        EXPECT_EQ(reader.Next().error().fields[0].code, "utf16");
    }
}

TEST(CsvStreamReader, MatchesTheWholeBufferReader) {
    for (const std::string text : {"a,b\n1,2\n",
                                   "\xEF\xBB\xBF"
                                   "x,\"y\r\nz\"\r\n",
                                   "", "\n\n", "a,\"b\"\"c\"", "厦门,银行\r\n", "a\rb\r\nc\n"}) {
        auto whole = ReadCsv(text);
        auto streamed = StreamAll(text);
        ASSERT_TRUE(whole && streamed) << text;
        EXPECT_EQ(FieldsOf(*whole), FieldsOf(*streamed)) << text;
        EXPECT_EQ(LinesOf(*whole), LinesOf(*streamed)) << text;
    }
    auto error = StreamAll("ok\n\"never closed\n");
    ASSERT_FALSE(error);
    EXPECT_EQ(error.error().fields[0].code, "unterminated_quote");
}

TEST(CsvStreamReader, MultiByteCharactersAcrossChunkBoundaries) {
    // Several 64 KiB chunks; with a 1-byte ASCII prefix every boundary falls inside a 3-byte character.
    std::vector<Fields> rows;
    for (int i = 0; i < 9000; ++i) rows.push_back({"厦门银行" + std::to_string(i), "思明区,\"湖里\"", "a\nb"});
    for (const std::string& prefix : {std::string(), std::string("x"), std::string("xy")}) {
        std::vector<Fields> expected = rows;
        expected.insert(expected.begin(), Fields{prefix});
        const std::string utf8 = WriteCsv(expected, "\r\n");
        ASSERT_GT(utf8.size(), 3u * 65536u);
        auto streamed = StreamAll(utf8);
        ASSERT_TRUE(streamed) << streamed.error().message;
        EXPECT_EQ(FieldsOf(*streamed), expected);
        EXPECT_EQ(streamed->encoding, TextEncoding::kUtf8);
        EXPECT_EQ(streamed->rows.back().line, 1 + 2 * 9000u - 1);

        auto gb = StreamAll(ToGb18030(utf8));
        ASSERT_TRUE(gb) << gb.error().message;
        EXPECT_EQ(gb->encoding, TextEncoding::kGb18030);
        EXPECT_EQ(FieldsOf(*gb), expected);
    }
}

TEST(CsvStreamReader, DecidesTheEncodingAtTheFirstNonAsciiByte) {
    // 200 KiB of ASCII before the first GBK character.
    std::string text;
    for (int i = 0; i < 10000; ++i) text += "row" + std::to_string(i) + ",plain ascii\n";
    text += ToGb18030("厦门,银行\n");
    auto streamed = StreamAll(text);
    ASSERT_TRUE(streamed) << streamed.error().message;
    EXPECT_EQ(streamed->encoding, TextEncoding::kGb18030);
    EXPECT_EQ(streamed->rows.back().fields, (Fields{"厦门", "银行"}));
    EXPECT_EQ(streamed->rows.back().line, 10001u);
}

TEST(CsvStreamReader, LaterBytesThatBreakTheDecidedEncodingNameTheirLine) {
    std::string text = "名称\n";
    for (int i = 0; i < 20000; ++i) text += "ascii row " + std::to_string(i) + "\n";
    text += "\xCF\xC3\n";  // GBK after the stream was decided as UTF-8
    std::istringstream in(text);
    CsvReader reader(in);
    size_t rows = 0;
    for (;;) {
        auto row = reader.Next();
        if (!row) {
            EXPECT_EQ(row.error().fields[0].code, "bad_encoding");
            EXPECT_NE(row.error().message.find("第 20002 行"), std::string::npos) << row.error().message;
            EXPECT_FALSE(reader.Next());  // the error repeats
            break;
        }
        ASSERT_TRUE(*row) << "the error was not reported";
        ++rows;
    }
    EXPECT_EQ(rows, 20001u);
    EXPECT_EQ(reader.encoding(), TextEncoding::kUtf8);
}

TEST(CsvReader, FuzzRoundTripsRandomTables) {
    std::mt19937 rng(4180);
    const std::vector<std::string> atoms = {"a", "Z", "0", ",", "\"", "\n", "\r\n", "\r", " ", "厦门", "€", "𠀀", ";"};
    for (int i = 0; i < 1500; ++i) {
        std::vector<Fields> rows(1 + rng() % 6);
        const size_t width = 1 + rng() % 4;
        for (auto& row : rows) {
            row.resize(width);
            for (auto& cell : row)
                for (size_t n = rng() % 5; n > 0; --n) cell += atoms[rng() % atoms.size()];
        }
        if (width == 1)  // a lone empty cell is an empty line, which is skipped
            for (auto& row : rows)
                if (row[0].empty()) row[0] = "x";
        const std::string newline = rng() % 2 ? "\r\n" : "\n";
        const std::string text = WriteCsv(rows, newline);
        auto utf8 = ReadCsv(text);
        ASSERT_TRUE(utf8) << utf8.error().message;
        EXPECT_EQ(FieldsOf(*utf8), rows) << i;
        auto gb = ReadCsv(ToGb18030(text));
        ASSERT_TRUE(gb) << gb.error().message;
        EXPECT_EQ(FieldsOf(*gb), rows) << i;
        auto streamed = StreamAll(text);
        ASSERT_TRUE(streamed);
        EXPECT_EQ(FieldsOf(*streamed), rows) << i;
        EXPECT_EQ(LinesOf(*streamed), LinesOf(*utf8)) << i;
    }
}

TEST(CsvReader, FuzzRandomBytesNeverCrash) {
    std::mt19937 rng(99);
    const std::string alphabet = ",\"\r\n a\xEF\xBB\xBF\xCF\xC3\xE5\x8E\x80\xFF\x00";
    for (int i = 0; i < 5000; ++i) {
        std::string bytes;
        for (size_t n = rng() % 64; n > 0; --n)
            bytes += rng() % 4 ? alphabet[rng() % alphabet.size()] : static_cast<char>(rng() % 256);
        Result<CsvTable> whole = Fail(Error::Internal(""));
        ASSERT_NO_THROW(whole = ReadCsv(bytes)) << i;
        Result<CsvTable> streamed = Fail(Error::Internal(""));
        ASSERT_NO_THROW(streamed = StreamAll(bytes)) << i;
        if (!whole) {
            EXPECT_EQ(whole.error().code, ErrorCode::kInvalidArgument) << i;
            ASSERT_FALSE(streamed) << i;
            EXPECT_EQ(whole.error().fields.at(0).code, streamed.error().fields.at(0).code) << i;
            EXPECT_NE(whole.error().message.find("第 "), std::string::npos) << i;
            continue;
        }
        size_t previous = 0;
        for (const auto& row : whole->rows) {
            EXPECT_GT(row.line, previous) << i;
            EXPECT_FALSE(row.fields.empty()) << i;
            for (const auto& field : row.fields) EXPECT_TRUE(IsValidUtf8(field)) << i;
            previous = row.line;
        }
        // Both readers see the whole input here (under one chunk), so they must agree.
        ASSERT_TRUE(streamed) << i << ": " << streamed.error().message;
        EXPECT_EQ(FieldsOf(*whole), FieldsOf(*streamed)) << i;
        EXPECT_EQ(whole->encoding, streamed->encoding) << i;
    }
}

}  // namespace
}  // namespace chanrong

#include <gtest/gtest.h>

#include "common/config.hpp"
#include "common/crypto.hpp"
#include "common/field_cipher.hpp"
#include "common/import_table.hpp"
#include "common/json_input.hpp"
#include "common/money.hpp"
#include "common/table_export.hpp"
#include "common/time_format.hpp"
#include "common/uscc.hpp"

#include <filesystem>
#include <fstream>

namespace chanrong {
namespace {

TEST(Uscc, AcceptsTheReferenceExamples) {
    for (const char* code : {"91350200776049653A", "91350500798359476R", "91350503MA31DKY80A", "91350200MA31E12PXF",
                             "91440101MA5CJQ4N59", "913502000728319549", "123502001549897397"})
        EXPECT_TRUE(ValidateUscc(code).has_value()) << code;
}

TEST(Uscc, NamesTheBrokenRule) {
    auto reason = [](const char* code) { return ValidateUscc(code).error().fields.at(0).code; };
    EXPECT_EQ(reason("91350200776049653B"), "bad_check_character");
    EXPECT_EQ(reason("91350200776049663A"), "bad_organisation_check");
    EXPECT_EQ(reason("9135020077604965IA"), "bad_character");
    EXPECT_EQ(reason("91350200776049653"), "wrong_length");
    EXPECT_EQ(reason("91350200776049653A1"), "wrong_length");
    EXPECT_EQ(reason("91350200776o49653A"), "bad_character");
    EXPECT_FALSE(ValidateUscc("91350100M000100Y4Z").has_value());
    EXPECT_EQ(UsccCheckCharacter("91350100M000100Y4"), '3');
    EXPECT_NE(ValidateUscc("91350200776049653B").error().message.find("应为 'A'"), std::string::npos);
}

TEST(Uscc, MakeProducesValidCodes) {
    for (const char* body : {"15499001", "MA3A1000", "MA3H1019", "26013185"}) {
        auto code = MakeUscc("91350203", body);
        ASSERT_TRUE(code);
        EXPECT_TRUE(ValidateUscc(*code).has_value()) << *code;
    }
}

TEST(Money, ParsesYuanIntoFenExactly) {
    EXPECT_EQ(ParseYuan("1234.56")->value, 123456);
    EXPECT_EQ(ParseYuan("0.1")->value, 10);
    EXPECT_EQ(ParseYuan("-0.01")->value, -1);
    EXPECT_EQ(ParseYuan("10000000")->value, 1000000000);
    for (const char* bad : {"", "1.234", "1e5", "abc", "1.", ".5", "99999999999999999999"}) EXPECT_FALSE(ParseYuan(bad)) << bad;
    EXPECT_EQ(FormatYuan(Fen{123456}), "1234.56");
    EXPECT_EQ(FormatYuan(Fen{-5}), "-0.05");
}

TEST(Money, FormatsWanExactly) {
    EXPECT_EQ(FormatWan(Fen{12'500'000}), "12.50");
    EXPECT_EQ(FormatWan(Fen{1}), "0.000001");
    EXPECT_EQ(FormatWan(Fen{123'456'789}), "123.456789");
    EXPECT_EQ(FormatWan(Fen{0}), "0.00");
    EXPECT_EQ(FormatWan(Fen{-3'000'000}), "-3.00");
    EXPECT_EQ(FormatWan(Fen{INT64_MIN}), "-9223372036854.775808");
}

TEST(FieldCipher, EncryptsWithAFreshNonceAndMasks) {
    const FieldCipher cipher = FieldCipher::FromKey("0123456789abcdef0123456789abcdef");
    const std::string a = cipher.Encrypt("张三丰"), b = cipher.Encrypt("张三丰");
    EXPECT_NE(a, b) << "a fresh nonce each time";
    EXPECT_EQ(cipher.Decrypt(a).value_or(""), "张三丰");
    std::string tampered = a;
    tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(cipher.Decrypt(tampered));
    EXPECT_EQ(cipher.Encrypt(""), "");
    EXPECT_EQ(MaskName("张三丰"), "张**");
    EXPECT_EQ(MaskName("Li"), "L*");
    EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
    EXPECT_EQ(MaskPhone("0592-12345678"), "059******5678");
    EXPECT_EQ(MaskPhone("5551234"), "*****34") << "short numbers keep only the last two digits";
    EXPECT_EQ(MaskPhone("12"), "**");
}

TEST(TimeFormat, RoundTripsAndHonoursOffsets) {
    const auto t = ParseIsoTimestamp("2025-03-01T08:00:00+08:00");
    ASSERT_TRUE(t);
    EXPECT_EQ(FormatIsoUtc(*t), "2025-03-01T00:00:00Z");
    EXPECT_EQ(FormatIsoUtc(*ParseIsoTimestamp("2024-02-29")), "2024-02-29T00:00:00Z");
    for (const char* bad : {"2023-02-29", "2025-13-01", "2025-01-01T25:00:00Z", "2025/01/01", "x"})
        EXPECT_FALSE(ParseIsoTimestamp(bad)) << bad;
}

TEST(Crypto, PasswordsVerifyOnlyWithTheRightSecret) {
    const std::string hash = crypto::HashPassword("Correct-Horse-9");
    EXPECT_TRUE(hash.starts_with("$argon2id$"));
    EXPECT_TRUE(crypto::VerifyPassword(hash, "Correct-Horse-9"));
    EXPECT_FALSE(crypto::VerifyPassword(hash, "Correct-Horse-8"));
    EXPECT_NE(crypto::RandomToken(), crypto::RandomToken());
    EXPECT_EQ(crypto::Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(JsonInput, ReportsEveryBadFieldByName) {
    auto in = JsonInput::Parse(R"({"name":5,"extra":1,"ids":[1,"x"]})", {"name", "ids", "age"});
    ASSERT_TRUE(in);
    EXPECT_FALSE(in->String("name", true));
    EXPECT_FALSE(in->Int("age", true));
    EXPECT_FALSE(in->IntArray("ids", true));
    auto status = in->Finish();
    ASSERT_FALSE(status);
    std::vector<std::string> fields;
    for (const auto& f : status.error().fields) fields.push_back(f.field + ":" + f.code);
    EXPECT_EQ(fields, (std::vector<std::string>{"extra:unknown_field", "name:wrong_type", "age:required", "ids[1]:wrong_type"}));
}

TEST(JsonInput, RejectsMalformedAndNonObjectBodies) {
    EXPECT_EQ(JsonInput::Parse("{bad", {}).error().fields.at(0).field, "body");
    EXPECT_EQ(JsonInput::Parse("[1,2]", {}).error().fields.at(0).code, "wrong_type");
    EXPECT_FALSE(JsonInput::Parse(std::string(100, '['), {}).has_value());
}

TEST(JsonInput, CountsCharactersNotBytes) {
    auto in = JsonInput::Parse(R"({"name":"厦门银行"})", {"name"});
    EXPECT_TRUE(in->String("name", true, 4));
    EXPECT_TRUE(in->Finish());
}

class ConfigTest : public ::testing::Test {
protected:
    std::string Write(const std::string& text) {
        path_ = std::filesystem::temp_directory_path() / ("chanrong-config-" + crypto::RandomToken(6) + ".toml");
        std::ofstream(path_) << text;
        return path_.string();
    }
    void TearDown() override { std::filesystem::remove(path_); }
    std::filesystem::path path_;
};

TEST_F(ConfigTest, DefaultsUseEmbeddedSqlite) {
    auto config = LoadConfig("", {});
    ASSERT_TRUE(config);
    EXPECT_EQ(config->database.url, "sqlite:var/chanrong.db");
    EXPECT_EQ(config->server.port, 8080);
}

TEST_F(ConfigTest, FileThenEnvironment) {
    auto config = LoadConfig(Write("[server]\nport = 9000\n[database]\nurl = \"postgresql://x@localhost/db\"\n"),
                             {{"CHANRONG_SERVER_PORT", "9100"}, {"PATH", "/bin"}});
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->server.port, 9100);
    EXPECT_EQ(config->database.url, "postgresql://x@localhost/db");
}

TEST_F(ConfigTest, UnknownKeysAndWrongTypesAreRejected) {
    auto unknown = LoadConfig(Write("[server]\nprot = 9000\n"), {});
    ASSERT_FALSE(unknown);
    EXPECT_NE(unknown.error().message.find("server.prot"), std::string::npos);
    EXPECT_FALSE(LoadConfig(Write("[server]\nport = \"x\"\n"), {}));
    EXPECT_FALSE(LoadConfig("", {{"CHANRONG_SERVER_PROT", "1"}}));
    EXPECT_TRUE(LoadConfig("", {{"CHANRONG_ADMIN_PASSWORD", "x"}, {"CHANRONG_CONFIG", "y"}})) << "not configuration keys";
    EXPECT_FALSE(LoadConfig("", {{"CHANRONG_SERVER_PORT", "12ab"}}));
    EXPECT_FALSE(LoadConfig("", {{"CHANRONG_DATABASE_URL", "mysql://x"}}));
}

TEST_F(ConfigTest, ExampleFileDocumentsEveryKeyWithItsDefault) {
    std::ifstream in(std::string(CHANRONG_SOURCE_DIR) + "/config/chanrong.example.toml");
    ASSERT_TRUE(in);
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = LoadConfig(std::string(CHANRONG_SOURCE_DIR) + "/config/chanrong.example.toml", {});
    ASSERT_TRUE(parsed) << parsed.error().message;
    for (const auto& key : ListConfigKeys()) {
        const std::string name = key.name.substr(key.name.find('.') + 1);
        EXPECT_NE(text.str().find(name + " = " + key.default_value), std::string::npos) << key.name;
    }
}

TEST(TableExport, CsvQuotesAndNeutralisesFormulas) {
    TableWriter w(TableWriter::Format::kCsv, "s", {"a", "b"});
    w.Add({"=SUM(A1)", "x,\"y\""});
    auto bytes = w.Finish();
    ASSERT_TRUE(bytes);
    EXPECT_EQ(*bytes, "\xEF\xBB\xBF" "a,b\r\n'=SUM(A1),\"x,\"\"y\"\"\"\r\n");
}

TEST(TableExport, XlsxIsAZipArchive) {
    TableWriter w(TableWriter::Format::kXlsx, "审计", {"列"});
    w.Add({"值"});
    auto bytes = w.Finish();
    ASSERT_TRUE(bytes);
    EXPECT_EQ(bytes->substr(0, 2), "PK");
}

TEST(ImportValues, WanAndDates) {
    EXPECT_EQ(ParseWanToFen("1"), 1'000'000);
    EXPECT_EQ(ParseWanToFen("0.000001"), 1);
    EXPECT_EQ(ParseWanToFen("1234.5"), 1'234'500'000);
    EXPECT_FALSE(ParseWanToFen("1.0000001"));
    EXPECT_FALSE(ParseWanToFen("1e3"));
    EXPECT_FALSE(ParseWanToFen(""));
    EXPECT_EQ(ParseImportDate("2024/3/1"), "2024-03-01");
    EXPECT_EQ(ParseImportDate("2024-03-01"), "2024-03-01");
    EXPECT_EQ(ParseImportDate("45292"), "2024-01-01") << "Excel serial day";
    EXPECT_FALSE(ParseImportDate("2023-02-29"));
    EXPECT_FALSE(ParseImportDate("2024-03-01x"));
}


TEST(ImportRowStream, StreamsCsvCountsItsRowsAndRewinds) {
    const std::string csv = "a,b\r\n1,\"two\nlines\"\r\n\r\n3,x\r\n";
    auto stream = ImportRowStream::OpenBytes(csv);
    ASSERT_TRUE(stream) << stream.error().message;
    EXPECT_EQ((*stream)->expected_rows(), 2) << "quoted line breaks and blank lines are not rows";
    std::vector<std::string> cells;
    size_t number = 0;
    std::vector<size_t> numbers;
    for (int pass = 0; pass < 2; ++pass) {
        numbers.clear();
        while (*(*stream)->Next(cells, number)) numbers.push_back(number);
        EXPECT_EQ(numbers, (std::vector<size_t>{1, 2, 5}));
        ASSERT_TRUE((*stream)->Rewind());
    }
    EXPECT_EQ(cells.size(), 2u);
}

TEST(ImportRowStream, ReadsAFileFromDisk) {
    const auto path = std::filesystem::temp_directory_path() / "chanrong-import-stream-test.csv";
    std::ofstream(path) << "h\n1\n2\n";
    auto stream = ImportRowStream::OpenFile(path.string());
    ASSERT_TRUE(stream) << stream.error().message;
    EXPECT_EQ((*stream)->expected_rows(), 2);
    EXPECT_FALSE(ImportRowStream::OpenFile(path.string() + ".missing"));
    std::filesystem::remove(path);
}

}  // namespace
}  // namespace chanrong

#include "common/text_normalize.hpp"

#include <gtest/gtest.h>

#include <random>
#include <thread>
#include <vector>

namespace chanrong {
namespace {

TEST(NormalizeForSearch, ConvertsTraditionalToSimplified) {
    EXPECT_EQ(NormalizeForSearch("廈門銀行"), "厦门银行");
    EXPECT_EQ(NormalizeForSearch("臺灣積體電路製造"), "台湾积体电路制造");
    EXPECT_EQ(NormalizeForSearch("廈門國際銀行股份有限公司"), "厦门国际银行股份有限公司");
    EXPECT_EQ(NormalizeForSearch("厦门银行"), "厦门银行");  // simplified input is left as it is
    EXPECT_EQ(NormalizeForSearch("乾燥設備"), "干燥设备");
}

TEST(NormalizeForSearch, FoldsFullWidthAndCase) {
    EXPECT_EQ(NormalizeForSearch("ＡＢＣ１２３"), "abc123");
    EXPECT_EQ(NormalizeForSearch("ａｂｃＸＹＺ"), "abcxyz");
    EXPECT_EQ(NormalizeForSearch("（有限公司）"), "(有限公司)");
    EXPECT_EQ(NormalizeForSearch("！～"), "!~");                    // both ends of U+FF01–U+FF5E
    EXPECT_EQ(NormalizeForSearch("\uFF00\uFF5F"), "\uFF00\uFF5F");  // just outside it
    EXPECT_EQ(NormalizeForSearch("XiaMen BANK Co.,Ltd"), "xiamen bank co.,ltd");
    EXPECT_EQ(NormalizeForSearch("ÀÉ Ωμέγα"), "ÀÉ Ωμέγα");  // only ASCII letters are lower-cased
}

TEST(NormalizeForSearch, CollapsesAndTrimsWhitespace) {
    EXPECT_EQ(NormalizeForSearch(""), "");
    EXPECT_EQ(NormalizeForSearch("   \t\r\n "), "");
    EXPECT_EQ(NormalizeForSearch("  a \t\n b  "), "a b");
    EXPECT_EQ(NormalizeForSearch("\u3000厦门\u3000\u3000银行\u3000"), "厦门 银行");
    EXPECT_EQ(NormalizeForSearch("a\u00A0\u2003\u202Fb"), "a b");
    EXPECT_EQ(NormalizeForSearch("a\x01\x7F"
                                 "b"),
              "ab");
    EXPECT_EQ(NormalizeForSearch("a\u200Bb\uFEFF"), "ab");
    EXPECT_EQ(NormalizeForSearch("a \x01 b"), "a b");
}

TEST(NormalizeForSearch, MixedStrings) {
    EXPECT_EQ(NormalizeForSearch("　廈門銀行　ＸＭ　Ｂａｎｋ（總行）  "), "厦门银行 xm bank(总行)");
    EXPECT_EQ(NormalizeForSearch("Ｃ３９７４ 電子元件"), "c3974 电子元件");
    EXPECT_EQ(NormalizeForSearch("厦门ABC有限公司"), NormalizeForSearch("廈門ａｂｃ有限公司"));
}

TEST(NormalizeForSearch, ReplacesInvalidUtf8InsteadOfFailing) {
    EXPECT_EQ(NormalizeForSearch("abc\xFF\xFE"
                                 "def"),
              "abc\uFFFD\uFFFDdef");
    EXPECT_EQ(NormalizeForSearch("銀\xE8\xA1"), "银\uFFFD");    // truncated sequence at the end
    EXPECT_EQ(NormalizeForSearch("\xC0\xAF"), "\uFFFD\uFFFD");  // overlong '/'
    EXPECT_EQ(NormalizeForSearch(std::string("a\0b", 3)), "ab");
}

TEST(NormalizeForSearch, IsSafeAcrossThreads) {
    std::vector<std::thread> threads;
    std::vector<int> failures(4, 0);
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([t, &failures] {
            for (int i = 0; i < 200; ++i)
                if (NormalizeForSearch("廈門銀行　ＡＢＣ") != "厦门银行 abc") ++failures[t];
        });
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures, std::vector<int>(4, 0));
}

TEST(Utf8, LengthCountsCodePoints) {
    EXPECT_EQ(Utf8Length(""), 0u);
    EXPECT_EQ(Utf8Length("abc"), 3u);
    EXPECT_EQ(Utf8Length("厦门银行"), 4u);
    EXPECT_EQ(Utf8Length("a😀b"), 3u);
    EXPECT_EQ(Utf8Length("\xFF"), 1u);
    EXPECT_EQ(Utf8Length("\xE5\x8E"), 1u);  // one ill-formed (truncated) sequence
    EXPECT_EQ(Utf8Length("a\xE5\x8E"
                         "b"),
              3u);
    EXPECT_EQ(Utf8Length("\xE5\x8E\xA6"), 1u);
}

TEST(Utf8, ValidityFollowsTheStandard) {
    EXPECT_TRUE(IsValidUtf8(""));
    EXPECT_TRUE(IsValidUtf8("厦门 abc 😀"));
    EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));   // U+10FFFF
    EXPECT_TRUE(IsValidUtf8("\xEF\xBF\xBD"));       // U+FFFD
    EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
    EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong
    EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong
    EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation
    EXPECT_FALSE(IsValidUtf8("\xE5\x8E"));          // truncated
    EXPECT_FALSE(IsValidUtf8("\xCF\xC3\xC3\xC5"));  // 厦门 in GBK
}

TEST(Utf8, DecodeReportsTruncation) {
    const Utf8Char truncated = DecodeUtf8("\xE5\x8E", 0);
    EXPECT_FALSE(truncated.valid);
    EXPECT_TRUE(truncated.truncated);
    EXPECT_EQ(truncated.length, 2u);
    const Utf8Char bad = DecodeUtf8(
        "\xE5"
        "a",
        0);
    EXPECT_FALSE(bad.valid);
    EXPECT_FALSE(bad.truncated);
    EXPECT_EQ(bad.length, 1u);
    const Utf8Char good = DecodeUtf8("x厦", 1);
    EXPECT_TRUE(good.valid);
    EXPECT_EQ(good.code_point, U'厦');
    EXPECT_EQ(good.length, 3u);
}

TEST(Utf8, SanitizeAndAppendRoundTrip) {
    EXPECT_EQ(SanitizeUtf8("ok 厦门"), "ok 厦门");
    EXPECT_EQ(SanitizeUtf8("a\xFF"
                           "b"),
              "a\uFFFD"
              "b");
    std::string out;
    for (char32_t c : {U'a', U'é', U'厦', U'😀'}) AppendUtf8(out, c);
    EXPECT_EQ(out, "aé厦😀");
    out.clear();
    AppendUtf8(out, 0xD800);
    AppendUtf8(out, 0x110000);
    EXPECT_EQ(out, "\uFFFD\uFFFD");
}

// Pieces the fuzz loop glues together: traditional and simplified Chinese, full-width forms, every kind of
// whitespace, controls and raw bytes that are not UTF-8.
std::string RandomText(std::mt19937& rng) {
    static const std::vector<std::string> pieces = {"廈門",
                                                    "銀行",
                                                    "厦门",
                                                    "乾",
                                                    "隆",
                                                    "ＡＢＣ",
                                                    "ｘｙｚ",
                                                    "１２３",
                                                    "（",
                                                    "）",
                                                    "！",
                                                    "～",
                                                    "A",
                                                    "z",
                                                    "Q",
                                                    "9",
                                                    " ",
                                                    "\t",
                                                    "\n",
                                                    "\r\n",
                                                    "\u3000",
                                                    "\u00A0",
                                                    "\u2003",
                                                    "\x01",
                                                    "\x7F",
                                                    "\u200B",
                                                    "\uFEFF",
                                                    "\xFF",
                                                    "\xE5",
                                                    "\xE5\x8E",
                                                    "\xC0\xAF",
                                                    "\xED\xA0\x80",
                                                    "\xF4\x90\x80\x80",
                                                    "😀",
                                                    "é",
                                                    std::string(1, '\0')};
    std::uniform_int_distribution<size_t> count(0, 24), pick(0, pieces.size() - 1), byte(0, 255);
    std::string text;
    for (size_t n = count(rng); n > 0; --n) {
        if (rng() % 5 == 0)
            text += static_cast<char>(byte(rng));
        else
            text += pieces[pick(rng)];
    }
    return text;
}

TEST(NormalizeForSearch, FuzzKeepsInvariants) {
    std::mt19937 rng(20240611);
    for (int i = 0; i < 3000; ++i) {
        const std::string input = RandomText(rng);
        std::string out;
        ASSERT_NO_THROW(out = NormalizeForSearch(input));
        ASSERT_TRUE(IsValidUtf8(out)) << i;
        EXPECT_FALSE(out.starts_with(' ') || out.ends_with(' ')) << i;
        EXPECT_EQ(out.find("  "), std::string::npos) << i;
        for (char c : out) {
            EXPECT_FALSE(c >= 'A' && c <= 'Z') << i;
            EXPECT_FALSE(c != ' ' && static_cast<unsigned char>(c) < 0x20) << i;
        }
        for (size_t k = 0; k < out.size();) {
            const Utf8Char ch = DecodeUtf8(out, k);
            EXPECT_FALSE(ch.code_point >= 0xFF01 && ch.code_point <= 0xFF5E) << i;
            EXPECT_NE(ch.code_point, U'\u3000') << i;
            k += ch.length;
        }
        EXPECT_LE(Utf8Length(out), Utf8Length(input)) << i;
        EXPECT_EQ(NormalizeForSearch(out), out) << i;  // idempotent
    }
}

TEST(Utf8, FuzzSanitizeAlwaysYieldsValidText) {
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> byte(0, 255), length(0, 40);
    for (int i = 0; i < 5000; ++i) {
        std::string bytes;
        for (int n = length(rng); n > 0; --n) bytes += static_cast<char>(byte(rng));
        const std::string clean = SanitizeUtf8(bytes);
        ASSERT_TRUE(IsValidUtf8(clean)) << i;
        EXPECT_EQ(Utf8Length(clean), Utf8Length(bytes)) << i;
        EXPECT_EQ(IsValidUtf8(bytes), clean == bytes) << i;
    }
}

}  // namespace
}  // namespace chanrong

namespace chanrong {
namespace {

// Simplified text skips the phrase converter; one traditional character anywhere still converts the whole text.
TEST(NormalizeForSearchFastPath, ConvertsWhenAnyCharacterIsTraditional) {
    EXPECT_EQ(NormalizeForSearch("厦门鹭芯显示科技有限公司"), "厦门鹭芯显示科技有限公司");
    EXPECT_EQ(NormalizeForSearch("厦门鷺芯显示科技有限公司"), "厦门鹭芯显示科技有限公司");
    EXPECT_EQ(NormalizeForSearch("厦门科技（集团）、股份"), "厦门科技(集团)、股份");
    EXPECT_EQ(NormalizeForSearch("臺灣"), "台湾");
}

}  // namespace
}  // namespace chanrong

#include "registry/size_class.hpp"

#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "common/csv_reader.hpp"

namespace chanrong {
extern const std::vector<std::pair<std::string_view, std::string_view>> kEmbeddedData;
}  // namespace chanrong

namespace chanrong::registry {
namespace {

constexpr long long kWan = 1'000'000;  // fen per 万元
constexpr long long kUnused = -1;

// 工信部联企业〔2011〕300号, transcribed independently of data/sme-size-thresholds.csv: per tier (large, medium,
// small) the lower bounds {employees, revenue 万元, assets 万元}; kUnused where the industry has no such indicator.
struct Standard {
    const char* industry_zh;
    const char* sample_code;  // a GB/T 4754-2017 class in the row's scope
    std::array<std::array<long long, 3>, 3> bounds;
};
const std::vector<Standard> kStandard = {
    {"农林牧渔业", "A0111", {{{kUnused, 20000, kUnused}, {kUnused, 500, kUnused}, {kUnused, 50, kUnused}}}},
    {"工业", "C3974", {{{1000, 40000, kUnused}, {300, 2000, kUnused}, {20, 300, kUnused}}}},
    {"建筑业", "E4710", {{{kUnused, 80000, 80000}, {kUnused, 6000, 5000}, {kUnused, 300, 300}}}},
    {"批发业", "F5179", {{{200, 40000, kUnused}, {20, 5000, kUnused}, {5, 1000, kUnused}}}},
    {"零售业", "F5211", {{{300, 20000, kUnused}, {50, 500, kUnused}, {10, 100, kUnused}}}},
    {"交通运输业", "G5411", {{{1000, 30000, kUnused}, {300, 3000, kUnused}, {20, 200, kUnused}}}},
    {"仓储业", "G5990", {{{200, 30000, kUnused}, {100, 1000, kUnused}, {20, 100, kUnused}}}},
    {"邮政业", "G6010", {{{1000, 30000, kUnused}, {300, 2000, kUnused}, {20, 100, kUnused}}}},
    {"住宿业", "H6110", {{{300, 10000, kUnused}, {100, 2000, kUnused}, {10, 100, kUnused}}}},
    {"餐饮业", "H6210", {{{300, 10000, kUnused}, {100, 2000, kUnused}, {10, 100, kUnused}}}},
    {"信息传输业", "I6311", {{{2000, 100000, kUnused}, {100, 1000, kUnused}, {10, 100, kUnused}}}},
    {"软件和信息技术服务业", "I6513", {{{300, 10000, kUnused}, {100, 1000, kUnused}, {10, 50, kUnused}}}},
    {"房地产开发经营", "K7010", {{{kUnused, 200000, 10000}, {kUnused, 1000, 5000}, {kUnused, 100, 2000}}}},
    {"物业管理", "K7020", {{{1000, 5000, kUnused}, {300, 1000, kUnused}, {100, 500, kUnused}}}},
    {"租赁和商务服务业", "L7211", {{{300, kUnused, 120000}, {100, kUnused, 8000}, {10, kUnused, 100}}}},
    {"其他未列明行业", "M7310", {{{300, kUnused, kUnused}, {100, kUnused, kUnused}, {10, kUnused, kUnused}}}},
};

constexpr std::array<SizeClass, 4> kTiers = {SizeClass::kLarge, SizeClass::kMedium, SizeClass::kSmall,
                                             SizeClass::kMicro};

// Inputs exactly at the bounds of `tier`, in fen for money.
SizeInputs AtTier(const Standard& row, size_t tier) {
    SizeInputs inputs{row.sample_code, std::nullopt, std::nullopt, std::nullopt};
    const auto& b = row.bounds[tier];
    if (b[0] != kUnused) inputs.employees = b[0];
    if (b[1] != kUnused) inputs.revenue_fen = b[1] * kWan;
    if (b[2] != kUnused) inputs.assets_fen = b[2] * kWan;
    return inputs;
}

std::optional<long long>& Indicator(SizeInputs& inputs, size_t k) {
    return k == 0 ? inputs.employees : k == 1 ? inputs.revenue_fen : inputs.assets_fen;
}

SizeClass Classify(const SizeInputs& inputs) {
    auto decision = ClassifySize(inputs, DefaultSizeThresholds());
    EXPECT_TRUE(decision) << inputs.industry_code << ": " << decision.error().message;
    return decision ? decision->size : SizeClass::kMicro;
}

std::string EmbeddedCsv() {
    for (const auto& [name, content] : kEmbeddedData)
        if (name == "sme-size-thresholds.csv") return std::string(content);
    ADD_FAILURE() << "sme-size-thresholds.csv is not embedded";
    return "";
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

TEST(SizeThresholds, EmbeddedTableMatchesTheStandard) {
    const SizeThresholds& table = DefaultSizeThresholds();
    ASSERT_EQ(table.rows.size(), kStandard.size());
    for (size_t i = 0; i < kStandard.size(); ++i) {
        const auto& row = table.rows[i];
        const auto& expected = kStandard[i];
        SCOPED_TRACE(expected.industry_zh);
        EXPECT_EQ(row.industry_zh, expected.industry_zh);
        EXPECT_EQ(row.uses_employees, expected.bounds[0][0] != kUnused);
        EXPECT_EQ(row.uses_revenue, expected.bounds[0][1] != kUnused);
        EXPECT_EQ(row.uses_assets, expected.bounds[0][2] != kUnused);
        const std::array<const SizeTier*, 3> tiers = {&row.large, &row.medium, &row.small};
        for (size_t t = 0; t < 3; ++t) {
            if (row.uses_employees) {
                EXPECT_EQ(tiers[t]->employees, expected.bounds[t][0]);
            }
            if (row.uses_revenue) {
                EXPECT_EQ(tiers[t]->revenue_fen, expected.bounds[t][1] * kWan);
            }
            if (row.uses_assets) {
                EXPECT_EQ(tiers[t]->assets_fen, expected.bounds[t][2] * kWan);
            }
        }
        EXPECT_EQ(row.fallback, i + 1 == kStandard.size());
    }
    EXPECT_EQ(table.rows[1].scope, (std::vector<std::string>{"B", "C", "D"}));
    EXPECT_EQ(table.rows[5].scope, (std::vector<std::string>{"G54", "G55", "G56", "G57", "G58"}));
    EXPECT_TRUE(table.rows[5].excluded.empty());
    EXPECT_EQ(table.rows[15].scope, (std::vector<std::string>{"M", "N", "O", "Q", "R"}));
}

TEST(ClassifySize, EveryRowAtEachThresholdAndOneUnitBelow) {
    for (const auto& row : kStandard) {
        for (size_t tier = 0; tier < 3; ++tier) {
            SCOPED_TRACE(std::string(row.industry_zh) + " tier " + std::to_string(tier));
            const SizeInputs at = AtTier(row, tier);
            EXPECT_EQ(Classify(at), kTiers[tier]);
            for (size_t k = 0; k < 3; ++k) {
                if (row.bounds[tier][k] == kUnused) continue;
                SizeInputs below = at;
                *Indicator(below, k) -= 1;  // one person or one fen below the bound
                EXPECT_EQ(Classify(below), kTiers[tier + 1]) << "indicator " << k;
                // Far above on every other indicator does not help: all bounds must be met.
                SizeInputs others_high = below;
                for (size_t j = 0; j < 3; ++j)
                    if (j != k && Indicator(others_high, j)) *Indicator(others_high, j) *= 1000;
                EXPECT_EQ(Classify(others_high), kTiers[tier + 1]) << "indicator " << k;
            }
            // Indicators the row does not use are ignored, whatever their value.
            SizeInputs extra = at;
            for (size_t k = 0; k < 3; ++k)
                if (row.bounds[tier][k] == kUnused) Indicator(extra, k) = tier == 0 ? 0 : 1'000'000'000'000LL;
            EXPECT_EQ(Classify(extra), kTiers[tier]);
        }
    }
}

TEST(ClassifySize, MicroIsBelowTheSmallBoundOnAnyIndicator) {
    for (const auto& row : kStandard) {
        SCOPED_TRACE(row.industry_zh);
        SizeInputs zero = AtTier(row, 0);
        for (size_t k = 0; k < 3; ++k)
            if (Indicator(zero, k)) Indicator(zero, k) = 0;
        EXPECT_EQ(Classify(zero), SizeClass::kMicro);
    }
}

TEST(ClassifySize, FallsAsManyTiersAsNeeded) {
    // 工业 with 5000 staff but 1000万元 revenue: not large, not medium (revenue < 2000万), small.
    auto decision = ClassifySize({"C3974", 5000, 1000 * kWan, std::nullopt}, DefaultSizeThresholds());
    ASSERT_TRUE(decision);
    EXPECT_EQ(decision->size, SizeClass::kSmall);
    EXPECT_EQ(
        decision->rule_zh,
        "工业: 从业人员 5000 ≥ 20 且 营业收入 1000万元 ≥ 300万元 → 小型（未达中型: 营业收入 1000万元 < 2000万元）");
}

TEST(ClassifySize, RuleShowsTheAppliedNumbers) {
    const auto rule = [](SizeInputs inputs) { return ClassifySize(inputs, DefaultSizeThresholds()).value().rule_zh; };
    EXPECT_EQ(rule({"C3974", 350, 2500 * kWan, std::nullopt}),
              "工业: 从业人员 350 ≥ 300 且 营业收入 2500万元 ≥ 2000万元 → 中型（未达大型: 从业人员 350 < 1000、"
              "营业收入 2500万元 < 40000万元）");
    EXPECT_EQ(rule({"C3974", 1000, 40000 * kWan, std::nullopt}),
              "工业: 从业人员 1000 ≥ 1000 且 营业收入 40000万元 ≥ 40000万元 → 大型");
    EXPECT_EQ(rule({"C3974", 19, 300 * kWan - 1, std::nullopt}),
              "工业: 从业人员 19 < 20 或 营业收入 299.999999万元 < 300万元 → 微型");
    EXPECT_EQ(
        rule({"E4710", std::nullopt, 7000 * kWan, 4999 * kWan + 500'000}),
        "建筑业: 营业收入 7000万元 ≥ 300万元 且 资产总额 4999.5万元 ≥ 300万元 → 小型（未达中型: 资产总额 4999.5万元 < "
        "5000万元）");
    EXPECT_EQ(rule({"A0111", std::nullopt, 49 * kWan, std::nullopt}), "农林牧渔业: 营业收入 49万元 < 50万元 → 微型");
    EXPECT_EQ(rule({"G5311", 150, std::nullopt, std::nullopt}),
              "其他未列明行业: 从业人员 150 ≥ 100 → 中型（未达大型: 从业人员 150 < 300）");
    const auto decision = ClassifySize({"I6513", 50, 500 * kWan, std::nullopt}, DefaultSizeThresholds()).value();
    EXPECT_EQ(decision.industry_zh, "软件和信息技术服务业");
    EXPECT_EQ(decision.size, SizeClass::kSmall);
    EXPECT_TRUE(decision.missing.empty());
}

TEST(ClassifySize, MissingIndicators) {
    // Nothing decides without revenue unless what is known is already below the small bound.
    auto missing = ClassifySize({"C3974", 350, std::nullopt, std::nullopt}, DefaultSizeThresholds());
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
    ASSERT_EQ(missing.error().fields.size(), 1u);
    EXPECT_EQ(missing.error().fields[0].field, "revenue_fen");
    EXPECT_EQ(missing.error().fields[0].code, "required");
    EXPECT_NE(missing.error().message.find("营业收入"), std::string::npos);

    auto both = ClassifySize({"E4710", 10, std::nullopt, std::nullopt}, DefaultSizeThresholds());
    ASSERT_FALSE(both);
    ASSERT_EQ(both.error().fields.size(), 2u);
    EXPECT_EQ(both.error().fields[0].field, "revenue_fen");
    EXPECT_EQ(both.error().fields[1].field, "assets_fen");

    auto micro = ClassifySize({"C3974", 8, std::nullopt, std::nullopt}, DefaultSizeThresholds());
    ASSERT_TRUE(micro);
    EXPECT_EQ(micro->size, SizeClass::kMicro);
    EXPECT_EQ(micro->missing, (std::vector<std::string>{"revenue_fen"}));
    EXPECT_EQ(micro->rule_zh, "工业: 从业人员 8 < 20 → 微型（未提供营业收入，不影响结论）");

    auto at_bound = ClassifySize({"C3974", 20, std::nullopt, std::nullopt}, DefaultSizeThresholds());
    EXPECT_FALSE(at_bound);  // 20 is not below the small bound: revenue decides small vs micro

    // Unused indicators are never required.
    EXPECT_TRUE(ClassifySize({"M7310", 50, std::nullopt, std::nullopt}, DefaultSizeThresholds()));
}

TEST(ClassifySize, RefusesNegativeValuesAndBadCodes) {
    auto negative = ClassifySize({"C3974", -1, 0, std::nullopt}, DefaultSizeThresholds());
    ASSERT_FALSE(negative);
    EXPECT_EQ(negative.error().fields.at(0).field, "employees");
    EXPECT_EQ(negative.error().fields.at(0).code, "out_of_range");
    EXPECT_EQ(ClassifySize({"C3974", 1, 1, -1}, DefaultSizeThresholds()).error().fields.at(0).field, "assets_fen");
    auto bad_code = ClassifySize({"C6513", 1, 1, std::nullopt}, DefaultSizeThresholds());
    ASSERT_FALSE(bad_code);
    EXPECT_EQ(bad_code.error().fields.at(0).field, "industry_code");
    EXPECT_EQ(ClassifySize({"C3974", 1, 1, 1}, SizeThresholds{}).error().code, ErrorCode::kInternal);
}

TEST(SizeRow, MapsCodesToRows) {
    const std::vector<std::pair<std::string, std::string>> cases = {{"C3974", "工业"},
                                                                    {"c3974", "工业"},
                                                                    {" C3974 ", "工业"},
                                                                    {"3974", "工业"},
                                                                    {"B0610", "工业"},
                                                                    {"D4411", "工业"},
                                                                    {"C", "工业"},
                                                                    {"C39", "工业"},
                                                                    {"C397", "工业"},
                                                                    {"A", "农林牧渔业"},
                                                                    {"A0511", "农林牧渔业"},
                                                                    {"E", "建筑业"},
                                                                    {"E4710", "建筑业"},
                                                                    {"F51", "批发业"},
                                                                    {"F5179", "批发业"},
                                                                    {"F52", "零售业"},
                                                                    {"F5211", "零售业"},
                                                                    {"G53", "其他未列明行业"},
                                                                    {"G5311", "其他未列明行业"},
                                                                    {"G531", "其他未列明行业"},
                                                                    {"G54", "交通运输业"},
                                                                    {"G5411", "交通运输业"},
                                                                    {"G5510", "交通运输业"},
                                                                    {"G5610", "交通运输业"},
                                                                    {"G5700", "交通运输业"},
                                                                    {"G5810", "交通运输业"},
                                                                    {"G5990", "仓储业"},
                                                                    {"G6010", "邮政业"},
                                                                    {"H6110", "住宿业"},
                                                                    {"H6210", "餐饮业"},
                                                                    {"I6311", "信息传输业"},
                                                                    {"I6410", "信息传输业"},
                                                                    {"I65", "软件和信息技术服务业"},
                                                                    {"6513", "软件和信息技术服务业"},
                                                                    {"K701", "房地产开发经营"},
                                                                    {"K7010", "房地产开发经营"},
                                                                    {"K7020", "物业管理"},
                                                                    {"K7030", "其他未列明行业"},
                                                                    {"K7040", "其他未列明行业"},
                                                                    {"L", "租赁和商务服务业"},
                                                                    {"L7211", "租赁和商务服务业"},
                                                                    {"M7310", "其他未列明行业"},
                                                                    {"N7810", "其他未列明行业"},
                                                                    {"O8010", "其他未列明行业"},
                                                                    {"Q8411", "其他未列明行业"},
                                                                    {"R8610", "其他未列明行业"},
                                                                    {"J6620", "其他未列明行业"},
                                                                    {"J", "其他未列明行业"},
                                                                    {"P8310", "其他未列明行业"},
                                                                    {"S9610", "其他未列明行业"},
                                                                    {"T9700", "其他未列明行业"}};
    for (const auto& [code, industry] : cases) {
        auto row = FindSizeRow(code, DefaultSizeThresholds());
        ASSERT_TRUE(row) << code << ": " << row.error().message;
        EXPECT_EQ((*row)->industry_zh, industry) << code;
    }
    for (const auto& standard : kStandard)
        EXPECT_EQ(FindSizeRow(standard.sample_code, DefaultSizeThresholds()).value()->industry_zh,
                  standard.industry_zh);
}

TEST(SizeRow, CodesTooCoarseToDecide) {
    for (const char* code : {"F", "G", "H", "I", "K", "K70"}) {
        auto row = FindSizeRow(code, DefaultSizeThresholds());
        ASSERT_FALSE(row) << code;
        EXPECT_EQ(row.error().fields.at(0).code, "too_coarse") << code;
        EXPECT_EQ(row.error().fields.at(0).field, "industry_code") << code;
    }
}

TEST(IndustryCode, NormalizesAndValidates) {
    EXPECT_EQ(NormalizeIndustryCode("c3974").value(), "C3974");
    EXPECT_EQ(NormalizeIndustryCode("  i6513").value(), "I6513");
    EXPECT_EQ(NormalizeIndustryCode("6513").value(), "I6513");
    EXPECT_EQ(NormalizeIndustryCode("01").value(), "A01");
    EXPECT_EQ(NormalizeIndustryCode("970").value(), "T970");
    EXPECT_EQ(NormalizeIndustryCode("k").value(), "K");
    EXPECT_EQ(NormalizeIndustryCode("").error().fields.at(0).code, "required");
    for (const char* bad : {"U", "Z12", "C3", "C39745", "CC", "C65", "A06", "K71", "00", "98", "3", "C-39", "C39a",
                            "厦门", "C 39", "+39"}) {
        auto code = NormalizeIndustryCode(bad);
        ASSERT_FALSE(code) << bad;
        EXPECT_EQ(code.error().fields.at(0).code, "invalid") << bad;
    }
    EXPECT_NE(NormalizeIndustryCode("C65").error().message.find("门类 I"), std::string::npos);
}

TEST(SizeClassNames, RoundTrip) {
    for (SizeClass size : kTiers) EXPECT_EQ(ParseSizeClass(SizeClassName(size)), size);
    EXPECT_EQ(SizeClassName(SizeClass::kLarge), "large");
    EXPECT_EQ(SizeClassName(SizeClass::kMicro), "micro");
    EXPECT_EQ(SizeClassNameZh(SizeClass::kMedium), "中型");
    EXPECT_EQ(SizeClassNameZh(SizeClass::kSmall), "小型");
    EXPECT_EQ(ParseSizeClass("Large"), std::nullopt);
    EXPECT_EQ(FormatWan(0), "0万元");
    EXPECT_EQ(FormatWan(25'000'000'000), "25000万元");
    EXPECT_EQ(FormatWan(2'499'999'999), "2499.999999万元");
    EXPECT_EQ(FormatWan(1), "0.000001万元");
    EXPECT_EQ(FormatWan(-1'500'000), "-1.5万元");
}

TEST(SizeThresholds, ParsesDecimalWanAndReorderedColumns) {
    const std::string header =
        "industry_en,industry_zh,indicators,gbt4754_scope,small_employees,small_revenue_wan,small_assets_wan,"
        "medium_employees,medium_revenue_wan,medium_assets_wan,large_employees,large_revenue_wan,large_assets_wan\n";
    auto table = ParseSizeThresholds(header +
                                     "Industry,工业,X+Y,C,20,0.5,,300,2000.25,,1000,40000,\n"
                                     "Other,其他,X,A;B and others,10,,,100,,,300,,\n");
    ASSERT_TRUE(table) << table.error().message;
    EXPECT_EQ(table->rows[0].small.revenue_fen, 500'000);
    EXPECT_EQ(table->rows[0].medium.revenue_fen, 2'000'250'000);
    EXPECT_EQ(table->rows[0].large.employees, 1000);
    EXPECT_TRUE(table->rows[1].fallback);
}

TEST(SizeThresholds, RefusesBrokenTables) {
    const std::string csv = EmbeddedCsv();
    ASSERT_TRUE(ParseSizeThresholds(csv));
    const auto error_of = [](const std::string& text) {
        auto result = ParseSizeThresholds(text);
        EXPECT_FALSE(result);
        return result ? std::string("ok") : result.error().message;
    };
    const auto expect_line = [&](const std::string& text, const std::string& line) {
        const std::string message = error_of(text);
        EXPECT_NE(message.find("第 " + line + " 行"), std::string::npos) << message;
    };
    // Wrong or missing columns.
    EXPECT_NE(error_of(Replace(csv, "small_assets_wan", "small_asset_wan")).find("small_assets_wan"),
              std::string::npos);
    EXPECT_NE(error_of("").find("为空"), std::string::npos);
    // Indicators: unknown letter, duplicates, values for an unused indicator, a missing value for a used one.
    expect_line(Replace(csv, "Agriculture forestry animal husbandry fishery,A,Y,", "Agri,A,W,"), "2");
    expect_line(Replace(csv, "Industry,B;C;D,X+Y,", "Industry,B;C;D,X+X,"), "3");
    expect_line(Replace(csv, "Industry,B;C;D,X+Y,", "Industry,B;C;D,X,"), "3");
    expect_line(Replace(csv, "B;C;D,X+Y,1000,40000,,", "B;C;D,X+Y,,40000,,"), "3");
    expect_line(Replace(csv, "B;C;D,X+Y,1000,40000,,", "B;C;D,X+Y,1000,40000,1,"), "3");
    // Values: negative, non-numeric, too many decimals, not decreasing from large to small.
    expect_line(Replace(csv, "B;C;D,X+Y,1000,", "B;C;D,X+Y,-1000,"), "3");
    expect_line(Replace(csv, "B;C;D,X+Y,1000,40000", "B;C;D,X+Y,1000,4万"), "3");
    expect_line(Replace(csv, "B;C;D,X+Y,1000,40000", "B;C;D,X+Y,1000,40000.0000001"), "3");
    expect_line(Replace(csv, "B;C;D,X+Y,1000,40000", "B;C;D,X+Y,100,40000"), "3");
    // Scopes: unknown words, bad ranges, codes outside their section, overlaps, exclusions outside the row.
    expect_line(Replace(csv, "B;C;D", "B;C;D plus"), "3");
    expect_line(Replace(csv, "B;C;D", "B;C;X"), "3");
    expect_line(Replace(csv, "B;C;D", "B;C65"), "3");
    expect_line(Replace(csv, "G53-G58 excluding", "G58-G53 excluding"), "7");
    expect_line(Replace(csv, "G53-G58 excluding", "G53-H62 excluding"), "7");
    expect_line(Replace(csv, "G53-G58 excluding G53", "G54-G58 excluding G53"), "7");
    expect_line(Replace(csv, ",F52,", ",F51,"), "6");
    expect_line(Replace(csv, "I63;I64", "I63;I64;I65"), "13");
    // Exactly one fallback row.
    EXPECT_NE(error_of(Replace(csv, "M;N;O;Q;R and others", "M;N;O;Q;R")).find("and others"), std::string::npos);
    EXPECT_NE(error_of(Replace(csv, ",A,Y,", ",A and others,Y,")).find("and others"), std::string::npos);
    // Malformed CSV.
    EXPECT_FALSE(ParseSizeThresholds(csv + "\"unterminated\n"));
}

TEST(SizeThresholds, ExcludedSubcodesAreCarvedOut) {
    const std::string header =
        "industry_zh,industry_en,gbt4754_scope,indicators,large_employees,large_revenue_wan,large_assets_wan,"
        "medium_employees,medium_revenue_wan,medium_assets_wan,small_employees,small_revenue_wan,small_assets_wan\n";
    auto table = ParseSizeThresholds(header +
                                     "制造,M,C excluding C39 electronics,X,3,,,2,,,1,,\n"
                                     "其他,O,A and others,X,30,,,20,,,10,,\n");
    ASSERT_TRUE(table) << table.error().message;
    EXPECT_EQ(table->rows[0].excluded, (std::vector<std::string>{"C39"}));
    EXPECT_EQ(FindSizeRow("C3011", *table).value()->industry_zh, "制造");
    EXPECT_EQ(FindSizeRow("C3974", *table).value()->industry_zh, "其他");
    EXPECT_EQ(FindSizeRow("C", *table).error().fields.at(0).code, "too_coarse");
}

// Every division and class of GB/T 4754-2017 (data/gbt4754-2017.csv, when present) is a valid code that either
// maps to a row or, for sections and divisions split between rows, is reported as too coarse.
TEST(SizeRow, EveryGbt4754CodeResolves) {
    std::string text;
    for (const auto& [name, content] : kEmbeddedData)
        if (name == "gbt4754-2017.csv") text = std::string(content);
    if (text.empty()) GTEST_SKIP() << "data/gbt4754-2017.csv is not embedded";
    auto table = ReadCsv(text);
    ASSERT_TRUE(table) << table.error().message;
    size_t classes = 0;
    for (size_t i = 1; i < table->rows.size(); ++i) {
        const auto& fields = table->rows[i].fields;
        ASSERT_GE(fields.size(), 2u);
        const std::string& code = fields[0];
        ASSERT_EQ(NormalizeIndustryCode(code).value_or("?"), code) << code;
        auto row = FindSizeRow(code, DefaultSizeThresholds());
        if (fields[1] == "class") {
            ++classes;
            EXPECT_TRUE(row) << code << ": " << row.error().message;
        } else if (!row) {
            EXPECT_EQ(row.error().fields.at(0).code, "too_coarse") << code;
            EXPECT_TRUE(fields[1] == "section" || fields[1] == "division") << code;
        }
    }
    EXPECT_GT(classes, 1000u);
}

TEST(SizeThresholds, FuzzMutatedTablesNeverCrash) {
    const std::string csv = EmbeddedCsv();
    const std::string alphabet = ",;+-\n\"XYZ0123456789.ABCGKQ excluding and others 工";
    std::mt19937 rng(300);
    size_t accepted = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string text = csv;
        for (int edits = 1 + static_cast<int>(rng() % 4); edits > 0; --edits) {
            const size_t at = rng() % (text.size() + 1);
            switch (rng() % 3) {
                case 0: text.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
                case 1:
                    if (at < text.size()) text.erase(at, 1 + rng() % 5);
                    break;
                default:
                    if (at < text.size()) text[at] = alphabet[rng() % alphabet.size()];
                    break;
            }
        }
        Result<SizeThresholds> parsed = Fail(Error::Internal(""));
        ASSERT_NO_THROW(parsed = ParseSizeThresholds(text)) << i;
        if (!parsed) {
            EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument) << i;
            continue;
        }
        ++accepted;
        size_t fallbacks = 0;
        for (const auto& row : parsed->rows) {
            fallbacks += row.fallback;
            EXPECT_FALSE(row.scope.empty());
            EXPECT_TRUE(row.uses_employees || row.uses_revenue || row.uses_assets);
            EXPECT_GE(row.large.employees, row.medium.employees);
            EXPECT_GE(row.medium.employees, row.small.employees);
            EXPECT_GE(row.large.revenue_fen, row.medium.revenue_fen);
            EXPECT_GE(row.medium.assets_fen, row.small.assets_fen);
        }
        EXPECT_EQ(fallbacks, 1u) << i;
        ASSERT_NO_THROW((void)ClassifySize({"C3974", 100, 100 * kWan, 100 * kWan}, *parsed)) << i;
    }
    EXPECT_GT(accepted, 0u);
}

TEST(IndustryCode, FuzzNeverCrashesAndIsIdempotent) {
    std::mt19937 rng(4754);
    const std::string alphabet = "ABCFGIKTUZabcz0123456789 -;厦";
    for (int i = 0; i < 20000; ++i) {
        std::string code;
        for (size_t n = rng() % 7; n > 0; --n) code += alphabet[rng() % alphabet.size()];
        auto normalized = NormalizeIndustryCode(code);
        if (!normalized) continue;
        ASSERT_GE(normalized->size(), 1u);
        EXPECT_TRUE(normalized->at(0) >= 'A' && normalized->at(0) <= 'T') << code;
        EXPECT_EQ(NormalizeIndustryCode(*normalized).value_or("?"), *normalized) << code;
        auto row = FindSizeRow(*normalized, DefaultSizeThresholds());
        if (!row) {
            EXPECT_EQ(row.error().fields.at(0).code, "too_coarse") << code;
        }
    }
}

// More staff, revenue or assets never make a firm smaller.
TEST(ClassifySize, FuzzIsMonotonic) {
    std::mt19937_64 rng(2011300);
    const auto random_amount = [&](long long scale) {
        return static_cast<long long>(rng() % 4 == 0 ? rng() % 3 : rng() % static_cast<unsigned long long>(scale));
    };
    for (int i = 0; i < 20000; ++i) {
        const Standard& row = kStandard[rng() % kStandard.size()];
        SizeInputs inputs{row.sample_code, random_amount(3000), random_amount(300000 * kWan),
                          random_amount(200000 * kWan)};
        const SizeClass base = Classify(inputs);
        SizeInputs bigger = inputs;
        const size_t k = rng() % 3;
        *Indicator(bigger, k) += random_amount(100000 * kWan);
        const SizeClass grown = Classify(bigger);
        EXPECT_LE(static_cast<int>(grown), static_cast<int>(base)) << row.industry_zh;
    }
}

}  // namespace
}  // namespace chanrong::registry

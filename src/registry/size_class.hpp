#pragma once
// SME size classification (中小企业划型标准, 工信部联企业〔2011〕300号): large / medium / small / micro by industry,
// from thresholds kept as data (data/sme-size-thresholds.csv, embedded in the binary). Pure: no database.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace chanrong::registry {

enum class SizeClass { kLarge, kMedium, kSmall, kMicro };

/// "large", "medium", "small", "micro" (stored in enterprises.size_class).
std::string_view SizeClassName(SizeClass size);
/// 大型, 中型, 小型, 微型.
std::string_view SizeClassNameZh(SizeClass size);
/// The class named by SizeClassName, or nullopt.
std::optional<SizeClass> ParseSizeClass(std::string_view name);

/// Lower bounds of one tier. Money is integer fen (1 万元 = 1,000,000 fen).
struct SizeTier {
    long long employees = 0;
    long long revenue_fen = 0;
    long long assets_fen = 0;
};

/// One industry row of the thresholds table.
struct SizeThresholdRow {
    size_t line = 0;  ///< line in the CSV
    std::string industry_zh;
    std::string industry_en;
    std::string scope_text;             ///< the gbt4754_scope cell as written
    std::vector<std::string> scope;     ///< GB/T 4754 code prefixes covered: "B", "F51", "K701"; ranges expanded
    std::vector<std::string> excluded;  ///< more specific prefixes carved out of `scope`
    bool fallback = false;              ///< "… and others": applies to every code no other row covers
    bool uses_employees = false;        ///< X 从业人员
    bool uses_revenue = false;          ///< Y 营业收入
    bool uses_assets = false;           ///< Z 资产总额
    SizeTier large, medium, small;      ///< lower bounds ("及以上", ≥) of each tier on the indicators used
};

struct SizeThresholds {
    std::vector<SizeThresholdRow> rows;
};

/// Parses the thresholds CSV (header: industry_zh, industry_en, gbt4754_scope, indicators, then
/// {large,medium,small}_{employees,revenue_wan,assets_wan}; columns are found by name). Scope cells are
/// ';'-separated section/division/group codes, "G53-G58" ranges, an optional "excluding <codes> <words>" and an
/// optional trailing "and others" marking the one fallback row. Amounts are 万元 with up to 6 decimals, converted
/// to fen exactly. Refuses unknown indicators, thresholds given for unused indicators or missing for used ones,
/// tiers that do not decrease from large to small, codes covered by two rows, and anything but one fallback row;
/// errors name field "thresholds" and the CSV line.
Result<SizeThresholds> ParseSizeThresholds(std::string_view csv);

/// The name of the shipped thresholds table among the embedded data files.
inline constexpr std::string_view kSizeThresholdsFile = "sme-size-thresholds.csv";

/// The thresholds embedded from data/sme-size-thresholds.csv, parsed on first use. Should the embedded file
/// ever fail to parse, the error is logged and the table is empty, so every ClassifySize fails with internal.
const SizeThresholds& DefaultSizeThresholds();

/// A GB/T 4754-2017 code in canonical form: upper-case section letter plus 0, 2, 3 or 4 digits ("C3974"). Accepts
/// surrounding spaces, a lower-case letter, and a code without its letter ("3974" → "C3974"); refuses a division
/// outside its section (e.g. "C65") and other shapes, naming field "industry_code".
Result<std::string> NormalizeIndustryCode(std::string_view code);

/// The row whose scope covers `industry_code`: the most specific matching prefix wins, codes not covered by any
/// row (e.g. G53 railway, J finance, K703) take the fallback row. A code too coarse to decide — its section or
/// division holds codes under different rows, e.g. "G", "F", "K70" — fails with code "too_coarse".
Result<const SizeThresholdRow*> FindSizeRow(std::string_view industry_code, const SizeThresholds& thresholds);

struct SizeInputs {
    std::string industry_code;  ///< GB/T 4754-2017, e.g. "C3974"
    std::optional<long long> employees;
    std::optional<long long> revenue_fen;
    std::optional<long long> assets_fen;
};

struct SizeDecision {
    SizeClass size = SizeClass::kMicro;
    std::string industry_zh;
    /// The applied rule with the numbers, e.g.
    /// "工业: 从业人员 350 ≥ 300 且 营业收入 2500万元 ≥ 2000万元 → 中型（未达大型: 营业收入 2500万元 < 40000万元）".
    std::string rule_zh;
    /// Indicators the row needs that were not given ("employees", "revenue_fen", "assets_fen"). Non-empty only
    /// when the given ones already decide the result, which can only be micro (one indicator below the small bound).
    std::vector<std::string> missing;
};

/// Classifies per DOMAIN §2: large, medium and small need every indicator of the row at or above the tier's bound
/// (otherwise the firm falls a tier); micro is below the small bound on any indicator. Inputs the row does not
/// use are ignored. Missing indicators: if a given one is already below the small bound the decision is micro and
/// lists them in `missing`; otherwise invalid_argument with one "required" field error per missing indicator.
/// Negative values fail with "out_of_range"; a bad code as NormalizeIndustryCode / FindSizeRow.
Result<SizeDecision> ClassifySize(const SizeInputs& inputs, const SizeThresholds& thresholds);

/// Fen as 万元 without rounding: 25,000,000,000 → "25000万元"; 2,499,999,999 → "2499.999999万元".
std::string FormatWan(long long fen);

}  // namespace chanrong::registry

#include "registry/size_class.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <map>
#include <utility>

#include "common/csv_reader.hpp"
#include "common/embedded_data.hpp"

namespace chanrong::registry {
namespace {

constexpr long long kFenPerWan = 1'000'000;

// GB/T 4754-2017 sections and their two-digit divisions (DOMAIN §3).
struct Section {
    char letter;
    int first_division, last_division;
};
constexpr std::array<Section, 20> kSections = {
    {{'A', 1, 5},   {'B', 6, 12},  {'C', 13, 43}, {'D', 44, 46}, {'E', 47, 50}, {'F', 51, 52}, {'G', 53, 60},
     {'H', 61, 62}, {'I', 63, 65}, {'J', 66, 69}, {'K', 70, 70}, {'L', 71, 72}, {'M', 73, 75}, {'N', 76, 79},
     {'O', 80, 82}, {'P', 83, 83}, {'Q', 84, 85}, {'R', 86, 90}, {'S', 91, 96}, {'T', 97, 97}}};

const Section* SectionOfLetter(char letter) {
    for (const auto& section : kSections)
        if (section.letter == letter) return &section;
    return nullptr;
}

const Section* SectionOfDivision(int division) {
    for (const auto& section : kSections)
        if (division >= section.first_division && division <= section.last_division) return &section;
    return nullptr;
}

bool AllDigits(std::string_view text) {
    for (char c : text)
        if (c < '0' || c > '9') return false;
    return true;
}

std::string_view Trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    for (size_t start = 0;;) {
        const size_t end = text.find(separator, start);
        parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) return parts;
        start = end + 1;
    }
}

Error ThresholdError(size_t line, const std::string& message) {
    return Error::Field("thresholds", "invalid", "第 " + std::to_string(line) + " 行: " + message);
}

// ---- scope cells -------------------------------------------------------------------------------------------

struct Scope {
    std::vector<std::string> included, excluded;
    bool fallback = false;
};

// "F51" or "G53-G58" (expanded to G53 … G58); codes in the data file carry their section letter.
Result<std::vector<std::string>> ParseScopeItem(std::string_view item) {
    const auto parts = Split(item, '-');
    std::vector<std::string> codes;
    for (auto part : parts) {
        if (part.empty() || part[0] < 'A' || part[0] > 'Z')
            return Fail(Error::InvalidArgument("“" + std::string(item) + "”不是行业代码"));
        auto code = NormalizeIndustryCode(part);
        if (!code) return Fail(code.error());
        codes.push_back(std::move(*code));
    }
    if (codes.size() == 1) return codes;
    const std::string& low = codes.front();
    const std::string& high = codes.back();
    if (codes.size() != 2 || low[0] != high[0] || low.size() != high.size() || low.size() < 3 || low > high)
        return Fail(Error::InvalidArgument("范围“" + std::string(item) + "”应写成同一门类、同一层级的“G53-G58”"));
    const int first = std::stoi(low.substr(1)), last = std::stoi(high.substr(1));
    const size_t width = low.size() - 1;
    std::vector<std::string> expanded;
    for (int n = first; n <= last; ++n) {
        std::string digits = std::to_string(n);
        digits.insert(0, width - digits.size(), '0');
        auto code = NormalizeIndustryCode(std::string(1, low[0]) + digits);
        if (!code) return Fail(code.error());
        expanded.push_back(std::move(*code));
    }
    return expanded;
}

Result<std::vector<std::string>> ParseScopeList(std::string_view list) {
    std::vector<std::string> codes;
    for (auto item : Split(list, ';')) {
        auto parsed = ParseScopeItem(Trim(item));
        if (!parsed) return Fail(parsed.error());
        codes.insert(codes.end(), parsed->begin(), parsed->end());
    }
    return codes;
}

bool IsDescriptiveWord(std::string_view word) {
    for (char c : word)
        if (c < 'a' || c > 'z') return false;
    return !word.empty();
}

bool Covers(std::string_view prefix, std::string_view code) {
    return code.starts_with(prefix);
}

// "<codes> [excluding <codes> <words…>] [and others]", e.g. "G53-G58 excluding G53 railway", "M;N;O;Q;R and others".
Result<Scope> ParseScope(std::string_view text) {
    std::vector<std::string_view> words;
    for (auto word : Split(text, ' '))
        if (!word.empty()) words.push_back(word);
    if (words.empty()) return Fail(Error::InvalidArgument("行业范围为空"));
    Scope scope;
    auto included = ParseScopeList(words[0]);
    if (!included) return Fail(included.error());
    scope.included = std::move(*included);
    bool after_exclusion = false;
    for (size_t i = 1; i < words.size(); ++i) {
        if (words[i] == "excluding" && i + 1 < words.size() && !after_exclusion) {
            auto excluded = ParseScopeList(words[++i]);
            if (!excluded) return Fail(excluded.error());
            scope.excluded = std::move(*excluded);
            after_exclusion = true;
        } else if (words[i] == "and" && i + 1 < words.size() && words[i + 1] == "others") {
            scope.fallback = true;
            ++i;
        } else if (!(after_exclusion && IsDescriptiveWord(words[i]))) {
            return Fail(Error::InvalidArgument("行业范围中无法识别“" + std::string(words[i]) + "”"));
        }
    }
    // An exclusion equal to an included code simply removes it; a more specific one stays as a carve-out.
    std::vector<std::string> carve_outs;
    for (const auto& excluded : scope.excluded) {
        const auto same = std::find(scope.included.begin(), scope.included.end(), excluded);
        if (same != scope.included.end()) {
            scope.included.erase(same);
            continue;
        }
        const bool inside = std::any_of(scope.included.begin(), scope.included.end(),
                                        [&](const std::string& code) { return Covers(code, excluded); });
        if (!inside) return Fail(Error::InvalidArgument("排除的代码 " + excluded + " 不在该行范围内"));
        carve_outs.push_back(excluded);
    }
    scope.excluded = std::move(carve_outs);
    if (scope.included.empty()) return Fail(Error::InvalidArgument("行业范围排除后为空"));
    return scope;
}

// ---- threshold cells ---------------------------------------------------------------------------------------

std::optional<long long> ParseCount(std::string_view text) {
    if (text.empty() || text.size() > 12 || !AllDigits(text)) return std::nullopt;
    return std::stoll(std::string(text));
}

// "2000" or "0.5" 万元 → fen, exactly (up to 6 decimals).
std::optional<long long> ParseWan(std::string_view text) {
    const size_t dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    const std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
    if (whole.empty() || whole.size() > 12 || !AllDigits(whole) || fraction.size() > 6 || !AllDigits(fraction) ||
        (dot != std::string_view::npos && fraction.empty()))
        return std::nullopt;
    long long fen = std::stoll(std::string(whole)) * kFenPerWan;
    long long scale = kFenPerWan;
    for (char c : fraction) fen += (c - '0') * (scale /= 10);
    return fen;
}

struct Columns {
    std::map<std::string, size_t, std::less<>> index;
    std::string_view Cell(const CsvRow& row, std::string_view name) const {
        const auto it = index.find(name);
        if (it == index.end() || it->second >= row.fields.size()) return {};
        return Trim(row.fields[it->second]);
    }
};

constexpr std::array<std::string_view, 13> kRequiredColumns = {
    "industry_zh",       "gbt4754_scope",    "indicators",         "large_employees",   "large_revenue_wan",
    "large_assets_wan",  "medium_employees", "medium_revenue_wan", "medium_assets_wan", "small_employees",
    "small_revenue_wan", "small_assets_wan", "industry_en"};

struct IndicatorColumn {
    std::string_view suffix;  // column name after "<tier>_"
    bool SizeThresholdRow::*used;
    long long SizeTier::*bound;
    bool money;
};
constexpr std::array<IndicatorColumn, 3> kIndicatorColumns = {{
    {"employees", &SizeThresholdRow::uses_employees, &SizeTier::employees, false},
    {"revenue_wan", &SizeThresholdRow::uses_revenue, &SizeTier::revenue_fen, true},
    {"assets_wan", &SizeThresholdRow::uses_assets, &SizeTier::assets_fen, true},
}};

Status ParseIndicators(std::string_view text, SizeThresholdRow& row) {
    for (auto letter : Split(text, '+')) {
        bool SizeThresholdRow::*flag = letter == "X"   ? &SizeThresholdRow::uses_employees
                                       : letter == "Y" ? &SizeThresholdRow::uses_revenue
                                       : letter == "Z" ? &SizeThresholdRow::uses_assets
                                                       : nullptr;
        if (!flag || row.*flag)
            return Fail(ThresholdError(row.line, "指标“" + std::string(text) + "”应为 X、Y、Z 用 + 连接且不重复"));
        row.*flag = true;
    }
    return {};
}

Status ParseTiers(const Columns& columns, const CsvRow& csv, SizeThresholdRow& row) {
    const std::array<std::pair<std::string_view, SizeTier*>, 3> tiers = {
        {{"large", &row.large}, {"medium", &row.medium}, {"small", &row.small}}};
    for (const auto& indicator : kIndicatorColumns) {
        const bool used = row.*indicator.used;
        for (const auto& [tier_name, tier] : tiers) {
            const std::string column = std::string(tier_name) + "_" + std::string(indicator.suffix);
            const std::string_view cell = columns.Cell(csv, column);
            if (!used) {
                if (!cell.empty()) return Fail(ThresholdError(row.line, column + " 有值，但该行不使用此指标"));
                continue;
            }
            const auto value = indicator.money ? ParseWan(cell) : ParseCount(cell);
            if (!value)
                return Fail(ThresholdError(row.line, column + " 应为非负数，实际为“" + std::string(cell) + "”"));
            tier->*indicator.bound = *value;
        }
        if (used && (row.large.*indicator.bound < row.medium.*indicator.bound ||
                     row.medium.*indicator.bound < row.small.*indicator.bound))
            return Fail(ThresholdError(row.line, std::string(indicator.suffix) + " 的下限应满足 大型 ≥ 中型 ≥ 小型"));
    }
    return {};
}

Result<SizeThresholdRow> ParseRow(const Columns& columns, const CsvRow& csv) {
    SizeThresholdRow row;
    row.line = csv.line;
    row.industry_zh = std::string(columns.Cell(csv, "industry_zh"));
    row.industry_en = std::string(columns.Cell(csv, "industry_en"));
    row.scope_text = std::string(columns.Cell(csv, "gbt4754_scope"));
    if (row.industry_zh.empty()) return Fail(ThresholdError(row.line, "industry_zh 为空"));
    auto scope = ParseScope(row.scope_text);
    if (!scope) return Fail(ThresholdError(row.line, "gbt4754_scope: " + scope.error().message));
    row.scope = std::move(scope->included);
    row.excluded = std::move(scope->excluded);
    row.fallback = scope->fallback;
    if (auto status = ParseIndicators(columns.Cell(csv, "indicators"), row); !status) return Fail(status.error());
    if (auto status = ParseTiers(columns, csv, row); !status) return Fail(status.error());
    return row;
}

Status CheckTable(const SizeThresholds& thresholds) {
    std::map<std::string, size_t> owner;
    size_t fallbacks = 0;
    for (const auto& row : thresholds.rows) {
        fallbacks += row.fallback ? 1 : 0;
        for (const auto& code : row.scope) {
            const auto [it, inserted] = owner.emplace(code, row.line);
            if (!inserted)
                return Fail(
                    ThresholdError(row.line, "代码 " + code + " 已由第 " + std::to_string(it->second) + " 行覆盖"));
        }
    }
    if (fallbacks != 1)
        return Fail(Error::Field("thresholds", "invalid",
                                 "应恰有一行以“and others”兜底，实际 " + std::to_string(fallbacks) + " 行"));
    return {};
}

// ---- classification ----------------------------------------------------------------------------------------

struct Indicator {
    std::string_view field;     // SizeInputs member name
    std::string_view label_zh;  // 从业人员 …
    std::optional<long long> value;
    long long SizeTier::*bound;
    bool money;
};

std::string FormatAmount(const Indicator& indicator, long long value) {
    return indicator.money ? FormatWan(value) : std::to_string(value);
}

std::string Comparison(const Indicator& indicator, const SizeTier& tier, bool met) {
    return std::string(indicator.label_zh) + " " + FormatAmount(indicator, *indicator.value) + (met ? " ≥ " : " < ") +
           FormatAmount(indicator, tier.*indicator.bound);
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) out += (i ? std::string(separator) : "") + parts[i];
    return out;
}

bool Meets(const Indicator& indicator, const SizeTier& tier) {
    return *indicator.value >= tier.*indicator.bound;
}

SizeDecision Decide(const SizeThresholdRow& row, const std::vector<Indicator>& given,
                    std::vector<std::string> missing) {
    SizeDecision decision{SizeClass::kMicro, row.industry_zh, "", std::move(missing)};
    const std::array<std::pair<SizeClass, const SizeTier*>, 3> tiers = {
        {{SizeClass::kLarge, &row.large}, {SizeClass::kMedium, &row.medium}, {SizeClass::kSmall, &row.small}}};
    const auto comparisons = [&](const SizeTier& tier, bool met) {
        std::vector<std::string> parts;
        for (const auto& indicator : given)
            if (Meets(indicator, tier) == met) parts.push_back(Comparison(indicator, tier, met));
        return parts;
    };
    if (decision.missing.empty()) {
        for (size_t t = 0; t < tiers.size(); ++t) {
            const auto& [size, tier] = tiers[t];
            if (!comparisons(*tier, false).empty()) continue;
            decision.size = size;
            decision.rule_zh = row.industry_zh + ": " + Join(comparisons(*tier, true), " 且 ") + " → " +
                               std::string(SizeClassNameZh(size));
            if (t > 0)
                decision.rule_zh += "（未达" + std::string(SizeClassNameZh(tiers[t - 1].first)) + ": " +
                                    Join(comparisons(*tiers[t - 1].second, false), "、") + "）";
            return decision;
        }
    }
    decision.rule_zh = row.industry_zh + ": " + Join(comparisons(row.small, false), " 或 ") + " → 微型";
    if (!decision.missing.empty()) {
        std::vector<std::string> labels;
        for (const auto& field : decision.missing)
            labels.push_back(field == "employees" ? "从业人员" : field == "revenue_fen" ? "营业收入" : "资产总额");
        decision.rule_zh += "（未提供" + Join(labels, "、") + "，不影响结论）";
    }
    return decision;
}

}  // namespace

std::string_view SizeClassName(SizeClass size) {
    switch (size) {
        case SizeClass::kLarge: return "large";
        case SizeClass::kMedium: return "medium";
        case SizeClass::kSmall: return "small";
        case SizeClass::kMicro: return "micro";
    }
    return "micro";
}

std::string_view SizeClassNameZh(SizeClass size) {
    switch (size) {
        case SizeClass::kLarge: return "大型";
        case SizeClass::kMedium: return "中型";
        case SizeClass::kSmall: return "小型";
        case SizeClass::kMicro: return "微型";
    }
    return "微型";
}

std::optional<SizeClass> ParseSizeClass(std::string_view name) {
    for (SizeClass size : {SizeClass::kLarge, SizeClass::kMedium, SizeClass::kSmall, SizeClass::kMicro})
        if (SizeClassName(size) == name) return size;
    return std::nullopt;
}

std::string FormatWan(long long fen) {
    const bool negative = fen < 0;
    const unsigned long long abs =
        negative ? 0 - static_cast<unsigned long long>(fen) : static_cast<unsigned long long>(fen);
    std::string text = std::to_string(abs / kFenPerWan);
    if (const unsigned long long rest = abs % kFenPerWan; rest != 0) {
        std::string fraction = std::to_string(rest);
        fraction.insert(0, 6 - fraction.size(), '0');
        while (fraction.back() == '0') fraction.pop_back();
        text += "." + fraction;
    }
    return (negative ? "-" : "") + text + "万元";
}

Result<std::string> NormalizeIndustryCode(std::string_view code) {
    const std::string_view trimmed = Trim(code);
    const auto invalid = [&](std::string message) {
        return Fail(Error::Field("industry_code", "invalid", std::move(message)));
    };
    if (trimmed.empty())
        return Fail(Error::Field("industry_code", "required", "请填写国民经济行业代码（GB/T 4754-2017）"));
    const std::string shown = "行业代码“" + std::string(trimmed) + "”";
    char letter = trimmed[0];
    if (letter >= 'a' && letter <= 'z') letter = static_cast<char>(letter - 'a' + 'A');
    const bool has_letter = letter >= 'A' && letter <= 'Z';
    const std::string_view digits = has_letter ? trimmed.substr(1) : trimmed;
    if (!AllDigits(digits) || digits.size() == 1 || digits.size() > 4 || (!has_letter && digits.empty()))
        return invalid(shown + "应为门类字母加 2–4 位数字，如 C3974");
    if (digits.empty()) {
        if (!SectionOfLetter(letter)) return invalid(shown + "的门类应为 A–T");
        return std::string(1, letter);
    }
    const int division = (digits[0] - '0') * 10 + (digits[1] - '0');
    const Section* section = SectionOfDivision(division);
    if (!section) return invalid(shown + "的大类 " + std::string(digits.substr(0, 2)) + " 不存在");
    if (has_letter && section->letter != letter)
        return invalid(shown + "的大类 " + std::string(digits.substr(0, 2)) + " 属于门类 " + section->letter +
                       "，不属于 " + letter);
    return std::string(1, section->letter) + std::string(digits);
}

Result<const SizeThresholdRow*> FindSizeRow(std::string_view industry_code, const SizeThresholds& thresholds) {
    auto code = NormalizeIndustryCode(industry_code);
    if (!code) return Fail(code.error());
    const SizeThresholdRow* best = nullptr;
    const SizeThresholdRow* fallback = nullptr;
    size_t best_length = 0;
    for (const auto& row : thresholds.rows) {
        if (row.fallback) fallback = &row;
        for (const auto& prefix : row.scope) {
            if (prefix.size() > code->size() && Covers(*code, prefix))
                return Fail(Error::Field("industry_code", "too_coarse",
                                         "行业代码“" + *code + "”不够具体：其下不同类别适用不同的划型标准（如 " +
                                             prefix + " 属于" + row.industry_zh + "），请填写更细的代码"));
            const bool carved_out = std::any_of(row.excluded.begin(), row.excluded.end(),
                                                [&](const std::string& e) { return Covers(e, *code); });
            if (Covers(prefix, *code) && !carved_out && prefix.size() > best_length) {
                best = &row;
                best_length = prefix.size();
            }
        }
        for (const auto& excluded : row.excluded)
            if (excluded.size() > code->size() && Covers(*code, excluded))
                return Fail(Error::Field("industry_code", "too_coarse",
                                         "行业代码“" + *code + "”不够具体：其中 " + excluded + " 适用不同的划型标准"));
    }
    if (best) return best;
    if (fallback) return fallback;
    return Fail(Error::Internal("中小企业划型标准数据不可用"));
}

Result<SizeThresholds> ParseSizeThresholds(std::string_view csv) {
    auto table = ReadCsv(csv);
    if (!table) return Fail(table.error());
    if (table->rows.empty()) return Fail(Error::Field("thresholds", "invalid", "划型标准表为空"));
    Columns columns;
    const auto& header = table->rows.front();
    for (size_t i = 0; i < header.fields.size(); ++i) columns.index.emplace(std::string(Trim(header.fields[i])), i);
    for (auto name : kRequiredColumns)
        if (!columns.index.contains(name)) return Fail(ThresholdError(header.line, "缺少列 " + std::string(name)));
    SizeThresholds thresholds;
    for (size_t i = 1; i < table->rows.size(); ++i) {
        auto row = ParseRow(columns, table->rows[i]);
        if (!row) return Fail(row.error());
        thresholds.rows.push_back(std::move(*row));
    }
    if (auto status = CheckTable(thresholds); !status) return Fail(status.error());
    return thresholds;
}

const SizeThresholds& DefaultSizeThresholds() {
    static const SizeThresholds thresholds = [] {
        auto parsed = ParseSizeThresholds(EmbeddedFile(kSizeThresholdsFile));
        if (parsed) return std::move(*parsed);
        spdlog::critical("embedded {} is missing or invalid: {}", kSizeThresholdsFile, parsed.error().message);
        return SizeThresholds{};
    }();
    return thresholds;
}

Result<SizeDecision> ClassifySize(const SizeInputs& inputs, const SizeThresholds& thresholds) {
    if (thresholds.rows.empty()) return Fail(Error::Internal("中小企业划型标准数据不可用"));
    const std::array<Indicator, 3> all = {{
        {"employees", "从业人员", inputs.employees, &SizeTier::employees, false},
        {"revenue_fen", "营业收入", inputs.revenue_fen, &SizeTier::revenue_fen, true},
        {"assets_fen", "资产总额", inputs.assets_fen, &SizeTier::assets_fen, true},
    }};
    for (const auto& indicator : all)
        if (indicator.value && *indicator.value < 0)
            return Fail(Error::Field(std::string(indicator.field), "out_of_range",
                                     std::string(indicator.label_zh) + "不能为负数"));
    auto row = FindSizeRow(inputs.industry_code, thresholds);
    if (!row) return Fail(row.error());
    const std::array<bool, 3> used = {(*row)->uses_employees, (*row)->uses_revenue, (*row)->uses_assets};
    std::vector<Indicator> given;
    std::vector<std::string> missing;
    for (size_t i = 0; i < all.size(); ++i) {
        if (!used[i]) continue;
        if (all[i].value)
            given.push_back(all[i]);
        else
            missing.emplace_back(all[i].field);
    }
    const bool decided_micro =
        std::any_of(given.begin(), given.end(), [&](const Indicator& i) { return !Meets(i, (*row)->small); });
    if (!missing.empty() && !decided_micro) {
        std::vector<FieldError> fields;
        std::vector<std::string> labels;
        for (const auto& indicator : all)
            if (std::find(missing.begin(), missing.end(), indicator.field) != missing.end()) {
                fields.push_back({std::string(indicator.field), "required",
                                  (*row)->industry_zh + "划型需要" + std::string(indicator.label_zh)});
                labels.emplace_back(indicator.label_zh);
            }
        return Fail(Error::InvalidArgument((*row)->industry_zh + "划型需要" + Join(labels, "、"), std::move(fields)));
    }
    return Decide(**row, given, std::move(missing));
}

}  // namespace chanrong::registry

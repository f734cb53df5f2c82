#include "kpi/catalogue.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <set>

#include "common/csv_reader.hpp"
#include "common/embedded_data.hpp"
#include "common/money.hpp"

namespace chanrong::kpi {
namespace {

constexpr std::array<std::string_view, 5> kKindNames = {"cumulative", "balance", "in_year", "snapshot", "ratio"};

using Row = std::map<std::string, std::string>;

Error RowError(std::string_view file, size_t line, const std::string& field, const std::string& message) {
    return Error::InvalidArgument(std::string(file) + " 第 " + std::to_string(line) + " 行: " + message,
                                  {FieldError{field, "invalid", message}});
}

// Rows as header → value maps, each with its line; every header in `required` must be present.
Result<std::vector<std::pair<size_t, Row>>> ReadRows(std::string_view file, std::string_view csv,
                                                     const std::vector<std::string>& required) {
    auto table = ReadCsv(csv);
    if (!table) return Fail(table.error());
    if (table->rows.empty()) return Fail(RowError(file, 1, "csv", "缺少表头"));
    const auto& header = table->rows[0].fields;
    for (const auto& name : required)
        if (std::find(header.begin(), header.end(), name) == header.end())
            return Fail(RowError(file, 1, name, "缺少列 " + name));
    std::vector<std::pair<size_t, Row>> rows;
    for (size_t i = 1; i < table->rows.size(); ++i) {
        Row row;
        const auto& fields = table->rows[i].fields;
        for (size_t c = 0; c < header.size(); ++c) row[header[c]] = c < fields.size() ? fields[c] : "";
        rows.emplace_back(table->rows[i].line, std::move(row));
    }
    return rows;
}

std::vector<std::string> SplitList(const std::string& text) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t end = std::min(text.find(';', start), text.size());
        if (end > start) out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

std::optional<ValueType> ParseValueType(std::string_view text) {
    if (text == "count") return ValueType::kCount;
    if (text == "money_fen") return ValueType::kMoneyFen;
    if (text == "ppm") return ValueType::kPartsPerMillion;
    return std::nullopt;
}

Error Problem(std::string field, std::string message) {
    return Error::Field(std::move(field), "invalid", std::move(message));
}

// The metric (or "num/den" ratio) of a platform indicator, checked against its kind and breakdowns.
Status BindMetric(Indicator& ind) {
    const bool ratio = ind.kind == Kind::kRatio;
    const auto slash = ind.metric_text.find('/');
    if (ratio != (slash != std::string::npos))
        return Fail(Problem("metric", "比例指标写作 分子口径/分母口径，其他指标不带 /"));
    auto num = ParseMetric(ind.metric_text.substr(0, slash));
    if (!num) return Fail(Problem("metric", num.error().message));
    ind.metric = *num;
    if (ratio) {
        auto den = ParseMetric(ind.metric_text.substr(slash + 1));
        if (!den) return Fail(Problem("metric", den.error().message));
        ind.denominator = *den;
        if (ind.value_type != ValueType::kPartsPerMillion)
            return Fail(Problem("value_type", "比例指标的 value_type 须为 ppm"));
        if (!ind.breakdowns.empty()) return Fail(Problem("breakdowns", "比例指标不分维度"));
        return {};
    }
    const MetricInfo& info = InfoOf(num->metric);
    const bool flow_kind = ind.kind == Kind::kCumulative || ind.kind == Kind::kInYear;
    if (info.flow != flow_kind)
        return Fail(
            Problem("metric", "口径 " + ind.metric_text + " 与类型 " + std::string(KindName(ind.kind)) + " 不符"));
    if (info.value_type != ind.value_type) return Fail(Problem("value_type", "value_type 与口径不符"));
    for (const Dimension d : ind.breakdowns)
        if (std::find(info.breakdowns.begin(), info.breakdowns.end(), d) == info.breakdowns.end())
            return Fail(Problem("breakdowns",
                                "口径 " + ind.metric_text + " 不能按 " + std::string(DimensionName(d)) + " 分解"));
    return {};
}

Result<Indicator> ParseIndicatorRow(const Row& row) {
    Indicator ind;
    ind.id = row.at("id");
    ind.name_zh = row.at("name_zh");
    ind.name_en = row.at("name_en");
    ind.unit_zh = row.at("unit");
    ind.metric_text = row.at("metric");
    ind.responsible_units = SplitList(row.at("responsible_units"));
    ind.source_clause = row.at("source_clause");
    if (ind.id.empty() || ind.name_zh.empty()) return Fail(Problem("id", "缺少编号或名称"));
    const auto vt = ParseValueType(row.at("value_type"));
    if (!vt) return Fail(Problem("value_type", "value_type 须为 count、money_fen 或 ppm"));
    ind.value_type = *vt;
    const auto kind = ParseKind(row.at("kind"));
    if (!kind) return Fail(Problem("kind", "未知的指标类型: " + row.at("kind")));
    ind.kind = *kind;
    for (const auto& name : SplitList(row.at("breakdowns"))) {
        const auto d = ParseDimension(name);
        if (!d || *d == Dimension::kTotal) return Fail(Problem("breakdowns", "未知的分解维度: " + name));
        ind.breakdowns.push_back(*d);
    }
    const std::string& source = row.at("source");
    if (source == "reported") {
        ind.source = Source::kReported;
        if (!ind.metric_text.empty() || !ind.breakdowns.empty())
            return Fail(Problem("metric", "填报指标不写口径和分解维度"));
        return ind;
    }
    if (source != "platform") return Fail(Problem("source", "source 须为 platform 或 reported"));
    if (auto bound = BindMetric(ind); !bound) return Fail(bound.error());
    return ind;
}

// "0.40" → 400000 (six decimals at most).
std::optional<long long> ParsePpm(std::string_view text) {
    const auto dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    const std::string_view frac = dot == std::string_view::npos ? "" : text.substr(dot + 1);
    if (whole.empty() || frac.size() > 6) return std::nullopt;
    long long w = 0, f = 0;
    if (std::from_chars(whole.data(), whole.data() + whole.size(), w).ptr != whole.data() + whole.size())
        return std::nullopt;
    if (!frac.empty() && std::from_chars(frac.data(), frac.data() + frac.size(), f).ptr != frac.data() + frac.size())
        return std::nullopt;
    for (size_t i = frac.size(); i < 6; ++i) f *= 10;
    return w * 1'000'000 + f;
}

std::optional<long long> ParseTargetValue(std::string_view text, ValueType type) {
    if (type == ValueType::kMoneyFen) {
        const auto fen = ParseYuan(text);
        return fen ? std::optional<long long>(fen->value) : std::nullopt;
    }
    if (type == ValueType::kPartsPerMillion) return ParsePpm(text);
    long long n = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || ptr != text.data() + text.size() || n < 0) return std::nullopt;
    return n;
}


}  // namespace

std::optional<Comparator> ParseComparator(std::string_view text) {
    if (text == ">=") return Comparator::kAtLeast;
    if (text == ">") return Comparator::kMoreThan;
    if (text == "~") return Comparator::kAbout;
    return std::nullopt;
}

std::string_view ComparatorText(Comparator comparator) {
    return comparator == Comparator::kAtLeast ? ">=" : comparator == Comparator::kMoreThan ? ">" : "~";
}

std::string_view KindName(Kind kind) {
    return kKindNames[static_cast<int>(kind)];
}

std::optional<Kind> ParseKind(std::string_view name) {
    for (size_t i = 0; i < kKindNames.size(); ++i)
        if (kKindNames[i] == name) return static_cast<Kind>(i);
    return std::nullopt;
}

const Indicator* Catalogue::Find(std::string_view id) const {
    for (const auto& ind : indicators)
        if (ind.id == id) return &ind;
    return nullptr;
}

Result<std::vector<Indicator>> ParseIndicators(std::string_view csv) {
    constexpr std::string_view kFile = "kpi-indicators.csv";
    auto rows = ReadRows(kFile, csv,
                         {"id", "name_zh", "name_en", "unit", "value_type", "kind", "source", "metric", "breakdowns",
                          "responsible_units", "source_clause"});
    if (!rows) return Fail(rows.error());
    std::vector<Indicator> out;
    std::set<std::string> ids;
    for (const auto& [line, row] : *rows) {
        auto ind = ParseIndicatorRow(row);
        if (!ind) return Fail(RowError(kFile, line, ind.error().fields.at(0).field, ind.error().fields.at(0).message));
        if (!ids.insert(ind->id).second) return Fail(RowError(kFile, line, "id", "指标编号重复: " + ind->id));
        out.push_back(std::move(*ind));
    }
    return out;
}

Result<std::vector<Target>> ParseTargets(std::string_view csv, const std::vector<Indicator>& indicators) {
    constexpr std::string_view kFile = "pilot-targets.csv";
    auto rows = ReadRows(kFile, csv,
                         {"id", "year", "area_zh", "kind", "comparator", "target", "source_clause",
                          "responsible_units_zh", "indicator_id"});
    if (!rows) return Fail(rows.error());
    std::vector<Target> out;
    std::set<std::string> ids;
    for (const auto& [line, row] : *rows) {
        Target t{.id = row.at("id"),
                 .indicator_id = row.at("indicator_id"),
                 .area_zh = row.at("area_zh"),
                 .responsible_units = SplitList(row.at("responsible_units_zh")),
                 .source_clause = row.at("source_clause")};
        if (t.id.empty() || !ids.insert(t.id).second) return Fail(RowError(kFile, line, "id", "目标编号缺失或重复"));
        const auto ind =
            std::find_if(indicators.begin(), indicators.end(), [&](const auto& i) { return i.id == t.indicator_id; });
        if (ind == indicators.end()) return Fail(RowError(kFile, line, "indicator_id", "未知指标: " + t.indicator_id));
        const auto& year = row.at("year");
        if (std::from_chars(year.data(), year.data() + year.size(), t.year).ec != std::errc{} || t.year < 2000 ||
            t.year > 2100)
            return Fail(RowError(kFile, line, "year", "年份无效: " + year));
        if (row.at("kind") != KindName(ind->kind))
            return Fail(RowError(kFile, line, "kind", "目标类型与指标类型不一致"));
        const auto cmp = ParseComparator(row.at("comparator"));
        if (!cmp) return Fail(RowError(kFile, line, "comparator", "比较符须为 >=、> 或 ~"));
        t.comparator = *cmp;
        const auto value = ParseTargetValue(row.at("target"), ind->value_type);
        if (!value) return Fail(RowError(kFile, line, "target", "目标值无效: " + row.at("target")));
        t.value = *value;
        out.push_back(std::move(t));
    }
    return out;
}

Result<Catalogue> LoadCatalogue(std::string_view indicators_csv, std::string_view targets_csv) {
    auto indicators = ParseIndicators(indicators_csv);
    if (!indicators) return Fail(indicators.error());
    auto targets = ParseTargets(targets_csv, *indicators);
    if (!targets) return Fail(targets.error());
    return Catalogue{std::move(*indicators), std::move(*targets)};
}

Result<Catalogue> LoadEmbeddedCatalogue() {
    return LoadCatalogue(EmbeddedFile("kpi-indicators.csv"), EmbeddedFile("pilot-targets.csv"));
}

}  // namespace chanrong::kpi

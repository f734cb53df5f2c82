// JSON and display forms of the KPI engine's results.

#include <cstdio>

#include "common/json_out.hpp"
#include "common/money.hpp"
#include "kpi/kpi_service_internal.hpp"

namespace chanrong::kpi {
namespace json = boost::json;
namespace {

std::string_view ValueTypeName(ValueType type) {
    return type == ValueType::kMoneyFen ? "money_fen" : type == ValueType::kPartsPerMillion ? "ppm" : "count";
}

json::value Value(const std::optional<long long>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::array Strings(const std::vector<std::string>& items) {
    json::array out;
    for (const auto& s : items) out.emplace_back(s);
    return out;
}

const std::vector<std::string>& Codes(const Dimensions& d, Dimension dimension) {
    static const std::vector<std::string> none;
    switch (dimension) {
        case Dimension::kClass446: return d.classes446;
        case Dimension::kDistrict: return d.districts;
        case Dimension::kInstitutionKind: return d.institution_kinds;
        case Dimension::kDirectory: return d.directories;
        default: return none;
    }
}

json::object FigureJson(const KpiService::Engine& e, const IndicatorFigure& f) {
    const Indicator& i = *f.indicator;
    json::object out = IndicatorJson(i);
    out["value"] = Value(f.value);
    out["display"] = DisplayValue(i.value_type, f.value);
    json::array breakdowns;
    for (const Breakdown& b : f.breakdowns) {
        json::array cells;
        const auto& codes = Codes(e.store->dimensions(), b.dimension);
        for (const BreakdownCell& c : b.cells) {
            const bool known = c.index != kNone && c.index < codes.size();
            const std::string code = known ? codes[c.index] : "_none";
            cells.push_back({{"code", code}, {"name", known ? e.DimensionValueName(b.dimension, code) : "未分类"},
                             {"value", Value(c.value)}});
        }
        breakdowns.push_back({{"dimension", DimensionName(b.dimension)}, {"cells", std::move(cells)}});
    }
    out["breakdowns"] = std::move(breakdowns);
    json::array trend;
    for (const TrendPoint& p : f.trend) trend.push_back({{"day", IsoDay(p.day)}, {"value", Value(p.value)}});
    out["trend"] = std::move(trend);
    return out;
}

json::object TargetJson(const TargetProgress& t) {
    const Progress& p = t.progress;
    return {{"id", t.target->id},
            {"year", t.target->year},
            {"area", t.target->area_zh},
            {"indicator_id", t.indicator->id},
            {"indicator_name", t.indicator->name_zh},
            {"unit", t.indicator->unit_zh},
            {"value_type", ValueTypeName(t.indicator->value_type)},
            {"comparator", ComparatorText(t.target->comparator)},
            {"target", p.target},
            {"current", Value(p.current)},
            {"projected", Value(p.projected)},
            {"status", TargetStatusName(p.status)},
            {"due", IsoDay(p.due)},
            {"accountable_units", Strings(t.accountable_units)},
            {"responsible_units", Strings(t.target->responsible_units)},
            {"source_clause", t.target->source_clause}};
}

json::object RankingJson(const KpiService::Engine& e, const InstitutionFigures& f) {
    const auto& kinds = e.store->dimensions().institution_kinds;
    const std::string kind = f.kind != kNone && f.kind < kinds.size() ? kinds[f.kind] : "";
    auto name = e.institution_names.find(std::to_string(f.institution_id));
    return {{"institution_id", f.institution_id},
            {"name", name == e.institution_names.end() ? "" : name->second},
            {"kind", kind},
            {"kind_name", e.DimensionValueName(Dimension::kInstitutionKind, kind)},
            {"loans_count", f.loans_count},
            {"loans_amount_fen", f.loans_amount_fen},
            {"first_loan_count", f.first_loan_count},
            {"first_loan_amount_fen", f.first_loan_amount_fen},
            {"manufacturing_amount_fen", f.manufacturing_amount_fen},
            {"loan_balance_fen", f.loan_balance_fen},
            {"manufacturing_balance_fen", f.manufacturing_balance_fen},
            {"mid_long_mfg_balance_fen", f.mid_long_mfg_balance_fen},
            {"green_balance_fen", f.green_balance_fen},
            {"tech_balance_fen", f.tech_balance_fen}};
}

}  // namespace

std::optional<RankingKey> ParseRankingKey(const std::string& name) {
    if (name == "manufacturing_balance") return RankingKey::kManufacturingBalance;
    if (name == "first_loan_count") return RankingKey::kFirstLoanCount;
    if (name == "first_loan_amount") return RankingKey::kFirstLoanAmount;
    if (name == "green_balance") return RankingKey::kGreenBalance;
    if (name == "loans_amount") return RankingKey::kLoansAmount;
    return std::nullopt;
}

std::string DisplayValue(ValueType type, const std::optional<long long>& value) {
    if (!value) return "—";
    if (type == ValueType::kMoneyFen) return FormatYuan(Fen{*value});
    if (type == ValueType::kPartsPerMillion) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.2f%%", *value / 10'000.0);
        return buf;
    }
    return std::to_string(*value);
}

json::object IndicatorJson(const Indicator& i) {
    return {{"id", i.id},
            {"name_zh", i.name_zh},
            {"name_en", i.name_en},
            {"unit", i.unit_zh},
            {"value_type", ValueTypeName(i.value_type)},
            {"kind", KindName(i.kind)},
            {"source", i.source == Source::kPlatform ? "platform" : "reported"},
            {"metric", i.metric_text},
            {"responsible_units", Strings(i.responsible_units)},
            {"source_clause", i.source_clause}};
}

json::object CockpitJson(const KpiService::Engine& e, const Cockpit& cockpit) {
    json::array figures, targets, ranking;
    for (const auto& f : cockpit.figures) figures.push_back(FigureJson(e, f));
    for (const auto& t : cockpit.targets) targets.push_back(TargetJson(t));
    for (const auto& r : cockpit.ranking) ranking.push_back(RankingJson(e, r));
    return {{"as_of", IsoDay(cockpit.as_of)}, {"figures", std::move(figures)}, {"targets", std::move(targets)},
            {"ranking", std::move(ranking)}};
}

json::array SnapshotRowsJson(const std::string& body) {
    json::array rows;
    size_t start = body.find('\n');  // skip the header line
    while (start != std::string::npos && start + 1 < body.size()) {
        const size_t end = body.find('\n', start + 1);
        const std::string line = body.substr(start + 1, end - start - 1);
        std::vector<std::string> parts;
        for (size_t a = 0; a <= line.size();) {
            size_t b = line.find('\t', a);
            if (b == std::string::npos) b = line.size();
            parts.push_back(line.substr(a, b - a));
            a = b + 1;
        }
        if (parts.size() == 4)
            rows.push_back({{"indicator_id", parts[0]}, {"dimension", parts[1]}, {"code", parts[2]},
                            {"value", parts[3] == "-" ? json::value(nullptr) : json::value(std::stoll(parts[3]))}});
        start = end;
    }
    return rows;
}

}  // namespace chanrong::kpi

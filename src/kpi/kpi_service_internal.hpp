#pragma once
// Shared by the KpiService source files only: the in-memory engine and the JSON/report helpers.

#include <boost/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kpi/kpi_service.hpp"

namespace chanrong::kpi {

struct KpiService::Engine {
    Catalogue catalogue;
    std::unique_ptr<KpiStore> store;
    std::optional<CockpitEngine> cockpit;
    Watermarks marks;
    std::string targets_mark;
    std::map<std::string, std::string> class_names, directory_names, institution_names;

    /// Display name of a breakdown value (4+4+6 class, directory, institution kind); districts are names already.
    std::string DimensionValueName(Dimension dimension, const std::string& code) const;
};

std::vector<std::string> SplitUnits(const std::string& text);
/// 20261121 → "2026-11-21".
std::string IsoDay(int yyyymmdd);
/// "2026-11" → 202611, or nullopt.
std::optional<int> ParsePeriod(const std::string& month);
std::optional<RankingKey> ParseRankingKey(const std::string& name);

boost::json::object IndicatorJson(const Indicator& indicator);
boost::json::object CockpitJson(const KpiService::Engine& engine, const Cockpit& cockpit);
/// A snapshot's canonical text (MonthlySnapshot::Serialize) back as rows.
boost::json::array SnapshotRowsJson(const std::string& body);
/// A value in its type for display: fen as 元 with two decimals, ppm as a percentage, counts as they are.
std::string DisplayValue(ValueType type, const std::optional<long long>& value);

}  // namespace chanrong::kpi

#include "kpi/snapshot.hpp"

#include <algorithm>
#include <tuple>

#include "common/crypto.hpp"
#include "kpi/calendar.hpp"

namespace chanrong::kpi {
namespace {

std::string CodeOf(const Dimensions& dims, Dimension dimension, std::uint8_t index) {
    if (index == kNone) return std::string(kUnclassifiedCode);
    const std::vector<std::string>* codes = nullptr;
    switch (dimension) {
        case Dimension::kClass446: codes = &dims.classes446; break;
        case Dimension::kDistrict: codes = &dims.districts; break;
        case Dimension::kInstitutionKind: codes = &dims.institution_kinds; break;
        case Dimension::kDirectory: codes = &dims.directories; break;
        case Dimension::kTotal: return "";
    }
    return index < codes->size() ? (*codes)[index] : std::string(kUnclassifiedCode);
}

}  // namespace

std::string MonthlySnapshot::Serialize() const {
    std::string out = "chanrong-kpi-snapshot/1 period=" + std::to_string(period) + "\n";
    for (const auto& row : rows) {
        out += row.indicator_id;
        out += '\t';
        out += row.dimension;
        out += '\t';
        out += row.code;
        out += '\t';
        out += row.value ? std::to_string(*row.value) : "-";
        out += '\n';
    }
    return out;
}

std::string MonthlySnapshot::Hash() const {
    return crypto::Sha256Hex(Serialize());
}

MonthlySnapshot TakeSnapshot(const CockpitEngine& engine, int period) {
    MonthlySnapshot snapshot{period, MonthEnd(period), {}};
    CockpitOptions options;
    options.trend_months = 1;
    const Dimensions& dims = engine.store().dimensions();
    for (const auto& bound : engine.indicators()) {
        const IndicatorFigure figure = engine.Figure(bound, snapshot.as_of, options);
        const std::string& id = bound.indicator->id;
        snapshot.rows.push_back({id, period, "total", "", figure.value});
        for (const auto& breakdown : figure.breakdowns)
            for (const auto& cell : breakdown.cells)
                snapshot.rows.push_back({id, period, std::string(DimensionName(breakdown.dimension)),
                                         CodeOf(dims, breakdown.dimension, cell.index), cell.value});
    }
    std::sort(snapshot.rows.begin(), snapshot.rows.end(), [](const SnapshotRow& a, const SnapshotRow& b) {
        return std::tie(a.indicator_id, a.dimension, a.code) < std::tie(b.indicator_id, b.dimension, b.code);
    });
    return snapshot;
}

}  // namespace chanrong::kpi

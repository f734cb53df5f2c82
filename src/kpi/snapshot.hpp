#pragma once
// Monthly snapshots: every indicator of the catalogue at a month-end, total and breakdowns, as rows the services
// persist (kpi_snapshots) and reports read. A snapshot is a pure function of the facts and the catalogue: the
// same facts give byte-identical serialisations and hence the same SHA-256, which is what "reproducible" means
// here and what a replay checks.

#include <optional>
#include <string>
#include <vector>

#include "kpi/cockpit.hpp"

namespace chanrong::kpi {

/// Code of the unclassified cell of a breakdown in snapshot rows.
inline constexpr std::string_view kUnclassifiedCode = "_none";

struct SnapshotRow {
    std::string indicator_id;
    int period = 0;                  ///< yyyymm
    std::string dimension;           ///< "total", "class446", "district", "institution_kind", "directory"
    std::string code;                ///< dimension value code; "" for the total, "_none" for unclassified
    std::optional<long long> value;  ///< fen, count or ppm; nullopt when unknown (no report yet)
    friend bool operator==(const SnapshotRow&, const SnapshotRow&) = default;
};

struct MonthlySnapshot {
    int period = 0;                 ///< yyyymm
    int as_of = 0;                  ///< its month-end, yyyymmdd
    std::vector<SnapshotRow> rows;  ///< sorted by (indicator_id, dimension, code)

    /// Canonical text: a header line "chanrong-kpi-snapshot/1 period=YYYYMM" then one line per row,
    /// "indicator_id<TAB>dimension<TAB>code<TAB>value" (value "-" when unknown), each ending in "\n".
    std::string Serialize() const;
    /// Lower-case hex SHA-256 of Serialize().
    std::string Hash() const;
};

/// The snapshot of `period` (yyyymm) at its month-end.
MonthlySnapshot TakeSnapshot(const CockpitEngine& engine, int period);

}  // namespace chanrong::kpi

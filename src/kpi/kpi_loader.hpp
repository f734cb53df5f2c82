#pragma once
// Reads the platform's data into the KPI engine's store: dimensions (4+4+6 classes, districts, institution
// kinds, directories), enterprises and institutions by enrolment, loans with their repayments and their
// borrower's attributes, directory stays, matchmaking events and confirmed reported figures.

#include <memory>
#include <string>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "kpi/kpi_store.hpp"

namespace soci {
class session;
}

namespace chanrong::kpi {

/// What was read, so later calls can add only what is new.
struct Watermarks {
    long long loan_id = 0;
    long long repayment_id = 0;
    std::string others;  ///< fingerprint of every other source; a change means a full reload
    friend bool operator==(const Watermarks&, const Watermarks&) = default;
};

/// The current watermarks of the database (cheap: maxima over indexed columns).
Watermarks ReadWatermarks(soci::session& s);

/// A store with every fact up to `marks` (read by the caller just before).
Result<std::unique_ptr<KpiStore>> LoadStore(soci::session& s, const Watermarks& marks);

/// Adds loans and repayments with ids above `from` and up to `to` (append-only sources).
Status CatchUp(soci::session& s, KpiStore& store, const Watermarks& from, const Watermarks& to);

/// "2026-11-21" → 20261121; 0 when malformed or empty.
int DayOf(const std::string& iso_date);
/// The UTC calendar day of a timestamp as yyyymmdd.
int DayOfTime(TimestampMs t);

}  // namespace chanrong::kpi

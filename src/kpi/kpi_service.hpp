#pragma once
// The pilot's targets and indicators as the platform serves them: the cockpit (every indicator with
// breakdowns and trend, every target's progress and status, the institution ranking), targets edited with
// history, figures reported by responsible units and confirmed by a second officer, monthly snapshots taken on
// schedule or on demand, matchmaking events, and the monthly and annual reports.
//
// The engine (KpiStore + CockpitEngine) is kept in memory: built from the database on first use, caught up
// with new loans and repayments (append-only) before each read, rebuilt when any other source changed.

#include <boost/json/object.hpp>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "audit/command_pipeline.hpp"
#include "common/clock.hpp"
#include "common/table_export.hpp"
#include "kpi/cockpit.hpp"
#include "kpi/kpi_loader.hpp"
#include "storage/database.hpp"

namespace chanrong::kpi {

struct TargetUpdate {
    std::optional<std::string> comparator;  ///< ">=", ">" or "~"
    std::optional<long long> target_value;  ///< in the indicator's value type (fen, count, ppm)
    std::optional<std::string> commentary;  ///< for the annual report
    std::string reason;                     ///< required when the comparator or value changes
};

struct ReportInput {
    std::string indicator_id;
    std::string period;  ///< YYYY-MM; the figure stands at that month's end
    long long value = 0;
    std::string note, evidence;
    std::optional<long long> corrects_id;  ///< a correction of a confirmed figure
};

struct EventInput {
    std::string title, held_on, organiser, district, note;
    long long enterprises = 0, institutions = 0, financing_fen = 0;
};

/// One table of a report: a title, a header and rows of cells, exported as XLSX or printable HTML.
struct ReportTable {
    std::string title;
    std::string subtitle;
    TableRow header;
    std::vector<TableRow> rows;
};

/// Writes targets from data/pilot-targets.csv that are not in kpi_targets yet (start-up and `migrate`).
Status SyncShippedTargets(soci::session& s, TimestampMs now);

/// A report table as a standalone printable HTML page.
std::string ReportHtml(const ReportTable& table);

class KpiService {
public:
    KpiService(storage::Database& db, const Clock& clock, audit::CommandPipeline& pipeline);
    ~KpiService();

    /// as_of YYYY-MM-DD (default today); ranking by manufacturing_balance | first_loan_count | first_loan_amount |
    /// green_balance | loans_amount.
    Result<boost::json::object> Cockpit(const std::optional<std::string>& as_of, const std::optional<std::string>& ranking);
    Result<boost::json::object> Indicators();

    Result<boost::json::object> Targets(std::optional<long long> year);
    Result<audit::Outcome> UpdateTarget(const audit::Actor& actor, const std::string& id, const TargetUpdate& update,
                                        const audit::Command& command);
    Result<boost::json::object> TargetHistory(const std::string& id);

    Result<boost::json::object> Reported(const std::optional<std::string>& indicator, const std::optional<std::string>& status,
                                         long long offset, long long limit);
    Result<audit::Outcome> FileReport(const audit::Actor& actor, const ReportInput& input, const audit::Command& command);
    /// A second officer confirms; 403 for the one who filed it. A confirmed correction supersedes the figure
    /// it corrects (which stays, marked superseded).
    Result<audit::Outcome> ConfirmReport(const audit::Actor& actor, long long id, const audit::Command& command);
    Result<audit::Outcome> RejectReport(const audit::Actor& actor, long long id, const std::string& note,
                                        const audit::Command& command);

    /// Takes the snapshot of `period` (YYYY-MM, a month already ended) now.
    Result<audit::Outcome> TakeSnapshot(const audit::Actor& actor, const std::string& period, const audit::Command& command);
    /// Takes last month's snapshot if it has none yet (the scheduled job); true when it took one.
    Result<bool> TakeDueSnapshot();
    Result<boost::json::object> Snapshots(const std::optional<std::string>& period);
    Result<boost::json::object> Snapshot(long long id);

    Result<boost::json::object> Events(std::optional<long long> year);
    Result<audit::Outcome> CreateEvent(const audit::Actor& actor, const EventInput& input, const audit::Command& command);

    /// Every target of the plan with its value and status at the end of `year` (or today, if earlier),
    /// responsible units and commentary.
    Result<ReportTable> AnnualReport(int year);
    /// The monthly key-industry tracking table: by 4+4+6 class, enrolment, financing in the month and
    /// cumulative, balances at month-end.
    Result<ReportTable> MonthlyTracking(const std::string& month);

    /// The in-memory engine (kpi_service_internal.hpp).
    struct Engine;

private:
    /// Brings the engine up to date with the database, then runs `use` on it under the engine's lock.
    Status WithEngine(const std::function<Status(const Engine&)>& use);
    Status Refresh(soci::session& s);

    storage::Database& db_;
    const Clock& clock_;
    audit::CommandPipeline& pipeline_;
    std::mutex mutex_;
    std::unique_ptr<Engine> engine_;
};

}  // namespace chanrong::kpi

#pragma once
// Loans: disbursements recorded on the platform and loans institutions report from outside it (idempotent by
// the institution's loan reference), with flags derived by rule and stored, repayments, and balances as of any
// date.

#include <boost/json/object.hpp>

#include <optional>
#include <string>

#include "audit/command_pipeline.hpp"
#include "auth/principal.hpp"
#include "common/clock.hpp"
#include "storage/database.hpp"

namespace soci {
class session;
}

namespace chanrong::finance {

struct LoanRecord {
    long long institution_id = 0;
    long long enterprise_id = 0;
    std::optional<long long> application_id;
    std::string loan_ref;
    std::string source;  ///< platform | reported
    std::string product_kind;
    long long amount_fen = 0;
    long long rate_bp = 0;
    long long term_months = 0;
    std::string disbursed_on;  ///< YYYY-MM-DD
    bool has_collateral = false;
    bool has_guarantee = false;
    std::string use_industry_code;
    bool green_use = false;
};

/// Inserts a loan inside an open transaction, deriving and storing its flags from the borrower's record
/// (size class, industry, tags, earlier loans, outstanding credit). Conflict when the reference exists.
Result<long long> InsertLoan(soci::session& s, const LoanRecord& loan, TimestampMs now);

/// Outstanding principal of a loan as of `date` (disbursed minus repayments up to and including `date`).
long long OutstandingAsOf(soci::session& s, long long loan_id, const std::string& date);

class LoanService {
public:
    LoanService(storage::Database& db, const Clock& clock, audit::CommandPipeline& pipeline)
        : db_(db), clock_(clock), pipeline_(pipeline) {}

    /// Enterprises see their loans, institutions theirs (and their branches'), officers all; balances as of
    /// `as_of` (default today).
    Result<boost::json::object> List(const auth::Principal& viewer, const std::optional<std::string>& as_of,
                                     long long offset, long long limit);
    /// An institution reports a loan made outside the platform; the same reference again answers with the
    /// stored loan (no duplicate).
    Result<audit::Outcome> Report(const auth::Principal& viewer, const audit::Actor& actor, LoanRecord loan,
                                  const std::string& uscc, const audit::Command& command);
    Result<audit::Outcome> Repay(const auth::Principal& viewer, const audit::Actor& actor, long long loan_id,
                                 const std::string& paid_on, long long principal_fen, const audit::Command& command);
    /// The lender records how a loan is performing (performing | overdue | default) as of a date; credit
    /// monitoring measures the score against these outcomes.
    Result<audit::Outcome> RecordOutcome(const auth::Principal& viewer, const audit::Actor& actor, long long loan_id,
                                         const std::string& outcome, const std::string& as_of,
                                         const audit::Command& command);

private:
    storage::Database& db_;
    const Clock& clock_;
    audit::CommandPipeline& pipeline_;
};

}  // namespace chanrong::finance

#pragma once
// Applications and the decision workflow: an enterprise applies to a product (for a demand) or an institution
// takes up a demand; every step goes through the explicit state machine (illegal → 409; of two concurrent
// decisions exactly one wins); rejections carry a reason code and advice; the service promise is evaluated on
// the working-day calendar. Consent to view the credit profile, and every view, live here too.

#include <boost/json/object.hpp>

#include <optional>
#include <string>

#include "audit/command_pipeline.hpp"
#include "auth/principal.hpp"
#include "common/clock.hpp"
#include "common/config.hpp"
#include "storage/database.hpp"

namespace chanrong::finance {

struct NewApplication {
    long long product_id = 0;
    std::optional<long long> demand_id;
    long long amount_fen = 0;
    long long term_months = 0;
};

/// Details that go with an event: a note always; a reason code and advice when rejecting; amount and rate when
/// approving; the loan when disbursing.
struct EventInput {
    std::string note;
    std::string reason_code;
    std::string advice;
    std::optional<long long> approved_amount_fen;
    std::optional<long long> rate_bp;
    // disburse
    std::string loan_ref;
    std::optional<std::string> disbursed_on;
    bool has_collateral = false;
    bool has_guarantee = false;
    std::string use_industry_code;
    bool green_use = false;
};

struct ApplicationFilter {
    std::optional<std::string> status;
    bool overdue_only = false;
    long long offset = 0, limit = 20;
};

class ApplicationService {
public:
    ApplicationService(storage::Database& db, const Clock& clock, audit::CommandPipeline& pipeline,
                       const FinanceConfig& config)
        : db_(db), clock_(clock), pipeline_(pipeline), config_(config) {}

    Result<audit::Outcome> Apply(const auth::Principal& viewer, const audit::Actor& actor, const NewApplication& a,
                                 const audit::Command& command);
    /// An institution takes up a demand from its leads inbox: the application starts accepted.
    Result<audit::Outcome> TakeUp(const auth::Principal& viewer, const audit::Actor& actor, long long demand_id,
                                  std::optional<long long> product_id, const audit::Command& command);
    /// Fires `event` (accept, review, request_docs, submit_docs, approve, reject, disburse, withdraw).
    Result<audit::Outcome> Act(const auth::Principal& viewer, const audit::Actor& actor, long long id,
                               const std::string& event, const EventInput& input, const audit::Command& command);
    /// Records that the institution contacted the enterprise (the "3" of the service promise).
    Result<audit::Outcome> RecordContact(const auth::Principal& viewer, const audit::Actor& actor, long long id,
                                         const std::string& note, const audit::Command& command);

    Result<boost::json::object> List(const auth::Principal& viewer, const ApplicationFilter& filter);
    /// With its timeline, promise status and, after a rejection, products the enterprise may still qualify for.
    Result<boost::json::object> Get(const auth::Principal& viewer, long long id);

    Result<audit::Outcome> GrantConsent(const auth::Principal& viewer, const audit::Actor& actor, long long application_id,
                                        long long days, const audit::Command& command);
    Result<audit::Outcome> RevokeConsent(const auth::Principal& viewer, const audit::Actor& actor, long long consent_id,
                                         const audit::Command& command);
    /// An enterprise's consents and who viewed its data, when and under which consent.
    Result<boost::json::object> ConsentsAndViews(const auth::Principal& viewer);
    /// The credit profile of the application's enterprise for its institution, only under a valid consent;
    /// the view is logged in the same transaction.
    /// Transparency: each institution's and product's leads, acceptance, approval rate, amount disbursed and
    /// times to accept / contact / decide / disburse (median and 90th percentile) for applications submitted
    /// in [from, to).
    Result<boost::json::object> Scorecards(const std::string& from, const std::string& to);

    Result<boost::json::object> ViewCreditProfile(const auth::Principal& viewer, long long application_id,
                                                  const std::string& request_id);

private:
    storage::Database& db_;
    const Clock& clock_;
    audit::CommandPipeline& pipeline_;
    const FinanceConfig& config_;
};

}  // namespace chanrong::finance

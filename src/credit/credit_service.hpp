#pragma once
// The credit profile (企业信用画像) as officers, the enterprise itself and consented institutions see it;
// record types and scorecard models as administered reference data; loads and their quality per source;
// score replay and monitoring (PSI by month, KS/AUC against loan outcomes).

#include <boost/json/object.hpp>

#include <atomic>
#include <string>

#include "audit/command_pipeline.hpp"
#include "common/clock.hpp"
#include "credit/credit_store.hpp"
#include "storage/database.hpp"

namespace chanrong::credit {

struct RecordTypeUpdate {
    std::optional<std::string> name, source_department, description;
    std::optional<long long> counts_months;
};

class CreditService {
public:
    CreditService(storage::Database& db, const Clock& clock, audit::CommandPipeline& pipeline, ScorecardModels& models)
        : db_(db), clock_(clock), pipeline_(pipeline), models_(models) {}

    /// Score with reasons and advice, score history, the records behind it and who viewed it.
    Result<boost::json::object> Profile(long long enterprise_id);

    Result<boost::json::object> RecordTypes();
    Result<audit::Outcome> UpdateRecordType(const audit::Actor& actor, const std::string& code,
                                            const RecordTypeUpdate& update, const audit::Command& command);

    /// Loads, newest first, optionally of one source; and each source's totals with its quality by rule.
    Result<boost::json::object> Loads(const std::optional<std::string>& source, long long offset, long long limit);
    Result<boost::json::object> Sources();

    /// Rescores one enterprise now (an officer's request, or after its figures changed).
    Result<audit::Outcome> Rescore(const audit::Actor& actor, long long enterprise_id, const audit::Command& command);
    /// Scores every enterprise with the active model (after a model is activated; CLI `credit rescore`).
    Result<long long> RescoreAll(const std::string& reason);
    /// Rescores every enterprise whose yearly figures changed after its current score (the debt ratio reads them),
    /// as audited commands of the system, 1,000 enterprises each; the number looked at. Each serving instance runs it
    /// every five minutes; only scores that change are written (a pass that changes none writes nothing, not even
    /// an audit row), and figures are looked at again for ten minutes after they change (a long import commits rows
    /// stamped earlier). Enterprises never scored are left to the other triggers (records, activation, an officer).
    Result<long long> RescoreChangedFigures();

    /// Recomputes a stored score from its stored inputs under its stored model version.
    Result<boost::json::object> Replay(long long score_id);

    Result<boost::json::object> Models();
    Result<boost::json::object> Model(const std::string& version);
    /// Stores a new model version (inactive); 400 naming what is wrong with it, 409 for a known version.
    Result<audit::Outcome> AddModel(const audit::Actor& actor, const std::string& body, const audit::Command& command);
    /// Makes `version` the active model and rescores every enterprise with it, in one transaction.
    Result<audit::Outcome> ActivateModel(const audit::Actor& actor, const std::string& version,
                                         const audit::Command& command);

    /// Months "YYYY-MM" from..to: score distribution by band at each month end, PSI against the first month
    /// and the previous one; KS and AUC of the score at disbursement against loans' overdue/default outcome.
    Result<boost::json::object> Monitoring(const std::string& from_month, const std::string& to_month);

private:
    Result<long long> RescoreAllIn(soci::session& s, const std::string& reason);

    storage::Database& db_;
    const Clock& clock_;
    audit::CommandPipeline& pipeline_;
    ScorecardModels& models_;
    std::atomic<TimestampMs> figures_mark_{0};  // figures changed up to this were looked at
};

}  // namespace chanrong::credit

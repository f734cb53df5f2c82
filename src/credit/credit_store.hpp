#pragma once
// The credit module's tables: scorecard models by version, records, scores. Functions here run inside a
// transaction the caller holds (a pipeline handler or a read), so that a load and the scores it changes
// commit together.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "credit/credit_features.hpp"
#include "credit/scorecard.hpp"

namespace soci {
class session;
}

namespace chanrong::credit {

/// Parsed scorecard models, cached by version. A version's model never changes once stored, so caching is
/// safe across instances; which version is active is read from the database each time.
class ScorecardModels {
public:
    /// The model of `version`, parsed from credit_models on first use; nullptr when unknown.
    std::shared_ptr<const ScorecardModel> Get(soci::session& s, const std::string& version);
    /// The active model; error when none is active.
    Result<std::shared_ptr<const ScorecardModel>> Active(soci::session& s);

private:
    std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<const ScorecardModel>> cache_;
};

/// Stores every shipped scorecard model (data/credit-scorecard-*.json) and white-list rule set
/// (data/whitelist-rules-*.json) not yet in the database; activates the newest shipped model when none is
/// active. Run at start-up and by `migrate`.
Status SyncShippedCreditData(soci::session& s, TimestampMs now);

/// How long each record type counts (credit_record_types.counts_months).
CountingMonths LoadCountingMonths(soci::session& s);

/// An enterprise's records, profile facts and the scorecard inputs built from them on `as_of`.
BuiltInputs LoadScoreInputs(soci::session& s, long long enterprise_id, const CountingMonths& counting,
                            const std::string& as_of);

/// Why a score was computed (stored with it): "load:12", "manual", "model:2026.2", "figures".
struct RescoreRequest {
    long long enterprise_id = 0;
    std::string reason;
    std::string as_of;  ///< YYYY-MM-DD
    TimestampMs now = 0;
};

/// Scores the enterprise with the active model and stores the score as its current one, unless the result
/// equals the current score under the same model (then nothing is written). Returns the current score id.
Result<long long> Rescore(soci::session& s, ScorecardModels& models, const CountingMonths& counting,
                          const RescoreRequest& request);

/// Whether Rescore would write a new score (reads only).
Result<bool> RescoreWouldChange(soci::session& s, ScorecardModels& models, const CountingMonths& counting,
                                const RescoreRequest& request);

/// The current score of an enterprise as JSON (score, grade, reasons with advice, contributions, model
/// version, computed_at), or nullopt when it has none.
std::optional<boost::json::object> CurrentScoreJson(soci::session& s, long long enterprise_id);

/// Every record of an enterprise with its type, source department and whether it counts on `today`.
boost::json::array RecordsJson(soci::session& s, long long enterprise_id, const std::string& today);

}  // namespace chanrong::credit

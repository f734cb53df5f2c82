#pragma once
// Enterprises' financing demands: editable until an institution takes one up, versioned after that.
// Institutions see open demands as their leads inbox.

#include <boost/json/object.hpp>

#include <optional>
#include <string>

#include "audit/command_pipeline.hpp"
#include "auth/principal.hpp"
#include "common/clock.hpp"
#include "storage/database.hpp"

namespace chanrong::finance {

inline const std::vector<std::string_view> kPurposes = {"working_capital", "equipment", "rd", "project",
                                                         "trade", "green_upgrade", "equity", "other"};
inline const std::vector<std::string_view> kUrgencies = {"normal", "urgent", "very_urgent"};

struct DemandInput {
    std::optional<long long> amount_fen;
    std::optional<long long> term_months;
    std::optional<std::string> purpose;
    std::optional<std::string> collateral;  ///< what the enterprise can pledge, free text ("" = none)
    std::optional<std::string> guarantee;   ///< guarantee it can bring ("" = none)
    std::optional<long long> max_rate_bp;
    std::optional<std::string> urgency;
    std::optional<std::string> description;
    std::optional<long long> campaign_id;  ///< the campaign this answers (create only)
};

class DemandService {
public:
    DemandService(storage::Database& db, const Clock& clock, audit::CommandPipeline& pipeline)
        : db_(db), clock_(clock), pipeline_(pipeline) {}

    /// Enterprises see their own; institutions and officers see every open demand (status filter optional).
    Result<boost::json::object> List(const auth::Principal& viewer, const std::optional<std::string>& status,
                                     long long offset, long long limit);
    Result<boost::json::object> Get(const auth::Principal& viewer, long long id);
    Result<audit::Outcome> Create(const auth::Principal& viewer, const audit::Actor& actor, const DemandInput& input,
                                  const audit::Command& command);
    /// After an institution has taken the demand up, the previous version is kept in demand_versions.
    Result<audit::Outcome> Update(const auth::Principal& viewer, const audit::Actor& actor, long long id,
                                  const DemandInput& input, long long version, const audit::Command& command);
    Result<audit::Outcome> Close(const auth::Principal& viewer, const audit::Actor& actor, long long id,
                                 const audit::Command& command);

private:
    storage::Database& db_;
    const Clock& clock_;
    audit::CommandPipeline& pipeline_;
};

/// The demand as JSON within an open transaction (no scope check).
std::optional<boost::json::object> LoadDemand(soci::session& s, long long id, const std::string& scope = "1=1");

}  // namespace chanrong::finance

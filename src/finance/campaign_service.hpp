#pragma once
// Demand-collection campaigns (定期征集): an officer asks a directory's members for their financing needs by a
// deadline, follows completion, reminds those who have not answered, exports the needs and pushes them to
// institutions (which see a campaign's needs only once pushed).

#include <boost/json/object.hpp>

#include <string>

#include "audit/command_pipeline.hpp"
#include "auth/principal.hpp"
#include "common/clock.hpp"
#include "common/table_export.hpp"
#include "storage/database.hpp"

namespace chanrong::finance {

class CampaignService {
public:
    CampaignService(storage::Database& db, const Clock& clock, audit::CommandPipeline& pipeline)
        : db_(db), clock_(clock), pipeline_(pipeline) {}

    /// Officers see every campaign; an enterprise the campaigns that ask it, with whether it has answered.
    Result<boost::json::object> List(const auth::Principal& viewer);
    /// The campaign with its completion and each target's status (officers).
    Result<boost::json::object> Get(long long id);
    Result<audit::Outcome> Open(const audit::Actor& actor, const std::string& title, long long directory_id,
                                const std::string& deadline, const audit::Command& command);
    /// Counts a reminder for every target that has not answered yet.
    Result<audit::Outcome> Remind(const audit::Actor& actor, long long id, const audit::Command& command);
    /// Closes collection and makes the campaign's needs visible to institutions.
    Result<audit::Outcome> Push(const audit::Actor& actor, long long id, const audit::Command& command);
    /// The campaign's needs as a table.
    Status ExportNeeds(long long id, TableWriter& writer);

private:
    storage::Database& db_;
    const Clock& clock_;
    audit::CommandPipeline& pipeline_;
};

}  // namespace chanrong::finance

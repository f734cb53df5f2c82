#pragma once
// The white list (白名单) as a maker–checker flow: a rule run proposes the enterprises that pass the current
// rule set (credit grade, red flags, 4+4+6 industry, size); an officer other than the proposer publishes each
// into the white-list directory with the rule version, score and checks as evidence, or rejects it.

#include <boost/json/object.hpp>

#include <optional>
#include <string>

#include "audit/command_pipeline.hpp"
#include "common/clock.hpp"
#include "storage/database.hpp"

namespace chanrong::credit {

class WhitelistService {
public:
    WhitelistService(storage::Database& db, const Clock& clock, audit::CommandPipeline& pipeline)
        : db_(db), clock_(clock), pipeline_(pipeline) {}

    /// The rule set in force (the newest version) with its rules.
    Result<boost::json::object> Rules();
    /// Proposes every enterprise whose current score and profile pass the rules and that is neither in the
    /// directory today nor already proposed.
    Result<audit::Outcome> Run(const audit::Actor& actor, const audit::Command& command);
    Result<boost::json::object> Candidates(const std::optional<std::string>& status, long long offset, long long limit);
    /// Publishes a proposed candidate into the directory; 403 when the approver proposed it.
    Result<audit::Outcome> Approve(const audit::Actor& actor, long long id, const audit::Command& command);
    Result<audit::Outcome> Reject(const audit::Actor& actor, long long id, const std::string& note,
                                  const audit::Command& command);

private:
    storage::Database& db_;
    const Clock& clock_;
    audit::CommandPipeline& pipeline_;
};

}  // namespace chanrong::credit

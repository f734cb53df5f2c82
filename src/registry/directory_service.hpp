#pragma once
// The government's directories (white list, tech pilot list, green enterprise and project libraries, the
// listing reserve pool with its layers, chain SME lists, key projects) with versioned membership: every stay
// has an effective period, the entry's and exit's reason, evidence and approver, so membership on any date,
// and the difference between two dates, can be answered. Institutions subscribe and see what changed.

#include <boost/json/object.hpp>

#include <optional>
#include <string>

#include "audit/command_pipeline.hpp"
#include "auth/principal.hpp"
#include "common/clock.hpp"
#include "storage/database.hpp"

namespace chanrong::registry {

struct EntryInput {
    std::optional<long long> enterprise_id;
    std::optional<long long> project_id;
    std::string layer;           ///< for layered directories (listing reserve: base | cultivation)
    std::string effective_from;  ///< YYYY-MM-DD
    std::string reason;
    std::string evidence;
};

struct ExitInput {
    std::string effective_to;  ///< YYYY-MM-DD, the first day no longer in the directory
    std::string reason;
    std::string evidence;
};

struct NewProject {
    std::string name;
    std::optional<long long> enterprise_id;
    std::optional<long long> investment_fen;
    std::optional<long long> financing_need_fen;
    std::string stage;
    std::string district;
    std::string industry_446;
    std::string green_category;
};

class DirectoryService {
public:
    DirectoryService(storage::Database& db, const Clock& clock, audit::CommandPipeline& pipeline)
        : db_(db), clock_(clock), pipeline_(pipeline) {}

    /// Every directory with its member count today and, for the viewer, whether it subscribed.
    Result<boost::json::object> List(const auth::Principal& viewer);
    /// Members on `as_of` (default today).
    Result<boost::json::object> Members(const auth::Principal& viewer, long long directory_id,
                                        const std::optional<std::string>& as_of, const std::optional<std::string>& layer,
                                        long long offset, long long limit);
    /// Every stay, newest first; optionally of one enterprise.
    Result<boost::json::object> History(const auth::Principal& viewer, long long directory_id,
                                        std::optional<long long> enterprise_id, long long offset, long long limit);
    /// Members added, removed and changed (layer) between two dates.
    Result<boost::json::object> Diff(const auth::Principal& viewer, long long directory_id, const std::string& from,
                                     const std::string& to);

    Result<audit::Outcome> AddEntry(const audit::Actor& actor, long long directory_id, const EntryInput& entry,
                                    const audit::Command& command);
    Result<audit::Outcome> ExitEntry(const audit::Actor& actor, long long entry_id, const ExitInput& exit,
                                     const audit::Command& command);

    Status Subscribe(const auth::Principal& viewer, const audit::Actor& actor, long long directory_id);
    /// Stays entered or left since the viewer last looked; marks them seen.
    Result<boost::json::object> ChangesSinceLastLook(const auth::Principal& viewer, const audit::Actor& actor,
                                                     long long directory_id);

    Result<audit::Outcome> CreateProject(const audit::Actor& actor, const NewProject& project,
                                         const audit::Command& command);
    Result<boost::json::object> ListProjects(long long offset, long long limit);

private:
    storage::Database& db_;
    const Clock& clock_;
    audit::CommandPipeline& pipeline_;
};

/// Entry-level checks shared with imports (dates, reason, layer, member kind); the directory's layers and
/// member kind are given.
std::vector<FieldError> ValidateEntry(const EntryInput& entry, const std::string& member_kind,
                                      const std::string& layers);

/// Inserts a stay inside an open transaction; conflict when the member is already in the directory then.
Result<long long> InsertEntry(soci::session& s, long long directory_id, const EntryInput& entry, long long approver,
                              TimestampMs now);

}  // namespace chanrong::registry

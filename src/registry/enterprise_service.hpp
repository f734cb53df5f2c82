#pragma once
// Enterprise profiles: identity, normalised name, encrypted legal representative, yearly figures with the SME
// size class derived from them, the 4+4+6 class (mapped or overridden), tags with evidence, and the
// maker–checker path for changes an enterprise proposes to its verified fields.

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "audit/command_pipeline.hpp"
#include "auth/principal.hpp"
#include "common/clock.hpp"
#include "common/field_cipher.hpp"
#include "storage/database.hpp"

namespace chanrong::registry {

/// Editable profile fields; nullopt leaves a field unchanged.
struct EnterpriseFields {
    std::optional<std::string> name;
    std::optional<std::string> district;
    std::optional<std::string> industry_code;  ///< GB/T 4754-2017; a verified field
    std::optional<std::string> legal_rep;
    std::optional<long long> registered_capital_fen;
    std::optional<std::string> founded_on;  ///< YYYY-MM-DD
    std::optional<std::string> contact_person;
    std::optional<std::string> contact_phone;
    std::optional<std::string> address;
};

struct YearFigures {
    int year = 0;
    std::optional<long long> employees;
    std::optional<long long> revenue_fen;
    std::optional<long long> assets_fen;
    std::optional<long long> liabilities_fen;
    std::optional<long long> rd_spend_fen;
    std::optional<long long> rd_staff;
    std::optional<long long> value_added_fen;
    std::optional<long long> invention_patents;
};

struct TagInput {
    std::string tag;
    std::string valid_from;  ///< YYYY-MM-DD
    std::string valid_to;    ///< YYYY-MM-DD or empty (open)
    std::string evidence;
    std::string chain;       ///< industry chain, for chain_leader / chain_member
    std::string chain_node;
};

struct EnterpriseFilter {
    std::optional<std::string> q;  ///< name (traditional or simplified, any substring) or credit code prefix
    std::optional<std::string> district;
    std::optional<std::string> industry;  ///< GB/T 4754 prefix, e.g. "C39"
    std::optional<std::string> class446;
    std::optional<std::string> size;
    std::optional<std::string> tag;
    std::optional<std::string> directory;  ///< directory code; members as of today
    long long offset = 0, limit = 20;
};

class EnterpriseService {
public:
    EnterpriseService(storage::Database& db, const Clock& clock, audit::CommandPipeline& pipeline,
                      const FieldCipher& cipher)
        : db_(db), clock_(clock), pipeline_(pipeline), cipher_(cipher) {}

    Result<boost::json::object> List(const auth::Principal& viewer, const EnterpriseFilter& filter);
    /// Runs `sink` over every row the filter matches (for export), in id order.
    Status ForEach(const auth::Principal& viewer, EnterpriseFilter filter,
                   const std::function<void(const boost::json::object&)>& sink);
    /// Profile with figures, tags, directory history and pending changes.
    Result<boost::json::object> Get(const auth::Principal& viewer, long long id);

    Result<audit::Outcome> Create(const audit::Actor& actor, const std::string& uscc, const EnterpriseFields& fields,
                                  const audit::Command& command);
    /// Officers change everything; an enterprise user's change of a verified field becomes a pending change.
    Result<audit::Outcome> Update(const auth::Principal& viewer, const audit::Actor& actor, long long id,
                                  const EnterpriseFields& fields, long long version, const audit::Command& command);
    Result<audit::Outcome> PutFigures(const auth::Principal& viewer, const audit::Actor& actor, long long id,
                                      const YearFigures& figures, const audit::Command& command);
    /// An officer sets the 4+4+6 class by hand (empty code returns to the mapping), with the reason.
    Result<audit::Outcome> Override446(const audit::Actor& actor, long long id, const std::string& code,
                                       const std::string& reason, const audit::Command& command);
    Result<audit::Outcome> AddTag(const auth::Principal& viewer, const audit::Actor& actor, long long id,
                                  const TagInput& tag, const audit::Command& command);
    Result<audit::Outcome> RevokeTag(const audit::Actor& actor, long long tag_id, const std::string& reason,
                                     const audit::Command& command);

    Result<boost::json::object> ListPending(const std::string& status, long long offset, long long limit);
    /// Applies (approve) or refuses (reject) a pending change; the checker must not be its maker.
    Result<audit::Outcome> DecidePending(const audit::Actor& actor, long long change_id, bool approve,
                                         const std::string& note, const audit::Command& command);

private:
    storage::Database& db_;
    const Clock& clock_;
    audit::CommandPipeline& pipeline_;
    const FieldCipher& cipher_;
};

}  // namespace chanrong::registry

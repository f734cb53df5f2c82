#pragma once
// Financial institutions: banks, insurers, securities firms, guarantors, fund managers, leasing and factoring
// companies, head offices with their Xiamen branches as a tree. Institution users see only their own
// institution (and its branches).

#include <boost/json/object.hpp>

#include <optional>
#include <string>

#include "audit/command_pipeline.hpp"
#include "auth/principal.hpp"
#include "common/clock.hpp"
#include "storage/database.hpp"

namespace chanrong::registry {

/// Kinds of financial institution.
inline const std::vector<std::string_view> kInstitutionKinds = {"bank", "insurer", "securities", "guarantor",
                                                                "fund", "leasing", "factoring"};

struct NewInstitution {
    std::string name;
    std::string kind;
    std::string uscc;
    std::string district;
    std::optional<long long> parent_id;
};

struct ListFilter {
    std::optional<std::string> q;
    std::optional<std::string> kind;
    long long offset = 0, limit = 20;
};

class InstitutionService {
public:
    InstitutionService(storage::Database& db, const Clock& clock, audit::CommandPipeline& pipeline)
        : db_(db), clock_(clock), pipeline_(pipeline) {}

    /// Institution users see only their own institution and the branches below it, at any depth; everyone else
    /// sees all.
    Result<boost::json::object> ListInstitutions(const auth::Principal& viewer, const ListFilter& filter);
    Result<boost::json::object> GetInstitution(const auth::Principal& viewer, long long id);

    Result<long long> CreateInstitution(const audit::Actor& actor, const NewInstitution& institution);

private:
    storage::Database& db_;
    const Clock& clock_;
    audit::CommandPipeline& pipeline_;
};

}  // namespace chanrong::registry

#pragma once
// Enterprises and financial institutions: the foundation keeps their identity (name, credit code, kind,
// district, industry) so users can be bound to them; the registry issue adds profiles, figures and tags.

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

struct NewEnterprise {
    std::string uscc;
    std::string name;
    std::string district;
    std::string industry_code;  ///< GB/T 4754-2017
    std::string industry_446;   ///< code in the city's 4+4+6 system, e.g. "P1"
};

struct ListFilter {
    std::optional<std::string> q;
    std::optional<std::string> kind;
    long long offset = 0, limit = 20;
};

class RegistryService {
public:
    RegistryService(storage::Database& db, const Clock& clock, audit::CommandPipeline& pipeline)
        : db_(db), clock_(clock), pipeline_(pipeline) {}

    /// Institution users see only their own institution; everyone else sees all.
    Result<boost::json::object> ListInstitutions(const auth::Principal& viewer, const ListFilter& filter);
    Result<boost::json::object> GetInstitution(const auth::Principal& viewer, long long id);
    /// Enterprise users see only their own enterprise; everyone else sees all.
    Result<boost::json::object> ListEnterprises(const auth::Principal& viewer, const ListFilter& filter);
    Result<boost::json::object> GetEnterprise(const auth::Principal& viewer, long long id);

    Result<long long> CreateInstitution(const audit::Actor& actor, const NewInstitution& institution);
    Result<long long> CreateEnterprise(const audit::Actor& actor, const NewEnterprise& enterprise);

private:
    storage::Database& db_;
    const Clock& clock_;
    audit::CommandPipeline& pipeline_;
};

}  // namespace chanrong::registry

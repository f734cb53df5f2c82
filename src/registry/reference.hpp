#pragma once
// Reference data of the registry: Xiamen's districts, the GB/T 4754-2017 code table, the versioned 4+4+6
// taxonomy with its mapping from GB/T 4754 codes, and tag kinds. Shipped in data/, loaded at migration,
// editable by administrators afterwards.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "audit/command_pipeline.hpp"
#include "storage/database.hpp"

namespace soci {
class session;
}

namespace chanrong::registry {

struct MappingRule {
    std::string prefix;  ///< GB/T 4754 code prefix: "C39", "C397", "C3974"
    std::string code;    ///< 4+4+6 code
};

/// The 4+4+6 class of `industry_code` under `rules`: the longest matching prefix wins; nullopt when none.
std::optional<std::string> Map446(const std::vector<MappingRule>& rules, std::string_view industry_code);

/// What validation needs in memory (small tables, read once per request or import).
struct ReferenceSets {
    std::map<std::string, std::string> districts;       ///< name → code
    std::map<std::string, std::string> industry_names;  ///< code → name
    std::map<std::string, std::string> classes446;      ///< code → name, current version
    std::set<std::string> tag_kinds;
    std::string taxonomy_version;                       ///< current version, e.g. "2025"
    std::vector<MappingRule> mapping;                   ///< current version's rules
};

Result<ReferenceSets> LoadReferenceSets(soci::session& session);

struct TaxonomyClass {
    std::string version, code, tier, name, name_en, lead_unit, valid_from, valid_to;
};

/// Inserts or replaces one class of a taxonomy version (administrators).
Result<audit::Outcome> UpsertTaxonomyClass(audit::CommandPipeline& pipeline,
                                           const audit::Actor& actor, const TaxonomyClass& c);
/// Sets (or, with an empty code, removes) the mapping of a GB/T 4754 prefix in a version, then re-derives the
/// 4+4+6 class of every enterprise under that prefix whose class comes from the mapping.
Result<audit::Outcome> SetMapping(audit::CommandPipeline& pipeline, const audit::Actor& actor,
                                  const std::string& version, const std::string& prefix, const std::string& code,
                                  const std::string& note, TimestampMs now);

/// Fills the reference tables from the embedded data files where they are empty (run by `migrate`).
Status LoadReferenceData(storage::Database& db);

}  // namespace chanrong::registry

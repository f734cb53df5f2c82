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

/// Fills the reference tables from the embedded data files where they are empty (run by `migrate`).
Status LoadReferenceData(storage::Database& db);

}  // namespace chanrong::registry

#pragma once
// Reference data of the registry: Xiamen's districts, the GB/T 4754-2017 code table, the versioned 4+4+6
// taxonomy with its mapping from GB/T 4754 codes, tag kinds and the SME size thresholds. Shipped in data/ (or
// migration 0002), loaded at migration, editable by administrators afterwards (reference_admin.hpp).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "registry/size_class.hpp"
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

struct TagKind {
    std::string name;          ///< 高新技术企业
    bool needs_chain = false;  ///< a tag of this kind must name its industry chain (链主/链上企业)
};

/// What validation needs in memory (small tables, read once per request or import).
struct ReferenceSets {
    std::map<std::string, std::string> districts;       ///< name → code
    std::map<std::string, std::string> industry_names;  ///< code → name
    std::map<std::string, std::string> classes446;      ///< code → name, current version
    std::map<std::string, TagKind> tag_kinds;           ///< code → kind
    std::string taxonomy_version;                       ///< current version, e.g. "2025"
    std::vector<MappingRule> mapping;                   ///< current version's rules
    SizeThresholds size_thresholds;                     ///< the newest published table
};

Result<ReferenceSets> LoadReferenceSets(soci::session& session);

/// Whether a tag of kind `tag` must name its industry chain; false for an unknown kind.
bool NeedsChain(const ReferenceSets& refs, const std::string& tag);

/// The SME size thresholds table (CSV text as in data/sme-size-thresholds.csv) that is current: the newest
/// published version, or the embedded one before any is stored.
Result<SizeThresholds> LoadSizeThresholds(soci::session& session);

/// Fills the reference tables from the embedded data files where they are empty (run by `migrate`); the shipped
/// size thresholds become version 1, stamped `now`.
Status LoadReferenceData(storage::Database& db, TimestampMs now);

}  // namespace chanrong::registry

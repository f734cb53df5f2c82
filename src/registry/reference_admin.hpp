#pragma once
// Administrators' edits of the registry's reference data: districts, tag kinds, the 4+4+6 taxonomy and its
// mapping, and new versions of the SME size thresholds. Each edit is one audited command (permission
// reference:write); edits that change how enterprises are classified re-derive them in the same transaction.

#include <boost/json/object.hpp>
#include <string>

#include "audit/command_pipeline.hpp"
#include "common/clock.hpp"
#include "common/error.hpp"

namespace soci {
class session;
}

namespace chanrong::registry {

struct District {
    std::string code;  ///< six-digit administrative division code, e.g. "350203"
    std::string name;  ///< 思明区; enterprises, institutions, projects and events store the name
    long long sort = 0;
};

/// Creates or changes a district. A district's name cannot change while anything refers to it (conflict on
/// "name" with the count), and two districts cannot share a name.
Result<audit::Outcome> PutDistrict(audit::CommandPipeline& pipeline, const audit::Actor& actor, const District& d);
/// Removes a district nothing refers to (conflict on "code" otherwise; not_found for an unknown code).
Result<audit::Outcome> DeleteDistrict(audit::CommandPipeline& pipeline, const audit::Actor& actor,
                                      const std::string& code);

struct TagKindInput {
    std::string code;  ///< high_tech, chain_leader …
    std::string name;  ///< 高新技术企业
    bool needs_chain = false;
    long long sort = 0;
};

/// Creates or changes a tag kind; names are unique. Turning `needs_chain` on applies to tags given from then on.
Result<audit::Outcome> PutTagKind(audit::CommandPipeline& pipeline, const audit::Actor& actor, const TagKindInput& t);
/// Removes a tag kind no tag, pending tag request or product condition uses.
Result<audit::Outcome> DeleteTagKind(audit::CommandPipeline& pipeline, const audit::Actor& actor,
                                     const std::string& code);

struct TaxonomyClass {
    std::string version, code, tier, name, name_en, lead_unit, valid_from, valid_to;
};

/// Inserts or replaces one class of a taxonomy version.
Result<audit::Outcome> UpsertTaxonomyClass(audit::CommandPipeline& pipeline, const audit::Actor& actor,
                                           const TaxonomyClass& c);
/// Sets (or, with an empty code, removes) the mapping of a GB/T 4754 prefix in a version, then re-derives the
/// 4+4+6 class of every enterprise under that prefix whose class comes from the mapping.
Result<audit::Outcome> SetMapping(audit::CommandPipeline& pipeline, const audit::Actor& actor,
                                  const std::string& version, const std::string& prefix, const std::string& code,
                                  const std::string& note, TimestampMs now);

/// Publishes a new version of the SME size thresholds (CSV text in the format of data/sme-size-thresholds.csv,
/// checked by ParseSizeThresholds; problems name field "content" and the line). Every enterprise with yearly
/// figures is classified again under it; the answer counts those whose class or rule changed.
Result<audit::Outcome> PublishSizeThresholds(audit::CommandPipeline& pipeline, const audit::Actor& actor,
                                             const std::string& content, const std::string& note, TimestampMs now);

/// Districts {code, name, sort} in display order, as {"items", "total"}.
boost::json::object ListDistricts(soci::session& s);
/// Tag kinds {code, name, needs_chain, sort} in display order, as {"items", "total"}.
boost::json::object ListTagKinds(soci::session& s);
/// The current size thresholds table, parsed: {"version": {id, note, created_at, created_by}, "rows": [...]} with
/// each row's industry, scope, indicators and the tiers' lower bounds (employees; amounts in fen).
Result<boost::json::object> CurrentSizeThresholds(soci::session& s);
/// Every published version of the thresholds, newest first: {id, note, created_at, created_by}.
boost::json::object ListSizeThresholdVersions(soci::session& s);
/// The CSV text of one version; not_found for an unknown id.
Result<std::string> SizeThresholdsDocument(soci::session& s, long long version_id);

}  // namespace chanrong::registry

#pragma once
// Reads the platform's data into the matching index: institutions with their service record, published products
// (LPR-spread rates as annual rates, capacity left this month), enterprises with their credit grade, tags and
// directories today, and open demands. Everything can be read whole (start-up) or only what changed since a
// watermark (before each query), so the index stays fresh at the cost of the changes.

#include <span>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "matching/match_index.hpp"

namespace soci {
class session;
}

namespace chanrong::matching {

/// Change marks of every source the index reads.
struct IndexMarks {
    long long products = 0;     ///< MAX(updated_at) of products
    long long demands = 0;      ///< MAX(updated_at) of demands
    long long enterprises = 0;  ///< MAX(updated_at) of enterprises
    long long scores = 0;       ///< MAX(id) of credit_scores
    long long entries = 0;      ///< MAX(updated_at) of directory_entries
    long long tags = 0;         ///< MAX(created_at, revoked_at) of enterprise_tags
    long long applications = 0; ///< MAX(updated_at) of applications (capacity used, service record)
    friend bool operator==(const IndexMarks&, const IndexMarks&) = default;
};

IndexMarks ReadIndexMarks(soci::session& s);
/// Marks above every change: the floor before any change notice arrived.
IndexMarks NoFloor();
/// Lowers `floor` by a PostgreSQL change notice ("demands 1767225600000": a table and the lowest mark its
/// transaction wrote, sent at commit) so that catching up from the floor reads that change; a notice without a mark
/// or for another table leaves it as it is.
void LowerFloor(std::string_view notice, IndexMarks& floor);
/// Field by field, the lower of two sets of marks.
IndexMarks Lowest(const IndexMarks& a, const IndexMarks& b);
/// The queries ReadIndexMarks runs (the tags' mark is the larger of created and revoked).
std::span<const std::string_view> IndexMarkQueries();

/// The engine's purpose for a demand's purpose code ("project" → expansion, "trade" → supply chain …).
Purpose PurposeOf(const std::string& purpose);

/// Loads everything into an empty index.
void LoadIndex(soci::session& s, MatchIndex& index, const std::string& today);

/// Applies what changed between `from` and `to`: products and demands by updated_at (upserted, or removed when no
/// longer published/open), enterprises whose record, score, directories or tags changed, and products whose
/// applications changed (capacity left).
void CatchUpIndex(soci::session& s, MatchIndex& index, const IndexMarks& from, const IndexMarks& to,
                  const std::string& today);

}  // namespace chanrong::matching

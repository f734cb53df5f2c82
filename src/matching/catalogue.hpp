#pragma once
// The product catalogue an answer was computed from, stored once instead of in every snapshot. A catalogue is the
// state hash of every indexed product; it is named by a hash of that content (so instances with the same view share
// one row) and stored either whole (a root) or as the entries that differ from a root (a delta), so that a change to
// one product costs a few entries, not the whole catalogue.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.hpp"

namespace chanrong::matching {

/// (product id, product state hash), ascending by id.
using CatalogueEntries = std::vector<std::pair<long long, std::string>>;

/// 16 hex characters of SHA-256 over the entries.
std::string CatalogueHash(const CatalogueEntries& entries);

/// Entries that differ between `root` and `entries`: changed or added ones, and removed ones with an empty hash.
CatalogueEntries CatalogueDelta(const CatalogueEntries& root, const CatalogueEntries& entries);

/// JSON body of entries (a root's, or a delta's with removals as null) and back.
std::string CatalogueBody(const CatalogueEntries& entries);
Result<CatalogueEntries> ParseCatalogueBody(std::string_view body);

/// A root with a delta applied.
CatalogueEntries ApplyCatalogueDelta(const CatalogueEntries& root, const CatalogueEntries& delta);

}  // namespace chanrong::matching

#pragma once
// Replay: every recommendation shown is stored with its inputs, scores and model version, and re-running it gives
// the identical result. A snapshot holds the enterprise, the demand, the options, the model version, every product
// the result depends on (the eligible ones, the ones counterfactuals would open and the near misses) with their
// institutions, and the result as its exact JSON text (Boost.JSON 1.81 does not parse every double back to the
// same bits, so the stored result is compared as text and institutions' doubles are stored as "%.17g" strings).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "matching/match_index.hpp"

namespace chanrong::matching {

struct MatchSnapshot {
    int model_version = 0;
    QueryOptions options;
    Enterprise enterprise;
    Demand demand;
    std::vector<Product> products;
    std::vector<Institution> institutions;
    std::string result_json;  ///< ResultToJson of the result shown
};

/// Collects what `result` (from index.Recommend(enterprise, demand, options)) depends on.
MatchSnapshot CaptureSnapshot(const MatchIndex& index, const Enterprise& enterprise, const Demand& demand,
                              const QueryOptions& options, const MatchResult& result);

/// Boost.JSON text of a snapshot, and back.
std::string SnapshotToJson(const MatchSnapshot& snapshot);
Result<MatchSnapshot> SnapshotFromJson(std::string_view text);

/// One product as it stands in a snapshot (the same JSON SnapshotToJson writes for each of its products).
std::string ProductToJson(const Product& product);

/// A product with its institution's service record: the state stored once in match_product_states and named by
/// hash from compact snapshots.
std::string ProductStateToJson(const Product& product, const Institution& institution);

/// The snapshot as stored per recommendation: without products and institutions, naming instead the catalogue (every
/// product's state, catalogue.hpp) it was answered from.
std::string StoredSnapshotToJson(const MatchSnapshot& snapshot, std::string_view catalogue);

/// A stored snapshot read back: its head, and how it names its products — a catalogue, or (snapshots stored before
/// catalogues) the list of product state hashes, maybe with its institutions.
struct StoredSnapshot {
    MatchSnapshot snapshot;  ///< no products yet
    std::string catalogue;
    std::vector<std::string> state_hashes;
};
Result<StoredSnapshot> ParseStoredSnapshot(std::string_view text);

/// Adds the products of product state bodies, and their institutions' records unless already listed.
Status AddProductStates(MatchSnapshot& snapshot, const std::vector<std::string>& bodies);

/// Canonical JSON of a result (for storing and for comparing a replay with the original).
std::string ResultToJson(const MatchResult& result);

/// Re-runs the snapshot's query with `model`; failed_precondition when the model's version differs.
Result<MatchResult> Replay(const MatchSnapshot& snapshot, std::shared_ptr<const ScoringModel> model);

/// True when replaying the snapshot with `model` gives exactly the stored result.
bool ReplayMatches(const MatchSnapshot& snapshot, std::shared_ptr<const ScoringModel> model);

}  // namespace chanrong::matching

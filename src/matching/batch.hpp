#pragma once
// Batch runs (a campaign's list of needs, a matchmaking event, or every open demand): candidates from the index,
// then Allocate over them.

#include <span>
#include <string>
#include <vector>

#include "matching/allocation.hpp"
#include "matching/match_index.hpp"

namespace chanrong::matching {

struct BatchOptions {
    int candidates_per_demand = 5;       ///< the top-k recommendations of each demand become its candidate edges
    double institution_share_cap = 0.2;  ///< no institution receives more than this share of the batch's demands
    int threads = 2;                     ///< for candidate generation
    AllocationMethod method = AllocationMethod::kAuto;
};

struct BatchAssignment {
    long long demand_id = 0;
    long long product_id = 0;
    long long institution_id = 0;
    long long expected_fen = 0;  ///< approval probability × amount
};

struct BatchResult {
    std::vector<BatchAssignment> assignments;
    int demands = 0;
    size_t candidate_edges = 0;
    long long expected_funded_fen = 0;
    long long upper_bound_fen = 0;  ///< every demand at its best candidate, capacities ignored
    int institution_cap = 0;
    std::string method;
    bool capacity_respected = false;
    bool share_cap_respected = false;
    double candidate_seconds = 0, allocation_seconds = 0;
};

/// Allocates the given open demands (unknown ids are skipped) to products.
BatchResult AllocateBatch(const MatchIndex& index, std::span<const long long> demand_ids, const BatchOptions& options);

}  // namespace chanrong::matching

#pragma once
// Batch allocation: assign demands to candidate products, at most one product per demand, respecting each
// product's capacity and a cap on each institution's count, maximising the total expected funded amount
// (Σ approval probability × amount). Pure: plain indices in, assignment out. See README.md § Allocation.

#include <string>
#include <vector>

#include "common/error.hpp"

namespace chanrong::matching {

/// Demand `demand` may go to product `product`; `value` is its expected funded amount in fen (≥ 0).
struct AllocationEdge {
    int demand = 0;
    int product = 0;
    long long value = 0;
};

struct AllocationProblem {
    int demand_count = 0;
    std::vector<int> product_capacity;     ///< per product
    std::vector<int> product_institution;  ///< per product: index into institution_cap
    std::vector<int> institution_cap;      ///< per institution: most demands it may receive
    std::vector<AllocationEdge> edges;
};

enum class AllocationMethod {
    kAuto,    ///< exact up to exact_edge_limit edges, greedy with exchange beyond
    kExact,   ///< min-cost flow (successive shortest paths): the optimum
    kGreedy,  ///< largest value first, then improving exchanges
};

struct Allocation {
    std::vector<int> product_of;  ///< per demand: product index or -1
    long long total_value = 0;
    long long upper_bound = 0;    ///< Σ over demands of their best edge (ignores capacities)
    int assigned = 0;
    std::string method;           ///< "min_cost_flow" | "greedy_exchange"
};

Allocation Allocate(const AllocationProblem& problem, AllocationMethod method = AllocationMethod::kAuto,
                    size_t exact_edge_limit = 20'000);

/// Checks that every assignment is an edge of the problem and that no capacity or cap is exceeded.
Status CheckAllocation(const AllocationProblem& problem, const Allocation& allocation);

}  // namespace chanrong::matching

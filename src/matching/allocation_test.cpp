#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "matching/allocation.hpp"
#include "matching/batch.hpp"
#include "matching/synthetic.hpp"

namespace chanrong::matching {
namespace {

AllocationProblem Problem(int demands, std::vector<int> capacity, std::vector<int> institution, std::vector<int> caps,
                          std::vector<AllocationEdge> edges) {
    return {demands, std::move(capacity), std::move(institution), std::move(caps), std::move(edges)};
}

TEST(Allocation, CapacityGoesToTheLargerValue) {
    const auto p = Problem(2, {1}, {0}, {5}, {{0, 0, 10}, {1, 0, 8}});
    const Allocation a = Allocate(p, AllocationMethod::kExact);
    EXPECT_EQ(a.product_of, (std::vector<int>{0, -1}));
    EXPECT_EQ(a.total_value, 10);
    EXPECT_EQ(a.upper_bound, 18);
}

TEST(Allocation, ExactMovesADemandToItsSecondChoice) {
    // Greedy by value alone gives d0→p0 (10) and leaves d1 out; the optimum is d0→p1, d1→p0 (9 + 8 = 17).
    const auto p = Problem(2, {1, 1}, {0, 1}, {5, 5}, {{0, 0, 10}, {0, 1, 9}, {1, 0, 8}});
    const Allocation exact = Allocate(p, AllocationMethod::kExact);
    EXPECT_EQ(exact.product_of, (std::vector<int>{1, 0}));
    EXPECT_EQ(exact.total_value, 17);
    const Allocation greedy = Allocate(p, AllocationMethod::kGreedy);  // its exchange step finds the same
    EXPECT_EQ(greedy.total_value, 17);
    EXPECT_TRUE(CheckAllocation(p, greedy));
}

TEST(Allocation, InstitutionCapBinds) {
    // Two products of one institution capped at one demand: only the better demand is served.
    const auto p = Problem(2, {1, 1}, {0, 0}, {1}, {{0, 0, 10}, {1, 1, 8}});
    const Allocation a = Allocate(p, AllocationMethod::kExact);
    EXPECT_EQ(a.total_value, 10);
    EXPECT_EQ(a.assigned, 1);
    EXPECT_TRUE(CheckAllocation(p, a));
}

TEST(Allocation, ZeroValueEdgesNeedNotBeUsed) {
    const auto p = Problem(1, {1}, {0}, {1}, {{0, 0, 0}});
    EXPECT_EQ(Allocate(p, AllocationMethod::kExact).total_value, 0);
}

long long BruteForce(const AllocationProblem& p) {
    std::vector<std::vector<AllocationEdge>> by_demand(p.demand_count);
    for (const auto& e : p.edges) by_demand[e.demand].push_back(e);
    std::vector<int> used(p.product_capacity.size()), inst(p.institution_cap.size());
    long long best = 0;
    std::function<void(int, long long)> go = [&](int d, long long value) {
        if (d == p.demand_count) return void(best = std::max(best, value));
        go(d + 1, value);
        for (const auto& e : by_demand[d]) {
            const int k = p.product_institution[e.product];
            if (used[e.product] >= p.product_capacity[e.product] || inst[k] >= p.institution_cap[k]) continue;
            ++used[e.product], ++inst[k];
            go(d + 1, value + e.value);
            --used[e.product], --inst[k];
        }
    };
    go(0, 0);
    return best;
}

TEST(Allocation, ExactEqualsBruteForceOnRandomTinyInstances) {
    std::mt19937_64 rng(5);
    auto in = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    for (int round = 0; round < 300; ++round) {
        const int n = in(1, 6), m = in(1, 4), q = in(1, 3);
        AllocationProblem p{n, {}, {}, {}, {}};
        for (int j = 0; j < m; ++j) p.product_capacity.push_back(in(0, 2)), p.product_institution.push_back(in(0, q - 1));
        for (int k = 0; k < q; ++k) p.institution_cap.push_back(in(1, 3));
        for (int d = 0; d < n; ++d)
            for (int j = 0; j < m; ++j)
                if (in(0, 2) > 0) p.edges.push_back({d, j, in(0, 100)});
        const Allocation exact = Allocate(p, AllocationMethod::kExact);
        ASSERT_TRUE(CheckAllocation(p, exact)) << "round " << round;
        ASSERT_EQ(exact.total_value, BruteForce(p)) << "round " << round;
        const Allocation greedy = Allocate(p, AllocationMethod::kGreedy);
        ASSERT_TRUE(CheckAllocation(p, greedy));
        ASSERT_LE(greedy.total_value, exact.total_value);
        ASSERT_GE(2 * greedy.total_value, exact.total_value);  // greedy is a ½-approximation at worst here
    }
}

TEST(Allocation, BatchOverASyntheticCityRespectsCapacityAndShare) {
    SyntheticWorld w = SyntheticWorld::Generate({.enterprises = 500, .demands = 1500, .products = 60, .institutions = 10, .seed = 9});
    for (auto& p : w.products) p.monthly_capacity = 5;
    MatchIndex index(std::make_shared<ScoringModel>(ScoringModel::Default()));
    w.Fill(index);
    const auto ids = index.OpenDemandIds();
    BatchOptions o;
    o.institution_share_cap = 0.02;  // 30 demands per institution
    const BatchResult r = AllocateBatch(index, ids, o);
    EXPECT_EQ(r.method, "min_cost_flow");
    EXPECT_TRUE(r.capacity_respected);
    EXPECT_TRUE(r.share_cap_respected);
    EXPECT_EQ(r.institution_cap, 30);
    std::map<long long, int> per_product, per_institution;
    for (const auto& a : r.assignments) ++per_product[a.product_id], ++per_institution[a.institution_id];
    for (const auto& [id, n] : per_product) EXPECT_LE(n, 5);
    for (const auto& [id, n] : per_institution) EXPECT_LE(n, 30);
    EXPECT_GT(r.assignments.size(), 50u);
    EXPECT_LE(r.expected_funded_fen, r.upper_bound_fen);
    o.method = AllocationMethod::kGreedy;
    const BatchResult g = AllocateBatch(index, ids, o);
    EXPECT_LE(g.expected_funded_fen, r.expected_funded_fen);
}

}  // namespace
}  // namespace chanrong::matching

#include "matching/allocation.hpp"

#include <algorithm>
#include <limits>
#include <queue>

namespace chanrong::matching {
namespace {

constexpr long long kInf = std::numeric_limits<long long>::max() / 4;

// Network S → demand (1) → product (capacity) → institution (cap) → T; edge demand→product costs −value.
class FlowNetwork {
public:
    explicit FlowNetwork(int nodes) : adjacency_(nodes) {}
    void AddEdge(int from, int to, int capacity, long long cost) {
        adjacency_[from].push_back(static_cast<int>(edges_.size()));
        edges_.push_back({to, capacity, cost});
        adjacency_[to].push_back(static_cast<int>(edges_.size()));
        edges_.push_back({from, 0, -cost});
    }
    // Successive shortest paths with Dijkstra on reduced costs; stops once a path would not lower the cost.
    void MinCostFlow(int source, int sink, std::vector<long long> potential) {
        const int n = static_cast<int>(adjacency_.size());
        std::vector<long long> dist(n);
        std::vector<int> via(n);
        using Item = std::pair<long long, int>;
        while (true) {
            std::fill(dist.begin(), dist.end(), kInf);
            std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
            dist[source] = 0;
            heap.push({0, source});
            while (!heap.empty()) {
                auto [d, u] = heap.top();
                heap.pop();
                if (d > dist[u]) continue;
                for (int e : adjacency_[u]) {
                    const Edge& edge = edges_[e];
                    if (edge.capacity <= 0) continue;
                    const long long nd = d + edge.cost + potential[u] - potential[edge.to];
                    if (nd < dist[edge.to]) {
                        dist[edge.to] = nd;
                        via[edge.to] = e;
                        heap.push({nd, edge.to});
                    }
                }
            }
            if (dist[sink] >= kInf || dist[sink] + potential[sink] - potential[source] >= 0) return;
            for (int v = 0; v < n; ++v)
                if (dist[v] < kInf) potential[v] += dist[v];
            for (int v = sink; v != source; v = edges_[via[v] ^ 1].to) {
                edges_[via[v]].capacity -= 1;
                edges_[via[v] ^ 1].capacity += 1;
            }
        }
    }
    bool Used(int edge_index) const { return edges_[edge_index].capacity == 0; }

private:
    struct Edge {
        int to;
        int capacity;
        long long cost;
    };
    std::vector<std::vector<int>> adjacency_;
    std::vector<Edge> edges_;
};

Allocation Exact(const AllocationProblem& p) {
    const int n = p.demand_count, m = static_cast<int>(p.product_capacity.size());
    const int q = static_cast<int>(p.institution_cap.size());
    const int source = 0, sink = 1 + n + m + q;
    FlowNetwork net(sink + 1);
    for (int d = 0; d < n; ++d) net.AddEdge(source, 1 + d, 1, 0);
    std::vector<int> edge_index(p.edges.size());
    // Potentials: shortest distances in the DAG, so the first Dijkstra sees non-negative reduced costs.
    std::vector<long long> potential(sink + 1, 0);
    for (size_t i = 0; i < p.edges.size(); ++i) {
        const auto& e = p.edges[i];
        edge_index[i] = 2 * n + 2 * static_cast<int>(i);
        net.AddEdge(1 + e.demand, 1 + n + e.product, 1, -e.value);
        potential[1 + n + e.product] = std::min(potential[1 + n + e.product], -e.value);
    }
    for (int j = 0; j < m; ++j) {
        const int inst = 1 + n + m + p.product_institution[j];
        net.AddEdge(1 + n + j, inst, p.product_capacity[j], 0);
        potential[inst] = std::min(potential[inst], potential[1 + n + j]);
    }
    for (int k = 0; k < q; ++k) {
        net.AddEdge(1 + n + m + k, sink, p.institution_cap[k], 0);
        potential[sink] = std::min(potential[sink], potential[1 + n + m + k]);
    }
    net.MinCostFlow(source, sink, std::move(potential));
    Allocation a;
    a.method = "min_cost_flow";
    a.product_of.assign(n, -1);
    for (size_t i = 0; i < p.edges.size(); ++i)
        if (net.Used(edge_index[i])) a.product_of[p.edges[i].demand] = p.edges[i].product;
    return a;
}

struct GreedyState {
    std::vector<int> product_left, institution_left;
    std::vector<std::vector<int>> edges_of_demand;  // edge indices
    std::vector<std::vector<int>> demands_at;       // product → assigned demands
    std::vector<int> edge_of;                       // demand → assigned edge or -1
    std::vector<std::vector<int>> movable_at;       // product → its demands that had an alternative with room
};

bool HasRoomElsewhere(const AllocationProblem& p, const GreedyState& s, int d, int product) {
    for (int e : s.edges_of_demand[d]) {
        const int q = p.edges[e].product;
        if (q != product && s.product_left[q] > 0 && s.institution_left[p.product_institution[q]] > 0) return true;
    }
    return false;
}

// One improving exchange for unassigned demand d: take a full product p from demand d2, which moves to a product
// with room whose institution has room too. Returns true when applied.
bool TryExchange(const AllocationProblem& p, GreedyState& s, int d) {
    long long best_gain = 0;
    int best_take = -1, best_move = -1, best_from = -1;
    for (int e : s.edges_of_demand[d]) {
        const int prod = p.edges[e].product;
        if (s.product_left[prod] > 0) continue;  // d was refused for lack of product capacity
        for (int d2 : s.movable_at[prod]) {
            if (s.edge_of[d2] < 0 || p.edges[s.edge_of[d2]].product != prod) continue;  // moved since
            const long long lose = p.edges[s.edge_of[d2]].value;
            for (int e2 : s.edges_of_demand[d2]) {
                const int q = p.edges[e2].product;
                if (q == prod || s.product_left[q] <= 0) continue;
                if (s.institution_left[p.product_institution[q]] <= 0) continue;
                const long long gain = p.edges[e].value + p.edges[e2].value - lose;
                if (gain > best_gain) best_gain = gain, best_take = e, best_move = e2, best_from = d2;
            }
        }
    }
    if (best_take < 0) return false;
    const int prod = p.edges[best_take].product, q = p.edges[best_move].product;
    std::erase(s.demands_at[prod], best_from);
    s.demands_at[prod].push_back(d);
    s.demands_at[q].push_back(best_from);
    s.edge_of[d] = best_take;
    s.edge_of[best_from] = best_move;
    s.product_left[q] -= 1;
    // prod swaps one demand for another, so its institution's count is unchanged; q's institution gains one.
    s.institution_left[p.product_institution[q]] -= 1;
    return true;
}

Allocation Greedy(const AllocationProblem& p) {
    GreedyState s{p.product_capacity, p.institution_cap, std::vector<std::vector<int>>(p.demand_count),
                  std::vector<std::vector<int>>(p.product_capacity.size()), std::vector<int>(p.demand_count, -1)};
    struct Key {
        long long value;
        int demand, product, edge;
    };
    std::vector<Key> order(p.edges.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = {p.edges[i].value, p.edges[i].demand, p.edges[i].product, static_cast<int>(i)};
    std::sort(order.begin(), order.end(), [](const Key& x, const Key& y) {
        return x.value != y.value ? x.value > y.value : (x.demand != y.demand ? x.demand < y.demand : x.product < y.product);
    });
    for (const Key& key : order) {
        const int e = key.edge;
        const auto& edge = p.edges[e];
        s.edges_of_demand[edge.demand].push_back(e);
        const int inst = p.product_institution[edge.product];
        if (s.edge_of[edge.demand] >= 0 || s.product_left[edge.product] <= 0 || s.institution_left[inst] <= 0) continue;
        s.edge_of[edge.demand] = e;
        s.product_left[edge.product] -= 1;
        s.institution_left[inst] -= 1;
        s.demands_at[edge.product].push_back(edge.demand);
    }
    // Only demands that can move to a product with room can make way; list them once per product.
    s.movable_at.resize(p.product_capacity.size());
    for (size_t j = 0; j < s.demands_at.size(); ++j)
        for (int d2 : s.demands_at[j])
            if (HasRoomElsewhere(p, s, d2, static_cast<int>(j))) s.movable_at[j].push_back(d2);
    for (int d = 0; d < p.demand_count; ++d)
        if (s.edge_of[d] < 0) TryExchange(p, s, d);
    Allocation a;
    a.method = "greedy_exchange";
    a.product_of.assign(p.demand_count, -1);
    for (int d = 0; d < p.demand_count; ++d)
        if (s.edge_of[d] >= 0) a.product_of[d] = p.edges[s.edge_of[d]].product;
    return a;
}

}  // namespace

Allocation Allocate(const AllocationProblem& problem, AllocationMethod method, size_t exact_edge_limit) {
    const bool exact = method == AllocationMethod::kExact ||
                       (method == AllocationMethod::kAuto && problem.edges.size() <= exact_edge_limit);
    Allocation a = exact ? Exact(problem) : Greedy(problem);
    std::vector<long long> best(problem.demand_count, 0);
    std::vector<long long> chosen(problem.demand_count, -1);
    for (const auto& e : problem.edges) {
        best[e.demand] = std::max(best[e.demand], e.value);
        if (a.product_of[e.demand] == e.product) chosen[e.demand] = std::max(chosen[e.demand], e.value);
    }
    for (int d = 0; d < problem.demand_count; ++d) {
        a.upper_bound += best[d];
        if (a.product_of[d] >= 0) a.total_value += chosen[d], ++a.assigned;
    }
    return a;
}

Status CheckAllocation(const AllocationProblem& p, const Allocation& a) {
    std::vector<int> used(p.product_capacity.size(), 0), inst(p.institution_cap.size(), 0);
    std::vector<char> valid(p.demand_count, 0);
    for (const auto& e : p.edges)
        if (a.product_of[e.demand] == e.product) valid[e.demand] = 1;
    for (int d = 0; d < p.demand_count; ++d) {
        const int prod = a.product_of[d];
        if (prod < 0) continue;
        if (!valid[d]) return Fail(Error::Internal("assignment is not a candidate edge"));
        ++used[prod];
        ++inst[p.product_institution[prod]];
    }
    for (size_t j = 0; j < used.size(); ++j)
        if (used[j] > p.product_capacity[j]) return Fail(Error::Internal("product capacity exceeded"));
    for (size_t k = 0; k < inst.size(); ++k)
        if (inst[k] > p.institution_cap[k]) return Fail(Error::Internal("institution cap exceeded"));
    return {};
}

}  // namespace chanrong::matching

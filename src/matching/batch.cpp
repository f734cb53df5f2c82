#include "matching/batch.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>
#include <unordered_map>

namespace chanrong::matching {
namespace {

struct Candidate {
    int demand;
    long long product_id;
    long long value;
};

double Since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::vector<Candidate> Candidates(const MatchIndex& index, std::span<const long long> ids, const BatchOptions& o) {
    const int threads = std::max(1, o.threads);
    std::vector<std::vector<Candidate>> parts(threads);
    QueryOptions q;
    q.top_n = o.candidates_per_demand;
    q.explain = false;
    auto work = [&](int t) {
        for (size_t i = t; i < ids.size(); i += threads) {
            auto result = index.RecommendForDemand(ids[i], q);
            if (!result) continue;
            const long long amount = index.FindDemand(ids[i])->amount_fen;
            for (const auto& r : result->recommendations)
                parts[t].push_back({static_cast<int>(i), r.product_id, std::llround(r.approval * static_cast<double>(amount))});
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& th : pool) th.join();
    std::vector<Candidate> all;
    for (auto& part : parts) all.insert(all.end(), part.begin(), part.end());
    return all;
}

}  // namespace

BatchResult AllocateBatch(const MatchIndex& index, std::span<const long long> ids, const BatchOptions& o) {
    BatchResult out;
    out.demands = static_cast<int>(ids.size());
    auto start = std::chrono::steady_clock::now();
    const std::vector<Candidate> candidates = Candidates(index, ids, o);
    out.candidate_seconds = Since(start);
    start = std::chrono::steady_clock::now();
    AllocationProblem problem;
    problem.demand_count = out.demands;
    out.institution_cap = std::max(1, static_cast<int>(std::floor(o.institution_share_cap * out.demands)));
    std::unordered_map<long long, int> product_index, institution_index;
    std::vector<long long> product_ids, institution_ids;
    problem.edges.reserve(candidates.size());
    for (const auto& c : candidates) {
        auto [it, added] = product_index.try_emplace(c.product_id, static_cast<int>(product_ids.size()));
        if (added) {
            const Product* p = index.FindProduct(c.product_id);
            product_ids.push_back(c.product_id);
            problem.product_capacity.push_back(std::max(0, p->monthly_capacity));
            auto [inst, inst_added] = institution_index.try_emplace(p->institution_id, static_cast<int>(institution_ids.size()));
            if (inst_added) institution_ids.push_back(p->institution_id), problem.institution_cap.push_back(out.institution_cap);
            problem.product_institution.push_back(inst->second);
        }
        problem.edges.push_back({c.demand, it->second, c.value});
    }
    out.candidate_edges = problem.edges.size();
    const Allocation a = Allocate(problem, o.method);
    out.method = a.method;
    out.expected_funded_fen = a.total_value;
    out.upper_bound_fen = a.upper_bound;
    std::vector<long long> value_of(out.demands, 0);
    for (const auto& e : problem.edges)
        if (a.product_of[e.demand] == e.product) value_of[e.demand] = e.value;
    for (int d = 0; d < out.demands; ++d) {
        const int prod = a.product_of[d];
        if (prod < 0) continue;
        out.assignments.push_back({ids[d], product_ids[prod], institution_ids[problem.product_institution[prod]], value_of[d]});
    }
    const Status check = CheckAllocation(problem, a);
    out.capacity_respected = check.has_value() || check.error().message.find("capacity") == std::string::npos;
    out.share_cap_respected = check.has_value() || check.error().message.find("cap exceeded") == std::string::npos;
    out.allocation_seconds = Since(start);
    return out;
}

}  // namespace chanrong::matching

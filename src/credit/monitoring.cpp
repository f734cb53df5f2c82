#include "credit/monitoring.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace chanrong::credit {

int ScoreBand(int score) { return std::clamp(score / 100, 0, kScoreBands - 1); }

std::optional<double> PopulationStabilityIndex(const std::vector<long long>& expected_counts,
                                               const std::vector<long long>& actual_counts) {
    const double e_total = std::accumulate(expected_counts.begin(), expected_counts.end(), 0.0);
    const double a_total = std::accumulate(actual_counts.begin(), actual_counts.end(), 0.0);
    if (e_total <= 0 || a_total <= 0 || expected_counts.size() != actual_counts.size()) return std::nullopt;
    double psi = 0;
    for (size_t i = 0; i < expected_counts.size(); ++i) {
        const double e = std::max(expected_counts[i] / e_total, 1e-4);
        const double a = std::max(actual_counts[i] / a_total, 1e-4);
        psi += (a - e) * std::log(a / e);
    }
    return psi;
}

std::optional<Separation> MeasureSeparation(std::vector<ScoredOutcome> outcomes) {
    Separation s;
    for (const auto& o : outcomes) (o.bad ? s.bads : s.goods) += 1;
    if (s.goods == 0 || s.bads == 0) return std::nullopt;
    std::sort(outcomes.begin(), outcomes.end(), [](const auto& a, const auto& b) { return a.score < b.score; });
    long long goods_below = 0, bads_below = 0;
    double concordant = 0;
    for (size_t i = 0; i < outcomes.size();) {
        size_t j = i;
        long long goods_here = 0, bads_here = 0;
        for (; j < outcomes.size() && outcomes[j].score == outcomes[i].score; ++j) (outcomes[j].bad ? bads_here : goods_here)++;
        // Goods at this score beat every bad below it and tie with the bads here.
        concordant += goods_here * (bads_below + 0.5 * bads_here);
        goods_below += goods_here;
        bads_below += bads_here;
        s.ks = std::max(s.ks, std::abs(static_cast<double>(bads_below) / s.bads - static_cast<double>(goods_below) / s.goods));
        i = j;
    }
    s.auc = concordant / (static_cast<double>(s.goods) * s.bads);
    return s;
}

}  // namespace chanrong::credit

#pragma once
// Score monitoring: population stability between months and the score's power to separate loans that went
// bad from those that did not. Pure functions over plain numbers.

#include <optional>
#include <vector>

namespace chanrong::credit {

/// Score bands used for distributions: [0,100), [100,200) … [900,1000].
inline constexpr int kScoreBands = 10;
int ScoreBand(int score);

/// Population stability index Σ (a − e) · ln(a / e) over bands, with shares floored at 0.0001 so an empty
/// band does not divide by zero. nullopt when either side has no scores. Rule of thumb: < 0.1 stable,
/// 0.1–0.25 some shift, > 0.25 significant shift.
std::optional<double> PopulationStabilityIndex(const std::vector<long long>& expected_counts,
                                               const std::vector<long long>& actual_counts);

struct ScoredOutcome {
    int score = 0;
    bool bad = false;  ///< overdue or default
};

struct Separation {
    double ks = 0;   ///< max |F_bad(s) − F_good(s)| over score thresholds
    double auc = 0;  ///< probability that a random good loan scored higher than a random bad one (ties ½)
    long long goods = 0, bads = 0;
};

/// KS and AUC of the score against outcomes; nullopt unless there is at least one good and one bad.
std::optional<Separation> MeasureSeparation(std::vector<ScoredOutcome> outcomes);

}  // namespace chanrong::credit

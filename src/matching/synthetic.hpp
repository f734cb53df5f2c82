#pragma once
// A seeded synthetic city for the offline evaluation and the benchmark: enterprises across the 4+4+6 industries
// (codes and GB/T prefixes from data/industry-446*.csv), institutions with products, open demands, and for every
// institution a HIDDEN acceptance policy plus noise. The scoring model never sees the hidden policies: it learns
// them only from simulated decisions (SimulateDecisions → TrainModel).

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "matching/match_index.hpp"
#include "matching/train.hpp"
#include "matching/types.hpp"

namespace chanrong::matching {

struct SyntheticConfig {
    int enterprises = 10'000;
    int demands = 10'000;
    int products = 2'000;
    int institutions = 300;
    std::uint64_t seed = 42;
    double decision_noise = 0.5;  ///< scale of the logistic noise added to the hidden score in simulated decisions
};

/// What an evaluation measured (precision@5: share of the top 5 that the hidden policy approves).
struct EvaluationReport {
    int demands = 0;                  ///< evaluation demands with at least 5 eligible products
    double eligible_approval = 0;     ///< share of eligible (demand, product) pairs the hidden policy approves
    double precision_baseline = 0;    ///< rules only: eligibility + amount fit
    double precision_model = 0;       ///< the index's model
    double lift = 0;                  ///< precision_model / precision_baseline
};

class SyntheticWorld {
public:
    static SyntheticWorld Generate(const SyntheticConfig& config);
    ~SyntheticWorld();
    SyntheticWorld(SyntheticWorld&&) noexcept;
    SyntheticWorld& operator=(SyntheticWorld&&) noexcept;

    std::vector<Institution> institutions;
    std::vector<Product> products;
    std::vector<Enterprise> enterprises;  ///< enterprises[i].id == i + 1
    std::vector<Demand> demands;          ///< demands[i].id == i + 1

    /// Loads everything into an index.
    void Fill(MatchIndex& index) const;
    /// The hidden policy's verdict (no noise): the ground truth of the evaluation.
    bool HiddenApproves(long long institution_id, const Enterprise& e, const Demand& d) const;
    /// Decisions on up to `per_demand` random eligible products of demands [first, last), until `count` samples;
    /// each decision is the hidden score plus logistic noise. Features are those of `index.model()`.
    std::vector<DecisionSample> SimulateDecisions(const MatchIndex& index, size_t first, size_t last, size_t count,
                                                  int per_demand, std::uint64_t seed) const;
    /// precision@5 of the index's ranking and of the rules-only baseline over demands [first, last).
    EvaluationReport Evaluate(const MatchIndex& index, size_t first, size_t last) const;

private:
    struct Hidden;
    SyntheticWorld();
    double HiddenScore(long long institution_id, const Enterprise& e, const Demand& d) const;
    std::unique_ptr<Hidden> hidden_;
    double noise_scale_ = 0.5;
};

}  // namespace chanrong::matching

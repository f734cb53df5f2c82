#pragma once
// Training the approval part of the scoring model from recorded decisions (`chanrong matching train`).
// Hierarchical logistic regression: a global row fitted with an L2 pull towards the base model's global row, then one
// row per institution fitted with an L2 pull towards the new global row, so an institution with few decisions stays
// near the global behaviour (shrinkage) and one with many learns its own. Newton's method, deterministic.

#include <span>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "matching/model.hpp"

namespace chanrong::matching {

/// One recorded decision: the institution, the enterprise+demand features (ScoringModel::Features of the base
/// model) and whether it approved.
struct DecisionSample {
    long long institution_id = 0;
    FeatureList features;
    bool approved = false;
};

struct TrainOptions {
    double global_prior_strength = 1.0;       ///< λ pulling the global row towards the base model's
    double institution_prior_strength = 6.0;  ///< λ pulling each institution's row towards the global row
    int iterations = 8;                       ///< Newton steps
    int holdout_every = 5;                    ///< every n-th sample (by position) is held out for evaluation
};

struct TrainMetrics {
    size_t samples = 0;
    double log_loss = 0;
    double auc = 0;
};

struct TrainResult {
    ScoringModel model;       ///< version = base version + 1
    std::string model_json;   ///< the new model file
    std::string report_json;  ///< evaluation report: holdout metrics before/after, per-institution counts
    TrainMetrics before, global_only, after;  ///< on the holdout
};

/// Fails with invalid_argument when there are no samples or a sample's features do not fit the base model.
Result<TrainResult> TrainModel(const ScoringModel& base, std::span<const DecisionSample> samples, const TrainOptions& options = {});

/// Area under the ROC curve of scores against labels (ties count one half); 0.5 when one class is missing.
double Auc(const std::vector<double>& scores, const std::vector<bool>& labels);

}  // namespace chanrong::matching

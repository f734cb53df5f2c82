#pragma once
// The versioned scoring model (README.md § Scoring). A score is a weighted sum of factors in [0, 1]:
//   score = Σ_k w_k · f_k,  k ∈ {approval, amount, term, rate, purpose, profile, service, policy}
// where approval = σ(logit) of the institution's logistic model over sparse one-hot enterprise/demand features
// (an untrained institution uses the global row). Weights and vocabulary live in a JSON data file with a version.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/error.hpp"
#include "matching/types.hpp"

namespace chanrong::matching {

enum class Factor : std::uint8_t { kApproval, kAmount, kTerm, kRate, kPurpose, kProfile, kService, kPolicy };
inline constexpr int kFactorCount = 8;
std::string_view ToString(Factor factor);

/// Active feature indices of one enterprise + demand (bias first). At most kMaxFeatures; extra tags are dropped.
struct FeatureList {
    static constexpr int kMaxFeatures = 40;
    std::array<std::uint16_t, kMaxFeatures> index{};
    int size = 0;
    void Add(int i) { if (i >= 0 && size < kMaxFeatures) index[size++] = static_cast<std::uint16_t>(i); }
};

/// Factor values, their weighted contributions and the total, for one (enterprise, demand, product).
struct ScoreBreakdown {
    std::array<double, kFactorCount> value{};
    std::array<double, kFactorCount> contribution{};
    double logit = 0;
    double score = 0;
};

class ScoringModel {
public:
    /// Parses a model file (format in README.md). Fails with invalid_argument on a malformed file.
    static Result<ScoringModel> FromJson(std::string_view text);
    /// The model shipped in data/matching-model-v1.json (embedded in the binary).
    static const ScoringModel& Default();
    /// Serialises the whole model (same format FromJson reads).
    std::string ToJson() const;

    int version() const { return version_; }
    void set_version(int v) { version_ = v; }
    double weight(Factor f) const { return factor_weights_[static_cast<int>(f)]; }
    int feature_count() const { return static_cast<int>(feature_names_.size()); }
    const std::vector<std::string>& feature_names() const { return feature_names_; }
    int FeatureIndex(std::string_view name) const;

    /// Column of an institution's learned row; the global column for an institution without one.
    int Column(long long institution_id) const;
    int global_column() const { return static_cast<int>(institution_ids_.size()); }
    const double* Row(int column) const { return weights_.data() + static_cast<size_t>(column) * feature_count(); }
    const std::vector<long long>& trained_institutions() const { return institution_ids_; }
    /// Replaces the global row and the institutions' rows (training). Each row has feature_count() weights.
    void SetRows(std::vector<double> global, std::vector<long long> institution_ids, const std::vector<std::vector<double>>& rows);

    /// Bias and enterprise features (class, size, grade, years, district, stage, tags, directories).
    void AppendEnterpriseFeatures(const Enterprise& e, FeatureList& out) const;
    /// Demand features (amount and term buckets, purpose, guarantee, collateral).
    void AppendDemandFeatures(const Demand& d, FeatureList& out) const;
    FeatureList Features(const Enterprise& e, const Demand& d) const;
    double Logit(int column, const FeatureList& features) const;
    /// Logit of every column at once (out[c] == Logit(c, features), same summation order), feature-major and
    /// sequential: cheaper than Logit per column when many institutions are involved.
    void AllLogits(const FeatureList& features, std::vector<double>& out) const;

    // Factors, each in [0, 1]. Exposed so the index computes exactly what the reference Score computes.
    double AmountFit(long long amount_fen, long long min_fen, long long max_fen) const;
    /// AmountFit on LnFen values (the index keeps them precomputed).
    double AmountFitLogs(double ln_amount, double ln_min, double ln_max) const;
    static double LnFen(long long fen);
    double TermFit(int term, int min_months, int max_months, bool equity) const;
    double RateFit(int rate_min_bp, const Demand& d, bool equity) const;
    double PurposeFit(Purpose purpose, ProductKind kind) const { return affinity_[static_cast<int>(purpose)][static_cast<int>(kind)]; }
    double ProfileScore(const Enterprise& e) const;
    double ServiceScore(const Institution& i) const;
    double PolicyScore(const Product& p) const;
    /// Fills contributions and the total from values.
    void Combine(ScoreBreakdown& b) const;

private:
    void BuildFeatures();

    int version_ = 0;
    std::string description_;
    std::array<double, kFactorCount> factor_weights_{};
    double ref_rate_bp_ = 450, rate_span_bp_ = 300;
    double accept_hours_scale_ = 24, decide_days_scale_ = 7;
    double profile_grade_ = 0.6, profile_tags_ = 0.2, profile_dirs_ = 0.2;
    std::vector<std::string> priority_tags_;
    std::unordered_map<std::string, double> policy_values_;
    double policy_default_ = 0.5;
    std::array<std::array<double, kProductKindCount>, kPurposeCount> affinity_{};
    std::vector<std::string> classes_, districts_, tags_, directories_;  // vocabulary
    std::vector<std::string> feature_names_;
    std::unordered_map<std::string, int> feature_index_;
    std::unordered_map<std::string, int> class_f_, district_f_, tag_f_, dir_f_;
    std::array<int, kSizeCount> size_f_{};
    std::array<int, kGradeCount> grade_f_{};
    std::array<int, kStageCount> stage_f_{};
    std::array<int, kPurposeCount> purpose_f_{};
    std::array<int, 4> years_f_{}, term_f_{};
    std::array<int, 5> amount_f_{};
    int guarantee_fund_f_ = -1, guarantee_other_f_ = -1, collateral_f_ = -1;
    std::vector<long long> institution_ids_;
    std::unordered_map<long long, int> column_of_;
    std::vector<double> weights_;    // (institutions + global) × features, row-major
    std::vector<double> weights_t_;  // features × (institutions + global), the transpose
    friend class ModelJson;
};

/// Reference scoring of one candidate (no index): used by tests, the bare-scan benchmark and as the definition.
ScoreBreakdown Score(const ScoringModel& model, const Enterprise& e, const Demand& d, const Product& p,
                     const Institution& institution);

inline double Sigmoid(double x) { return 1.0 / (1.0 + __builtin_exp(-x)); }

}  // namespace chanrong::matching

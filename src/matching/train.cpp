#include "matching/train.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace chanrong::matching {
namespace json = boost::json;
namespace {

using Sample = const DecisionSample*;

// Solves H x = g in place (H symmetric positive definite, n × n) by Cholesky.
void Solve(std::vector<double>& h, std::vector<double>& g, int n) {
    for (int j = 0; j < n; ++j) {
        double d = h[j * n + j];
        for (int k = 0; k < j; ++k) d -= h[j * n + k] * h[j * n + k];
        d = std::sqrt(std::max(d, 1e-12));
        h[j * n + j] = d;
        for (int i = j + 1; i < n; ++i) {
            double s = h[i * n + j];
            for (int k = 0; k < j; ++k) s -= h[i * n + k] * h[j * n + k];
            h[i * n + j] = s / d;
        }
    }
    for (int i = 0; i < n; ++i) {
        double s = g[i];
        for (int k = 0; k < i; ++k) s -= h[i * n + k] * g[k];
        g[i] = s / h[i * n + i];
    }
    for (int i = n - 1; i >= 0; --i) {
        double s = g[i];
        for (int k = i + 1; k < n; ++k) s -= h[k * n + i] * g[k];
        g[i] = s / h[i * n + i];
    }
}

double Dot(const std::vector<double>& w, const FeatureList& f) {
    double z = 0;
    for (int i = 0; i < f.size; ++i) z += w[f.index[i]];
    return z;
}

// Newton's method for Σ logloss + λ/2 ‖w − prior‖², starting at the prior.
std::vector<double> Fit(const std::vector<Sample>& samples, const std::vector<double>& prior, double lambda, int iterations) {
    const int n = static_cast<int>(prior.size());
    std::vector<double> w = prior, h(static_cast<size_t>(n) * n), g(n);
    for (int it = 0; it < iterations; ++it) {
        std::fill(h.begin(), h.end(), 0.0);
        for (int j = 0; j < n; ++j) {
            h[j * n + j] = lambda;
            g[j] = lambda * (w[j] - prior[j]);
        }
        for (Sample s : samples) {
            const double p = Sigmoid(Dot(w, s->features));
            const double r = p - (s->approved ? 1.0 : 0.0), c = std::max(p * (1 - p), 1e-9);
            const FeatureList& f = s->features;
            for (int a = 0; a < f.size; ++a) {
                g[f.index[a]] += r;
                for (int b = 0; b < f.size; ++b) h[f.index[a] * n + f.index[b]] += c;
            }
        }
        Solve(h, g, n);
        for (int j = 0; j < n; ++j) w[j] -= g[j];
    }
    return w;
}

template <class ProbabilityFn>
TrainMetrics Evaluate(const std::vector<Sample>& holdout, ProbabilityFn probability) {
    TrainMetrics m;
    m.samples = holdout.size();
    std::vector<double> scores;
    std::vector<bool> labels;
    for (Sample s : holdout) {
        const double p = std::clamp(probability(*s), 1e-12, 1 - 1e-12);
        m.log_loss -= s->approved ? std::log(p) : std::log(1 - p);
        scores.push_back(p);
        labels.push_back(s->approved);
    }
    if (!holdout.empty()) m.log_loss /= static_cast<double>(holdout.size());
    m.auc = Auc(scores, labels);
    return m;
}

json::object MetricsJson(const TrainMetrics& m) {
    return {{"samples", m.samples}, {"log_loss", m.log_loss}, {"auc", m.auc}};
}

}  // namespace

double Auc(const std::vector<double>& scores, const std::vector<bool>& labels) {
    std::vector<size_t> order(scores.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
    double rank_sum = 0, positives = 0;
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j < order.size() && scores[order[j]] == scores[order[i]]) ++j;
        const double rank = (static_cast<double>(i) + static_cast<double>(j) + 1) / 2;  // 1-based average rank
        for (size_t k = i; k < j; ++k)
            if (labels[order[k]]) rank_sum += rank, positives += 1;
        i = j;
    }
    const double negatives = static_cast<double>(scores.size()) - positives;
    if (positives == 0 || negatives == 0) return 0.5;
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

Result<TrainResult> TrainModel(const ScoringModel& base, std::span<const DecisionSample> samples, const TrainOptions& o) {
    if (samples.empty()) return Fail(Error::InvalidArgument("没有可训练的审批记录"));
    const int nf = base.feature_count();
    std::vector<Sample> train, holdout;
    std::map<long long, std::vector<Sample>> by_institution;
    std::map<long long, std::pair<int, int>> counts;  // institution → (train samples, approved)
    for (size_t i = 0; i < samples.size(); ++i) {
        for (int k = 0; k < samples[i].features.size; ++k)
            if (samples[i].features.index[k] >= nf) return Fail(Error::InvalidArgument("样本特征与模型不一致"));
        if (o.holdout_every > 1 && i % o.holdout_every == 0) {
            holdout.push_back(&samples[i]);
            continue;
        }
        train.push_back(&samples[i]);
        by_institution[samples[i].institution_id].push_back(&samples[i]);
        auto& c = counts[samples[i].institution_id];
        c.first += 1;
        c.second += samples[i].approved;
    }
    const double* base_global = base.Row(base.global_column());
    const std::vector<double> prior(base_global, base_global + nf);
    const std::vector<double> global = Fit(train, prior, o.global_prior_strength, o.iterations);
    std::vector<long long> ids;
    std::vector<std::vector<double>> rows;
    for (const auto& [id, list] : by_institution) {
        ids.push_back(id);
        rows.push_back(Fit(list, global, o.institution_prior_strength, o.iterations));
    }
    TrainResult out{base, {}, {}, {}, {}, {}};
    out.model.set_version(base.version() + 1);
    out.model.SetRows(global, ids, rows);
    out.before = Evaluate(holdout, [&](const DecisionSample& s) { return Sigmoid(base.Logit(base.Column(s.institution_id), s.features)); });
    out.global_only = Evaluate(holdout, [&](const DecisionSample& s) { return Sigmoid(Dot(global, s.features)); });
    out.after = Evaluate(holdout, [&](const DecisionSample& s) {
        return Sigmoid(out.model.Logit(out.model.Column(s.institution_id), s.features));
    });
    out.model_json = out.model.ToJson();
    json::array institutions;
    int thin = 0;
    for (const auto& [id, c] : counts) {
        institutions.push_back({{"institution_id", id}, {"train_samples", c.first}, {"approved", c.second}});
        thin += c.first < 30;
    }
    json::object report{{"version", out.model.version()}, {"base_version", base.version()},
                        {"train_samples", train.size()}, {"holdout_samples", holdout.size()},
                        {"options", {{"global_prior_strength", o.global_prior_strength},
                                     {"institution_prior_strength", o.institution_prior_strength},
                                     {"iterations", o.iterations}, {"holdout_every", o.holdout_every}}},
                        {"holdout", {{"before", MetricsJson(out.before)}, {"global_only", MetricsJson(out.global_only)},
                                     {"after", MetricsJson(out.after)}}},
                        {"institutions_trained", ids.size()}, {"institutions_under_30_samples", thin},
                        {"institutions", std::move(institutions)}};
    out.report_json = json::serialize(report);
    return out;
}

}  // namespace chanrong::matching

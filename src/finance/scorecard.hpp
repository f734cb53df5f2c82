#pragma once
// The institution scorecard (transparency): how fast and how often each institution, and each product, serves
// the enterprises that come to it. Pure: takes plain rows, returns plain figures.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace chanrong::finance {

/// One application as the scorecard needs it; times are epoch milliseconds, absent when the step did not happen.
struct ScoredApplication {
    long long institution_id = 0;
    std::string institution_name;
    std::optional<long long> product_id;
    std::string product_name;
    std::string status;
    long long submitted_at = 0;
    std::optional<long long> accepted_at, contacted_at, docs_complete_at, decided_at, disbursed_at;
    long long disbursed_fen = 0;  ///< loan amount when disbursed
};

/// Median and 90th percentile in hours (nearest-rank), or nullopt with no observations.
struct Durations {
    std::optional<double> median_hours, p90_hours;
    long long count = 0;
};

struct Scorecard {
    long long key = 0;  ///< institution id or product id
    std::string name;
    long long leads = 0, accepted = 0, decided = 0, approved = 0, disbursed = 0;
    long long disbursed_fen = 0;
    std::optional<double> approval_rate;  ///< approved or disbursed ÷ decided
    Durations to_accept, to_contact, to_decide, to_disburse;
};

/// Nearest-rank percentile (0 < p ≤ 100) of `values` in milliseconds, as hours.
std::optional<double> PercentileHours(std::vector<long long> values, int p);

/// One scorecard per institution, and one per product, sorted by name.
std::vector<Scorecard> ScoreByInstitution(const std::vector<ScoredApplication>& applications);
std::vector<Scorecard> ScoreByProduct(const std::vector<ScoredApplication>& applications);

}  // namespace chanrong::finance

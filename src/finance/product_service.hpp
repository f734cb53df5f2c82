#pragma once
// Financial products published by institutions: kind, amount/term/rate ranges (fixed, or a spread over the LPR
// in force), eligibility rules, monthly capacity, validity window and policy links; draft → (review) →
// published → suspended → withdrawn.

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "audit/command_pipeline.hpp"
#include "auth/principal.hpp"
#include "common/clock.hpp"
#include "common/config.hpp"
#include "storage/database.hpp"

namespace chanrong::finance {

struct ProductInput {
    std::optional<std::string> name;
    std::optional<std::string> kind;
    std::optional<std::string> description;
    std::optional<long long> amount_min_fen, amount_max_fen;
    std::optional<long long> term_min_months, term_max_months;
    std::optional<std::string> rate_mode;  ///< "fixed" (rates are annual rates) or "lpr_spread" (spreads over LPR)
    std::optional<long long> rate_min_bp, rate_max_bp;
    std::optional<std::string> eligibility;   ///< JSON object, see ValidateEligibility
    std::optional<long long> monthly_capacity;
    std::optional<std::string> valid_from, valid_to;
    std::optional<std::string> policy_links;  ///< JSON array of {title, url, note}
};

struct ProductFilter {
    std::optional<std::string> q;
    std::optional<std::string> kind;
    std::optional<long long> institution_id;
    std::optional<std::string> status;  ///< default: published only, unless the viewer owns the products
    long long offset = 0, limit = 20;
};

/// Checks an eligibility object: keys classes446, industry_prefixes, districts, sizes, tags, directories (string
/// arrays), min_credit_grade (AAA…C), min_years (integer), collateral_required, guarantee_required (booleans).
std::vector<FieldError> ValidateEligibility(const boost::json::value& eligibility);

/// The one-year (term ≤ 60 months) or five-year LPR in force on `date`, in basis points.
int LprOn(soci::session& session, const std::string& date, int term_months);

class ProductService {
public:
    ProductService(storage::Database& db, const Clock& clock, audit::CommandPipeline& pipeline,
                   const FinanceConfig& config)
        : db_(db), clock_(clock), pipeline_(pipeline), config_(config) {}

    Result<boost::json::object> List(const auth::Principal& viewer, const ProductFilter& filter);
    Result<boost::json::object> Get(const auth::Principal& viewer, long long id);
    Result<audit::Outcome> Create(const auth::Principal& viewer, const audit::Actor& actor, const ProductInput& input,
                                  const audit::Command& command);
    Result<audit::Outcome> Update(const auth::Principal& viewer, const audit::Actor& actor, long long id,
                                  const ProductInput& input, long long version, const audit::Command& command);
    /// action: publish | approve | suspend | resume | withdraw.
    Result<audit::Outcome> ChangeStatus(const auth::Principal& viewer, const audit::Actor& actor, long long id,
                                        const std::string& action, const audit::Command& command);

private:
    storage::Database& db_;
    const Clock& clock_;
    audit::CommandPipeline& pipeline_;
    const FinanceConfig& config_;
};

}  // namespace chanrong::finance

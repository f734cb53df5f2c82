#pragma once
// From an enterprise's credit records (public credit data shared by the city's departments) and its profile
// to the named inputs of the scorecard. Pure: plain structs in, ScoreInputs out.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "credit/scorecard.hpp"

namespace chanrong::credit {

/// One credit record as stored (credit_records). Dates are YYYY-MM-DD.
struct CreditRecord {
    long long id = 0;
    std::string type;         ///< a record type code (credit_record_types), e.g. "tax_grade"
    std::string occurred_on;  ///< the date the fact refers to (judgment date, year-end of tax paid …)
    std::string valid_until;  ///< empty when open-ended; the record stops counting on this date
    std::string status = "active";  ///< active | closed (settled, still history) | removed (repaired, never counts)
    std::string value_text;         ///< grade, severity or rating
    std::optional<long long> amount_fen;
    std::optional<long long> quantity;  ///< headcount, number of patents …
};

/// How long each record type counts for the score, in months after it occurred (0 = while valid).
using CountingMonths = std::map<std::string, int>;

/// The enterprise facts the scorecard reads besides its records.
struct EnterpriseBasics {
    std::string founded_on;
    std::optional<long long> total_assets_fen;     ///< latest yearly figures
    std::optional<long long> liabilities_fen;
};

/// True when `record` counts on `as_of`: not removed, already occurred, not past valid_until nor its
/// counting period.
bool RecordCounts(const CreditRecord& record, int counting_months, const std::string& as_of);

struct BuiltInputs {
    ScoreInputs inputs;
    std::vector<long long> record_ids;  ///< the records that fed a feature or a red flag
};

/// The scorecard inputs of one enterprise on `as_of` (see the module README for each feature's rule).
BuiltInputs BuildScoreInputs(const std::vector<CreditRecord>& records, const CountingMonths& counting,
                             const EnterpriseBasics& basics, const std::string& as_of);

/// "2026-02-28" + 12 months → "2027-02-28"; the day is kept (string order stays correct for comparisons).
std::string AddMonths(const std::string& date, int months);

}  // namespace chanrong::credit

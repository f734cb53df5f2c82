#pragma once
// Metrics: the named computations over platform data an indicator can point at ("financings_amount",
// "loans_to_directory_amount:tech_pilot", "directory_size:green_enterprise" …), and the breakdown dimensions.
// A metric is either a flow (events on days: enrolments, disbursements — summed over a window) or a stock
// (a level on a day: balances, directory sizes).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace chanrong::kpi {

enum class Metric {
    kEnterprisesEnrolled,       ///< flow, count: enterprises by enrolled_on
    kInstitutionsEnrolled,      ///< flow, count: institutions by enrolled_on
    kFinancingsCount,           ///< flow, count: loans disbursed
    kFinancingsAmount,          ///< flow, fen: amount disbursed
    kFirstLoanEnterprises,      ///< flow, count: first loans to small/micro borrowers (one per enterprise by rule)
    kFirstLoanAmount,           ///< flow, fen: amount of those first loans
    kLoansToDirectoryCount,     ///< flow, count: loans to members of directory :code on the disbursement day
    kLoansToDirectoryAmount,    ///< flow, fen
    kManufacturingLoanAmount,   ///< flow, fen: is_mfg_borrower loans disbursed
    kGreenLoanAmount,           ///< flow, fen: is_green loans disbursed
    kTechLoanAmount,            ///< flow, fen: is_tech loans disbursed (科技信贷)
    kLoanBalance,               ///< stock, fen: all loans outstanding
    kManufacturingLoanBalance,  ///< stock, fen: is_mfg_borrower
    kMidLongMfgBalance,         ///< stock, fen: is_mfg_borrower and is_mid_long
    kZjtxLoanBalance,           ///< stock, fen: borrower tagged 专精特新 on the disbursement day
    kGreenLoanBalance,          ///< stock, fen: is_green
    kTechLoanBalance,           ///< stock, fen: is_tech
    kEventsHeld,                ///< flow, count: matchmaking events by held_on
    kEventFinancingAmount,      ///< flow, fen: financing achieved at those events
    kDirectorySize,             ///< stock, count: members of directory :code on the day
};

enum class ValueType { kCount, kMoneyFen, kPartsPerMillion };

/// Breakdown dimensions. kTotal is "no breakdown".
enum class Dimension { kTotal, kClass446, kDistrict, kInstitutionKind, kDirectory };

/// "total", "class446", "district", "institution_kind", "directory".
std::string_view DimensionName(Dimension dimension);
std::optional<Dimension> ParseDimension(std::string_view name);

/// A parsed metric reference: the metric and, for the parameterised ones, the directory code.
struct MetricRef {
    Metric metric = Metric::kFinancingsCount;
    std::string directory;
    friend bool operator==(const MetricRef&, const MetricRef&) = default;
};

struct MetricInfo {
    Metric metric;
    std::string_view name;
    bool flow;  ///< flow (summed over a window) or stock (level on a day)
    ValueType value_type;
    bool needs_directory;               ///< written "name:<directory code>"
    std::vector<Dimension> breakdowns;  ///< dimensions the data allows
};

const MetricInfo& InfoOf(Metric metric);

/// Parses "financings_amount" or "directory_size:white_list"; invalid_argument naming the text otherwise.
Result<MetricRef> ParseMetric(std::string_view text);

/// Inverse of ParseMetric.
std::string MetricText(const MetricRef& ref);

}  // namespace chanrong::kpi

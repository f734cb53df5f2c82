#include "kpi/metric.hpp"

#include <array>

namespace chanrong::kpi {
namespace {

using D = Dimension;
const std::vector<Dimension> kLoanDims = {D::kClass446, D::kDistrict, D::kInstitutionKind, D::kDirectory};
const std::vector<Dimension> kEnterpriseDims = {D::kClass446, D::kDistrict};
const std::vector<Dimension> kInstitutionDims = {D::kInstitutionKind, D::kDistrict};

const std::vector<MetricInfo>& Infos() {
    static const std::vector<MetricInfo> infos = {
        {Metric::kEnterprisesEnrolled, "enterprises_enrolled", true, ValueType::kCount, false, kEnterpriseDims},
        {Metric::kInstitutionsEnrolled, "institutions_enrolled", true, ValueType::kCount, false, kInstitutionDims},
        {Metric::kFinancingsCount, "financings_count", true, ValueType::kCount, false, kLoanDims},
        {Metric::kFinancingsAmount, "financings_amount", true, ValueType::kMoneyFen, false, kLoanDims},
        {Metric::kFirstLoanEnterprises, "first_loan_enterprises", true, ValueType::kCount, false, kLoanDims},
        {Metric::kFirstLoanAmount, "first_loan_amount", true, ValueType::kMoneyFen, false, kLoanDims},
        {Metric::kLoansToDirectoryCount, "loans_to_directory_count", true, ValueType::kCount, true, {}},
        {Metric::kLoansToDirectoryAmount, "loans_to_directory_amount", true, ValueType::kMoneyFen, true, {}},
        {Metric::kManufacturingLoanAmount, "manufacturing_loan_amount", true, ValueType::kMoneyFen, false, kLoanDims},
        {Metric::kGreenLoanAmount, "green_loan_amount", true, ValueType::kMoneyFen, false, kLoanDims},
        {Metric::kTechLoanAmount, "tech_loan_amount", true, ValueType::kMoneyFen, false, kLoanDims},
        {Metric::kLoanBalance, "loan_balance", false, ValueType::kMoneyFen, false, kLoanDims},
        {Metric::kManufacturingLoanBalance, "manufacturing_loan_balance", false, ValueType::kMoneyFen, false,
         kLoanDims},
        {Metric::kMidLongMfgBalance, "mid_long_mfg_balance", false, ValueType::kMoneyFen, false, kLoanDims},
        {Metric::kZjtxLoanBalance, "zjtx_loan_balance", false, ValueType::kMoneyFen, false, kLoanDims},
        {Metric::kGreenLoanBalance, "green_loan_balance", false, ValueType::kMoneyFen, false, kLoanDims},
        {Metric::kTechLoanBalance, "tech_loan_balance", false, ValueType::kMoneyFen, false, kLoanDims},
        {Metric::kEventsHeld, "events_held", true, ValueType::kCount, false, {}},
        {Metric::kEventFinancingAmount, "event_financing_amount", true, ValueType::kMoneyFen, false, {}},
        {Metric::kDirectorySize, "directory_size", false, ValueType::kCount, true, kEnterpriseDims},
    };
    return infos;
}

constexpr std::array<std::string_view, 5> kDimensionNames = {"total", "class446", "district", "institution_kind",
                                                             "directory"};

}  // namespace

std::string_view DimensionName(Dimension dimension) {
    return kDimensionNames[static_cast<int>(dimension)];
}

std::optional<Dimension> ParseDimension(std::string_view name) {
    for (size_t i = 0; i < kDimensionNames.size(); ++i)
        if (kDimensionNames[i] == name) return static_cast<Dimension>(i);
    return std::nullopt;
}

const MetricInfo& InfoOf(Metric metric) {
    return Infos()[static_cast<size_t>(metric)];
}

Result<MetricRef> ParseMetric(std::string_view text) {
    const auto colon = text.find(':');
    const std::string_view name = text.substr(0, colon);
    const std::string_view argument = colon == std::string_view::npos ? "" : text.substr(colon + 1);
    for (const auto& info : Infos()) {
        if (info.name != name) continue;
        if (info.needs_directory == argument.empty())
            return Fail(Error::Field("metric", "invalid",
                                     "指标口径 " + std::string(text) +
                                         (info.needs_directory ? " 需写明名录代码（name:code）" : " 不带名录代码")));
        return MetricRef{info.metric, std::string(argument)};
    }
    return Fail(Error::Field("metric", "unknown", "未知的指标口径: " + std::string(text)));
}

std::string MetricText(const MetricRef& ref) {
    std::string text(InfoOf(ref.metric).name);
    if (!ref.directory.empty()) text += ":" + ref.directory;
    return text;
}

}  // namespace chanrong::kpi

// The demo city's public credit data: one load from the data-sharing exchange covering every demo enterprise
// (tax grade and tax paid, social insurance, and for a few of them arrears, a court case, a listing in the
// abnormal-operation directory or as a dishonest judgment debtor), scored on load.

#include <boost/json.hpp>
#include <soci/soci.h>

#include "credit/credit_load.hpp"
#include "demo/demo_city.hpp"

namespace chanrong::demo {
namespace {

using Row = std::vector<std::string>;

// uscc, type, occurred_on, valid_until, status, value, amount (元), quantity, external_ref, detail
Row Record(const std::string& uscc, const char* type, const char* on, const char* value, const char* amount,
           const char* quantity, const std::string& ref, const char* detail = "") {
    return {uscc, type, on, "", "active", value, amount, quantity, ref, detail};
}

std::vector<Row> EnterpriseRecords(const std::string& uscc, size_t index) {
    const char* grades[] = {"A", "A", "B", "A", "M", "B", "A", "B", "A", "A", "B", "C", "M", "A", "B", "B", "A", "A", "B", "A"};
    const std::string ref = "DEMO-" + std::to_string(index) + "-";
    std::vector<Row> rows = {
        Record(uscc, "tax_grade", "2025-12-31", grades[index % 20], "", "", ref + "TAXG", "2025年度纳税信用评价"),
        Record(uscc, "tax_paid", "2025-12-31", "", index % 4 == 0 ? "3200000.00" : "450000.00", "", ref + "TAXP"),
        Record(uscc, "social_insurance", "2026-09-30", "", "", index % 5 == 0 ? "260" : "35", ref + "SI"),
        Record(uscc, "patent", "2024-06-30", "", "", std::to_string(index % 7).c_str(), ref + "IP")};
    if (index % 6 == 5) rows.push_back(Record(uscc, "utility_arrears", "2026-08-31", "", "18000.00", "", ref + "UA", "电费欠缴"));
    if (index == 7) rows.push_back(Record(uscc, "court_judgment", "2025-09-15", "", "860000.00", "", ref + "COURT", "买卖合同纠纷（被告）"));
    if (index == 11) rows.push_back(Record(uscc, "abnormal_operation", "2026-03-01", "", "", "", ref + "ABN", "未按时报送年报"));
    if (index == 12) rows.push_back(Record(uscc, "dishonest_debtor", "2026-05-20", "", "", "", ref + "DD", "未履行生效判决"));
    if (index % 4 == 1) rows.push_back(Record(uscc, "customs_rating", "2025-12-31", "advanced", "", "", ref + "CUS", "海关高级认证企业"));
    return rows;
}

}  // namespace

Status SeedCredit(auth::AuthContext ctx, const std::vector<long long>& enterprises) {
    std::vector<Row> rows = {{"统一社会信用代码", "记录类型", "发生日期", "有效期至", "状态", "等级或程度", "金额(元)",
                              "数量", "外部编号", "说明"}};
    auto usccs = ctx.db.Read([&](soci::session& s) -> Result<std::vector<std::string>> {
        std::vector<std::string> out;
        for (long long id : enterprises) {
            std::string uscc;
            s << "SELECT uscc FROM enterprises WHERE id = :id", soci::use(id), soci::into(uscc);
            out.push_back(uscc);
        }
        return out;
    });
    if (!usccs) return Fail(usccs.error());
    for (size_t i = 0; i < usccs->size(); ++i)
        for (auto& row : EnterpriseRecords((*usccs)[i], i)) rows.push_back(std::move(row));
    credit::ScorecardModels models;
    credit::CreditLoader loader(ctx.db, ctx.clock, ctx.pipeline, models);
    auto report = loader.Load(audit::Actor::System("seed-demo"), {"xm-credit-exchange", "demo-credit.json", false, true},
                              std::move(rows), {}, "json");
    if (!report) return Fail(report.error());
    if (report->at("rejected_rows").as_int64() > 0)
        return Fail(Error::Internal("演示信用数据有被拒绝的行：" + boost::json::serialize(report->at("problems"))));
    return {};
}

}  // namespace chanrong::demo

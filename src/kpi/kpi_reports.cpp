// The annual pilot report and the monthly key-industry tracking table, as tables for XLSX and printable HTML.

#include <soci/soci.h>

#include <map>

#include "common/time_format.hpp"
#include "kpi/calendar.hpp"
#include "kpi/kpi_service_internal.hpp"

namespace chanrong::kpi {
namespace {

std::string StatusText(TargetStatus status) {
    switch (status) {
        case TargetStatus::kMet: return "已完成";
        case TargetStatus::kOnTrack: return "按进度";
        case TargetStatus::kAtRisk: return "有风险";
        case TargetStatus::kBehind: return "滞后";
        case TargetStatus::kMissed: return "未完成";
        default: return "无数据";
    }
}

std::string Join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : "、") + i;
    return out;
}

std::string Escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

std::map<std::string, std::string> Commentaries(soci::session& s) {
    std::map<std::string, std::string> out;
    std::string id, text;
    soci::statement st = (s.prepare << "SELECT id, commentary FROM kpi_targets", soci::into(id), soci::into(text));
    st.execute();
    while (st.fetch()) out[id] = text;
    return out;
}

}  // namespace

std::string ReportHtml(const ReportTable& table) {
    std::string html = "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" + Escape(table.title) +
                       "</title><style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:24px;color:#222}"
                       "h1{font-size:20px;margin:0 0 4px}p{color:#666;margin:0 0 16px}table{border-collapse:collapse;width:100%;"
                       "font-size:12px}th,td{border:1px solid #999;padding:4px 6px;vertical-align:top}th{background:#eef2f7}"
                       "@media print{body{margin:0}th{-webkit-print-color-adjust:exact}}</style></head><body><h1>" +
                       Escape(table.title) + "</h1><p>" + Escape(table.subtitle) + "</p><table><thead><tr>";
    for (const auto& h : table.header) html += "<th>" + Escape(h) + "</th>";
    html += "</tr></thead><tbody>";
    for (const auto& row : table.rows) {
        html += "<tr>";
        for (const auto& cell : row) html += "<td>" + Escape(cell) + "</td>";
        html += "</tr>";
    }
    return html + "</tbody></table></body></html>\n";
}

Result<ReportTable> KpiService::AnnualReport(int year) {
    if (year < 2015 || year > 2035) return Fail(Error::Field("year", "out_of_range", "年份应在 2015–2035 之间"));
    const int as_of = std::min(YearEnd(year), DayOf(TodayIso(clock_)));
    auto commentary = db_.Read([&](soci::session& s) -> Result<std::map<std::string, std::string>> { return Commentaries(s); });
    if (!commentary) return Fail(commentary.error());
    ReportTable table{"厦门市产融合作试点 " + std::to_string(year) + " 年度报告",
                      "数据截至 " + IsoDay(as_of) + "；平台计算指标取自平台数据，填报指标取自责任单位填报并经复核的数值。",
                      {"编号", "目标年度", "领域", "指标", "目标", "截至值", "预计到期值", "状态", "责任单位", "来源条款", "评述"},
                      {}};
    auto done = WithEngine([&](const Engine& e) -> Status {
        for (const Target& t : e.catalogue.targets) {
            const TargetProgress p = e.cockpit->Assess(t, as_of);
            const ValueType type = p.indicator->value_type;
            const std::string unit = type == ValueType::kMoneyFen ? "元" : p.indicator->unit_zh;
            table.rows.push_back({t.id, std::to_string(t.year), t.area_zh, p.indicator->name_zh,
                                  std::string(ComparatorText(t.comparator)) + " " + DisplayValue(type, t.value) + " " + unit,
                                  DisplayValue(type, p.progress.current), DisplayValue(type, p.progress.projected),
                                  StatusText(p.progress.status), Join(t.responsible_units), t.source_clause,
                                  (*commentary)[t.id]});
        }
        return {};
    });
    if (!done) return Fail(done.error());
    return table;
}

Result<ReportTable> KpiService::MonthlyTracking(const std::string& month) {
    const auto period = ParsePeriod(month);
    if (!period) return Fail(Error::Field("month", "invalid", "月份格式应为 YYYY-MM"));
    const int today = DayOf(TodayIso(clock_));
    if (*period > today / 100) return Fail(Error::Field("month", "in_future", "该月份尚未开始"));
    const int as_of = std::min(MonthEnd(*period), today), first = *period * 100 + 1;
    ReportTable table{"重点产业金融支持月度跟踪表（" + month + "）", "按“4+4+6”现代化产业体系分类；数据截至 " + IsoDay(as_of),
                      {"产业分类", "入驻企业（累计）", "本月融资笔数", "本月融资额（元）", "累计融资额（元）", "贷款余额（元）",
                       "制造业贷款余额（元）", "绿色贷款余额（元）"},
                      {}};
    auto done = WithEngine([&](const Engine& e) -> Status {
        const KpiStore& store = *e.store;
        auto bind = [&](Metric m) { return *store.Bind({m, ""}); };
        const BoundMetric enrolled = bind(Metric::kEnterprisesEnrolled), count = bind(Metric::kFinancingsCount),
                          amount = bind(Metric::kFinancingsAmount), balance = bind(Metric::kLoanBalance),
                          mfg = bind(Metric::kManufacturingLoanBalance), green = bind(Metric::kGreenLoanBalance);
        auto row = [&](const std::string& label, Slot slot) {
            table.rows.push_back({label, std::to_string(store.Flow(enrolled, slot, store.first_day(), as_of)),
                                  std::to_string(store.Flow(count, slot, first, as_of)),
                                  DisplayValue(ValueType::kMoneyFen, store.Flow(amount, slot, first, as_of)),
                                  DisplayValue(ValueType::kMoneyFen, store.Flow(amount, slot, store.first_day(), as_of)),
                                  DisplayValue(ValueType::kMoneyFen, store.Stock(balance, slot, as_of)),
                                  DisplayValue(ValueType::kMoneyFen, store.Stock(mfg, slot, as_of)),
                                  DisplayValue(ValueType::kMoneyFen, store.Stock(green, slot, as_of))});
        };
        const auto& classes = store.dimensions().classes446;
        for (size_t i = 0; i < classes.size(); ++i)
            row(classes[i] + " " + e.DimensionValueName(Dimension::kClass446, classes[i]),
                {Dimension::kClass446, static_cast<std::uint8_t>(i)});
        row("未分类", {Dimension::kClass446, kNone});
        row("合计", {Dimension::kTotal, 0});
        return {};
    });
    if (!done) return Fail(done.error());
    return table;
}

}  // namespace chanrong::kpi

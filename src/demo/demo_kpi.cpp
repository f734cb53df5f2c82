// The demo city's pilot history: loans the banks reported month by month since January 2025 (some partly
// repaid), a few matchmaking events, and figures the responsible units reported and a second officer confirmed,
// so the cockpit has trends, breakdowns and a ranking to show.

#include <soci/soci.h>

#include <cstdio>

#include "common/time_format.hpp"
#include "demo/demo_city.hpp"
#include "finance/loan_service.hpp"
#include "kpi/kpi_service.hpp"

namespace chanrong::demo {
namespace {

std::string Day(int year, int month, int day) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

// Four loans a month from January 2025 up to last month, spread over the banks and the demo enterprises.
Status SeedLoans(auth::AuthContext ctx, const std::vector<long long>& banks, const std::vector<long long>& enterprises) {
    const std::string today = TodayIso(ctx.clock);
    const char* kinds[] = {"credit_loan", "mortgage_loan", "green_loan", "tech_credit", "supply_chain"};
    auto done = ctx.pipeline.Execute(audit::Actor::System("seed-demo"), {.action = "loan.report.demo", .entity = "loan"},
                 [&](soci::session& s) -> Result<audit::Outcome> {
                     int n = 0;
                     for (int year = 2025, month = 1; Day(year, month, 28) < today.substr(0, 8) + "01";) {
                         for (int k = 0; k < 4; ++k, ++n) {
                             finance::LoanRecord loan{.institution_id = banks[n % banks.size()],
                                                      .enterprise_id = enterprises[(n * 7) % enterprises.size()],
                                                      .loan_ref = "DEMO-RPT-" + std::to_string(n), .source = "reported",
                                                      .product_kind = kinds[n % 5],
                                                      .amount_fen = (200 + (n * 137) % 1800) * 1'000'000LL,
                                                      .rate_bp = 300 + (n * 13) % 150, .term_months = n % 3 == 0 ? 36 : 12,
                                                      .disbursed_on = Day(year, month, 5 + 5 * k),
                                                      .has_collateral = kinds[n % 5] == std::string("mortgage_loan"),
                                                      .green_use = kinds[n % 5] == std::string("green_loan")};
                             auto id = finance::InsertLoan(s, loan, ctx.clock.NowMs());
                             if (!id) return Fail(id.error());
                             const std::string repaid_on = Day(month > 6 ? year + 1 : year, (month + 5) % 12 + 1, 20);
                             if (n % 2 == 0 && repaid_on < today)
                                 s << "INSERT INTO repayments (loan_id, paid_on, principal_fen, created_at) VALUES (:l, :p, "
                                      ":a, 0)",
                                     soci::use(*id), soci::use(repaid_on), soci::use(loan.amount_fen / 4);
                         }
                         if (++month > 12) month = 1, ++year;
                     }
                     return audit::Outcome{.entity_id = "demo", .after = "{\"loans\":" + std::to_string(n) + "}"};
                 });
    if (!done) return Fail(done.error());
    return {};
}

Result<audit::Actor> Officer(auth::AuthContext ctx, const std::string& username) {
    return ctx.db.Read([&](soci::session& s) -> Result<audit::Actor> {
        long long id = 0;
        s << "SELECT id FROM users WHERE username = :u", soci::use(username), soci::into(id);
        if (!s.got_data()) return Fail(Error::NotFound("演示用户不存在：" + username));
        return audit::Actor{id, username, "", "seed-demo", nullptr};
    });
}

Status SeedEventsAndReports(auth::AuthContext ctx) {
    kpi::KpiService kpi(ctx.db, ctx.clock, ctx.pipeline);
    const auto system = audit::Actor::System("seed-demo");
    const kpi::EventInput events[] = {
        {"2026 年一季度“4+4+6”产业银企对接会", "2026-03-18", "市发改委", "思明区", "", 86, 21, 1'260'000'000'00},
        {"专精特新企业融资路演", "2026-06-12", "市工信局", "湖里区", "", 40, 15, 480'000'000'00},
        {"绿色金融产融对接专场", "2026-09-09", "市委金融办", "集美区", "", 52, 18, 730'000'000'00}};
    for (const auto& e : events)
        if (auto created = kpi.CreateEvent(system, e, {.action = "kpi.event.create", .entity = "matchmaking_event"}); !created)
            return Fail(created.error());
    auto maker = Officer(ctx, "officer_fgw"), checker = Officer(ctx, "officer_gxj");
    if (!maker) return Fail(maker.error());
    if (!checker) return Fail(checker.error());
    const kpi::ReportInput reports[] = {{"fund_count", "2026-09", 84, "市财政局季度统计", "财政局统计表 2026Q3"},
                                        {"fund_size", "2026-09", 1'380'000'000'000'00, "市财政局季度统计", "财政局统计表 2026Q3"}};
    for (const auto& r : reports) {
        auto filed = kpi.FileReport(*maker, r, {.action = "kpi.report.file", .entity = "kpi_reported"});
        if (!filed) return Fail(filed.error());
        auto confirmed = kpi.ConfirmReport(*checker, std::stoll(filed->entity_id),
                                           {.action = "kpi.report.confirm", .entity = "kpi_reported"});
        if (!confirmed) return Fail(confirmed.error());
    }
    return {};
}

}  // namespace

Status SeedKpi(auth::AuthContext ctx, const std::vector<long long>& institutions, const std::vector<long long>& enterprises) {
    const std::vector<long long> banks(institutions.begin(), institutions.begin() + 5);
    if (auto loans = SeedLoans(ctx, banks, enterprises); !loans) return loans;
    return SeedEventsAndReports(ctx);
}

}  // namespace chanrong::demo

// Pilot targets and KPI: the cockpit, indicators, targets with history and commentary, reported figures with
// their confirmation, monthly snapshots, matchmaking events, and the monthly and annual reports.

#include <boost/json.hpp>

#include "http/api/api_support.hpp"
#include "http/application.hpp"

namespace chanrong::http {
namespace json = boost::json;
namespace {

Response ReportAnswer(const Result<kpi::ReportTable>& table, const std::string& file_name, Request& r) {
    if (!table) return Problem(table.error(), r);
    const std::string format = QueryParam(r, "format").value_or("xlsx");
    Response response;
    if (format == "html") {
        response.body = kpi::ReportHtml(*table);
        response.content_type = "text/html; charset=utf-8";
        return response;
    }
    if (format != "xlsx" && format != "csv") return Problem(Error::Field("format", "invalid", "应为 xlsx、csv 或 html"), r);
    const auto f = format == "csv" ? TableWriter::Format::kCsv : TableWriter::Format::kXlsx;
    TableWriter writer(f, "报告", table->header);
    for (const auto& row : table->rows) writer.Add(row);
    auto bytes = writer.Finish();
    if (!bytes) return Problem(bytes.error(), r);
    response.body = std::move(*bytes);
    response.content_type = TableWriter::ContentType(f);
    response.headers.emplace_back("Content-Disposition",
                                  "attachment; filename=\"" + file_name + "." + TableWriter::Extension(f) + "\"");
    return response;
}

Response UpdateTarget(Services& s, Request& r, bool commentary_only) {
    auto in = commentary_only ? ReadBody(r, {"commentary"}) : ReadBody(r, {"comparator", "target_value", "commentary", "reason"});
    if (!in) return Problem(in.error(), r);
    kpi::TargetUpdate u;
    u.commentary = in->String("commentary", commentary_only, 2000);
    if (!commentary_only) {
        u.comparator = in->Enum("comparator", false, {">=", ">", "~"});
        u.target_value = in->Int("target_value", false, 0);
        u.reason = in->String("reason", false, 500).value_or("");
    }
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    const std::string id = r.path_params.at("id");
    auto command = commentary_only ? MakeCommand(r, "kpi.target.commentary", "kpi_target", "kpi:report", id)
                                   : MakeCommand(r, "kpi.target.update", "kpi_target", "kpi:target", id);
    return command ? OutcomeAnswer(s.kpi.UpdateTarget(ActorOf(r), id, u, *command), r) : Problem(command.error(), r);
}

Response FileReport(Services& s, Request& r) {
    auto in = ReadBody(r, {"indicator_id", "period", "value", "note", "evidence", "corrects_id"});
    if (!in) return Problem(in.error(), r);
    kpi::ReportInput report;
    report.indicator_id = in->String("indicator_id", true, 64, 1).value_or("");
    report.period = in->String("period", true, 7, 7).value_or("");
    report.value = in->Int("value", true, 0).value_or(0);
    report.note = in->String("note", false, 1000).value_or("");
    report.evidence = in->String("evidence", false, 1000).value_or("");
    report.corrects_id = in->Int("corrects_id", false, 1);
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    auto command = MakeCommand(r, "kpi.report.file", "kpi_reported", "kpi:report");
    return command ? OutcomeAnswer(s.kpi.FileReport(ActorOf(r), report, *command), r) : Problem(command.error(), r);
}

Response CreateEvent(Services& s, Request& r) {
    auto in = ReadBody(r, {"title", "held_on", "organiser", "district", "enterprises", "institutions", "financing_fen", "note"});
    if (!in) return Problem(in.error(), r);
    kpi::EventInput e;
    e.title = in->String("title", true, 200, 1).value_or("");
    e.held_on = in->String("held_on", true, 10, 10).value_or("");
    e.organiser = in->String("organiser", true, 100, 1).value_or("");
    e.district = in->String("district", false, 20).value_or("");
    e.enterprises = in->Int("enterprises", false, 0, 100'000).value_or(0);
    e.institutions = in->Int("institutions", false, 0, 10'000).value_or(0);
    e.financing_fen = in->Int("financing_fen", false, 0).value_or(0);
    e.note = in->String("note", false, 1000).value_or("");
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    auto command = MakeCommand(r, "kpi.event.create", "matchmaking_event", "event:write");
    return command ? OutcomeAnswer(s.kpi.CreateEvent(ActorOf(r), e, *command), r) : Problem(command.error(), r);
}

Response Decide(Services& s, Request& r, bool confirm) {
    auto id = PathId(r);
    if (!id) return Problem(id.error(), r);
    auto in = ReadBody(r, confirm ? std::vector<std::string_view>{} : std::vector<std::string_view>{"note"});
    if (!in) return Problem(in.error(), r);
    const std::string note = confirm ? "" : in->String("note", true, 500, 1).value_or("");
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    auto command = MakeCommand(r, confirm ? "kpi.report.confirm" : "kpi.report.reject", "kpi_reported", "kpi:confirm",
                               std::to_string(*id));
    if (!command) return Problem(command.error(), r);
    return OutcomeAnswer(confirm ? s.kpi.ConfirmReport(ActorOf(r), *id, *command)
                                 : s.kpi.RejectReport(ActorOf(r), *id, note, *command),
                         r);
}

void RegisterCockpitAndTargets(Router& router, Services& s) {
    router.Get("/api/v1/kpi/cockpit", "kpi:read", [&s](Request& r) {
        return JsonAnswer(s.kpi.Cockpit(QueryParam(r, "as_of"), QueryParam(r, "ranking")), r);
    });
    router.Get("/api/v1/kpi/indicators", "kpi:read", [&s](Request& r) { return JsonAnswer(s.kpi.Indicators(), r); });
    router.Get("/api/v1/kpi/targets", "kpi:read", [&s](Request& r) {
        auto year = QueryInt(r, "year");
        return year ? JsonAnswer(s.kpi.Targets(*year), r) : Problem(year.error(), r);
    });
    router.Patch("/api/v1/kpi/targets/{id}", "kpi:target", [&s](Request& r) { return UpdateTarget(s, r, false); });
    router.Add({"PUT", "/api/v1/kpi/targets/{id}/commentary", true, "kpi:report",
                [&s](Request& r) { return UpdateTarget(s, r, true); }});
    router.Get("/api/v1/kpi/targets/{id}/history", "kpi:read", [&s](Request& r) {
        return JsonAnswer(s.kpi.TargetHistory(r.path_params.at("id")), r);
    });
}

void RegisterReported(Router& router, Services& s) {
    router.Get("/api/v1/kpi/reported", "kpi:read", [&s](Request& r) {
        auto paging = ParsePaging(r);
        if (!paging) return Problem(paging.error(), r);
        auto status = QueryParam(r, "status");
        if (status && *status != "pending" && *status != "confirmed" && *status != "rejected" && *status != "superseded")
            return Problem(Error::Field("status", "invalid", "应为 pending、confirmed、rejected 或 superseded"), r);
        return JsonAnswer(s.kpi.Reported(QueryParam(r, "indicator_id"), status, paging->offset, paging->limit), r);
    });
    router.Post("/api/v1/kpi/reported", "kpi:report", [&s](Request& r) { return FileReport(s, r); });
    router.Post("/api/v1/kpi/reported/{id}/confirm", "kpi:confirm", [&s](Request& r) { return Decide(s, r, true); });
    router.Post("/api/v1/kpi/reported/{id}/reject", "kpi:confirm", [&s](Request& r) { return Decide(s, r, false); });
}

void RegisterSnapshotsEventsReports(Router& router, Services& s) {
    router.Get("/api/v1/kpi/snapshots", "kpi:read", [&s](Request& r) { return JsonAnswer(s.kpi.Snapshots(QueryParam(r, "period")), r); });
    router.Get("/api/v1/kpi/snapshots/{id}", "kpi:read", [&s](Request& r) {
        auto id = PathId(r);
        return id ? JsonAnswer(s.kpi.Snapshot(*id), r) : Problem(id.error(), r);
    });
    router.Post("/api/v1/kpi/snapshots", "kpi:snapshot", [&s](Request& r) {
        auto in = ReadBody(r, {"period"});
        if (!in) return Problem(in.error(), r);
        const std::string period = in->String("period", true, 7, 7).value_or("");
        if (auto st = in->Finish(); !st) return Problem(st.error(), r);
        auto command = MakeCommand(r, "kpi.snapshot", "kpi_snapshot", "kpi:snapshot");
        return command ? OutcomeAnswer(s.kpi.TakeSnapshot(ActorOf(r), period, *command), r) : Problem(command.error(), r);
    });
    router.Get("/api/v1/kpi/events", "kpi:read", [&s](Request& r) {
        auto year = QueryInt(r, "year");
        return year ? JsonAnswer(s.kpi.Events(*year), r) : Problem(year.error(), r);
    });
    router.Post("/api/v1/kpi/events", "event:write", [&s](Request& r) { return CreateEvent(s, r); });
    router.Get("/api/v1/kpi/reports/annual", "kpi:read", [&s](Request& r) {
        auto year = QueryInt(r, "year");
        if (!year) return Problem(year.error(), r);
        if (!*year) return Problem(Error::Field("year", "required", "请指定年份"), r);
        return ReportAnswer(s.kpi.AnnualReport(static_cast<int>(**year)), "pilot-report-" + std::to_string(**year), r);
    });
    router.Get("/api/v1/kpi/reports/monthly", "kpi:read", [&s](Request& r) {
        const std::string month = QueryParam(r, "month").value_or("");
        return ReportAnswer(s.kpi.MonthlyTracking(month), "key-industry-tracking-" + month, r);
    });
}

}  // namespace

void RegisterKpiRoutes(Router& router, Services& s) {
    RegisterCockpitAndTargets(router, s);
    RegisterReported(router, s);
    RegisterSnapshotsEventsReports(router, s);
}

}  // namespace chanrong::http

// Imports: templates, runs (dry or real, strict or lenient) queued as background jobs or run inline (wait=true),
// a run's phase and progress, history and per-row reports.

#include <boost/json.hpp>

#include "common/json_out.hpp"
#include "http/api/api_support.hpp"
#include "http/application.hpp"

namespace chanrong::http {
namespace {

Result<TableWriter::Format> ReadFormat(const Request& r) {
    const std::string format = QueryParam(r, "format").value_or("xlsx");
    if (format != "xlsx" && format != "csv") return Fail(Error::Field("format", "invalid", "应为 xlsx 或 csv"));
    return format == "csv" ? TableWriter::Format::kCsv : TableWriter::Format::kXlsx;
}

Response File(std::string bytes, TableWriter::Format format, const std::string& name) {
    Response response;
    response.body = std::move(bytes);
    response.content_type = TableWriter::ContentType(format);
    response.headers.emplace_back("Content-Disposition",
                                  "attachment; filename=\"" + name + "." + TableWriter::Extension(format) + "\"");
    return response;
}

Response Run(Services& s, Request& r) {
    auto kind = registry::ParseImportKind(r.path_params.at("kind"));
    if (!kind) return Problem(Error::Field("kind", "invalid", "应为 enterprises、figures、tags 或 directory"), r);
    auto dry = QueryBool(r, "dry_run");
    auto strict = QueryBool(r, "strict");
    auto wait = QueryBool(r, "wait");
    auto directory = QueryInt(r, "directory_id");
    for (const Error* e : {dry ? nullptr : &dry.error(), strict ? nullptr : &strict.error(),
                           wait ? nullptr : &wait.error(), directory ? nullptr : &directory.error()})
        if (e) return Problem(*e, r);
    if (r.body.empty()) return Problem(Error::Field("file", "required", "请上传 CSV 或 XLSX 文件"), r);
    registry::ImportOptions options{*kind, dry->value_or(true), strict->value_or(false), *directory,
                                    QueryParam(r, "file_name").value_or("").substr(0, 200)};
    if (wait->value_or(false)) {  // the synchronous form: validated and applied inside this request
        auto report = s.imports.Run(ActorOf(r), options, r.body);
        if (!report) return Problem(report.error(), r);
        return Response::Json(boost::json::serialize(report->ToJson()));
    }
    auto job = s.import_jobs.Submit(ActorOf(r), options, r.body);
    if (!job) return Problem(job.error(), r);
    Response response = Response::Json(boost::json::serialize(*job), 202);
    response.headers.emplace_back("Location", "/api/v1/imports/" + std::to_string((*job)["id"].as_int64()));
    return response;
}

}  // namespace

void RegisterImportRoutes(Router& router, Services& s) {
    router.Get("/api/v1/imports/templates/{kind}", "import:run", [&s](Request& r) {
        auto kind = registry::ParseImportKind(r.path_params.at("kind"));
        if (!kind) return Problem(Error::Field("kind", "invalid", "应为 enterprises、figures、tags 或 directory"), r);
        auto format = ReadFormat(r);
        if (!format) return Problem(format.error(), r);
        auto bytes = s.imports.Template(*kind, *format);
        return bytes ? File(std::move(*bytes), *format, "template-" + std::string(registry::ImportKindName(*kind)))
                     : Problem(bytes.error(), r);
    });
    router.Add({"POST", "/api/v1/imports/{kind}", true, "import:run", [&s](Request& r) { return Run(s, r); }, true});
    router.Get("/api/v1/imports", "import:run", [&s](Request& r) {
        auto paging = ParsePaging(r);
        return paging ? JsonAnswer(s.imports.List(paging->offset, paging->limit), r) : Problem(paging.error(), r);
    });
    router.Get("/api/v1/imports/export", "import:run", [&s](Request& r) {
        return StreamPages(
            r, "imports", "导入记录",
            {"编号", "类型", "文件", "操作人", "试运行", "严格模式", "已写入", "总行数", "新增", "更新", "未变", "拒绝",
             "待核查", "阶段", "时间"},
            [&s](long long offset, long long limit) { return s.imports.List(offset, limit); },
            [](const boost::json::object& run) -> TableRow {
                auto number = [&](const char* k) { return std::to_string(run.at(k).as_int64()); };
                auto yes = [&](const char* k) { return std::string(run.at(k).as_bool() ? "是" : "否"); };
                return {number("id"),      TextOf(run, "kind"),    TextOf(run, "file_name"), TextOf(run, "user"),
                        yes("dry_run"),    yes("strict"),          yes("applied"),           number("total_rows"),
                        number("created"), number("updated"),      number("unchanged"),      number("rejected_rows"),
                        number("flagged_rows"), TextOf(run, "phase"), TextOf(run, "at")};
            });
    });
    router.Get("/api/v1/imports/{id}", "import:run", [&s](Request& r) {
        auto id = PathId(r);
        return id ? JsonAnswer(s.import_jobs.Get(*id), r) : Problem(id.error(), r);
    });
    router.Get("/api/v1/imports/{id}/report", "import:run", [&s](Request& r) {
        auto id = PathId(r);
        auto format = ReadFormat(r);
        if (!id) return Problem(id.error(), r);
        if (!format) return Problem(format.error(), r);
        auto bytes = s.imports.ReportFile(*id, *format);
        return bytes ? File(std::move(*bytes), *format, "import-report-" + std::to_string(*id)) : Problem(bytes.error(), r);
    });
}

}  // namespace chanrong::http

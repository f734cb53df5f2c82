// Credit profiles: the enterprise's own and officers' view, record types, loads from the data-sharing
// exchange with their quality, scorecard models, replay, monitoring and the white-list candidates.

#include <boost/json.hpp>

#include "http/api/api_support.hpp"
#include "http/application.hpp"

namespace chanrong::http {
namespace json = boost::json;
namespace {

Response Template(Request& r) {
    const std::string format = QueryParam(r, "format").value_or("xlsx");
    if (format != "xlsx" && format != "csv") return Problem(Error::Field("format", "invalid", "应为 xlsx 或 csv"), r);
    const auto f = format == "csv" ? TableWriter::Format::kCsv : TableWriter::Format::kXlsx;
    auto bytes = credit::CreditLoader::Template(f);
    if (!bytes) return Problem(bytes.error(), r);
    Response response;
    response.body = std::move(*bytes);
    response.content_type = TableWriter::ContentType(f);
    response.headers.emplace_back("Content-Disposition",
                                  "attachment; filename=\"credit-template." + std::string(TableWriter::Extension(f)) + "\"");
    return response;
}

Response LoadFile(Services& s, Request& r) {
    auto dry = QueryBool(r, "dry_run");
    auto strict = QueryBool(r, "strict");
    if (!dry) return Problem(dry.error(), r);
    if (!strict) return Problem(strict.error(), r);
    const auto source = QueryParam(r, "source");
    if (!source || source->size() > 64) return Problem(Error::Field("source", "required", "请注明数据来源（不超过 64 字符）"), r);
    if (r.body.empty()) return Problem(Error::Field("file", "required", "请上传 CSV 或 XLSX 文件"), r);
    std::vector<size_t> numbers;
    auto rows = credit::ReadLoadFile(r.body, numbers);
    if (!rows) return Problem(rows.error(), r);
    const credit::LoadOptions options{*source, QueryParam(r, "file_name").value_or("").substr(0, 200),
                                      dry->value_or(false), strict->value_or(false)};
    const bool xlsx = r.body.starts_with("PK");
    auto report = s.credit_loader.Load(ActorOf(r), options, std::move(*rows), std::move(numbers), xlsx ? "xlsx" : "csv");
    return report ? Response::Json(json::serialize(*report)) : Problem(report.error(), r);
}

Response LoadJson(Services& s, Request& r) {
    auto in = ReadBody(r, {"source", "file_name", "dry_run", "strict", "records"});
    if (!in) return Problem(in.error(), r);
    credit::LoadOptions options;
    options.source = in->String("source", true, 64, 1).value_or("");
    options.file_name = in->String("file_name", false, 200).value_or("");
    options.dry_run = in->Bool("dry_run", false).value_or(false);
    options.strict = in->Bool("strict", false).value_or(false);
    if (!in->Has("records")) in->AddError("records", "required", "缺少 records");
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    auto rows = credit::RowsFromJson(in->object().at("records"));
    if (!rows) return Problem(rows.error(), r);
    auto report = s.credit_loader.Load(ActorOf(r), options, std::move(*rows), {}, "json");
    return report ? Response::Json(json::serialize(*report)) : Problem(report.error(), r);
}

Response UpdateRecordType(Services& s, Request& r) {
    auto in = ReadBody(r, {"name", "source_department", "description", "counts_months"});
    if (!in) return Problem(in.error(), r);
    credit::RecordTypeUpdate u;
    u.name = in->String("name", false, 50, 1);
    u.source_department = in->String("source_department", false, 100, 1);
    u.description = in->String("description", false, 500);
    u.counts_months = in->Int("counts_months", false, 0, 600);
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    const std::string code = r.path_params.at("code");
    auto command = MakeCommand(r, "credit.record_type.update", "credit_record_type", "reference:write", code);
    return command ? OutcomeAnswer(s.credit.UpdateRecordType(ActorOf(r), code, u, *command), r) : Problem(command.error(), r);
}

void RegisterProfiles(Router& router, Services& s) {
    router.Get("/api/v1/credit/me", "credit:own", [&s](Request& r) {
        if (!r.principal->enterprise_id) return Problem(Error::PermissionDenied("当前账号未关联企业"), r);
        return JsonAnswer(s.credit.Profile(*r.principal->enterprise_id), r);
    });
    router.Get("/api/v1/enterprises/{id}/credit", "credit:read", [&s](Request& r) {
        auto id = PathId(r);
        return id ? JsonAnswer(s.credit.Profile(*id), r) : Problem(id.error(), r);
    });
    router.Post("/api/v1/enterprises/{id}/credit/rescore", "credit:load", [&s](Request& r) {
        auto id = PathId(r);
        if (!id) return Problem(id.error(), r);
        auto command = MakeCommand(r, "credit.rescore", "enterprise", "credit:load", std::to_string(*id));
        return command ? OutcomeAnswer(s.credit.Rescore(ActorOf(r), *id, *command), r) : Problem(command.error(), r);
    });
    router.Get("/api/v1/credit/scores/{id}/replay", "credit:read", [&s](Request& r) {
        auto id = PathId(r);
        return id ? JsonAnswer(s.credit.Replay(*id), r) : Problem(id.error(), r);
    });
    router.Get("/api/v1/credit/monitoring", "credit:read", [&s](Request& r) {
        return JsonAnswer(s.credit.Monitoring(QueryParam(r, "from").value_or(""), QueryParam(r, "to").value_or("")), r);
    });
}

void RegisterLoads(Router& router, Services& s) {
    router.Get("/api/v1/credit/record-types", "credit:read", [&s](Request& r) { return JsonAnswer(s.credit.RecordTypes(), r); });
    router.Patch("/api/v1/credit/record-types/{code}", "reference:write", [&s](Request& r) { return UpdateRecordType(s, r); });
    router.Get("/api/v1/credit/loads", "credit:read", [&s](Request& r) {
        auto paging = ParsePaging(r);
        return paging ? JsonAnswer(s.credit.Loads(QueryParam(r, "source"), paging->offset, paging->limit), r)
                      : Problem(paging.error(), r);
    });
    router.Add({"POST", "/api/v1/credit/loads", true, "credit:load", [&s](Request& r) { return LoadJson(s, r); }, true});
    router.Add({"POST", "/api/v1/credit/loads/file", true, "credit:load", [&s](Request& r) { return LoadFile(s, r); }, true});
    router.Get("/api/v1/credit/loads/template", "credit:load", [](Request& r) { return Template(r); });
    router.Get("/api/v1/credit/sources", "credit:read", [&s](Request& r) { return JsonAnswer(s.credit.Sources(), r); });
}

void RegisterModels(Router& router, Services& s) {
    router.Get("/api/v1/credit/models", "credit:read", [&s](Request& r) { return JsonAnswer(s.credit.Models(), r); });
    router.Get("/api/v1/credit/models/{version}", "credit:read", [&s](Request& r) {
        return JsonAnswer(s.credit.Model(r.path_params.at("version")), r);
    });
    router.Post("/api/v1/credit/models", "credit:model", [&s](Request& r) {
        auto command = MakeCommand(r, "credit.model.add", "credit_model", "credit:model");
        return command ? OutcomeAnswer(s.credit.AddModel(ActorOf(r), r.body, *command), r) : Problem(command.error(), r);
    });
    router.Post("/api/v1/credit/models/{version}/activate", "credit:model", [&s](Request& r) {
        const std::string version = r.path_params.at("version");
        auto command = MakeCommand(r, "credit.model.activate", "credit_model", "credit:model", version);
        return command ? OutcomeAnswer(s.credit.ActivateModel(ActorOf(r), version, *command), r) : Problem(command.error(), r);
    });
}

void RegisterWhitelist(Router& router, Services& s) {
    router.Get("/api/v1/credit/whitelist/rules", "credit:read", [&s](Request& r) { return JsonAnswer(s.whitelist.Rules(), r); });
    router.Post("/api/v1/credit/whitelist/runs", "whitelist:manage", [&s](Request& r) {
        auto command = MakeCommand(r, "whitelist.run", "whitelist", "whitelist:manage");
        return command ? OutcomeAnswer(s.whitelist.Run(ActorOf(r), *command), r) : Problem(command.error(), r);
    });
    router.Get("/api/v1/credit/whitelist/candidates", "credit:read", [&s](Request& r) {
        auto paging = ParsePaging(r);
        auto status = QueryParam(r, "status");
        if (status && *status != "proposed" && *status != "approved" && *status != "rejected")
            return Problem(Error::Field("status", "invalid", "应为 proposed、approved 或 rejected"), r);
        return paging ? JsonAnswer(s.whitelist.Candidates(status, paging->offset, paging->limit), r)
                      : Problem(paging.error(), r);
    });
    router.Post("/api/v1/credit/whitelist/candidates/{id}/approve", "whitelist:manage", [&s](Request& r) {
        auto id = PathId(r);
        if (!id) return Problem(id.error(), r);
        auto command = MakeCommand(r, "whitelist.approve", "whitelist_candidate", "whitelist:manage", std::to_string(*id));
        return command ? OutcomeAnswer(s.whitelist.Approve(ActorOf(r), *id, *command), r) : Problem(command.error(), r);
    });
    router.Post("/api/v1/credit/whitelist/candidates/{id}/reject", "whitelist:manage", [&s](Request& r) {
        auto id = PathId(r);
        if (!id) return Problem(id.error(), r);
        auto in = ReadBody(r, {"note"});
        if (!in) return Problem(in.error(), r);
        const std::string note = in->String("note", true, 500, 1).value_or("");
        if (auto st = in->Finish(); !st) return Problem(st.error(), r);
        auto command = MakeCommand(r, "whitelist.reject", "whitelist_candidate", "whitelist:manage", std::to_string(*id));
        return command ? OutcomeAnswer(s.whitelist.Reject(ActorOf(r), *id, note, *command), r) : Problem(command.error(), r);
    });
}

}  // namespace

void RegisterCreditRoutes(Router& router, Services& s) {
    RegisterProfiles(router, s);
    RegisterLoads(router, s);
    RegisterModels(router, s);
    RegisterWhitelist(router, s);
}

}  // namespace chanrong::http

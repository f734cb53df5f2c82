#include "http/api/api_support.hpp"

#include <boost/json.hpp>

#include <charconv>

#include <spdlog/spdlog.h>

#include "common/time_format.hpp"

namespace chanrong::http {
namespace {

std::optional<long long> ToInt(std::string_view s) {
    long long v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

}  // namespace

Result<Paging> ParsePaging(const Request& r) {
    Paging p;
    if (auto o = QueryParam(r, "offset")) {
        auto v = ToInt(*o);
        if (!v || *v < 0 || *v > 1'000'000'000) return Fail(Error::Field("offset", "invalid", "应为不小于 0 的整数"));
        p.offset = *v;
    }
    if (auto l = QueryParam(r, "limit")) {
        auto v = ToInt(*l);
        if (!v || *v < 1 || *v > 200) return Fail(Error::Field("limit", "invalid", "应为 1 到 200 之间的整数"));
        p.limit = *v;
    }
    return p;
}

Result<long long> PathId(const Request& r, const std::string& name) {
    auto it = r.path_params.find(name);
    auto v = it == r.path_params.end() ? std::nullopt : ToInt(it->second);
    if (!v || *v <= 0) return Fail(Error::Field(name, "invalid", "应为正整数"));
    return *v;
}

std::optional<std::string> QueryParam(const Request& r, const std::string& name) {
    auto it = r.query.find(name);
    if (it == r.query.end() || it->second.empty()) return std::nullopt;
    return it->second;
}

Result<std::optional<long long>> QueryTime(const Request& r, const std::string& name) {
    auto v = QueryParam(r, name);
    if (!v) return std::optional<long long>{};
    auto t = ParseIsoTimestamp(*v);
    if (!t) return Fail(Error::Field(name, "invalid", "日期格式应为 YYYY-MM-DD 或 ISO 8601"));
    return std::optional<long long>(*t);
}

Result<std::optional<bool>> QueryBool(const Request& r, const std::string& name) {
    auto v = QueryParam(r, name);
    if (!v) return std::optional<bool>{};
    if (*v != "true" && *v != "false") return Fail(Error::Field(name, "invalid", "应为 true 或 false"));
    return std::optional<bool>(*v == "true");
}

Result<std::optional<long long>> QueryInt(const Request& r, const std::string& name) {
    auto v = QueryParam(r, name);
    if (!v) return std::optional<long long>{};
    auto n = ToInt(*v);
    if (!n) return Fail(Error::Field(name, "invalid", "应为整数"));
    return std::optional<long long>(*n);
}

audit::Actor ActorOf(const Request& r) {
    audit::Actor actor;
    if (r.principal) {
        actor.user_id = r.principal->user_id;
        actor.name = r.principal->username;
        actor.permissions = &r.principal->permissions;
    }
    actor.ip = r.remote_ip;
    actor.request_id = r.request_id;
    return actor;
}

Result<audit::Command> MakeCommand(const Request& r, std::string action, std::string entity, std::string permission,
                                   std::string entity_id) {
    audit::Command c{.action = std::move(action), .entity = std::move(entity), .permission = std::move(permission),
                     .payload = r.body.empty() ? "null" : audit::RedactSecrets(r.body), .entity_id = std::move(entity_id)};
    std::string_view key = r.Header("idempotency-key");
    if (!key.empty()) {
        if (key.size() > 200) return Fail(Error::Field("Idempotency-Key", "too_long", "不能超过 200 个字符"));
        c.idempotency_key = std::string(key);
    }
    return c;
}

Response JsonAnswer(const Result<boost::json::object>& result, const Request& r) {
    if (!result) return Problem(result.error(), r);
    return Response::Json(boost::json::serialize(*result));
}

Response OutcomeAnswer(const Result<audit::Outcome>& result, const Request& r) {
    if (!result) return Problem(result.error(), r);
    if (result->status == 204) return Response::NoContent();
    Response response = Response::Json(result->response, result->status);
    if (result->replayed) response.headers.emplace_back("Idempotent-Replayed", "true");
    return response;
}

Response StreamTable(const Request& r, const std::string& file_name, const std::string& sheet, TableRow header,
                     std::function<Status(TableWriter&)> fill) {
    const std::string format = QueryParam(r, "format").value_or("xlsx");
    if (format != "xlsx" && format != "csv") return Problem(Error::Field("format", "invalid", "应为 xlsx 或 csv"), r);
    const auto kind = format == "csv" ? TableWriter::Format::kCsv : TableWriter::Format::kXlsx;
    Response response;
    response.content_type = TableWriter::ContentType(kind);
    response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file_name + "." +
                                                             TableWriter::Extension(kind) + "\"");
    const std::string request_id = r.request_id;
    response.stream = [kind, sheet, header = std::move(header), fill = std::move(fill),
                       request_id](const std::function<void(std::string&&)>& write) {
        TableWriter writer(kind, sheet, header, write);
        auto filled = fill(writer);
        auto finished = writer.Finish();
        if (!filled || !finished)
            spdlog::error("export {} stopped: {}", request_id, (!filled ? filled.error() : finished.error()).message);
    };
    return response;
}

Response StreamPages(const Request& r, const std::string& file_name, const std::string& sheet, TableRow header,
                     std::function<Result<boost::json::object>(long long offset, long long limit)> page,
                     std::function<TableRow(const boost::json::object& item)> row) {
    constexpr long long kPage = 200;
    return StreamTable(r, file_name, sheet, std::move(header),
                       [page = std::move(page), row = std::move(row)](TableWriter& writer) -> Status {
                           for (long long offset = 0;; offset += kPage) {
                               auto answer = page(offset, kPage);
                               if (!answer) return Fail(answer.error());
                               const auto& items = (*answer)["items"].as_array();
                               for (const auto& item : items) writer.Add(row(item.as_object()));
                               if (static_cast<long long>(items.size()) < kPage) return {};
                           }
                       });
}

Response StatusAnswer(const Status& status, const Request& r) {
    if (!status) return Problem(status.error(), r);
    return Response::NoContent();
}

}  // namespace chanrong::http

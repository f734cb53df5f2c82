// The audit log: search, export (XLSX/CSV) and chain verification.

#include <boost/json.hpp>

#include "audit/audit_log.hpp"
#include "common/json_out.hpp"
#include "common/table_export.hpp"
#include "common/time_format.hpp"
#include "http/api/api_support.hpp"
#include "http/application.hpp"

namespace chanrong::http {
namespace json = boost::json;
namespace {

json::value ParseOrText(const std::string& text) {
    json::error_code ec;
    json::value v = json::parse(text, ec);
    return ec ? json::value(text) : v;
}

Result<audit::AuditFilter> ReadFilter(const Request& r) {
    audit::AuditFilter f;
    auto paging = ParsePaging(r);
    if (!paging) return Fail(paging.error());
    auto from = QueryTime(r, "from");
    if (!from) return Fail(from.error());
    auto to = QueryTime(r, "to");
    if (!to) return Fail(to.error());
    f.actor = QueryParam(r, "actor");
    f.action = QueryParam(r, "action");
    f.entity = QueryParam(r, "entity");
    f.entity_id = QueryParam(r, "entity_id");
    f.result = QueryParam(r, "result");
    f.from = *from;
    // A bare date in "to" means the whole of that day.
    f.to = *to && QueryParam(r, "to")->size() == 10 ? std::optional(**to + 86'400'000LL) : *to;
    f.offset = paging->offset;
    f.limit = paging->limit;
    return f;
}

json::object EntryJson(const audit::AuditEntry& e) {
    return {{"id", e.id}, {"at", FormatIsoUtc(e.at)}, {"actor_id", OptionalInt(e.actor_id)},
            {"actor_name", e.actor_name}, {"action", e.action}, {"entity", e.entity}, {"entity_id", e.entity_id},
            {"result", e.result}, {"request_id", e.request_id}, {"ip", e.ip}, {"payload", ParseOrText(e.payload)},
            {"before", ParseOrText(e.before)}, {"after", ParseOrText(e.after)}, {"prev_hash", e.prev_hash},
            {"hash", e.hash}};
}

Response Search(Services& s, Request& r) {
    auto filter = ReadFilter(r);
    if (!filter) return Problem(filter.error(), r);
    auto page = audit::Search(s.db, *filter);
    if (!page) return Problem(page.error(), r);
    json::array items;
    for (const auto& e : page->items) items.push_back(EntryJson(e));
    return Response::Json(json::serialize(PageJson(std::move(items), page->total, filter->offset, filter->limit)));
}

Response Export(Services& s, Request& r) {
    auto filter = ReadFilter(r);
    if (!filter) return Problem(filter.error(), r);
    return StreamTable(r, "audit-log", "审计日志",
                       {"序号", "时间(UTC)", "操作人ID", "操作人", "操作", "对象", "对象ID", "结果", "请求号", "IP",
                        "请求内容", "变更前", "变更后", "前一哈希", "哈希"},
                       [&s, f = *filter](TableWriter& writer) {
                           return audit::ForEach(s.db, f, [&](const audit::AuditEntry& e) {
                               writer.Add({std::to_string(e.id), FormatIsoUtc(e.at),
                                           e.actor_id ? std::to_string(*e.actor_id) : "", e.actor_name, e.action,
                                           e.entity, e.entity_id, e.result, e.request_id, e.ip, e.payload, e.before,
                                           e.after, e.prev_hash, e.hash});
                           });
                       });
}

Response Verify(Services& s, Request& r) {
    auto report = audit::VerifyChain(s.db);
    if (!report) return Problem(report.error(), r);
    return Response::Json(json::serialize(json::object{{"ok", report->ok}, {"checked", report->checked},
                                                       {"first_broken_id", OptionalInt(report->first_broken_id)},
                                                       {"message", report->message}}));
}

}  // namespace

void RegisterAuditRoutes(Router& router, Services& s) {
    router.Get("/api/v1/audit-logs", "audit:read", [&s](Request& r) { return Search(s, r); });
    router.Get("/api/v1/audit-logs/export", "audit:export", [&s](Request& r) { return Export(s, r); });
    router.Get("/api/v1/audit-logs/verify", "audit:verify", [&s](Request& r) { return Verify(s, r); });
}

}  // namespace chanrong::http

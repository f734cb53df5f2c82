// Directories: list, members as of a date, history, comparison of two dates, entries and exits,
// subscriptions; and projects (the members of project directories).

#include <boost/json.hpp>

#include "http/api/api_support.hpp"
#include "http/application.hpp"

namespace chanrong::http {
namespace {

Response AddEntry(Services& s, Request& r) {
    auto id = PathId(r);
    if (!id) return Problem(id.error(), r);
    auto in = ReadBody(r, {"enterprise_id", "project_id", "layer", "effective_from", "reason", "evidence"});
    if (!in) return Problem(in.error(), r);
    registry::EntryInput e;
    e.enterprise_id = in->Int("enterprise_id", false, 1);
    e.project_id = in->Int("project_id", false, 1);
    e.layer = in->String("layer", false, 20).value_or("");
    e.effective_from = in->String("effective_from", true, 10).value_or("");
    e.reason = in->String("reason", true, 300, 1).value_or("");
    e.evidence = in->String("evidence", false, 500).value_or("");
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    auto command = MakeCommand(r, "directory.enter", "directory", "directory:write", std::to_string(*id));
    if (!command) return Problem(command.error(), r);
    return OutcomeAnswer(s.directories.AddEntry(ActorOf(r), *id, e, *command), r);
}

Response ExitEntry(Services& s, Request& r) {
    auto id = PathId(r);
    if (!id) return Problem(id.error(), r);
    auto in = ReadBody(r, {"effective_to", "reason", "evidence"});
    if (!in) return Problem(in.error(), r);
    registry::ExitInput e;
    e.effective_to = in->String("effective_to", true, 10).value_or("");
    e.reason = in->String("reason", true, 300, 1).value_or("");
    e.evidence = in->String("evidence", false, 500).value_or("");
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    auto command = MakeCommand(r, "directory.exit", "directory_entry", "directory:write", std::to_string(*id));
    if (!command) return Problem(command.error(), r);
    return OutcomeAnswer(s.directories.ExitEntry(ActorOf(r), *id, e, *command), r);
}

Response CreateProject(Services& s, Request& r) {
    auto in = ReadBody(r, {"name", "enterprise_id", "investment_fen", "financing_need_fen", "stage", "district",
                           "industry_446", "green_category"});
    if (!in) return Problem(in.error(), r);
    registry::NewProject p;
    p.name = in->String("name", true, 100, 1).value_or("");
    p.enterprise_id = in->Int("enterprise_id", false, 1);
    p.investment_fen = in->Int("investment_fen", false, 0);
    p.financing_need_fen = in->Int("financing_need_fen", false, 0);
    p.stage = in->Enum("stage", false, {"planning", "construction", "operation"}).value_or("");
    p.district = in->String("district", false, 20).value_or("");
    p.industry_446 = in->String("industry_446", false, 8).value_or("");
    p.green_category = in->String("green_category", false, 50).value_or("");
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    auto command = MakeCommand(r, "project.create", "project", "directory:write");
    if (!command) return Problem(command.error(), r);
    return OutcomeAnswer(s.directories.CreateProject(ActorOf(r), p, *command), r);
}

}  // namespace

void RegisterDirectoryRoutes(Router& router, Services& s) {
    router.Get("/api/v1/directories", "directory:read", [&s](Request& r) {
        return JsonAnswer(s.directories.List(*r.principal), r);
    });
    router.Get("/api/v1/directories/{id}/members", "directory:read", [&s](Request& r) {
        auto id = PathId(r);
        auto paging = ParsePaging(r);
        if (!id) return Problem(id.error(), r);
        if (!paging) return Problem(paging.error(), r);
        return JsonAnswer(s.directories.Members(*r.principal, *id, QueryParam(r, "as_of"), QueryParam(r, "layer"),
                                                paging->offset, paging->limit), r);
    });
    router.Get("/api/v1/directories/{id}/members/export", "directory:read", [&s](Request& r) {
        auto id = PathId(r);
        if (!id) return Problem(id.error(), r);
        auto principal = r.principal;
        return StreamTable(r, "directory-" + std::to_string(*id), "名录成员",
                           {"名称", "统一社会信用代码", "层级", "纳入日期", "纳入理由", "依据", "审批人"},
                           [&s, principal, id = *id, as_of = QueryParam(r, "as_of")](TableWriter& writer) -> Status {
                               for (long long offset = 0;; offset += 200) {
                                   auto page = s.directories.Members(*principal, id, as_of, std::nullopt, offset, 200);
                                   if (!page) return Fail(page.error());
                                   const auto& items = (*page)["items"].as_array();
                                   for (const auto& item : items) {
                                       auto text = [&](const char* k) { return std::string(item.at(k).as_string()); };
                                       writer.Add({text("name"), text("uscc"), text("layer"), text("effective_from"),
                                                   text("entry_reason"), text("entry_evidence"), text("entry_approved_by")});
                                   }
                                   if (items.size() < 200) return {};
                               }
                           });
    });
    router.Get("/api/v1/directories/{id}/history", "directory:read", [&s](Request& r) {
        auto id = PathId(r);
        auto paging = ParsePaging(r);
        auto enterprise = QueryInt(r, "enterprise_id");
        if (!id) return Problem(id.error(), r);
        if (!paging) return Problem(paging.error(), r);
        if (!enterprise) return Problem(enterprise.error(), r);
        return JsonAnswer(s.directories.History(*r.principal, *id, *enterprise, paging->offset, paging->limit), r);
    });
    router.Get("/api/v1/directories/{id}/diff", "directory:read", [&s](Request& r) {
        auto id = PathId(r);
        if (!id) return Problem(id.error(), r);
        return JsonAnswer(s.directories.Diff(*r.principal, *id, QueryParam(r, "from").value_or(""),
                                             QueryParam(r, "to").value_or("")), r);
    });
    router.Post("/api/v1/directories/{id}/entries", "directory:write", [&s](Request& r) { return AddEntry(s, r); });
    router.Post("/api/v1/directory-entries/{id}/exit", "directory:write", [&s](Request& r) { return ExitEntry(s, r); });
    router.Post("/api/v1/directories/{id}/subscribe", "directory:read", [&s](Request& r) {
        auto id = PathId(r);
        return id ? StatusAnswer(s.directories.Subscribe(*r.principal, ActorOf(r), *id), r) : Problem(id.error(), r);
    });
    router.Post("/api/v1/directories/{id}/changes", "directory:read", [&s](Request& r) {
        auto id = PathId(r);
        return id ? JsonAnswer(s.directories.ChangesSinceLastLook(*r.principal, ActorOf(r), *id), r) : Problem(id.error(), r);
    });
    router.Get("/api/v1/projects", "directory:read", [&s](Request& r) {
        auto paging = ParsePaging(r);
        return paging ? JsonAnswer(s.directories.ListProjects(paging->offset, paging->limit), r) : Problem(paging.error(), r);
    });
    router.Post("/api/v1/projects", "directory:write", [&s](Request& r) { return CreateProject(s, r); });
}

}  // namespace chanrong::http

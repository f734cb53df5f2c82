// Directories: list, members as of a date, history, comparison of two dates, entries and exits,
// subscriptions; and projects (the members of project directories).

#include <boost/json.hpp>

#include "common/json_out.hpp"
#include "common/money.hpp"
#include "http/api/api_support.hpp"
#include "http/application.hpp"

namespace chanrong::http {
namespace {
namespace json = boost::json;

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

std::string StageName(const std::string& stage) {
    if (stage == "planning") return "规划";
    if (stage == "construction") return "建设";
    if (stage == "operation") return "运营";
    return stage;
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
        return StreamPages(
            r, "directory-" + std::to_string(*id), "名录成员",
            {"名称", "统一社会信用代码", "层级", "纳入日期", "纳入理由", "依据", "审批人"},
            [&s, principal, id = *id, as_of = QueryParam(r, "as_of")](long long offset, long long limit) {
                return s.directories.Members(*principal, id, as_of, std::nullopt, offset, limit);
            },
            [](const json::object& item) -> TableRow {
                return {TextOf(item, "name"), TextOf(item, "uscc"), TextOf(item, "layer"), TextOf(item, "effective_from"),
                        TextOf(item, "entry_reason"), TextOf(item, "entry_evidence"), TextOf(item, "entry_approved_by")};
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
    router.Get("/api/v1/directories/{id}/history/export", "directory:read", [&s](Request& r) {
        auto id = PathId(r);
        auto enterprise = QueryInt(r, "enterprise_id");
        if (!id) return Problem(id.error(), r);
        if (!enterprise) return Problem(enterprise.error(), r);
        auto principal = r.principal;
        return StreamPages(
            r, "directory-" + std::to_string(*id) + "-history", "名录历史",
            {"名称", "统一社会信用代码", "层级", "纳入日期", "移出日期", "纳入理由", "纳入依据", "纳入审批人", "移出理由",
             "移出依据", "移出审批人"},
            [&s, principal, id = *id, enterprise = *enterprise](long long offset, long long limit) {
                return s.directories.History(*principal, id, enterprise, offset, limit);
            },
            [](const json::object& item) -> TableRow {
                return {TextOf(item, "name"),           TextOf(item, "uscc"),         TextOf(item, "layer"),
                        TextOf(item, "effective_from"), TextOf(item, "effective_to"), TextOf(item, "entry_reason"),
                        TextOf(item, "entry_evidence"), TextOf(item, "entry_approved_by"), TextOf(item, "exit_reason"),
                        TextOf(item, "exit_evidence"),  TextOf(item, "exit_approved_by")};
            });
    });
    router.Get("/api/v1/directories/{id}/diff", "directory:read", [&s](Request& r) {
        auto id = PathId(r);
        if (!id) return Problem(id.error(), r);
        return JsonAnswer(s.directories.Diff(*r.principal, *id, QueryParam(r, "from").value_or(""),
                                             QueryParam(r, "to").value_or("")), r);
    });
    router.Get("/api/v1/directories/{id}/diff/export", "directory:read", [&s](Request& r) {
        auto id = PathId(r);
        if (!id) return Problem(id.error(), r);
        const std::string from = QueryParam(r, "from").value_or(""), to = QueryParam(r, "to").value_or("");
        auto diff = s.directories.Diff(*r.principal, *id, from, to);  // checked before the download starts
        if (!diff) return Problem(diff.error(), r);
        return StreamTable(r, "directory-" + std::to_string(*id) + "-diff-" + from + "-" + to, "名录对比",
                           {"变化", "名称", "统一社会信用代码", "层级", "纳入日期", "移出日期", "理由"},
                           [diff = std::move(*diff)](TableWriter& writer) -> Status {
                               auto add = [&](const char* change, const json::object& e, const char* reason) {
                                   writer.Add({change, TextOf(e, "name"), TextOf(e, "uscc"), TextOf(e, "layer"),
                                               TextOf(e, "effective_from"), TextOf(e, "effective_to"), TextOf(e, reason)});
                               };
                               for (const auto& e : diff.at("added").as_array()) add("新增", e.as_object(), "entry_reason");
                               for (const auto& e : diff.at("removed").as_array()) add("移出", e.as_object(), "exit_reason");
                               for (const auto& c : diff.at("changed").as_array())
                                   add("层级变化", c.at("after").as_object(), "entry_reason");
                               return {};
                           });
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
    router.Get("/api/v1/projects/export", "directory:read", [&s](Request& r) {
        auto wan = [](const json::object& item, std::string_view key) {
            const auto& v = item.at(key);
            return v.is_int64() ? FormatWan(Fen{v.as_int64()}) : std::string();
        };
        return StreamPages(
            r, "projects", "重点项目", {"项目名称", "建设主体", "阶段", "总投资(万元)", "融资需求(万元)", "所属区", "4+4+6产业", "绿色项目类别"},
            [&s](long long offset, long long limit) { return s.directories.ListProjects(offset, limit); },
            [wan](const json::object& item) -> TableRow {
                return {TextOf(item, "name"), TextOf(item, "enterprise_name"), StageName(TextOf(item, "stage")),
                        wan(item, "investment_fen"), wan(item, "financing_need_fen"), TextOf(item, "district"),
                        TextOf(item, "industry_446"), TextOf(item, "green_category")};
            });
    });
}

}  // namespace chanrong::http

// Enterprises: list and search, profile, create and edit, yearly figures, 4+4+6 override, tags, pending
// changes and export. The reference lists are in reference_api.cpp.

#include <boost/json.hpp>

#include "common/table_export.hpp"
#include "common/json_out.hpp"
#include "http/api/api_support.hpp"
#include "http/application.hpp"
#include "registry/size_class.hpp"

namespace chanrong::http {
namespace json = boost::json;
namespace {

const std::vector<std::string_view> kProfileFields = {"name", "district", "industry_code", "legal_rep",
                                                      "registered_capital_fen", "founded_on", "contact_person",
                                                      "contact_phone", "address"};

registry::EnterpriseFields ReadFields(JsonInput& in) {
    registry::EnterpriseFields f;
    f.name = in.String("name", false, 100, 1);
    f.district = in.String("district", false, 20, 1);
    f.industry_code = in.String("industry_code", false, 5, 1);
    f.legal_rep = in.String("legal_rep", false, 50);
    f.registered_capital_fen = in.Int("registered_capital_fen", false, 0);
    f.founded_on = in.String("founded_on", false, 10);
    f.contact_person = in.String("contact_person", false, 50);
    f.contact_phone = in.String("contact_phone", false, 20);
    f.address = in.String("address", false, 200);
    return f;
}

Result<registry::EnterpriseFilter> ReadFilter(const Request& r) {
    auto paging = ParsePaging(r);
    if (!paging) return Fail(paging.error());
    registry::EnterpriseFilter f{QueryParam(r, "q"), QueryParam(r, "district"), QueryParam(r, "industry"),
                                 QueryParam(r, "class446"), QueryParam(r, "size"), QueryParam(r, "tag"),
                                 QueryParam(r, "directory"), paging->offset, paging->limit};
    if (f.size && !registry::ParseSizeClass(*f.size))
        return Fail(Error::Field("size", "invalid", "应为 large、medium、small 或 micro"));
    if (f.q && f.q->size() > 100) return Fail(Error::Field("q", "too_long", "搜索词过长"));
    return f;
}

Response Create(Services& s, Request& r) {
    std::vector<std::string_view> fields = kProfileFields;
    fields.push_back("uscc");
    auto in = ReadBody(r, fields);
    if (!in) return Problem(in.error(), r);
    auto uscc = in->String("uscc", true, 18, 1);
    auto f = ReadFields(*in);
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    auto command = MakeCommand(r, "enterprise.create", "enterprise", "enterprise:write");
    if (!command) return Problem(command.error(), r);
    return OutcomeAnswer(s.enterprises.Create(ActorOf(r), *uscc, f, *command), r);
}

Response Update(Services& s, Request& r) {
    auto id = PathId(r);
    if (!id) return Problem(id.error(), r);
    const bool officer = r.principal->Can("enterprise:write");
    if (!officer && (!r.principal->Can("enterprise:edit_own") || r.principal->enterprise_id != *id))
        return Problem(Error::PermissionDenied("只能修改本企业信息"), r);
    std::vector<std::string_view> fields = kProfileFields;
    fields.push_back("version");
    auto in = ReadBody(r, fields);
    if (!in) return Problem(in.error(), r);
    auto f = ReadFields(*in);
    auto version = in->Int("version", true, 1);
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    auto command = MakeCommand(r, "enterprise.update", "enterprise", officer ? "enterprise:write" : "enterprise:edit_own",
                               std::to_string(*id));
    if (!command) return Problem(command.error(), r);
    return OutcomeAnswer(s.enterprises.Update(*r.principal, ActorOf(r), *id, f, *version, *command), r);
}

Response PutFigures(Services& s, Request& r) {
    auto id = PathId(r);
    auto year = PathId(r, "year");
    if (!id) return Problem(id.error(), r);
    if (!year) return Problem(year.error(), r);
    const bool officer = r.principal->Can("enterprise:write");
    if (!officer && (!r.principal->Can("enterprise:edit_own") || r.principal->enterprise_id != *id))
        return Problem(Error::PermissionDenied("只能填报本企业数据"), r);
    auto in = ReadBody(r, {"employees", "revenue_fen", "assets_fen", "liabilities_fen", "rd_spend_fen", "rd_staff",
                           "value_added_fen", "invention_patents"});
    if (!in) return Problem(in.error(), r);
    registry::YearFigures f;
    f.year = static_cast<int>(*year);
    f.employees = in->Int("employees", false, 0);
    f.revenue_fen = in->Int("revenue_fen", false);
    f.assets_fen = in->Int("assets_fen", false);
    f.liabilities_fen = in->Int("liabilities_fen", false);
    f.rd_spend_fen = in->Int("rd_spend_fen", false);
    f.rd_staff = in->Int("rd_staff", false, 0);
    f.value_added_fen = in->Int("value_added_fen", false);
    f.invention_patents = in->Int("invention_patents", false, 0);
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    auto command = MakeCommand(r, "enterprise.figures", "enterprise", officer ? "enterprise:write" : "enterprise:edit_own",
                               std::to_string(*id));
    if (!command) return Problem(command.error(), r);
    return OutcomeAnswer(s.enterprises.PutFigures(*r.principal, ActorOf(r), *id, f, *command), r);
}

Response Override446(Services& s, Request& r) {
    auto id = PathId(r);
    if (!id) return Problem(id.error(), r);
    auto in = ReadBody(r, {"code", "reason"});
    if (!in) return Problem(in.error(), r);
    auto code = in->String("code", true, 8);
    auto reason = in->String("reason", false, 200);
    if (code && !code->empty() && reason.value_or("").empty())
        in->AddError("reason", "required", "人工调整产业分类须说明理由");
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    auto command = MakeCommand(r, "enterprise.override_446", "enterprise", "enterprise:write", std::to_string(*id));
    if (!command) return Problem(command.error(), r);
    return OutcomeAnswer(s.enterprises.Override446(ActorOf(r), *id, *code, reason.value_or(""), *command), r);
}

Response AddTag(Services& s, Request& r) {
    auto id = PathId(r);
    if (!id) return Problem(id.error(), r);
    const bool officer = r.principal->Can("enterprise:write");
    if (!officer && (!r.principal->Can("enterprise:edit_own") || r.principal->enterprise_id != *id))
        return Problem(Error::PermissionDenied("只能为本企业申报标签"), r);
    auto in = ReadBody(r, {"tag", "valid_from", "valid_to", "evidence", "chain", "chain_node"});
    if (!in) return Problem(in.error(), r);
    registry::TagInput t;
    t.tag = in->String("tag", true, 32).value_or("");
    t.valid_from = in->String("valid_from", true, 10).value_or("");
    t.valid_to = in->String("valid_to", false, 10).value_or("");
    t.evidence = in->String("evidence", false, 300).value_or("");
    t.chain = in->String("chain", false, 50).value_or("");
    t.chain_node = in->String("chain_node", false, 50).value_or("");
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    auto command = MakeCommand(r, "enterprise.tag", "enterprise", officer ? "enterprise:write" : "enterprise:edit_own",
                               std::to_string(*id));
    if (!command) return Problem(command.error(), r);
    return OutcomeAnswer(s.enterprises.AddTag(*r.principal, ActorOf(r), *id, t, *command), r);
}

Response RevokeTag(Services& s, Request& r) {
    auto id = PathId(r);
    if (!id) return Problem(id.error(), r);
    auto in = ReadBody(r, {"reason"});
    if (!in) return Problem(in.error(), r);
    auto reason = in->String("reason", true, 200, 1);
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    auto command = MakeCommand(r, "enterprise.tag_revoke", "enterprise_tag", "enterprise:write", std::to_string(*id));
    if (!command) return Problem(command.error(), r);
    return OutcomeAnswer(s.enterprises.RevokeTag(ActorOf(r), *id, *reason, *command), r);
}

Handler Decide(Services& s, bool approve) {
    return [&s, approve](Request& r) {
        auto id = PathId(r);
        if (!id) return Problem(id.error(), r);
        auto in = ReadBody(r, {"note"});
        if (!in) return Problem(in.error(), r);
        auto note = in->String("note", !approve, 300, approve ? 0 : 1);
        if (auto st = in->Finish(); !st) return Problem(st.error(), r);
        auto command = MakeCommand(r, approve ? "pending_change.approve" : "pending_change.reject", "pending_change",
                                   "enterprise:approve", std::to_string(*id));
        if (!command) return Problem(command.error(), r);
        return OutcomeAnswer(s.enterprises.DecidePending(ActorOf(r), *id, approve, note.value_or(""), *command), r);
    };
}

Response Export(Services& s, Request& r) {
    auto filter = ReadFilter(r);
    if (!filter) return Problem(filter.error(), r);
    auto principal = r.principal;
    return StreamTable(r, "enterprises", "企业名录",
                       {"统一社会信用代码", "企业名称", "所属区", "国民经济行业代码", "4+4+6产业", "企业规模", "联系人",
                        "联系电话", "代码校验"},
                       [&s, principal, f = *filter](TableWriter& writer) {
                           return s.enterprises.ForEach(*principal, f, [&](const json::object& e) {
                               auto text = [&](const char* k) { return std::string(e.at(k).as_string()); };
                               const auto size = registry::ParseSizeClass(text("size_class"));
                               writer.Add({text("uscc"), text("name"), text("district"), text("industry_code"),
                                           text("industry_446"), size ? std::string(registry::SizeClassNameZh(*size)) : "",
                                           text("contact_person"), text("contact_phone"),
                                           e.at("uscc_valid").as_bool() ? "通过" : "待核查"});
                           });
                       });
}

}  // namespace

void RegisterEnterpriseRoutes(Router& router, Services& s) {
    router.Get("/api/v1/enterprises", "enterprise:read", [&s](Request& r) {
        auto f = ReadFilter(r);
        return f ? JsonAnswer(s.enterprises.List(*r.principal, *f), r) : Problem(f.error(), r);
    });
    router.Get("/api/v1/enterprises/export", "enterprise:read", [&s](Request& r) { return Export(s, r); });
    router.Post("/api/v1/enterprises", "enterprise:write", [&s](Request& r) { return Create(s, r); });
    router.Get("/api/v1/enterprises/{id}", "enterprise:read", [&s](Request& r) {
        auto id = PathId(r);
        return id ? JsonAnswer(s.enterprises.Get(*r.principal, *id), r) : Problem(id.error(), r);
    });
    router.Patch("/api/v1/enterprises/{id}", "", [&s](Request& r) { return Update(s, r); });
    router.Add({"PUT", "/api/v1/enterprises/{id}/figures/{year}", true, "", [&s](Request& r) { return PutFigures(s, r); }});
    router.Post("/api/v1/enterprises/{id}/industry-446", "enterprise:write", [&s](Request& r) { return Override446(s, r); });
    router.Post("/api/v1/enterprises/{id}/tags", "", [&s](Request& r) { return AddTag(s, r); });
    router.Post("/api/v1/enterprise-tags/{id}/revoke", "enterprise:write", [&s](Request& r) { return RevokeTag(s, r); });
    router.Get("/api/v1/pending-changes", "enterprise:approve", [&s](Request& r) {
        auto paging = ParsePaging(r);
        if (!paging) return Problem(paging.error(), r);
        const std::string status = QueryParam(r, "status").value_or("pending");
        if (status != "pending" && status != "approved" && status != "rejected")
            return Problem(Error::Field("status", "invalid", "应为 pending、approved 或 rejected"), r);
        return JsonAnswer(s.enterprises.ListPending(status, paging->offset, paging->limit), r);
    });
    router.Get("/api/v1/pending-changes/export", "enterprise:approve", [&s](Request& r) {
        const std::string status = QueryParam(r, "status").value_or("pending");
        if (status != "pending" && status != "approved" && status != "rejected")
            return Problem(Error::Field("status", "invalid", "应为 pending、approved 或 rejected"), r);
        return StreamPages(
            r, "pending-changes-" + status, "变更审核", {"企业", "类型", "变更内容", "申请人", "申请时间", "状态"},
            [&s, status](long long offset, long long limit) { return s.enterprises.ListPending(status, offset, limit); },
            [](const json::object& c) -> TableRow {
                const std::string kind = TextOf(c, "kind"), state = TextOf(c, "status");
                return {TextOf(c, "enterprise_name"), kind == "industry" ? "行业" : kind == "tag" ? "标签" : kind,
                        json::serialize(c.at("payload")), TextOf(c, "maker"), TextOf(c, "made_at"),
                        state == "pending" ? "待审核" : state == "approved" ? "已通过" : "已驳回"};
            });
    });
    router.Post("/api/v1/pending-changes/{id}/approve", "enterprise:approve", Decide(s, true));
    router.Post("/api/v1/pending-changes/{id}/reject", "enterprise:approve", Decide(s, false));
}

}  // namespace chanrong::http

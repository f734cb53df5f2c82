// The financing loop: products, demands, applications and their events, consent and credit-profile views, loans.

#include <boost/json.hpp>
#include <soci/soci.h>

#include "common/time_format.hpp"
#include "finance/demand_service.hpp"
#include "finance/loan_import.hpp"
#include "http/api/api_support.hpp"
#include "http/application.hpp"

namespace chanrong::http {
namespace json = boost::json;
namespace {

// Reads a JSON member as serialized text, for the product's eligibility and policy links.
std::optional<std::string> JsonMember(JsonInput& in, std::string_view key, bool want_object) {
    if (!in.Has(key)) return std::nullopt;
    const auto& v = in.object().at(key);
    if (want_object ? !v.is_object() : !v.is_array()) {
        in.AddError(std::string(key), "wrong_type", want_object ? "类型错误，应为对象" : "类型错误，应为数组");
        return std::nullopt;
    }
    return json::serialize(v);
}

Result<finance::ProductInput> ReadProduct(const Request& r, bool create, std::optional<long long>* version = nullptr) {
    std::vector<std::string_view> fields = {"name", "kind", "description", "amount_min_fen", "amount_max_fen",
                                            "term_min_months", "term_max_months", "rate_mode", "rate_min_bp",
                                            "rate_max_bp", "eligibility", "monthly_capacity", "valid_from", "valid_to",
                                            "policy_links"};
    if (!create) fields.push_back("version");
    auto in = ReadBody(r, fields);
    if (!in) return Fail(in.error());
    finance::ProductInput p;
    p.name = in->String("name", create, 100, 1);
    p.kind = in->String("kind", create, 32, 1);
    p.description = in->String("description", false, 2000);
    p.amount_min_fen = in->Int("amount_min_fen", create, 1);
    p.amount_max_fen = in->Int("amount_max_fen", create, 1);
    p.term_min_months = in->Int("term_min_months", create, 1, 360);
    p.term_max_months = in->Int("term_max_months", create, 1, 360);
    p.rate_mode = in->Enum("rate_mode", create, {"fixed", "lpr_spread"});
    p.rate_min_bp = in->Int("rate_min_bp", create, -1000, 3600);
    p.rate_max_bp = in->Int("rate_max_bp", create, -1000, 3600);
    p.eligibility = JsonMember(*in, "eligibility", true);
    p.monthly_capacity = in->Int("monthly_capacity", false, 0, 1'000'000);
    p.valid_from = in->String("valid_from", false, 10);
    p.valid_to = in->String("valid_to", false, 10);
    p.policy_links = JsonMember(*in, "policy_links", false);
    if (version) *version = in->Int("version", true, 1);
    if (auto st = in->Finish(); !st) return Fail(st.error());
    return p;
}

Result<finance::DemandInput> ReadDemand(const Request& r, bool create, std::optional<long long>* version) {
    std::vector<std::string_view> fields = {"amount_fen", "term_months", "purpose", "collateral", "guarantee",
                                            "max_rate_bp", "urgency", "description"};
    if (create) fields.push_back("campaign_id");
    if (!create) fields.push_back("version");
    auto in = ReadBody(r, fields);
    if (!in) return Fail(in.error());
    finance::DemandInput d;
    d.amount_fen = in->Int("amount_fen", create, 1);
    d.term_months = in->Int("term_months", create, 1, 360);
    d.purpose = in->Enum("purpose", create, finance::kPurposes);
    d.collateral = in->String("collateral", false, 200);
    d.guarantee = in->String("guarantee", false, 200);
    d.max_rate_bp = in->Int("max_rate_bp", false, 0, 3600);
    d.urgency = in->Enum("urgency", false, finance::kUrgencies);
    d.description = in->String("description", false, 2000);
    if (create) d.campaign_id = in->Int("campaign_id", false, 1);
    if (version) *version = in->Int("version", true, 1);
    if (auto st = in->Finish(); !st) return Fail(st.error());
    return d;
}

Result<finance::EventInput> ReadEvent(const Request& r) {
    auto in = ReadBody(r, {"note", "reason_code", "advice", "approved_amount_fen", "rate_bp", "loan_ref", "disbursed_on",
                           "has_collateral", "has_guarantee", "use_industry_code", "green_use"});
    if (!in) return Fail(in.error());
    finance::EventInput e;
    e.note = in->String("note", false, 500).value_or("");
    e.reason_code = in->String("reason_code", false, 32).value_or("");
    e.advice = in->String("advice", false, 500).value_or("");
    e.approved_amount_fen = in->Int("approved_amount_fen", false, 1);
    e.rate_bp = in->Int("rate_bp", false, 0, 3600);
    e.loan_ref = in->String("loan_ref", false, 64).value_or("");
    e.disbursed_on = in->String("disbursed_on", false, 10);
    if (e.disbursed_on && !ParseIsoTimestamp(*e.disbursed_on))
        in->AddError("disbursed_on", "invalid_date", "日期格式应为 YYYY-MM-DD");
    e.has_collateral = in->Bool("has_collateral", false).value_or(false);
    e.has_guarantee = in->Bool("has_guarantee", false).value_or(false);
    e.use_industry_code = in->String("use_industry_code", false, 5).value_or("");
    e.green_use = in->Bool("green_use", false).value_or(false);
    if (auto st = in->Finish(); !st) return Fail(st.error());
    return e;
}

void RegisterProducts(Router& router, Services& s) {
    router.Get("/api/v1/products", "product:read", [&s](Request& r) {
        auto paging = ParsePaging(r);
        auto institution = QueryInt(r, "institution_id");
        if (!paging) return Problem(paging.error(), r);
        if (!institution) return Problem(institution.error(), r);
        return JsonAnswer(s.products.List(*r.principal, {QueryParam(r, "q"), QueryParam(r, "kind"), *institution,
                                                         QueryParam(r, "status"), paging->offset, paging->limit}), r);
    });
    router.Get("/api/v1/products/{id}", "product:read", [&s](Request& r) {
        auto id = PathId(r);
        return id ? JsonAnswer(s.products.Get(*r.principal, *id), r) : Problem(id.error(), r);
    });
    router.Post("/api/v1/products", "product:write", [&s](Request& r) {
        auto p = ReadProduct(r, true);
        if (!p) return Problem(p.error(), r);
        auto command = MakeCommand(r, "product.create", "product", "product:write");
        return command ? OutcomeAnswer(s.products.Create(*r.principal, ActorOf(r), *p, *command), r) : Problem(command.error(), r);
    });
    router.Patch("/api/v1/products/{id}", "product:write", [&s](Request& r) {
        auto id = PathId(r);
        if (!id) return Problem(id.error(), r);
        std::optional<long long> version;
        auto p = ReadProduct(r, false, &version);
        if (!p) return Problem(p.error(), r);
        auto command = MakeCommand(r, "product.update", "product", "product:write", std::to_string(*id));
        return command ? OutcomeAnswer(s.products.Update(*r.principal, ActorOf(r), *id, *p, *version, *command), r)
                       : Problem(command.error(), r);
    });
    for (const char* action : {"publish", "suspend", "resume", "withdraw", "approve"}) {
        const std::string permission = std::string(action) == "approve" ? "product:review" : "product:write";
        router.Post(std::string("/api/v1/products/{id}/") + action, permission, [&s, action, permission](Request& r) {
            auto id = PathId(r);
            if (!id) return Problem(id.error(), r);
            auto command = MakeCommand(r, std::string("product.") + action, "product", permission, std::to_string(*id));
            return command ? OutcomeAnswer(s.products.ChangeStatus(*r.principal, ActorOf(r), *id, action, *command), r)
                           : Problem(command.error(), r);
        });
    }
}

void RegisterDemands(Router& router, Services& s) {
    router.Get("/api/v1/demands", "demand:read", [&s](Request& r) {
        auto paging = ParsePaging(r);
        if (!paging) return Problem(paging.error(), r);
        return JsonAnswer(s.demands.List(*r.principal, QueryParam(r, "status"), paging->offset, paging->limit), r);
    });
    router.Get("/api/v1/demands/{id}", "demand:read", [&s](Request& r) {
        auto id = PathId(r);
        return id ? JsonAnswer(s.demands.Get(*r.principal, *id), r) : Problem(id.error(), r);
    });
    router.Post("/api/v1/demands", "demand:write", [&s](Request& r) {
        auto d = ReadDemand(r, true, nullptr);
        if (!d) return Problem(d.error(), r);
        auto command = MakeCommand(r, "demand.create", "demand", "demand:write");
        return command ? OutcomeAnswer(s.demands.Create(*r.principal, ActorOf(r), *d, *command), r) : Problem(command.error(), r);
    });
    router.Patch("/api/v1/demands/{id}", "demand:write", [&s](Request& r) {
        auto id = PathId(r);
        if (!id) return Problem(id.error(), r);
        std::optional<long long> version;
        auto d = ReadDemand(r, false, &version);
        if (!d) return Problem(d.error(), r);
        auto command = MakeCommand(r, "demand.update", "demand", "demand:write", std::to_string(*id));
        return command ? OutcomeAnswer(s.demands.Update(*r.principal, ActorOf(r), *id, *d, *version, *command), r)
                       : Problem(command.error(), r);
    });
    router.Post("/api/v1/demands/{id}/close", "demand:write", [&s](Request& r) {
        auto id = PathId(r);
        if (!id) return Problem(id.error(), r);
        auto command = MakeCommand(r, "demand.close", "demand", "demand:write", std::to_string(*id));
        return command ? OutcomeAnswer(s.demands.Close(*r.principal, ActorOf(r), *id, *command), r) : Problem(command.error(), r);
    });
    router.Post("/api/v1/demands/{id}/take-up", "application:decide", [&s](Request& r) {
        auto id = PathId(r);
        if (!id) return Problem(id.error(), r);
        auto in = ReadBody(r, {"product_id"});
        if (!in) return Problem(in.error(), r);
        auto product = in->Int("product_id", false, 1);
        if (auto st = in->Finish(); !st) return Problem(st.error(), r);
        auto command = MakeCommand(r, "application.take_up", "application", "application:decide", std::to_string(*id));
        return command ? OutcomeAnswer(s.applications.TakeUp(*r.principal, ActorOf(r), *id, product, *command), r)
                       : Problem(command.error(), r);
    });
}

void RegisterApplications(Router& router, Services& s) {
    router.Get("/api/v1/applications", "application:read", [&s](Request& r) {
        auto paging = ParsePaging(r);
        auto overdue = QueryBool(r, "overdue");
        if (!paging) return Problem(paging.error(), r);
        if (!overdue) return Problem(overdue.error(), r);
        return JsonAnswer(s.applications.List(*r.principal, {QueryParam(r, "status"), overdue->value_or(false),
                                                             paging->offset, paging->limit}), r);
    });
    router.Get("/api/v1/applications/{id}", "application:read", [&s](Request& r) {
        auto id = PathId(r);
        return id ? JsonAnswer(s.applications.Get(*r.principal, *id), r) : Problem(id.error(), r);
    });
    router.Post("/api/v1/applications", "application:create", [&s](Request& r) {
        auto in = ReadBody(r, {"product_id", "demand_id", "amount_fen", "term_months"});
        if (!in) return Problem(in.error(), r);
        finance::NewApplication a;
        a.product_id = in->Int("product_id", true, 1).value_or(0);
        a.demand_id = in->Int("demand_id", false, 1);
        a.amount_fen = in->Int("amount_fen", true, 1).value_or(0);
        a.term_months = in->Int("term_months", true, 1, 360).value_or(0);
        if (auto st = in->Finish(); !st) return Problem(st.error(), r);
        auto command = MakeCommand(r, "application.create", "application", "application:create");
        return command ? OutcomeAnswer(s.applications.Apply(*r.principal, ActorOf(r), a, *command), r)
                       : Problem(command.error(), r);
    });
    router.Post("/api/v1/applications/{id}/contact", "application:decide", [&s](Request& r) {
        auto id = PathId(r);
        if (!id) return Problem(id.error(), r);
        auto in = ReadBody(r, {"note"});
        if (!in) return Problem(in.error(), r);
        auto note = in->String("note", false, 500);
        if (auto st = in->Finish(); !st) return Problem(st.error(), r);
        auto command = MakeCommand(r, "application.contact", "application", "application:decide", std::to_string(*id));
        return command ? OutcomeAnswer(s.applications.RecordContact(*r.principal, ActorOf(r), *id, note.value_or(""), *command), r)
                       : Problem(command.error(), r);
    });
    // One route per event keeps permissions explicit: the enterprise's two events need application:create.
    for (const char* event : {"accept", "review", "request_docs", "submit_docs", "approve", "reject", "disburse", "withdraw"}) {
        const bool by_enterprise = std::string(event) == "submit_docs" || std::string(event) == "withdraw";
        const std::string permission = by_enterprise ? "application:create" : "application:decide";
        std::string path = std::string("/api/v1/applications/{id}/") + event;
        std::replace(path.begin(), path.end(), '_', '-');
        router.Post(path, permission, [&s, event, permission](Request& r) {
            auto id = PathId(r);
            if (!id) return Problem(id.error(), r);
            auto in = ReadEvent(r);
            if (!in) return Problem(in.error(), r);
            auto command = MakeCommand(r, std::string("application.") + event, "application", permission, std::to_string(*id));
            return command ? OutcomeAnswer(s.applications.Act(*r.principal, ActorOf(r), *id, event, *in, *command), r)
                           : Problem(command.error(), r);
        });
    }
    router.Post("/api/v1/applications/{id}/consent", "consent:grant", [&s](Request& r) {
        auto id = PathId(r);
        if (!id) return Problem(id.error(), r);
        auto in = ReadBody(r, {"days"});
        if (!in) return Problem(in.error(), r);
        auto days = in->Int("days", true, 1, 3650);
        if (auto st = in->Finish(); !st) return Problem(st.error(), r);
        auto command = MakeCommand(r, "consent.grant", "consent", "consent:grant", std::to_string(*id));
        return command ? OutcomeAnswer(s.applications.GrantConsent(*r.principal, ActorOf(r), *id, *days, *command), r)
                       : Problem(command.error(), r);
    });
    router.Post("/api/v1/consents/{id}/revoke", "consent:grant", [&s](Request& r) {
        auto id = PathId(r);
        if (!id) return Problem(id.error(), r);
        auto command = MakeCommand(r, "consent.revoke", "consent", "consent:grant", std::to_string(*id));
        return command ? OutcomeAnswer(s.applications.RevokeConsent(*r.principal, ActorOf(r), *id, *command), r)
                       : Problem(command.error(), r);
    });
    router.Get("/api/v1/consents", "consent:grant", [&s](Request& r) {
        return JsonAnswer(s.applications.ConsentsAndViews(*r.principal), r);
    });
    router.Get("/api/v1/applications/{id}/credit-profile", "credit:view", [&s](Request& r) {
        auto id = PathId(r);
        return id ? JsonAnswer(s.applications.ViewCreditProfile(*r.principal, *id, r.request_id), r) : Problem(id.error(), r);
    });
}

void RegisterCampaigns(Router& router, Services& s) {
    router.Get("/api/v1/campaigns", "demand:read", [&s](Request& r) { return JsonAnswer(s.campaigns.List(*r.principal), r); });
    router.Get("/api/v1/campaigns/{id}", "campaign:write", [&s](Request& r) {
        auto id = PathId(r);
        return id ? JsonAnswer(s.campaigns.Get(*id), r) : Problem(id.error(), r);
    });
    router.Post("/api/v1/campaigns", "campaign:write", [&s](Request& r) {
        auto in = ReadBody(r, {"title", "directory_id", "deadline"});
        if (!in) return Problem(in.error(), r);
        auto title = in->String("title", true, 100, 1);
        auto directory = in->Int("directory_id", true, 1);
        auto deadline = in->String("deadline", true, 10, 1);
        if (auto st = in->Finish(); !st) return Problem(st.error(), r);
        auto command = MakeCommand(r, "campaign.open", "campaign", "campaign:write");
        return command ? OutcomeAnswer(s.campaigns.Open(ActorOf(r), *title, *directory, *deadline, *command), r)
                       : Problem(command.error(), r);
    });
    for (const char* action : {"remind", "push"}) {
        router.Post(std::string("/api/v1/campaigns/{id}/") + action, "campaign:write", [&s, action](Request& r) {
            auto id = PathId(r);
            if (!id) return Problem(id.error(), r);
            auto command = MakeCommand(r, std::string("campaign.") + action, "campaign", "campaign:write", std::to_string(*id));
            if (!command) return Problem(command.error(), r);
            return OutcomeAnswer(std::string(action) == "remind" ? s.campaigns.Remind(ActorOf(r), *id, *command)
                                                                 : s.campaigns.Push(ActorOf(r), *id, *command), r);
        });
    }
    router.Get("/api/v1/campaigns/{id}/demands/export", "campaign:write", [&s](Request& r) {
        auto id = PathId(r);
        if (!id) return Problem(id.error(), r);
        return StreamTable(r, "campaign-" + std::to_string(*id), "征集需求",
                           {"统一社会信用代码", "企业名称", "所属区", "金额(元)", "期限(月)", "用途", "可提供抵押", "可提供担保",
                            "紧急程度", "说明"},
                           [&s, id = *id](TableWriter& writer) { return s.campaigns.ExportNeeds(id, writer); });
    });
}

void RegisterLoans(Router& router, Services& s) {
    router.Get("/api/v1/loans", "loan:read", [&s](Request& r) {
        auto paging = ParsePaging(r);
        if (!paging) return Problem(paging.error(), r);
        return JsonAnswer(s.loans.List(*r.principal, QueryParam(r, "as_of"), paging->offset, paging->limit), r);
    });
    router.Post("/api/v1/loans", "loan:write", [&s](Request& r) {
        auto in = ReadBody(r, {"uscc", "loan_ref", "product_kind", "amount_fen", "rate_bp", "term_months", "disbursed_on",
                               "has_collateral", "has_guarantee", "use_industry_code", "green_use"});
        if (!in) return Problem(in.error(), r);
        finance::LoanRecord loan;
        auto uscc = in->String("uscc", true, 18, 1);
        loan.loan_ref = in->String("loan_ref", true, 64, 1).value_or("");
        loan.product_kind = in->String("product_kind", false, 32).value_or("");
        loan.amount_fen = in->Int("amount_fen", true, 1).value_or(0);
        loan.rate_bp = in->Int("rate_bp", true, 0, 3600).value_or(0);
        loan.term_months = in->Int("term_months", true, 1, 360).value_or(0);
        loan.disbursed_on = in->String("disbursed_on", true, 10).value_or("");
        loan.has_collateral = in->Bool("has_collateral", false).value_or(false);
        loan.has_guarantee = in->Bool("has_guarantee", false).value_or(false);
        loan.use_industry_code = in->String("use_industry_code", false, 5).value_or("");
        loan.green_use = in->Bool("green_use", false).value_or(false);
        if (auto st = in->Finish(); !st) return Problem(st.error(), r);
        auto command = MakeCommand(r, "loan.report", "loan", "loan:write");
        return command ? OutcomeAnswer(s.loans.Report(*r.principal, ActorOf(r), loan, *uscc, *command), r)
                       : Problem(command.error(), r);
    });
    router.Add({"POST", "/api/v1/loans/import", true, "loan:write", [&s](Request& r) {
        auto dry = QueryBool(r, "dry_run");
        auto strict = QueryBool(r, "strict");
        if (!dry) return Problem(dry.error(), r);
        if (!strict) return Problem(strict.error(), r);
        if (!r.principal->institution_id) return Problem(Error::PermissionDenied("只有金融机构可以报送贷款"), r);
        if (r.body.empty()) return Problem(Error::Field("file", "required", "请上传 CSV 或 XLSX 文件"), r);
        finance::LoanImportOptions options{*r.principal->institution_id, dry->value_or(true), strict->value_or(false),
                                           QueryParam(r, "file_name").value_or("").substr(0, 200)};
        return JsonAnswer(finance::ImportLoans(s.db, s.clock, s.pipeline, ActorOf(r), options, r.body), r);
    }, true});
    router.Get("/api/v1/loans/import-template", "loan:write", [](Request& r) {
        const bool csv = QueryParam(r, "format").value_or("xlsx") == "csv";
        const auto format = csv ? TableWriter::Format::kCsv : TableWriter::Format::kXlsx;
        auto bytes = finance::LoanImportTemplate(format);
        if (!bytes) return Problem(bytes.error(), r);
        Response response;
        response.body = std::move(*bytes);
        response.content_type = TableWriter::ContentType(format);
        response.headers.emplace_back("Content-Disposition", std::string("attachment; filename=\"loan-template.") +
                                                                 TableWriter::Extension(format) + "\"");
        return response;
    });
    router.Post("/api/v1/loans/{id}/repayments", "loan:write", [&s](Request& r) {
        auto id = PathId(r);
        if (!id) return Problem(id.error(), r);
        auto in = ReadBody(r, {"paid_on", "principal_fen"});
        if (!in) return Problem(in.error(), r);
        auto paid = in->String("paid_on", true, 10, 1);
        auto principal = in->Int("principal_fen", true, 1);
        if (auto st = in->Finish(); !st) return Problem(st.error(), r);
        auto command = MakeCommand(r, "loan.repay", "loan", "loan:write", std::to_string(*id));
        return command ? OutcomeAnswer(s.loans.Repay(*r.principal, ActorOf(r), *id, *paid, *principal, *command), r)
                       : Problem(command.error(), r);
    });
    router.Post("/api/v1/loans/{id}/outcome", "loan:write", [&s](Request& r) {
        auto id = PathId(r);
        if (!id) return Problem(id.error(), r);
        auto in = ReadBody(r, {"outcome", "as_of"});
        if (!in) return Problem(in.error(), r);
        auto outcome = in->Enum("outcome", true, {"performing", "overdue", "default"});
        auto as_of = in->String("as_of", true, 10, 1);
        if (auto st = in->Finish(); !st) return Problem(st.error(), r);
        auto command = MakeCommand(r, "loan.outcome", "loan", "loan:write", std::to_string(*id));
        return command ? OutcomeAnswer(s.loans.RecordOutcome(*r.principal, ActorOf(r), *id, *outcome, *as_of, *command), r)
                       : Problem(command.error(), r);
    });
}

}  // namespace

void RegisterFinanceRoutes(Router& router, Services& s) {
    RegisterProducts(router, s);
    RegisterDemands(router, s);
    RegisterApplications(router, s);
    RegisterLoans(router, s);
    RegisterCampaigns(router, s);
    // Transparency is public: the scorecard needs no login.
    router.Public("GET", "/api/v1/institution-scorecards", [&s](Request& r) {
        return JsonAnswer(s.applications.Scorecards(QueryParam(r, "from").value_or("2000-01-01"),
                                                    QueryParam(r, "to").value_or("2100-01-01")), r);
    });
    router.Get("/api/v1/product-kinds", "", [&s](Request& r) {
        auto rows = s.db.Read([](soci::session& session) -> Result<json::object> {
            std::string code, name;
            soci::statement st = (session.prepare << "SELECT code, name FROM product_kinds ORDER BY sort", soci::into(code),
                                  soci::into(name));
            st.execute();
            json::array items;
            while (st.fetch()) items.push_back(json::object{{"code", code}, {"name", name}});
            return json::object{{"items", std::move(items)}};
        });
        return JsonAnswer(rows, r);
    });
    router.Get("/api/v1/rejection-reasons", "", [&s](Request& r) {
        auto rows = s.db.Read([](soci::session& session) -> Result<json::object> {
            std::string code, name, advice;
            soci::statement st = (session.prepare << "SELECT code, name, advice FROM rejection_reasons ORDER BY code",
                                  soci::into(code), soci::into(name), soci::into(advice));
            st.execute();
            json::array items;
            while (st.fetch()) items.push_back(json::object{{"code", code}, {"name", name}, {"advice", advice}});
            return json::object{{"items", std::move(items)}};
        });
        return JsonAnswer(rows, r);
    });
}

}  // namespace chanrong::http

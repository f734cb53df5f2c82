#include "demo/demo_city.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include <map>

#include "auth/role_service.hpp"
#include "auth/user_service.hpp"
#include "common/crypto.hpp"
#include "common/uscc.hpp"
#include "finance/application_service.hpp"
#include "finance/demand_service.hpp"
#include "finance/product_service.hpp"
#include "registry/directory_service.hpp"
#include "registry/enterprise_service.hpp"
#include "registry/institution_service.hpp"

namespace chanrong::demo {
namespace json = boost::json;
namespace {

struct Dept {
    const char* code;
    const char* name;
    const char* parent;
};
const std::vector<Dept> kDepartments = {
    {"XM", "厦门市人民政府", nullptr},        {"FGW", "市发展和改革委员会", "XM"}, {"GXJ", "市工业和信息化局", "XM"},
    {"JRB", "市委金融办", "XM"},              {"KJJ", "市科学技术局", "XM"},       {"CZJ", "市财政局", "XM"},
    {"PBC", "人民银行厦门市分行", "XM"},      {"NFRA", "厦门金融监管局", "XM"},    {"GXJ-CY", "产业金融处", "GXJ"},
};

struct Inst {
    const char* name;
    const char* kind;
    const char* district;
    const char* org;  // organisation-code body for a generated credit code
};
const std::vector<Inst> kInstitutions = {
    {"厦门银行股份有限公司", "bank", "思明区", "26013185"},
    {"中国工商银行厦门市分行", "bank", "思明区", "15499001"},
    {"中国建设银行厦门市分行", "bank", "思明区", "15499002"},
    {"兴业银行厦门分行", "bank", "思明区", "15499003"},
    {"厦门农村商业银行", "bank", "湖里区", "15499004"},
    {"中国人民财产保险厦门市分公司", "insurer", "思明区", "15499005"},
    {"厦门市融资担保有限公司", "guarantor", "思明区", "15499006"},
    {"厦门市产业投资基金管理有限公司", "fund", "湖里区", "15499007"},
    {"厦门金圆融资租赁有限公司", "leasing", "湖里区", "15499008"},
};

struct Ent {
    const char* name;
    const char* district;
    const char* division;  // GB/T 2260 code of the district
    const char* industry;  // GB/T 4754-2017 class
    const char* class446;  // what the mapping should give (documentation of the demo's spread)
    int employees;
    long long revenue_wan;
    long long assets_wan;
};
const std::vector<Ent> kEnterprises = {
    {"厦门鹭芯显示科技有限公司", "翔安区", "350213", "C3974", "P1", 1800, 520000, 900000},
    {"厦门海晟软件信息技术有限公司", "思明区", "350203", "I6513", "P1", 260, 18000, 9000},
    {"厦门同禾精密机械有限公司", "集美区", "350211", "C3484", "P2", 180, 9000, 12000},
    {"厦门集翔汽车零部件有限公司", "集美区", "350211", "C3670", "P2", 420, 36000, 30000},
    {"厦门港联供应链管理有限公司", "海沧区", "350205", "G5990", "P3", 90, 60000, 15000},
    {"厦门鹭岛商贸有限公司", "湖里区", "350206", "F5179", "P3", 12, 900, 300},
    {"厦门海沧生物医药有限公司", "海沧区", "350205", "C2720", "S1", 650, 80000, 120000},
    {"厦门鹭康医疗器械有限公司", "海沧区", "350205", "C3581", "S1", 75, 4200, 6000},
    {"厦门翔钨新材料有限公司", "同安区", "350212", "C3240", "S2", 320, 45000, 52000},
    {"厦门新锂能源电池有限公司", "翔安区", "350213", "C3841", "S3", 1100, 150000, 200000},
    {"厦门光合光伏科技有限公司", "同安区", "350212", "C3825", "S3", 150, 12000, 16000},
    {"厦门鼓浪文化创意有限公司", "思明区", "350203", "R8710", "S4", 25, 600, 400},
    {"厦门星海数字娱乐有限公司", "思明区", "350203", "I6579", "S4", 60, 3000, 1500},
    {"厦门碳化硅半导体有限公司", "海沧区", "350205", "C3972", "F1", 140, 7000, 20000},
    {"厦门未来网络通信技术有限公司", "湖里区", "350206", "I6319", "F2", 45, 2500, 1800},
    {"厦门前沿材料研究院有限公司", "集美区", "350211", "M7320", "F3", 18, 400, 900},
    {"厦门氢动储能科技有限公司", "翔安区", "350213", "C3849", "F4", 33, 1200, 2600},
    {"厦门基因生物技术有限公司", "海沧区", "350205", "M7340", "F5", 55, 2600, 5000},
    {"厦门深蓝海洋装备有限公司", "海沧区", "350205", "C3731", "F6", 210, 16000, 30000},
    {"厦门智算人工智能科技有限公司", "思明区", "350203", "I6520", "F7", 38, 1500, 1200},
};

const std::vector<std::string> kLegalReps = {"张伟明", "李建华", "王国庆", "陈志强", "林晓燕"};

struct DemoUser {
    const char* username;
    const char* display_name;
    const char* role;
    const char* department;   // department code, or null
    int institution = -1;     // index in kInstitutions
    int enterprise = -1;      // index in kEnterprises
};
const std::vector<DemoUser> kUsers = {
    {"admin", "系统管理员", "admin", "XM"},
    {"auditor", "审计员", "auditor", "XM"},
    {"officer_fgw", "发改委工作人员", "gov_officer", "FGW"},
    {"officer_gxj", "工信局工作人员", "gov_officer", "GXJ"},
    {"bank_admin", "厦门银行管理员", "institution_admin", nullptr, 0},
    {"bank_staff", "厦门银行客户经理", "institution_staff", nullptr, 0},
    {"icbc_admin", "工商银行管理员", "institution_admin", nullptr, 1},
    {"enterprise", "鹭芯显示财务经理", "enterprise_user", nullptr, -1, 0},
};

std::string DemoPassword() { return "Cr-" + crypto::RandomToken(9) + "7x"; }

// id of the row whose `column` equals `value` in `table`, if any.
Result<std::optional<long long>> FindId(storage::Database& db, const std::string& table, const std::string& column,
                                        const std::string& value) {
    return db.Read([&](soci::session& s) -> Result<std::optional<long long>> {
        long long id = 0;
        s << "SELECT id FROM " + table + " WHERE " + column + " = :v", soci::use(value), soci::into(id);
        return s.got_data() ? std::optional(id) : std::nullopt;
    });
}

Result<std::map<std::string, long long>> SeedDepartments(auth::AuthContext ctx, const audit::Actor& actor, int& created) {
    auth::DepartmentService departments(ctx);
    std::map<std::string, long long> ids;
    for (const auto& d : kDepartments) {
        auto existing = FindId(ctx.db, "departments", "code", d.code);
        if (!existing) return Fail(existing.error());
        if (*existing) {
            ids[d.code] = **existing;
            continue;
        }
        auth::DepartmentInput in{.name = d.name, .code = d.code};
        if (d.parent) in.parent_id = std::optional(ids.at(d.parent));
        auto out = departments.Create(actor, in, {.action = "department.create", .entity = "department",
                                                  .payload = json::serialize(json::object{{"code", d.code}, {"name", d.name}})});
        if (!out) return Fail(out.error());
        ids[d.code] = std::stoll(out->entity_id);
        ++created;
    }
    return ids;
}

template <class Item, class Make>
Result<std::vector<long long>> SeedRegistry(auth::AuthContext ctx, const std::vector<Item>& items, const char* table,
                                            Make make, int& created) {
    std::vector<long long> ids;
    for (const auto& item : items) {
        auto existing = FindId(ctx.db, table, "name", item.name);
        if (!existing) return Fail(existing.error());
        if (*existing) {
            ids.push_back(**existing);
            continue;
        }
        auto id = make(item);
        if (!id) return Fail(id.error());
        ids.push_back(*id);
        ++created;
    }
    return ids;
}

Result<DemoLogin> SeedUser(auth::AuthContext ctx, const DemoUser& u, const std::map<std::string, long long>& depts,
                           const std::vector<long long>& institutions, const std::vector<long long>& enterprises) {
    const std::string password = DemoPassword();
    auto role_id = FindId(ctx.db, "roles", "code", u.role);
    if (!role_id || !*role_id) return Fail(Error::FailedPrecondition(std::string("缺少内置角色 ") + u.role));
    auto existing = FindId(ctx.db, "users", "username", u.username);
    if (!existing) return Fail(existing.error());
    auth::PrincipalCache cache;
    auth::UserService users(ctx, cache);
    auth::Principal system;
    system.scope_all = true;
    const auto actor = audit::Actor::System("seed-demo");
    DemoLogin login{u.username, password, "", ""};
    if (*existing) {
        if (auto st = users.ResetPassword(system, actor, **existing, password); !st) return Fail(st.error());
    } else {
        auth::NewUser nu{.username = u.username, .display_name = u.display_name, .password = password,
                         .role_ids = {**role_id}};
        if (u.department) nu.department_id = depts.at(u.department);
        if (u.institution >= 0) nu.institution_id = institutions[u.institution];
        if (u.enterprise >= 0) nu.enterprise_id = enterprises[u.enterprise];
        auto out = users.Create(actor, nu, {.action = "user.create", .entity = "user",
                                            .payload = json::serialize(json::object{{"username", u.username}})});
        if (!out) return Fail(out.error());
    }
    for (const auto& r : auth::BuiltInRoles())
        if (r.code == u.role) login.role_name = r.name;
    if (u.department) login.bound_to = std::find_if(kDepartments.begin(), kDepartments.end(), [&](const Dept& d) { return std::string(d.code) == u.department; })->name;
    if (u.institution >= 0) login.bound_to = kInstitutions[u.institution].name;
    if (u.enterprise >= 0) login.bound_to = kEnterprises[u.enterprise].name;
    return login;
}

// White list, listing reserve (both layers) and a chain list, with one exit, so history has something to show.
Result<int> SeedDirectories(auth::AuthContext ctx, const std::vector<long long>& enterprises, bool fresh) {
    if (!fresh) return 0;
    registry::DirectoryService directories(ctx.db, ctx.clock, ctx.pipeline);
    const auto actor = audit::Actor::System("seed-demo");
    struct Stay { const char* code; int enterprise; const char* layer; const char* from; const char* reason; };
    const std::vector<Stay> stays = {
        {"white_list", 0, "", "2024-03-01", "2024年度重点企业白名单（市发改委认定）"},
        {"white_list", 2, "", "2024-03-01", "2024年度重点企业白名单（市发改委认定）"},
        {"white_list", 6, "", "2024-03-01", "2024年度重点企业白名单（市发改委认定）"},
        {"white_list", 9, "", "2025-03-01", "2025年度重点企业白名单增补"},
        {"tech_pilot", 13, "", "2024-06-01", "科技产业金融一体化专项试点第一批"},
        {"tech_pilot", 19, "", "2025-06-01", "科技产业金融一体化专项试点第二批"},
        {"listing_reserve", 1, "cultivation", "2024-09-01", "拟上市挂牌后备企业（培育层）"},
        {"listing_reserve", 7, "base", "2024-09-01", "拟上市挂牌后备企业（基础层）"},
        {"green_enterprise", 10, "", "2025-01-15", "绿色融资企业库入库（光伏设备制造）"},
        {"chain_display", 0, "", "2024-05-01", "平板显示产业链链主企业"},
        {"chain_battery", 9, "", "2024-05-01", "新能源电池产业链重点企业"},
    };
    auto list = ctx.db.Read([](soci::session& s) -> Result<std::map<std::string, long long>> {
        std::map<std::string, long long> ids;
        std::string code;
        long long id = 0;
        soci::statement st = (s.prepare << "SELECT code, id FROM directories", soci::into(code), soci::into(id));
        st.execute();
        while (st.fetch()) ids[code] = id;
        return ids;
    });
    if (!list) return Fail(list.error());
    int added = 0;
    for (const auto& stay : stays) {
        registry::EntryInput e{.enterprise_id = enterprises[stay.enterprise], .layer = stay.layer,
                               .effective_from = stay.from, .reason = stay.reason, .evidence = "厦发改〔2024〕示例文号"};
        auto out = directories.AddEntry(actor, list->at(stay.code), e, {.action = "directory.enter", .entity = "directory"});
        if (!out) return Fail(out.error());
        ++added;
        if (std::string(stay.code) == "white_list" && stay.enterprise == 2) {
            auto exit = directories.ExitEntry(actor, std::stoll(out->entity_id),
                                              {"2025-03-01", "2025年度复核未通过（营收下降）", "复核意见书"},
                                              {.action = "directory.exit", .entity = "directory_entry"});
            if (!exit) return Fail(exit.error());
        }
    }
    return added;
}

// Products of three institutions, the demo enterprise's needs and applications at different stages, so the
// financing loop has something to show.
Status SeedFinance(auth::AuthContext ctx, const std::vector<long long>& institutions, long long enterprise) {
    static const FinanceConfig finance_config;
    finance::ProductService products(ctx.db, ctx.clock, ctx.pipeline, finance_config);
    finance::DemandService demands(ctx.db, ctx.clock, ctx.pipeline);
    finance::ApplicationService applications(ctx.db, ctx.clock, ctx.pipeline, finance_config);
    const auto actor = audit::Actor::System("seed-demo");
    struct Product {
        int institution;
        const char* name;
        const char* kind;
        long long min_wan, max_wan;
        int term_min, term_max;
        const char* mode;
        int rate_min, rate_max;
        const char* eligibility;
    };
    const Product catalogue[] = {
        {0, "鹭岛科创贷", "tech_credit", 100, 3000, 6, 36, "lpr_spread", 0, 80,
         R"({"classes446":["P1","S1","S2","S3","F1","F2","F3","F4","F5","F6","F7"],"sizes":["medium","small","micro"]})"},
        {0, "首贷通", "first_loan", 50, 1000, 6, 12, "fixed", 320, 420, R"({"sizes":["small","micro"]})"},
        {1, "制造业中长期贷", "mortgage_loan", 500, 20000, 13, 120, "lpr_spread", -10, 50,
         R"({"industry_prefixes":["C"],"collateral_required":true})"},
        {2, "绿色信贷通", "green_loan", 200, 10000, 12, 60, "lpr_spread", -20, 30, R"({"classes446":["S3","S2"]})"},
        {0, "普惠信用贷", "credit_loan", 100, 5000, 3, 36, "lpr_spread", 20, 120, R"({"min_credit_grade":"BBB"})"},
        {2, "链上e贷", "supply_chain", 100, 8000, 3, 24, "fixed", 330, 450, R"({"min_years":2})"},
        {4, "增信基金担保贷", "fund_guarantee", 50, 2000, 6, 36, "fixed", 300, 380,
         R"({"sizes":["small","micro"],"collateral":"guarantee","guarantee_kinds":["fund"]})"},
        {7, "产业基金直投（路演）", "equity", 500, 20000, 36, 84, "fixed", 0, 0,
         R"({"classes446":["S1","S2","S3","F1","F2","F3","F4","F5","F6","F7"],"stages":["growth","mature","pre_ipo"]})"},
    };
    std::vector<long long> ids;
    for (const auto& p : catalogue) {
        auth::Principal bank;
        bank.institution_id = institutions[p.institution];
        finance::ProductInput in{.name = p.name, .kind = p.kind, .description = std::string(p.name) + "（演示产品）",
                                 .amount_min_fen = p.min_wan * 1'000'000, .amount_max_fen = p.max_wan * 1'000'000,
                                 .term_min_months = p.term_min, .term_max_months = p.term_max, .rate_mode = p.mode,
                                 .rate_min_bp = p.rate_min, .rate_max_bp = p.rate_max, .eligibility = p.eligibility,
                                 .monthly_capacity = 100};
        auto created = products.Create(bank, actor, in, {.action = "product.create", .entity = "product"});
        if (!created) return Fail(created.error());
        ids.push_back(std::stoll(created->entity_id));
        auto published = products.ChangeStatus(bank, actor, ids.back(), "publish", {.action = "product.publish", .entity = "product"});
        if (!published) return Fail(published.error());
    }
    auth::Principal owner;
    owner.enterprise_id = enterprise;
    auth::Principal bank;
    bank.institution_id = institutions[0];
    struct Step { long long amount_wan; int term; const char* purpose; std::vector<const char*> events; };
    const Step steps[] = {{800, 24, "rd", {"accept", "review", "approve", "disburse"}},
                          {500, 12, "working_capital", {"accept", "review"}},
                          {300, 18, "equipment", {}}};
    for (const auto& step : steps) {
        auto demand = demands.Create(owner, actor, {.amount_fen = step.amount_wan * 1'000'000, .term_months = step.term,
                                                    .purpose = step.purpose, .max_rate_bp = 450},
                                     {.action = "demand.create", .entity = "demand"});
        if (!demand) return Fail(demand.error());
        auto app = applications.Apply(owner, actor, {ids[0], std::stoll(demand->entity_id), step.amount_wan * 1'000'000, step.term},
                                      {.action = "application.create", .entity = "application"});
        if (!app) return Fail(app.error());
        for (const char* event : step.events) {
            finance::EventInput in;
            in.loan_ref = "XMB-DEMO-" + app->entity_id;
            auto acted = applications.Act(bank, actor, std::stoll(app->entity_id), event, in,
                                          {.action = std::string("application.") + event, .entity = "application"});
            if (!acted) return Fail(acted.error());
        }
    }
    return {};
}

}  // namespace

Result<SeedReport> SeedDemoCity(auth::AuthContext ctx, const FieldCipher& cipher,
                                const std::function<void(const std::string&)>& progress) {
    SeedReport report;
    const auto actor = audit::Actor::System("seed-demo");
    progress("部门 departments …");
    auto depts = SeedDepartments(ctx, actor, report.departments);
    if (!depts) return Fail(depts.error());

    registry::InstitutionService registry(ctx.db, ctx.clock, ctx.pipeline);
    progress("金融机构 institutions …");
    auto institutions = SeedRegistry(ctx, kInstitutions, "institutions", [&](const Inst& i) {
        return registry.CreateInstitution(actor, {i.name, i.kind, *MakeUscc("91350200", i.org), i.district, std::nullopt});
    }, report.institutions);
    if (!institutions) return Fail(institutions.error());
    const std::pair<const char*, const char*> branches[] = {{"厦门银行思明支行", "思明区"}, {"厦门银行湖里支行", "湖里区"}};
    for (const auto& [branch, district] : branches) {
        auto existing = FindId(ctx.db, "institutions", "name", branch);
        if (!existing) return Fail(existing.error());
        if (*existing) continue;
        auto id = registry.CreateInstitution(actor, {branch, "bank", "", district, institutions->at(0)});
        if (!id) return Fail(id.error());
        ++report.institutions;
    }

    progress("企业 enterprises …");
    registry::EnterpriseService enterprise_service(ctx.db, ctx.clock, ctx.pipeline, cipher);
    auth::Principal officer;
    officer.scope_all = true;
    officer.permissions = {"enterprise:write"};
    auto enterprises = SeedRegistry(ctx, kEnterprises, "enterprises", [&](const Ent& e) -> Result<long long> {
        const long index = &e - kEnterprises.data();
        const std::string org = "MA3" + std::string(1, "ABCDEFGH"[index % 8]) + std::to_string(1000 + index);
        registry::EnterpriseFields f{.name = e.name, .district = e.district, .industry_code = e.industry,
                                     .legal_rep = kLegalReps[index % kLegalReps.size()],
                                     .registered_capital_fen = (e.assets_wan / 10) * 1'000'000,
                                     .founded_on = std::to_string(2003 + index % 18) + "-0" + std::to_string(1 + index % 9) + "-15",
                                     .contact_person = "李经理", .contact_phone = "1395920" + std::to_string(1000 + index)};
        auto created = enterprise_service.Create(actor, *MakeUscc(std::string("91") + e.division, org), f,
                                                 {.action = "enterprise.create", .entity = "enterprise"});
        if (!created) return Fail(created.error());
        const long long id = std::stoll(created->entity_id);
        registry::YearFigures figures{.year = 2025, .employees = e.employees, .revenue_fen = e.revenue_wan * 1'000'000,
                                      .assets_fen = e.assets_wan * 1'000'000, .liabilities_fen = e.assets_wan * 450'000,
                                      .rd_spend_fen = e.revenue_wan * 45'000, .rd_staff = e.employees / 6,
                                      .value_added_fen = e.revenue_wan * 280'000, .invention_patents = index % 12};
        auto put = enterprise_service.PutFigures(officer, actor, id, figures, {.action = "enterprise.figures", .entity = "enterprise"});
        if (!put) return Fail(put.error());
        if (index % 3 == 0) {
            auto tag = enterprise_service.AddTag(officer, actor, id,
                                                 {"high_tech", "2024-01-01", "2026-12-31", "GR2024350200" + std::to_string(100 + index), "", ""},
                                                 {.action = "enterprise.tag", .entity = "enterprise"});
            if (!tag) return Fail(tag.error());
        }
        return id;
    }, report.enterprises);
    if (!enterprises) return Fail(enterprises.error());

    progress("名录 directory memberships …");
    auto entries = SeedDirectories(ctx, *enterprises, report.enterprises > 0);
    if (!entries) return Fail(entries.error());
    report.directory_entries = *entries;

    if (report.enterprises > 0) {
        progress("金融产品与融资申请 products and applications …");
        if (auto st = SeedFinance(ctx, *institutions, enterprises->at(0)); !st) return Fail(st.error());
        progress("公共信用数据与评分 credit records and scores …");
        if (auto st = SeedCredit(ctx, *enterprises); !st) return Fail(st.error());
    }

    progress("演示账户 demo logins …");
    for (const auto& u : kUsers) {
        auto login = SeedUser(ctx, u, *depts, *institutions, *enterprises);
        if (!login) return Fail(login.error());
        report.logins.push_back(std::move(*login));
    }
    if (report.enterprises > 0) {
        progress("试点指标历史数据 pilot history …");
        if (auto st = SeedKpi(ctx, *institutions, *enterprises); !st) return Fail(st.error());
    }
    return report;
}

}  // namespace chanrong::demo

// Registry services against real databases (SQLite, and PostgreSQL when configured): enterprises, tags, search,
// directories and institutions. Imports are in import_db_test.cpp.
#include <gtest/gtest.h>
#include <boost/json.hpp>
#include <soci/soci.h>

#include "registry/institution_service.hpp"
#include "registry/registry_db_fixture.hpp"

namespace chanrong::registry {
namespace {
namespace json = boost::json;
using registry_test::RegistryDbTest;

TEST_P(RegistryDbTest, DirectoryHistoryAnswersAsOfAndDiff) {
    const long long a = CreateEnterprise("91350200776049653A", "厦门甲科技有限公司", "C3974");
    const long long b = CreateEnterprise("91350500798359476R", "厦门乙科技有限公司", "I6513");
    auto add = [&](long long enterprise, const char* from) {
        auto out = directories_->AddEntry(actor_, 1, {.enterprise_id = enterprise, .effective_from = from, .reason = "r"},
                                          {.action = "directory.enter", .entity = "directory"});
        EXPECT_TRUE(out) << out.error().message;
        return out ? std::stoll(out->entity_id) : 0;
    };
    const long long stay = add(a, "2024-03-01");
    add(b, "2025-03-01");
    ASSERT_TRUE(directories_->ExitEntry(actor_, stay, {"2025-03-01", "复核未通过", ""},
                                        {.action = "directory.exit", .entity = "directory_entry"}));
    auto dup = directories_->AddEntry(actor_, 1, {.enterprise_id = b, .effective_from = "2025-06-01", .reason = "r"},
                                      {.action = "directory.enter", .entity = "directory"});
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, ErrorCode::kConflict);

    auto names = [&](const std::string& date) {
        auto page = directories_->Members(officer_, 1, date, std::nullopt, 0, 50);
        std::vector<long long> ids;
        for (const auto& m : (*page)["items"].as_array()) ids.push_back(m.at("enterprise_id").as_int64());
        return ids;
    };
    EXPECT_EQ(names("2024-02-29"), std::vector<long long>{});
    EXPECT_EQ(names("2024-03-01"), std::vector<long long>{a});
    EXPECT_EQ(names("2025-02-28"), std::vector<long long>{a});
    EXPECT_EQ(names("2025-03-01"), std::vector<long long>{b}) << "the exit date is the first day outside";

    auto diff = directories_->Diff(officer_, 1, "2024-12-31", "2025-12-31");
    ASSERT_TRUE(diff);
    EXPECT_EQ((*diff)["added"].as_array().size(), 1u);
    EXPECT_EQ((*diff)["removed"].as_array().size(), 1u);
    EXPECT_EQ((*diff)["removed"].as_array()[0].at("exit_reason"), "复核未通过");
}

// The listing reserve pool has a base and a cultivation layer; moving up is an exit and a new stay, which the
// comparison of two dates reports as a change of layer, and "as of" answers with the layer of the day.
TEST_P(RegistryDbTest, AMoveBetweenLayersShowsAsAChangedLayer) {
    const long long a = CreateEnterprise("91350200776049653A", "厦门甲科技有限公司", "C3974");
    const long long pool = Count("SELECT id FROM directories WHERE code = 'listing_reserve'");
    auto enter = [&](const char* layer, const char* from) {
        auto out = directories_->AddEntry(actor_, pool, {.enterprise_id = a, .layer = layer, .effective_from = from, .reason = "r"},
                                          {.action = "directory.enter", .entity = "directory"});
        EXPECT_TRUE(out) << out.error().message;
        return out ? std::stoll(out->entity_id) : 0;
    };
    auto wrong = directories_->AddEntry(actor_, pool, {.enterprise_id = a, .layer = "top", .effective_from = "2025-01-01", .reason = "r"},
                                        {.action = "directory.enter", .entity = "directory"});
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().fields.at(0).field, "layer");
    const long long base = enter("base", "2025-01-01");
    ASSERT_TRUE(directories_->ExitEntry(actor_, base, {"2025-06-01", "升入培育层", ""},
                                        {.action = "directory.exit", .entity = "directory_entry"}));
    enter("cultivation", "2025-06-01");
    auto layer_on = [&](const std::string& date) {
        auto page = directories_->Members(officer_, pool, date, std::nullopt, 0, 10);
        const auto& items = (*page)["items"].as_array();
        return items.empty() ? std::string("-") : std::string(items[0].at("layer").as_string());
    };
    EXPECT_EQ(layer_on("2025-05-31"), "base");
    EXPECT_EQ(layer_on("2025-06-01"), "cultivation");
    auto diff = directories_->Diff(officer_, pool, "2025-03-01", "2025-12-31");
    ASSERT_TRUE(diff) << diff.error().message;
    EXPECT_TRUE((*diff)["added"].as_array().empty());
    EXPECT_TRUE((*diff)["removed"].as_array().empty());
    ASSERT_EQ((*diff)["changed"].as_array().size(), 1u);
    const auto& change = (*diff)["changed"].as_array()[0].as_object();
    EXPECT_EQ(change.at("before").at("layer"), "base");
    EXPECT_EQ(change.at("after").at("layer"), "cultivation");
}

TEST_P(RegistryDbTest, SearchFindsTraditionalAndShortQueries) {
    CreateEnterprise("91350200776049653A", "厦门鹭芯显示科技有限公司", "C3974");
    CreateEnterprise("91350500798359476R", "厦门海晟软件信息技术有限公司", "I6513");
    auto search = [&](const std::string& q) {
        EnterpriseFilter f;
        f.q = q;
        return (*enterprises_->List(officer_, f))["total"].as_int64();
    };
    EXPECT_EQ(search("鷺芯顯示"), 1) << "traditional characters match simplified names";
    EXPECT_EQ(search("软件"), 1) << "two-character queries fall back to LIKE";
    EXPECT_EQ(search("厦门"), 2);
    EXPECT_EQ(search("科技有限"), 1);
    EXPECT_EQ(search("913505"), 1) << "credit-code prefix";
    EXPECT_EQ(search("不存在的企业"), 0);
}

// The platform writes '' for an unknown district or industry; a row another tool wrote with NULLs still lists and shows.
TEST_P(RegistryDbTest, RowsWithNullDistrictAndIndustryListAndShow) {
    ASSERT_TRUE(db_->Write([&](soci::session& s) -> Status {
        s << "INSERT INTO enterprises (id, uscc, name, name_normalized, created_at, updated_at) VALUES "
             "(77, '91350200776049653A', '外部写入企业', '外部写入企业', 1, 1)";
        return {};
    }));
    auto listed = enterprises_->List(officer_, EnterpriseFilter{});
    ASSERT_TRUE(listed) << listed.error().message;
    EXPECT_EQ((*listed)["total"].as_int64(), 1);
    auto shown = enterprises_->Get(officer_, 77);
    ASSERT_TRUE(shown) << shown.error().message;
    EXPECT_EQ((*shown)["industry_446"].as_string(), "");
}

TEST_P(RegistryDbTest, EnterpriseIndustryChangeNeedsAnOfficer) {
    const long long id = CreateEnterprise("91350200776049653A", "厦门甲科技有限公司", "C3974");
    const auth::Principal owner = OwnerOf(id);
    EnterpriseFields change{.industry_code = "I6513", .address = "新地址"};
    auto updated = enterprises_->Update(owner, {42, "owner", "", "r", nullptr}, id, change, 1,
                                        {.action = "enterprise.update", .entity = "enterprise"});
    ASSERT_TRUE(updated) << updated.error().message;
    auto profile = *enterprises_->Get(officer_, id);
    EXPECT_EQ(profile["industry_code"], "C3974") << "the verified field waits for approval";
    EXPECT_EQ(profile["address"], "新地址") << "other fields apply at once";
    ASSERT_EQ(profile["pending_changes"].as_array().size(), 1u);
    const long long change_id = profile["pending_changes"].as_array()[0].at("id").as_int64();
    auto self = enterprises_->DecidePending({42, "owner", "", "r", nullptr}, change_id, true, "",
                                            {.action = "pending_change.approve", .entity = "pending_change"});
    ASSERT_FALSE(self);
    EXPECT_EQ(self.error().code, ErrorCode::kFailedPrecondition) << "maker cannot be checker";
    ASSERT_TRUE(enterprises_->DecidePending({7, "checker", "", "r", nullptr}, change_id, true, "ok",
                                            {.action = "pending_change.approve", .entity = "pending_change"}));
    profile = *enterprises_->Get(officer_, id);
    EXPECT_EQ(profile["industry_code"], "I6513");
    EXPECT_EQ(profile["industry_446"], "P1");
}

// The matching index and the KPI store catch up by `updated_at`: a size class derived from new figures and a 4+4+6
// class set by hand must stamp the row; figures that derive nothing new must not.
TEST_P(RegistryDbTest, DerivedClassesThatChangeStampTheEnterprise) {
    const long long id = CreateEnterprise("91350200776049653A", "厦门甲科技有限公司", "C3974");
    auto stamp = [&] { return Count("SELECT updated_at FROM enterprises WHERE id = " + std::to_string(id)); };
    const audit::Command figures_command{.action = "enterprise.figures", .entity = "enterprise"};
    const YearFigures figures{.year = 2025, .employees = 350, .revenue_fen = 3'000'000'000, .assets_fen = 5'000'000'000};
    clock_.Advance(60'000);
    ASSERT_TRUE(enterprises_->PutFigures(officer_, actor_, id, figures, figures_command));
    EXPECT_EQ(stamp(), clock_.NowMs()) << "the size class came from the figures";
    const long long sized = stamp();
    clock_.Advance(60'000);
    ASSERT_TRUE(enterprises_->PutFigures(officer_, actor_, id, figures, figures_command));
    EXPECT_EQ(stamp(), sized) << "the same figures derive nothing new";
    clock_.Advance(60'000);
    ASSERT_TRUE(enterprises_->Override446(actor_, id, "P1", "经认定属电子信息产业",
                                          {.action = "enterprise.override_446", .entity = "enterprise"}));
    EXPECT_EQ(stamp(), clock_.NowMs()) << "a class set by hand";
}

TEST_P(RegistryDbTest, EnterpriseTagRequestsWaitForAnOfficerAndChainTagsNameTheirChain) {
    const long long id = CreateEnterprise("91350200776049653A", "厦门甲科技有限公司", "C3974");
    const auth::Principal owner = OwnerOf(id);
    const audit::Command add{.action = "enterprise.tag", .entity = "enterprise"};
    auto requested = enterprises_->AddTag(owner, {42, "owner", "", "r", nullptr}, id,
                                          {.tag = "high_tech", .valid_from = "2025-01-01", .evidence = "GR2025"}, add);
    ASSERT_TRUE(requested) << requested.error().message;
    EXPECT_EQ(requested->status, 202);
    auto profile = *enterprises_->Get(officer_, id);
    EXPECT_TRUE(profile["tags"].as_array().empty()) << "an enterprise's own tag waits for an officer";
    ASSERT_EQ(profile["pending_changes"].as_array().size(), 1u);
    EXPECT_EQ(profile["pending_changes"].as_array()[0].at("kind"), "tag");
    ASSERT_TRUE(enterprises_->DecidePending({7, "checker", "", "r", nullptr},
                                            profile["pending_changes"].as_array()[0].at("id").as_int64(), true, "ok",
                                            {.action = "pending_change.approve", .entity = "pending_change"}));

    auto unnamed = enterprises_->AddTag(officer_, actor_, id, {.tag = "chain_member", .valid_from = "2025-01-01", .evidence = "x"}, add);
    ASSERT_FALSE(unnamed);
    ASSERT_EQ(unnamed.error().fields.size(), 1u);
    EXPECT_EQ(unnamed.error().fields[0].field, "chain");
    ASSERT_TRUE(enterprises_->AddTag(officer_, actor_, id,
                                     {.tag = "chain_leader", .valid_from = "2025-01-01", .evidence = "厦工信〔2025〕3号",
                                      .chain = "平板显示", .chain_node = "面板"}, add));
    profile = *enterprises_->Get(officer_, id);
    ASSERT_EQ(profile["tags"].as_array().size(), 2u);
    long long high_tech = 0;
    for (const auto& t : profile["tags"].as_array()) {
        if (t.at("tag") == "high_tech") high_tech = t.at("id").as_int64();
        if (t.at("tag") == "chain_leader") EXPECT_EQ(t.at("chain_node"), "面板");
    }
    ASSERT_TRUE(enterprises_->RevokeTag(actor_, high_tech, "复核未通过", {.action = "enterprise.tag_revoke", .entity = "tag"}));
    auto tagged = [&](const char* tag) {
        EnterpriseFilter f;
        f.tag = tag;
        return (*enterprises_->List(officer_, f))["total"].as_int64();
    };
    EXPECT_EQ(tagged("high_tech"), 0) << "a revoked tag no longer selects the enterprise";
    EXPECT_EQ(tagged("chain_leader"), 1);
}

TEST_P(RegistryDbTest, SearchCombinesWithEveryFilter) {
    auto create = [&](const char* uscc, const char* name, const char* district, const char* industry) {
        EnterpriseFields f{.name = name, .district = district, .industry_code = industry};
        auto out = enterprises_->Create(actor_, uscc, f, {.action = "enterprise.create", .entity = "enterprise"});
        EXPECT_TRUE(out) << out.error().message;
        return out ? std::stoll(out->entity_id) : 0;
    };
    const long long a = create("91350200776049653A", "厦门鹭芯显示科技有限公司", "思明区", "C3974");
    const long long b = create("91350500798359476R", "厦门海晟显示贸易有限公司", "湖里区", "F5179");
    ASSERT_TRUE(db_->Write([&](soci::session& s) -> Status {
        s << "UPDATE enterprises SET size_class = 'small' WHERE id = " + std::to_string(a);
        return {};
    }));
    ASSERT_TRUE(enterprises_->AddTag(officer_, actor_, a, {.tag = "high_tech", .valid_from = "2025-01-01", .evidence = "GR"},
                                     {.action = "enterprise.tag", .entity = "enterprise"}));
    ASSERT_TRUE(directories_->AddEntry(actor_, 1, {.enterprise_id = a, .effective_from = "2025-03-01", .reason = "r"},
                                       {.action = "directory.enter", .entity = "directory"}));
    const std::string class446 = std::string((*enterprises_->Get(officer_, a))["industry_446"].as_string());
    ASSERT_NE(std::string((*enterprises_->Get(officer_, b))["industry_446"].as_string()), class446);
    auto found = [&](EnterpriseFilter f) {
        f.q = "显示";
        return (*enterprises_->List(officer_, f))["total"].as_int64();
    };
    EXPECT_EQ(found({}), 2);
    EXPECT_EQ(found({.district = "湖里区"}), 1);
    EXPECT_EQ(found({.industry = "C39"}), 1);
    EXPECT_EQ(found({.class446 = class446}), 1);
    EXPECT_EQ(found({.size = "small"}), 1);
    EXPECT_EQ(found({.tag = "high_tech"}), 1);
    EXPECT_EQ(found({.directory = "white_list"}), 1);
    EXPECT_EQ(found({.district = "湖里区", .tag = "high_tech"}), 0);
    EXPECT_EQ(found({.district = "思明区", .industry = "C3974", .class446 = class446, .size = "small", .tag = "high_tech",
                     .directory = "white_list"}),
              1);
}

TEST_P(RegistryDbTest, InstitutionUsersSeeTheirInstitutionAndEveryBranchBelowIt) {
    InstitutionService institutions(*db_, clock_, *pipeline_);
    auto create = [&](const char* name, std::optional<long long> parent) {
        auto id = institutions.CreateInstitution(actor_, {.name = name, .kind = "bank", .parent_id = parent});
        EXPECT_TRUE(id) << id.error().message;
        return id.value_or(0);
    };
    const long long head = create("甲银行", std::nullopt), branch = create("甲银行厦门分行", head),
                    sub_branch = create("甲银行厦门湖里支行", branch);
    create("乙银行", std::nullopt);
    auto visible = [&](long long institution) {
        auth::Principal user;
        user.institution_id = institution;
        return (*institutions.ListInstitutions(user, {}))["total"].as_int64();
    };
    EXPECT_EQ(visible(head), 3) << "the head office sees its branch and the branch's sub-branch";
    EXPECT_EQ(visible(branch), 2);
    EXPECT_EQ(visible(sub_branch), 1);
    auth::Principal branch_user;
    branch_user.institution_id = branch;
    EXPECT_FALSE(institutions.GetInstitution(branch_user, head)) << "not the office above";
    EXPECT_TRUE(institutions.GetInstitution(branch_user, sub_branch));
}

INSTANTIATE_TEST_SUITE_P(Backends, RegistryDbTest, ::testing::ValuesIn(storage::testing::Backends()));

TEST(Map446, LongestPrefixWins) {
    const std::vector<MappingRule> rules = {{"C39", "P1"}, {"C3972", "F1"}, {"C38", "P2"}, {"C3841", "S3"}};
    EXPECT_EQ(Map446(rules, "C3974"), "P1");
    EXPECT_EQ(Map446(rules, "C3972"), "F1");
    EXPECT_EQ(Map446(rules, "C3841"), "S3");
    EXPECT_EQ(Map446(rules, "C3812"), "P2");
    EXPECT_FALSE(Map446(rules, "A0111"));
}

}  // namespace
}  // namespace chanrong::registry

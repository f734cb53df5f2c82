// Administrators' edits of reference data against real databases: districts, tag kinds and new versions of the SME
// size thresholds, each audited, refused with the field named when it would break what refers to it.
#include <gtest/gtest.h>
#include <boost/json.hpp>
#include <soci/soci.h>

#include "common/embedded_data.hpp"
#include "registry/reference_admin.hpp"
#include "registry/registry_db_fixture.hpp"

namespace chanrong::registry {
namespace {
using registry_test::RegistryDbTest;

class ReferenceAdminTest : public RegistryDbTest {
protected:
    long long OkAudits(const std::string& action) {
        return Count("SELECT COUNT(*) FROM audit_log WHERE result = 'ok' AND action = '" + action + "'");
    }
    std::string DistrictName(const std::string& code) {
        return *db_->Read([&](soci::session& s) -> Result<std::string> {
            std::string name;
            s << "SELECT name FROM districts WHERE code = :c", soci::use(code), soci::into(name);
            return name;
        });
    }
    void ExpectConflictOn(const Result<audit::Outcome>& out, const std::string& field) {
        ASSERT_FALSE(out);
        EXPECT_EQ(out.error().code, ErrorCode::kConflict);
        ASSERT_EQ(out.error().fields.size(), 1u);
        EXPECT_EQ(out.error().fields[0].field, field);
    }
    std::string SizeOf(long long id) {
        auto profile = enterprises_->Get(officer_, id);
        return profile ? std::string(profile->at("size_class").as_string()) : "";
    }
};

TEST_P(ReferenceAdminTest, DistrictsAreAddedRenamedAndRemovedOnlyWhileUnused) {
    auto created = PutDistrict(*pipeline_, actor_, {"350299", "火炬区", 7});
    ASSERT_TRUE(created) << created.error().message;
    EXPECT_EQ(created->status, 201);
    ASSERT_TRUE(PutDistrict(*pipeline_, actor_, {"350299", "火炬高新区", 7}));
    EXPECT_EQ(DistrictName("350299"), "火炬高新区") << "an unused district may be renamed";

    ExpectConflictOn(PutDistrict(*pipeline_, actor_, {"350299", "思明区", 7}), "name");
    CreateEnterprise("91350200776049653A", "厦门甲科技有限公司", "C3974");  // in 思明区
    ExpectConflictOn(PutDistrict(*pipeline_, actor_, {"350203", "思明新区", 1}), "name");
    ExpectConflictOn(DeleteDistrict(*pipeline_, actor_, "350203"), "code");
    EXPECT_EQ(DistrictName("350203"), "思明区") << "a refused change leaves the district as it was";
    ASSERT_TRUE(PutDistrict(*pipeline_, actor_, {"350203", "思明区", 9})) << "its order may still change";

    ASSERT_TRUE(DeleteDistrict(*pipeline_, actor_, "350299"));
    EXPECT_EQ(Count("SELECT COUNT(*) FROM districts WHERE code = '350299'"), 0);
    EXPECT_EQ(DeleteDistrict(*pipeline_, actor_, "350299").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(OkAudits("district.put"), 3);
    EXPECT_EQ(OkAudits("district.delete"), 1);
}

TEST_P(ReferenceAdminTest, ATagKindThatNeedsAChainIsCheckedFromThenOn) {
    const long long id = CreateEnterprise("91350200776049653A", "厦门甲科技有限公司", "C3974");
    const audit::Command add{.action = "enterprise.tag", .entity = "enterprise"};
    ASSERT_TRUE(PutTagKind(*pipeline_, actor_, {"chain_partner", "链上配套企业", true, 11}));
    auto unnamed = enterprises_->AddTag(officer_, actor_, id,
                                        {.tag = "chain_partner", .valid_from = "2025-01-01", .evidence = "x"}, add);
    ASSERT_FALSE(unnamed) << "the new kind is known and needs its chain";
    ASSERT_EQ(unnamed.error().fields.size(), 1u);
    EXPECT_EQ(unnamed.error().fields[0].field, "chain");

    ASSERT_TRUE(enterprises_->AddTag(officer_, actor_, id,
                                     {.tag = "leading", .valid_from = "2025-01-01", .evidence = "厦工信〔2025〕1号"}, add));
    ASSERT_TRUE(PutTagKind(*pipeline_, actor_, {"leading", "龙头企业", true, 8}));
    EXPECT_FALSE(enterprises_->AddTag(officer_, actor_, id,
                                      {.tag = "leading", .valid_from = "2026-01-01", .evidence = "厦工信〔2026〕1号"}, add))
        << "龙头企业 now needs its chain";

    ExpectConflictOn(PutTagKind(*pipeline_, actor_, {"chain_partner", "龙头企业", true, 11}), "name");
    ExpectConflictOn(DeleteTagKind(*pipeline_, actor_, "leading"), "code");
    ASSERT_TRUE(DeleteTagKind(*pipeline_, actor_, "chain_partner"));
    EXPECT_EQ(Count("SELECT COUNT(*) FROM tag_kinds WHERE code = 'chain_partner'"), 0);
    EXPECT_EQ(OkAudits("tag_kind.put"), 2);
}

TEST_P(ReferenceAdminTest, ANewSizeThresholdsVersionReclassifiesEnterprises) {
    const long long id = CreateEnterprise("91350200776049653A", "厦门甲科技有限公司", "C3974");
    const YearFigures figures{.year = 2025, .employees = 350, .revenue_fen = 3'000'000'000};
    ASSERT_TRUE(enterprises_->PutFigures(officer_, actor_, id, figures, {.action = "enterprise.figures", .entity = "enterprise"}));
    ASSERT_EQ(SizeOf(id), "medium") << "工业: 350 ≥ 300 people and 3000万 ≥ 2000万";

    const std::string shipped(EmbeddedFile(kSizeThresholdsFile));
    const std::string industry_row = "工业,Industry,B;C;D,X+Y,1000,40000,,300,2000,,20,300,";
    ASSERT_NE(shipped.find(industry_row), std::string::npos);
    auto with_row = [&](const std::string& row) {
        std::string csv = shipped;
        return csv.replace(csv.find(industry_row), industry_row.size(), row);
    };

    auto refused = PublishSizeThresholds(*pipeline_, actor_, with_row("工业,Industry,B;C;D,X+Y,1000,40000,,3000,2000,,20,300,"),
                                         "倒挂", clock_.NowMs());
    ASSERT_FALSE(refused);
    ASSERT_EQ(refused.error().fields.size(), 1u);
    EXPECT_EQ(refused.error().fields[0].field, "content");
    EXPECT_NE(refused.error().fields[0].message.find("第 3 行"), std::string::npos) << refused.error().fields[0].message;
    EXPECT_EQ(Count("SELECT COUNT(*) FROM size_threshold_versions"), 1) << "only the shipped version";
    EXPECT_EQ(SizeOf(id), "medium");

    clock_.Advance(60'000);
    auto published = PublishSizeThresholds(*pipeline_, actor_, with_row("工业,Industry,B;C;D,X+Y,1000,40000,,400,2000,,20,300,"),
                                           "工信部 2026 年修订", clock_.NowMs());
    ASSERT_TRUE(published) << published.error().message;
    const auto answer = boost::json::parse(published->response).as_object();
    EXPECT_EQ(answer.at("enterprises_reclassified").as_int64(), 1);
    EXPECT_EQ(SizeOf(id), "small") << "350 people are now below the medium bound of 400";
    EXPECT_EQ(Count("SELECT updated_at FROM enterprises WHERE id = " + std::to_string(id)), clock_.NowMs());

    auto current = *db_->Read([&](soci::session& s) { return CurrentSizeThresholds(s); });
    EXPECT_EQ(current.at("version").at("note").as_string(), "工信部 2026 年修订");
    EXPECT_EQ(current.at("rows").at(1).at("medium").at("employees").as_int64(), 400);
    EXPECT_EQ(current.at("rows").at(1).at("medium").at("revenue_fen").as_int64(), 2'000'000'000);
    auto first = *db_->Read([&](soci::session& s) { return SizeThresholdsDocument(s, 1); });
    EXPECT_EQ(first, shipped) << "earlier versions stay readable";
    EXPECT_EQ(OkAudits("size_thresholds.publish"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReferenceAdminTest, ::testing::ValuesIn(storage::testing::Backends()));

}  // namespace
}  // namespace chanrong::registry

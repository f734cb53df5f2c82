#pragma once
// Test support for the registry's database suites (registry_db_test.cpp, import_db_test.cpp): a migrated database
// of each backend with the registry's services, and generated import files. Test code only.

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <memory>
#include <optional>
#include <string>

#include "common/uscc.hpp"
#include "registry/directory_service.hpp"
#include "registry/enterprise_service.hpp"
#include "registry/import_service.hpp"
#include "registry/reference.hpp"
#include "storage/migrations.hpp"
#include "storage/testing.hpp"

namespace chanrong::registry::registry_test {

class RegistryDbTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        db_ = std::move(*storage::Database::Open(storage::testing::FreshDatabase(GetParam())));
        ASSERT_TRUE(storage::Migrate(*db_, clock_));
        ASSERT_TRUE(LoadReferenceData(*db_, clock_.NowMs()));
        pipeline_ = std::make_unique<audit::CommandPipeline>(*db_, clock_);
        enterprises_ = std::make_unique<EnterpriseService>(*db_, clock_, *pipeline_, cipher_);
        directories_ = std::make_unique<DirectoryService>(*db_, clock_, *pipeline_);
        imports_ = std::make_unique<ImportService>(*db_, clock_, *pipeline_, cipher_);
        officer_.scope_all = true;
        officer_.permissions = {"enterprise:write"};
    }

    ImportReport Import(ImportKind kind, const std::string& csv, bool dry_run, bool strict,
                        std::optional<long long> directory = std::nullopt) {
        auto report = imports_->Run(actor_, {kind, dry_run, strict, directory, "t.csv"}, csv);
        EXPECT_TRUE(report) << report.error().message;
        return report.value_or(ImportReport{});
    }

    long long Count(const std::string& sql) {
        return *db_->Read([&](soci::session& s) -> Result<long long> {
            long long n = 0;
            s << sql, soci::into(n);
            return n;
        });
    }

    long long CreateEnterprise(const std::string& uscc, const std::string& name, const std::string& industry) {
        EnterpriseFields f{.name = name, .district = "思明区", .industry_code = industry};
        auto out = enterprises_->Create(actor_, uscc, f, {.action = "enterprise.create", .entity = "enterprise"});
        EXPECT_TRUE(out) << out.error().message;
        return out ? std::stoll(out->entity_id) : 0;
    }

    /// The enterprise's own user (id 42), who may edit its profile but not decide verified fields.
    static auth::Principal OwnerOf(long long enterprise_id) {
        auth::Principal owner;
        owner.user_id = 42;
        owner.enterprise_id = enterprise_id;
        owner.permissions = {"enterprise:edit_own"};
        return owner;
    }

    ManualClock clock_{1'767'225'600'000};  // 2026-01-01
    FieldCipher cipher_ = FieldCipher::FromKey("0123456789abcdef0123456789abcdef");
    std::unique_ptr<storage::Database> db_;
    std::unique_ptr<audit::CommandPipeline> pipeline_;
    std::unique_ptr<EnterpriseService> enterprises_;
    std::unique_ptr<DirectoryService> directories_;
    std::unique_ptr<ImportService> imports_;
    audit::Actor actor_ = audit::Actor::System("test");
    auth::Principal officer_;
};

inline const std::string kHeader = "统一社会信用代码,企业名称,所属区,国民经济行业代码,注册资本(万元),成立日期\n";

// `rows` enterprise rows with valid, distinct credit codes.
inline std::string EnterpriseRows(long long rows) {
    static const std::string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    std::string csv = kHeader;
    for (long long i = 0, made = 0; made < rows; ++i) {
        std::string body = "MA";
        for (long long k = 0, n = i; k < 6; ++k, n /= 31) body += alphabet[n % 31];
        auto uscc = MakeUscc("91350203", body);
        if (!uscc) continue;
        csv += *uscc + ",厦门批量" + std::to_string(made) + "号有限公司,思明区,C3974,100,2015-06-01\n";
        ++made;
    }
    return csv;
}

}  // namespace chanrong::registry::registry_test

// Imports against real databases (SQLite, and PostgreSQL when configured): per-row reports, strict and dry runs,
// progress and stopping, bulk loads (indexes built after on SQLite, one streamed COPY on PostgreSQL), XLSX, and runs
// queued as background jobs.
#include <gtest/gtest.h>
#include <boost/json.hpp>
#include <soci/soci.h>

#include <unistd.h>

#include <filesystem>
#include <unordered_set>

#include "registry/import_jobs.hpp"
#include "registry/registry_db_fixture.hpp"

namespace chanrong::registry {
namespace {
namespace json = boost::json;
using registry_test::EnterpriseRows;
using registry_test::kHeader;
using registry_test::RegistryDbTest;

class ImportDbTest : public RegistryDbTest {};

TEST_P(ImportDbTest, ImportReportsBadRowsAndAppliesGoodOnes) {
    const std::string csv = kHeader +
                            "91350200776049653A,厦门甲科技有限公司,思明区,C3974,1000,2015-06-01\n"
                            "91350500798359476R,厦门乙公司,鼓浪屿区,C3974,abc,2015-13-01\n"
                            "91350200776049653B,厦门丙公司,湖里区,I6513,,\n";
    auto dry = Import(ImportKind::kEnterprises, csv, true, false);
    EXPECT_EQ(dry.total_rows, 3);
    EXPECT_EQ(dry.rejected_rows, 1);
    EXPECT_EQ(dry.flagged_rows, 1);
    EXPECT_FALSE(dry.applied);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM enterprises"), 0) << "a dry run writes nothing";
    std::set<std::string> bad;
    for (const auto& p : dry.problems)
        if (p.error) bad.insert(std::to_string(p.row) + ":" + p.column);
    EXPECT_EQ(bad, (std::set<std::string>{"3:所属区", "3:注册资本(万元)", "3:成立日期"}));

    auto strict = Import(ImportKind::kEnterprises, csv, false, true);
    EXPECT_FALSE(strict.applied);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM enterprises"), 0) << "strict mode applies nothing when a row is bad";

    auto lenient = Import(ImportKind::kEnterprises, csv, false, false);
    EXPECT_TRUE(lenient.applied);
    EXPECT_EQ(lenient.created, 2);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM enterprises WHERE uscc_valid = 0"), 1) << "bad check digit is flagged, kept";
    EXPECT_EQ(Count("SELECT registered_capital_fen FROM enterprises WHERE uscc = '91350200776049653A'"), 1'000'000'000);

    auto again = Import(ImportKind::kEnterprises, csv, false, false);
    EXPECT_EQ(again.created, 0);
    EXPECT_EQ(again.unchanged, 2) << "re-import is idempotent";
    EXPECT_EQ(Count("SELECT COUNT(*) FROM enterprises"), 2);

    auto changed = Import(ImportKind::kEnterprises, kHeader + "91350200776049653A,厦门甲科技有限公司,集美区,C3974,,\n", false, false);
    EXPECT_EQ(changed.updated, 1);
    EXPECT_EQ(Count("SELECT version FROM enterprises WHERE uscc = '91350200776049653A'"), 2);
}

TEST_P(ImportDbTest, MissingRequiredColumnRejectsTheFile) {
    auto report = imports_->Run(actor_, {ImportKind::kEnterprises, true, false, std::nullopt, ""}, "企业名称\n甲\n");
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().fields.at(0).field, "file");
}

TEST_P(ImportDbTest, FiguresImportRecomputesSizeClass) {
    CreateEnterprise("91350200776049653A", "厦门甲科技有限公司", "C3974");
    auto report = Import(ImportKind::kFigures,
                         "统一社会信用代码,年度,从业人员(人),营业收入(万元),资产总额(万元)\n"
                         "91350200776049653A,2025,300,2000,5000\n"
                         "91350500798359476R,2025,10,10,10\n",
                         false, false);
    EXPECT_EQ(report.created, 1);
    EXPECT_EQ(report.rejected_rows, 1) << "figures for an unknown enterprise are refused";
    auto profile = enterprises_->Get(officer_, 1);
    ASSERT_TRUE(profile);
    EXPECT_EQ((*profile)["size_class"], "medium") << (*profile)["size_rule"];
    EXPECT_EQ((*profile)["industry_446"], "P1");
}

TEST_P(ImportDbTest, ImportReportsProgressOfBothPassesAndEndsAtTheFileRows) {
    std::vector<ImportProgressUpdate> seen;
    auto report = imports_->Run(actor_, {ImportKind::kEnterprises, false, false, std::nullopt, "big.csv"},
                                EnterpriseRows(2'500), [&](const ImportProgressUpdate& u) {
                                    seen.push_back(u);
                                    return true;
                                });
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report->created, 2'500);
    std::vector<std::string> validating, applying;
    for (const auto& u : seen)
        (u.phase == ImportPhase::kValidating ? validating : applying)
            .push_back(std::to_string(u.done) + "/" + std::to_string(u.total));
    EXPECT_EQ(validating, (std::vector<std::string>{"0/2500", "1000/2500", "2000/2500", "2500/2500"}));
    EXPECT_EQ(applying, (std::vector<std::string>{"0/2500", "1000/2500", "2000/2500", "2500/2500"}));
    EXPECT_EQ(Count("SELECT COUNT(*) FROM enterprises"), 2'500);
}

TEST_P(ImportDbTest, ImportStopsWhenToldAndAppliesNothing) {
    auto report = imports_->Run(actor_, {ImportKind::kEnterprises, false, false, std::nullopt, "big.csv"},
                                EnterpriseRows(1'500),
                                [&](const ImportProgressUpdate& u) { return u.phase != ImportPhase::kApplying || u.done < 1'000; });
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM enterprises"), 0) << "an interrupted run rolls back";
    EXPECT_EQ(Count("SELECT COUNT(*) FROM imports"), 0);
}

// The enterprises table's indexes and triggers as the database describes them.
std::vector<std::string> EnterpriseSchema(storage::Database& db) {
    return *db.Read([&](soci::session& s) -> Result<std::vector<std::string>> {
        std::string text;
        soci::statement st = (s.prepare << (db.is_sqlite() ? "SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM "
                                                             "sqlite_master WHERE tbl_name = 'enterprises' ORDER BY name"
                                                           : "SELECT indexdef FROM pg_indexes WHERE schemaname = "
                                                             "current_schema() AND tablename = 'enterprises' ORDER BY "
                                                             "indexname"),
                              soci::into(text));
        st.execute();
        std::vector<std::string> out;
        while (st.fetch()) out.push_back(text);
        return out;
    });
}

// A load as large as the table: SQLite builds the secondary indexes and the search index after it, PostgreSQL streams
// one COPY and ends it before the update of a registered enterprise. Either way the schema ends as it began and
// search finds new, renamed and later rows.
TEST_P(ImportDbTest, BulkImportLeavesTheSchemaWholeAndSearchFindsEveryRow) {
    CreateEnterprise("91350200776049653A", "厦门甲科技有限公司", "C3974");
    const auto schema = EnterpriseSchema(*db_);
    const std::string csv = EnterpriseRows(12'000) + "91350200776049653A,厦门改名后科技有限公司,思明区,C3974,100,2015-06-01\n";
    std::vector<std::string> phases;  // the last updates, as "phase done/total"
    auto report = imports_->Run(actor_, {ImportKind::kEnterprises, false, false, std::nullopt, "big.csv"}, csv,
                                [&](const ImportProgressUpdate& u) {
                                    phases.push_back(std::string(ImportPhaseName(u.phase)) + " " + std::to_string(u.done) +
                                                     "/" + std::to_string(u.total));
                                    return true;
                                });
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report->created, 12'000);
    EXPECT_EQ(report->updated, 1);
    const std::vector<std::string> ending(phases.end() - 3, phases.end());
    if (db_->is_sqlite())
        EXPECT_EQ(ending, (std::vector<std::string>{"applying 12001/12001", "indexing 0/1", "indexing 1/1"}));
    else
        EXPECT_EQ(ending.back(), "applying 12001/12001") << "PostgreSQL keeps its indexes up to date while loading";
    EXPECT_EQ(EnterpriseSchema(*db_), schema);
    auto search = [&](const std::string& q) {
        EnterpriseFilter f;
        f.q = q;
        return (*enterprises_->List(officer_, f))["total"].as_int64();
    };
    EXPECT_EQ(search("批量11999号"), 1);
    EXPECT_EQ(search("批量0号"), 1);
    EXPECT_EQ(search("改名后科技"), 1);
    EXPECT_EQ(search("甲科技"), 0) << "the renamed enterprise's old name is gone from the search index";
    CreateEnterprise("91350500798359476R", "厦门海晟软件信息技术有限公司", "I6513");
    EXPECT_EQ(search("海晟软件"), 1) << "rows written after the load are indexed again";
    if (db_->is_sqlite()) EXPECT_EQ(Count("SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'"), 0);
}

TEST_P(ImportDbTest, ABulkImportStoppedHalfwayChangesNothing) {
    const auto schema = EnterpriseSchema(*db_);
    auto stopped = imports_->Run(actor_, {ImportKind::kEnterprises, false, false, std::nullopt, "big.csv"},
                                 EnterpriseRows(12'000),
                                 [&](const ImportProgressUpdate& u) { return u.phase != ImportPhase::kApplying || u.done < 11'000; });
    ASSERT_FALSE(stopped);
    EXPECT_EQ(stopped.error().code, ErrorCode::kUnavailable) << stopped.error().message;
    EXPECT_EQ(Count("SELECT COUNT(*) FROM enterprises"), 0);
    EXPECT_EQ(EnterpriseSchema(*db_), schema) << "the dropped indexes come back with the rollback";
    EXPECT_EQ(Import(ImportKind::kEnterprises, EnterpriseRows(20), false, false).created, 20) << "the session is usable";
}

// A stay that would overlap one the enterprise already has is a row problem found by the checking pass (so a dry
// run reports it), not a failure of the whole run when it is applied.
TEST_P(ImportDbTest, DirectoryImportReportsOverlappingStaysPerRowAndAppliesTheRest) {
    const std::string enterprises = EnterpriseRows(4);
    ASSERT_EQ(Import(ImportKind::kEnterprises, enterprises, false, false).created, 4);
    std::vector<std::string> codes;
    for (size_t at = enterprises.find('\n') + 1; at < enterprises.size(); at = enterprises.find('\n', at) + 1)
        codes.push_back(enterprises.substr(at, 18));
    auto id_of = [&](const std::string& code) { return Count("SELECT id FROM enterprises WHERE uscc = '" + code + "'"); };
    auto enter = [&](const std::string& code, const char* from) {
        auto out = directories_->AddEntry(actor_, 1, {.enterprise_id = id_of(code), .effective_from = from, .reason = "r"},
                                          {.action = "directory.enter", .entity = "directory"});
        EXPECT_TRUE(out) << out.error().message;
        return out ? std::stoll(out->entity_id) : 0;
    };
    enter(codes[0], "2026-01-01");                                   // open since January
    ASSERT_TRUE(directories_->ExitEntry(actor_, enter(codes[1], "2025-01-01"), {"2026-06-01", "到期", ""},
                                        {.action = "directory.exit", .entity = "directory_entry"}));
    enter(codes[3], "2026-01-01");                                   // re-imported as it is
    const std::string csv = "统一社会信用代码,层级,纳入日期,纳入理由\n" + codes[0] + ",,2026-03-01,白名单\n" + codes[1] +
                            ",,2026-02-01,白名单\n" + codes[2] + ",,2026-02-01,白名单\n" + codes[3] + ",,2026-01-01,白名单\n";
    const auto dry = Import(ImportKind::kDirectory, csv, true, false, 1);
    EXPECT_EQ(dry.rejected_rows, 2);
    ASSERT_EQ(dry.problems.size(), 2u);
    EXPECT_EQ(dry.problems[0].row, 2u);
    EXPECT_EQ(dry.problems[1].row, 3u);
    EXPECT_EQ(dry.problems[1].column, "纳入日期");
    const auto applied = Import(ImportKind::kDirectory, csv, false, false, 1);
    EXPECT_TRUE(applied.applied);
    EXPECT_EQ(applied.created, 1);
    EXPECT_EQ(applied.unchanged, 1);
    EXPECT_EQ(applied.rejected_rows, 2);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM directory_entries WHERE directory_id = 1"), 4);
}

TEST_P(ImportDbTest, TagImportReportsBadRowsAndIsIdempotent) {
    CreateEnterprise("91350200776049653A", "厦门甲科技有限公司", "C3974");
    const std::string csv = "统一社会信用代码,标签,生效日期,失效日期,认定依据,产业链,链上环节\n"
                            "91350200776049653A,高新技术企业,2024-01-01,2026-12-31,GR202435020001,,\n"
                            "91350200776049653A,瞪羚企业,2024-01-01,,X1,,\n"
                            "91350200776049653A,链上企业,2024-01-01,,厦工信〔2024〕2号,,\n";
    const auto dry = Import(ImportKind::kTags, csv, true, false);
    EXPECT_EQ(dry.rejected_rows, 2);
    ASSERT_EQ(dry.problems.size(), 2u);
    EXPECT_EQ(dry.problems[0].column, "标签") << "an unknown tag";
    EXPECT_EQ(dry.problems[1].column, "产业链") << "a chain tag names its chain";
    EXPECT_EQ(Import(ImportKind::kTags, csv, false, false).created, 1);
    const auto again = Import(ImportKind::kTags, csv, false, false);
    EXPECT_EQ(again.created, 0);
    EXPECT_EQ(again.unchanged, 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM enterprise_tags WHERE tag = 'high_tech' AND valid_to = '2026-12-31'"), 1);
}

// Lists show the contact masked; the legal representative is stored encrypted and shown masked everywhere.
TEST_P(ImportDbTest, ContactsAreMaskedInListsAndTheLegalRepresentativeIsStoredEncrypted) {
    const std::string csv = "统一社会信用代码,企业名称,所属区,国民经济行业代码,法定代表人,联系人,联系电话\n"
                            "91350200776049653A,厦门甲科技有限公司,思明区,C3974,张三丰,李四,13812345678\n";
    ASSERT_EQ(Import(ImportKind::kEnterprises, csv, false, false).created, 1);
    const auto listed = (*enterprises_->List(officer_, {}))["items"].as_array().at(0).as_object();
    EXPECT_EQ(listed.at("contact_phone"), "138****5678");
    EXPECT_NE(listed.at("contact_person"), "李四");
    const auto stored = *db_->Read([&](soci::session& s) -> Result<std::string> {
        std::string cipher;
        s << "SELECT legal_rep_cipher FROM enterprises", soci::into(cipher);
        return cipher;
    });
    EXPECT_EQ(stored.find("张三丰"), std::string::npos);
    EXPECT_EQ(cipher_.Decrypt(stored).value_or(""), "张三丰");
    const auto profile = *enterprises_->Get(officer_, listed.at("id").as_int64());
    EXPECT_EQ(profile.at("legal_rep").as_string().find("张三丰"), boost::json::string::npos);
}

TEST_P(ImportDbTest, XlsxFilesAreReadRowByRowToo) {
    TableWriter writer(TableWriter::Format::kXlsx, "企业", {"统一社会信用代码", "企业名称", "所属区", "国民经济行业代码"});
    writer.Add({"91350200776049653A", "厦门甲科技有限公司", "思明区", "C3974"});
    writer.Add({"91350500798359476R", "厦门乙科技有限公司", "鼓浪屿区", "C3974"});
    auto bytes = writer.Finish();
    ASSERT_TRUE(bytes);
    auto report = Import(ImportKind::kEnterprises, *bytes, false, false);
    EXPECT_EQ(report.total_rows, 2);
    EXPECT_EQ(report.created, 1);
    EXPECT_EQ(report.rejected_rows, 1);
    ASSERT_FALSE(report.problems.empty());
    EXPECT_EQ(report.problems[0].row, 3u);
}

class ImportJobsTest : public RegistryDbTest {
protected:
    void SetUp() override {
        RegistryDbTest::SetUp();
        spool_ = std::filesystem::temp_directory_path() / ("chanrong-spool-" + std::to_string(::getpid()) + "-" +
                                                            std::to_string(reinterpret_cast<std::uintptr_t>(this)));
        permissions_ = {"import:run"};
        officer_actor_ = {7, "officer", "127.0.0.1", "req-1", &permissions_};
    }
    void TearDown() override { std::filesystem::remove_all(spool_); }

    std::unique_ptr<ImportJobs> StartJobs() {
        auto jobs = std::make_unique<ImportJobs>(*db_, clock_, *pipeline_, *imports_,
                                                 ImportConfig{.spool_dir = spool_.string(), .workers = 1}, "test:1");
        auto started = jobs->Start();
        EXPECT_TRUE(started) << started.error().message;
        return jobs;
    }

    boost::json::object Finished(ImportJobs& jobs, const std::string& csv, bool dry_run, bool strict) {
        auto queued = jobs.Submit(officer_actor_, {ImportKind::kEnterprises, dry_run, strict, std::nullopt, "f.csv"}, csv);
        EXPECT_TRUE(queued) << queued.error().message;
        if (!queued) return {};
        EXPECT_EQ((*queued)["phase"], "queued");
        jobs.WaitIdle();
        auto run = jobs.Get((*queued)["id"].as_int64());
        EXPECT_TRUE(run) << run.error().message;
        return run.value_or(boost::json::object{});
    }

    std::filesystem::path spool_;
    std::unordered_set<std::string> permissions_;
    audit::Actor officer_actor_;
};

TEST_P(ImportJobsTest, AQueuedRunEndsDoneWithItsRowsAndReport) {
    auto jobs = StartJobs();
    auto run = Finished(*jobs, EnterpriseRows(6'000), false, false);
    EXPECT_EQ(run["phase"], "done");
    EXPECT_EQ(run["rows_total"], 6'000);
    EXPECT_EQ(run["rows_done"], 6'000);
    EXPECT_EQ(run["total_rows"], 6'000);
    EXPECT_EQ(run["created"], 6'000);
    EXPECT_EQ(run["applied"], true);
    EXPECT_FALSE(run["started_at"].is_null());
    EXPECT_FALSE(run["finished_at"].is_null());
    EXPECT_EQ(Count("SELECT COUNT(*) FROM enterprises"), 6'000);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action IN ('import.queue', 'import.enterprises')"), 2)
        << "the upload and the apply are both audited";
    EXPECT_TRUE(std::filesystem::is_empty(spool_)) << "the stored upload is removed once the run ends";
}

TEST_P(ImportJobsTest, AStrictRunWithBadRowsEndsDoneAndAppliesNothing) {
    auto jobs = StartJobs();
    const std::string csv = kHeader +
                            "91350200776049653A,厦门甲科技有限公司,思明区,C3974,1000,2015-06-01\n"
                            "91350500798359476R,厦门乙公司,鼓浪屿区,C3974,abc,2015-06-01\n";
    auto run = Finished(*jobs, csv, false, true);
    EXPECT_EQ(run["phase"], "done");
    EXPECT_EQ(run["applied"], false);
    EXPECT_EQ(run["rejected_rows"], 1);
    EXPECT_EQ(run["rows_total"], 2);
    EXPECT_EQ(run["problems"].as_array().size(), 2u);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM enterprises"), 0);
}

TEST_P(ImportJobsTest, ARunThatCannotBeReadFailsWithTheReason) {
    auto jobs = StartJobs();
    auto run = Finished(*jobs, "企业名称\n甲\n", true, false);
    EXPECT_EQ(run["phase"], "failed");
    EXPECT_NE(std::string(run["error"].as_string()).find("缺少必填列"), std::string::npos) << run["error"];
}

TEST_P(ImportJobsTest, ARunLeftUnfinishedByARestartIsMarkedFailed) {
    const long long id = *db_->Write([&](soci::session& s) -> Result<long long> {
        long long out = 0;
        s << "INSERT INTO imports (kind, file_name, user_name, dry_run, strict, applied, total_rows, created, updated, "
             "unchanged, rejected_rows, flagged_rows, problems, at, phase, rows_done, rows_total) VALUES ('enterprises', "
             "'big.csv', 'officer', 0, 0, 0, 0, 0, 0, 0, 0, 0, '[]', 1, 'applying', 5000, 9000) RETURNING id",  // runner 
            soci::into(out);
        return out;
    });
    // Another instance's run, reported on a moment ago, is left alone.
    const TimestampMs recent = clock_.NowMs();
    ASSERT_TRUE(db_->Write([&](soci::session& s) -> Status {
        s << "INSERT INTO imports (kind, file_name, user_name, dry_run, strict, applied, total_rows, created, updated, "
             "unchanged, rejected_rows, flagged_rows, problems, at, phase, runner, heartbeat_at) VALUES ('enterprises', "
             "'other.csv', 'officer', 0, 0, 0, 0, 0, 0, 0, 0, 0, '[]', 1, 'validating', 'other:8080', :h)",
            soci::use(recent);
        return {};
    }));
    auto jobs = StartJobs();
    auto run = jobs->Get(id);
    ASSERT_TRUE(run);
    EXPECT_EQ((*run)["phase"], "failed");
    EXPECT_NE(std::string((*run)["error"].as_string()).find("服务重启"), std::string::npos) << (*run)["error"];
    EXPECT_EQ(Count("SELECT COUNT(*) FROM imports WHERE runner = 'other:8080' AND phase = 'validating'"), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'import.interrupt'"), 1);
}

TEST_P(ImportJobsTest, AnUploadWithoutThePermissionIsRefusedAndNotRecorded) {
    auto jobs = StartJobs();
    std::unordered_set<std::string> none;
    audit::Actor outsider{8, "outsider", "", "req-2", &none};
    auto refused = jobs->Submit(outsider, {ImportKind::kEnterprises, true, false, std::nullopt, "f.csv"}, kHeader);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM imports"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportJobsTest, ::testing::ValuesIn(storage::testing::Backends()));

INSTANTIATE_TEST_SUITE_P(Backends, ImportDbTest, ::testing::ValuesIn(storage::testing::Backends()));

}  // namespace
}  // namespace chanrong::registry

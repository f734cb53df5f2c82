#include "kpi/cockpit.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "kpi/calendar.hpp"
#include "kpi/snapshot.hpp"

namespace chanrong::kpi {
namespace {

constexpr long long kYuan = 100;

const char* kIndicators =
    "id,name_zh,name_en,unit,value_type,kind,source,metric,breakdowns,responsible_units,source_clause\n"
    "fin_count,累计融资笔数,Financings,笔,count,cumulative,platform,financings_count,class446;district,市发改委,c1\n"
    "fin_ytd,本年融资额,Financing this year,元,money_fen,in_year,platform,financings_amount,,市发改委,\n"
    "mfg_bal,制造业贷款余额,Manufacturing balance,元,money_fen,balance,platform,manufacturing_loan_balance,"
    "institution_kind,市工信局,c2\n"
    "white,白名单企业数,White list,家,count,snapshot,platform,directory_size:white_list,,市工信局,\n"
    "share,制造业占比,Manufacturing share,比例,ppm,ratio,platform,manufacturing_loan_balance/loan_balance,,市工信局,\n"
    "funds,基金数量,Funds,只,count,snapshot,reported,,,市财政局,c3\n";

const char* kTargets =
    "id,year,area_zh,indicator_zh,indicator_en,kind,comparator,target,unit,source_clause,responsible_units_zh,"
    "indicator_id\n"
    "T1,2025,a,累计融资笔数,x,cumulative,>=,4,笔,c1,市发改委;市工信局,fin_count\n"
    "T2,2025,a,制造业贷款余额,x,balance,>,500,元,c2,,mfg_bal\n"
    "T3,2025,a,基金数量,x,snapshot,>=,90,只,c3,市财政局,funds\n";

Catalogue TestCatalogue() {
    auto catalogue = LoadCatalogue(kIndicators, kTargets);
    EXPECT_TRUE(catalogue.has_value()) << (catalogue ? "" : catalogue.error().message);
    return *catalogue;
}

LoanFact Loan(long long id, long long yuan, int day, std::uint32_t flags, std::uint8_t cls = kNone) {
    LoanFact loan{.loan_id = id,
                  .institution_id = 1,
                  .enterprise_id = id,
                  .amount_fen = yuan * kYuan,
                  .disbursed_on = day,
                  .maturity_on = day + 20000,
                  .flags = flags,
                  .class446 = cls};
    return loan;
}

// Three loans in 2024–2025, one white-list stay, in the given order.
KpiStore Store(bool reversed = false) {
    auto store =
        KpiStore::Create({{{"P1", "S1"}, {"350203"}, {"bank"}, {"white_list", "tech_pilot"}}, 20200101, 20301231});
    EXPECT_TRUE(store && store->AddInstitution({1, 20200101, 0, 0}));
    std::vector<LoanFact> loans = {Loan(1, 700, 20241120, 0, 0), Loan(2, 300, 20250110, kLoanMfgBorrower, 1),
                                   Loan(3, 500, 20250305, kLoanMfgBorrower)};
    loans[1].repayments = {{20250320, 100 * kYuan}};
    if (reversed) std::reverse(loans.begin(), loans.end());
    for (const auto& loan : loans) EXPECT_TRUE(store->AddLoan(loan));
    EXPECT_TRUE(store->AddDirectoryStay({0, 20250201, 0, 1, 0}));
    return std::move(*store);
}

TEST(Catalogue, EmbeddedCatalogueMapsEveryPilotTarget) {
    auto catalogue = LoadEmbeddedCatalogue();
    ASSERT_TRUE(catalogue.has_value()) << catalogue.error().message;
    EXPECT_EQ(catalogue->targets.size(), 26u);
    std::set<std::string> platform, reported;
    for (const auto& t : catalogue->targets) {
        const Indicator* ind = catalogue->Find(t.indicator_id);
        ASSERT_NE(ind, nullptr) << t.id;
        (ind->source == Source::kPlatform ? platform : reported).insert(t.id);
    }
    EXPECT_EQ(reported, (std::set<std::string>{"P24-05", "P24-07", "P25-01", "P25-02", "P25-04", "P26-06", "P26-07"}));
    EXPECT_EQ(platform.size(), 19u);
    const auto target = [&](std::string_view id) {
        return *std::find_if(catalogue->targets.begin(), catalogue->targets.end(), [&](auto& t) { return t.id == id; });
    };
    EXPECT_EQ(target("P24-04").value, 114'000'000'000LL * kYuan);
    EXPECT_EQ(target("P24-03").indicator_id, target("P26-03").indicator_id);
    EXPECT_EQ(target("P24-03").comparator, Comparator::kMoreThan);
    EXPECT_EQ(target("P26-07").value, 400'000);
    EXPECT_EQ(target("P26-07").comparator, Comparator::kAbout);
    EXPECT_EQ(target("P24-06").year, 2024);
    EXPECT_EQ(catalogue->Find("pilot_bank_loans")->metric->directory, "tech_pilot");
}

TEST(Catalogue, RefusesInconsistentRows) {
    const std::string header =
        "id,name_zh,name_en,unit,value_type,kind,source,metric,breakdowns,responsible_units,source_clause\n";
    const auto fails = [&](const std::string& row, std::string_view field) {
        auto parsed = ParseIndicators(header + row);
        ASSERT_FALSE(parsed.has_value()) << row;
        EXPECT_EQ(parsed.error().fields.at(0).field, field) << parsed.error().message;
        EXPECT_NE(parsed.error().message.find("第 2 行"), std::string::npos);
    };
    fails("a,甲,A,元,money_fen,balance,platform,financings_amount,,u,\n", "metric");  // a flow as a balance
    fails("a,甲,A,元,money_fen,cumulative,platform,no_such_metric,,u,\n", "metric");
    fails("a,甲,A,笔,count,cumulative,platform,events_held,district,u,\n", "breakdowns");
    fails("a,甲,A,元,count,cumulative,platform,financings_amount,,u,\n", "value_type");
    fails("a,甲,A,元,money_fen,cumulative,platform,loans_to_directory_amount,,u,\n", "metric");  // no code
    fails("a,甲,A,比例,ppm,ratio,platform,loan_balance,,u,\n", "metric");
    fails("a,甲,A,家,count,snapshot,reported,directory_size:x,,u,\n", "metric");
    fails("a,甲,A,家,count,weekly,reported,,,u,\n", "kind");
    auto dup =
        ParseIndicators(header + "a,甲,A,家,count,snapshot,reported,,,u,\na,乙,B,家,count,snapshot,reported,,,u,\n");
    EXPECT_FALSE(dup.has_value());
    auto indicators = ParseIndicators(kIndicators);
    ASSERT_TRUE(indicators.has_value());
    std::string bad_kind = kTargets;
    bad_kind.replace(bad_kind.find("cumulative"), 10, "in_year");
    EXPECT_FALSE(ParseTargets(bad_kind, *indicators).has_value());
    std::string bad_value = kTargets;
    bad_value.replace(bad_value.find(">,500"), 5, ">,1.001");  // three decimals of a yuan
    EXPECT_FALSE(ParseTargets(bad_value, *indicators).has_value());
}

TEST(Cockpit, EvaluatesEachKind) {
    const auto catalogue = TestCatalogue();
    const auto store = Store();
    auto engine = CockpitEngine::Create(store, catalogue);
    ASSERT_TRUE(engine.has_value());
    const auto cockpit = engine->Refresh(20250331);
    const auto value = [&](size_t i) { return cockpit.figures[i].value; };
    EXPECT_EQ(value(0), 3);              // cumulative across 2024 and 2025
    EXPECT_EQ(value(1), 800 * kYuan);    // in 2025 only
    EXPECT_EQ(value(2), 700 * kYuan);    // 300 − 100 repaid + 500
    EXPECT_EQ(value(3), 1);              // white list since 2025-02-01
    EXPECT_EQ(value(4), 500'000);        // 700 of 1400 outstanding
    EXPECT_FALSE(value(5).has_value());  // nothing reported
    EXPECT_EQ(RatioPpm(2, 3), 666'667);
    EXPECT_EQ(RatioPpm(1, 3), 333'333);
    EXPECT_EQ(RatioPpm(-2, 3), -666'667);
    EXPECT_FALSE(RatioPpm(1, 0).has_value());
    const auto& by_class = cockpit.figures[0].breakdowns.at(0);
    ASSERT_EQ(by_class.cells.size(), 3u);  // P1, S1, unclassified
    EXPECT_EQ(by_class.cells[0].value, 1);
    EXPECT_EQ(by_class.cells[1].value, 1);
    EXPECT_EQ(by_class.cells[2].index, kNone);
    EXPECT_EQ(by_class.cells[2].value, 1);
    const auto& trend = cockpit.figures[2].trend;
    ASSERT_EQ(trend.size(), 12u);
    EXPECT_EQ(trend.front().day, 20240430);
    EXPECT_EQ(trend[10].day, 20250228);
    EXPECT_EQ(trend[10].value, 300 * kYuan);
    EXPECT_EQ(trend.back().day, 20250331);
}

TEST(Cockpit, TargetsNameTheUnitsOfLaggingIndicators) {
    const auto catalogue = TestCatalogue();
    auto store = Store();
    auto engine = CockpitEngine::Create(store, catalogue);
    const auto cockpit = engine->Refresh(20250331);
    ASSERT_EQ(cockpit.targets.size(), 3u);
    // T1: 3 financings now; the level rose from 0 (2024-04-30) to 3 (2025-03-31): 5 projected by year end.
    EXPECT_EQ(cockpit.targets[0].progress.status, TargetStatus::kOnTrack);
    EXPECT_TRUE(cockpit.targets[0].accountable_units.empty());
    EXPECT_EQ(cockpit.targets[0].progress.projected, 5);
    EXPECT_EQ(cockpit.targets[1].progress.status, TargetStatus::kMet);  // 700 > 500 yuan
    EXPECT_EQ(cockpit.targets[2].progress.status, TargetStatus::kNoData);
    EXPECT_EQ(cockpit.targets[2].accountable_units, std::vector<std::string>{"市财政局"});
    ASSERT_TRUE(store.AddReported({"funds", 20250301, 60, "市财政局"}));
    const auto later = engine->Assess(catalogue.targets[2], 20250331);
    EXPECT_EQ(later.progress.current, 60);
    EXPECT_EQ(later.progress.status, TargetStatus::kBehind);  // flat at 60 since March: 60 < 81
    const auto after = engine->Assess(catalogue.targets[0], 20260115);
    EXPECT_EQ(after.progress.status, TargetStatus::kMissed);  // 3 financings at 2025-12-31
    EXPECT_EQ(after.accountable_units, (std::vector<std::string>{"市发改委", "市工信局"}));
    ASSERT_EQ(cockpit.ranking.size(), 1u);
    EXPECT_EQ(cockpit.ranking[0].manufacturing_balance_fen, 700 * kYuan);
    EXPECT_EQ(cockpit.ranking[0].loans_count, 2);  // January–March 2025
}

TEST(Snapshot, SameFactsSameBytesWhateverTheOrder) {
    const auto catalogue = TestCatalogue();
    const auto a = Store(), b = Store(true);
    const auto snap_a = TakeSnapshot(*CockpitEngine::Create(a, catalogue), 202503);
    const auto snap_b = TakeSnapshot(*CockpitEngine::Create(b, catalogue), 202503);
    EXPECT_EQ(snap_a.Serialize(), snap_b.Serialize());
    EXPECT_EQ(snap_a.Hash(), snap_b.Hash());
    EXPECT_EQ(snap_a.Hash().size(), 64u);
    EXPECT_EQ(snap_a.as_of, 20250331);
    const std::string text = snap_a.Serialize();
    EXPECT_EQ(text.substr(0, text.find('\n')), "chanrong-kpi-snapshot/1 period=202503");
    EXPECT_NE(text.find("fin_count\tclass446\t_none\t1\n"), std::string::npos);
    EXPECT_NE(text.find("fin_count\ttotal\t\t3\n"), std::string::npos);
    EXPECT_NE(text.find("funds\ttotal\t\t-\n"), std::string::npos);
    EXPECT_NE(text.find("mfg_bal\tinstitution_kind\tbank\t70000\n"), std::string::npos);
    auto c = Store();
    ASSERT_TRUE(c.AddEnterprise({9, 20250301, 0, 0}));  // no indicator of this catalogue reads enrolments
    EXPECT_EQ(TakeSnapshot(*CockpitEngine::Create(c, catalogue), 202503).Hash(), snap_a.Hash());
    ASSERT_TRUE(c.AddLoan(Loan(9, 1, 20250331, 0)));
    EXPECT_NE(TakeSnapshot(*CockpitEngine::Create(c, catalogue), 202503).Hash(), snap_a.Hash());
    EXPECT_EQ(TakeSnapshot(*CockpitEngine::Create(c, catalogue), 202502).Hash(),
              TakeSnapshot(*CockpitEngine::Create(a, catalogue), 202502).Hash());
}

TEST(Cockpit, EmbeddedCatalogueRunsOnTheProjectDirectories) {
    auto catalogue = LoadEmbeddedCatalogue();
    ASSERT_TRUE(catalogue.has_value());
    Dimensions dims{{"P1", "P2", "S1"},
                    {"350203", "350205"},
                    {"bank", "insurer"},
                    {"white_list", "tech_pilot", "green_enterprise", "green_project", "listing_reserve"}};
    auto store = KpiStore::Create({dims});
    ASSERT_TRUE(store.has_value());
    auto engine = CockpitEngine::Create(*store, *catalogue);
    ASSERT_TRUE(engine.has_value()) << engine.error().message;
    const auto cockpit = engine->Refresh(20250630);
    EXPECT_EQ(cockpit.figures.size(), catalogue->indicators.size());
    EXPECT_EQ(cockpit.targets.size(), 26u);
    for (const auto& t : cockpit.targets)
        if (t.target->year == 2024) EXPECT_EQ(t.progress.status, TargetStatus::kMissed) << t.target->id;
    dims.directories.pop_back();  // listing_reserve missing
    auto smaller = KpiStore::Create({dims});
    EXPECT_EQ(CockpitEngine::Create(*smaller, *catalogue).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace chanrong::kpi

#include "kpi/progress.hpp"

#include <gtest/gtest.h>

namespace chanrong::kpi {
namespace {

// 2025-01-01 → 2025-07-02 is 182 days and 2025-07-02 → 2025-12-31 is 182 days too, so a level v reached at
// 2025-07-02 from 0 on 2025-01-01 projects to exactly 2v at the due date.
constexpr int kStart = 20250101;
constexpr int kMid = 20250702;

Target MakeTarget(Comparator comparator, long long value, int year = 2025) {
    Target t;
    t.id = "T";
    t.year = year;
    t.indicator_id = "x";
    t.comparator = comparator;
    t.value = value;
    return t;
}

ProgressInput Linear(long long start_level, long long level_now, Kind kind = Kind::kCumulative) {
    ProgressInput in;
    in.kind = kind;
    in.as_of = kMid;
    in.current = level_now;
    in.levels = {{kStart, start_level}, {kMid, level_now}};
    return in;
}

TargetStatus StatusOf(Comparator c, long long target, long long start, long long now) {
    return Assess(MakeTarget(c, target), Linear(start, now)).status;
}

TEST(Progress, ProjectsTheAverageDailyChangeToTheDueDate) {
    EXPECT_EQ(Project(Linear(0, 500), 20251231), 1000);
    EXPECT_EQ(Project(Linear(1000, 900), 20251231), 800);  // a falling balance keeps falling
    EXPECT_EQ(Project(Linear(0, 3), 20251231), 6);
    auto single = Linear(0, 500);
    single.levels = {{kMid, 500}};
    EXPECT_EQ(Project(single, 20251231), 500);  // no trend from one sample
    single.current.reset();
    EXPECT_FALSE(Project(single, 20251231).has_value());
}

TEST(Progress, AtLeastBoundaries) {
    EXPECT_EQ(StatusOf(Comparator::kAtLeast, 1000, 0, 1000), TargetStatus::kMet);     // exactly the target
    EXPECT_EQ(StatusOf(Comparator::kAtLeast, 1000, 0, 999), TargetStatus::kOnTrack);  // projects to 1998
    EXPECT_EQ(StatusOf(Comparator::kAtLeast, 1000, 0, 500), TargetStatus::kOnTrack);  // projects to exactly 1000
    EXPECT_EQ(StatusOf(Comparator::kAtLeast, 1000, 0, 499), TargetStatus::kAtRisk);   // 998
    EXPECT_EQ(StatusOf(Comparator::kAtLeast, 1000, 0, 450), TargetStatus::kAtRisk);   // 900 = 90 %
    EXPECT_EQ(StatusOf(Comparator::kAtLeast, 1000, 0, 449), TargetStatus::kBehind);   // 898
}

TEST(Progress, MoreThanNeedsToExceed) {
    EXPECT_EQ(StatusOf(Comparator::kMoreThan, 1000, 0, 1000), TargetStatus::kOnTrack);  // not met, projects 2000
    EXPECT_EQ(StatusOf(Comparator::kMoreThan, 1000, 0, 1001), TargetStatus::kMet);
    EXPECT_EQ(StatusOf(Comparator::kMoreThan, 1000, 0, 500), TargetStatus::kAtRisk);  // projects exactly 1000
    EXPECT_EQ(StatusOf(Comparator::kMoreThan, 1000, 0, 501), TargetStatus::kOnTrack);
    EXPECT_EQ(StatusOf(Comparator::kMoreThan, 1000, 0, 449), TargetStatus::kBehind);
}

TEST(Progress, AboutUsesToleranceAndBand) {
    const Target t = MakeTarget(Comparator::kAbout, 400'000);  // a ratio of 0.40
    const auto status = [&](long long start, long long now) {
        auto in = Linear(start, now);
        in.kind = Kind::kRatio;
        in.value_type = ValueType::kPartsPerMillion;
        return Assess(t, in).status;
    };
    EXPECT_EQ(status(410'000, 410'000), TargetStatus::kMet);      // +1 point: inside the tolerance
    EXPECT_EQ(status(390'000, 390'000), TargetStatus::kMet);      // −1 point
    EXPECT_EQ(status(410'001, 410'001), TargetStatus::kAtRisk);   // flat, just outside, within 10 %
    EXPECT_EQ(status(350'000, 380'000), TargetStatus::kOnTrack);  // rising to 410,000 at the due date
    EXPECT_EQ(status(440'000, 440'000), TargetStatus::kAtRisk);   // 10 % of the target away
    EXPECT_EQ(status(440'001, 440'001), TargetStatus::kBehind);
    EXPECT_EQ(status(359'999, 359'999), TargetStatus::kBehind);
    EXPECT_TRUE(Satisfies(MakeTarget(Comparator::kAbout, 1000), ValueType::kCount, 1010));  // 1 % of a count
    EXPECT_FALSE(Satisfies(MakeTarget(Comparator::kAbout, 1000), ValueType::kCount, 1011));
}

TEST(Progress, PastTheDueDateOnlyMetOrMissed) {
    const Target t = MakeTarget(Comparator::kAtLeast, 1000);
    ProgressInput in = Linear(0, 1000);
    in.as_of = 20251231;  // the due day itself is final
    EXPECT_EQ(Assess(t, in).status, TargetStatus::kMet);
    in.current = 999;
    EXPECT_EQ(Assess(t, in).status, TargetStatus::kMissed);
    EXPECT_FALSE(Assess(t, in).projected.has_value());
    in.as_of = 20260315;
    in.current.reset();
    EXPECT_EQ(Assess(t, in).status, TargetStatus::kMissed);
    in.as_of = 20251230;
    in.current = 999;
    EXPECT_NE(Assess(t, in).status, TargetStatus::kMissed);
}

TEST(Progress, NoValueIsNoData) {
    ProgressInput in;
    in.as_of = kMid;
    EXPECT_EQ(Assess(MakeTarget(Comparator::kAtLeast, 1), in).status, TargetStatus::kNoData);
}

TEST(Progress, InYearTargetsProjectTheFlowOfTheTargetYear) {
    // This year: 100 events before 2025, 106 by 2025-07-02 → 6 so far, 12 projected.
    auto in = Linear(100, 106, Kind::kInYear);
    in.current = 6;
    in.year_start_level = 100;
    EXPECT_EQ(Project(in, 20251231), 12);
    EXPECT_EQ(Assess(MakeTarget(Comparator::kAtLeast, 12), in).status, TargetStatus::kOnTrack);
    EXPECT_EQ(Assess(MakeTarget(Comparator::kAtLeast, 14), in).status, TargetStatus::kBehind);  // 12 < 12.6
    EXPECT_EQ(Assess(MakeTarget(Comparator::kAtLeast, 13), in).status, TargetStatus::kAtRisk);  // 12 ≥ 11.7
    EXPECT_EQ(Assess(MakeTarget(Comparator::kAtLeast, 6), in).status, TargetStatus::kMet);
    // Next year's target: its year has not begun (current 0); both ends of it are projected.
    auto next = Linear(0, 6, Kind::kInYear);
    next.current = 0;
    EXPECT_EQ(Project(next, 20261231), 12);  // level 24 at 2026-12-31 minus 12 at 2025-12-31
    EXPECT_EQ(Assess(MakeTarget(Comparator::kAtLeast, 12, 2026), next).status, TargetStatus::kOnTrack);
}

TEST(Progress, StatusNames) {
    EXPECT_EQ(TargetStatusName(TargetStatus::kOnTrack), "on_track");
    EXPECT_EQ(TargetStatusName(TargetStatus::kNoData), "no_data");
}

}  // namespace
}  // namespace chanrong::kpi

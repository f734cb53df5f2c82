#include "finance/service_promise.hpp"

#include <gtest/gtest.h>

namespace chanrong::finance {
namespace {

const WorkingCalendar& Cal() {
    return DefaultWorkingCalendar();
}

PromiseStatus Eval(const ApplicationTimes& times, std::string_view today, const ServicePromise& promise = {}) {
    return EvaluatePromise(times, promise, Cal(), today);
}

ApplicationTimes Submitted(std::string on) {
    ApplicationTimes times;
    times.submitted_on = std::move(on);
    return times;
}

TEST(ServicePromise, DefaultsAre135) {
    const ServicePromise promise;
    EXPECT_EQ(promise.accept_days, 1);
    EXPECT_EQ(promise.contact_days, 3);
    EXPECT_EQ(promise.decide_days, 5);
}

TEST(ServicePromise, DueDatesFromAWorkingDay) {
    const auto status = Eval(Submitted("2025-03-10"), "2025-03-10");  // Monday
    EXPECT_EQ(status.accept_due, "2025-03-11");
    EXPECT_EQ(status.contact_due, "2025-03-13");
    EXPECT_FALSE(status.decide_due);
    EXPECT_FALSE(status.accept_overdue || status.contact_overdue || status.decide_overdue);
    EXPECT_FALSE(status.accept_late || status.contact_late || status.decide_late);
    EXPECT_EQ(status.max_overdue_working_days, 0);
}

TEST(ServicePromise, DueDatesSkipTheWeekend) {
    const auto friday = Eval(Submitted("2025-03-07"), "2025-03-07");
    EXPECT_EQ(friday.accept_due, "2025-03-10");
    EXPECT_EQ(friday.contact_due, "2025-03-12");
    // A Saturday submission counts as made on Monday.
    const auto saturday = Eval(Submitted("2025-03-08"), "2025-03-08");
    EXPECT_EQ(saturday.accept_due, "2025-03-11");
    EXPECT_EQ(saturday.contact_due, "2025-03-13");
    const auto sunday = Eval(Submitted("2025-03-09"), "2025-03-09");
    EXPECT_EQ(sunday.accept_due, "2025-03-11");
}

TEST(ServicePromise, AcceptOnTheDueDayIsOnTimeTheNextWorkingDayIsLate) {
    auto times = Submitted("2025-03-10");
    times.accepted_on = "2025-03-11";
    auto status = Eval(times, "2025-03-20");
    EXPECT_FALSE(status.accept_overdue);
    EXPECT_FALSE(status.accept_late);
    times.accepted_on = "2025-03-10";  // the same day
    EXPECT_FALSE(Eval(times, "2025-03-20").accept_overdue);
    times.accepted_on = "2025-03-12";
    status = Eval(times, "2025-03-12");
    EXPECT_TRUE(status.accept_overdue);
    EXPECT_TRUE(status.accept_late);
    EXPECT_EQ(status.max_overdue_working_days, 1);
}

TEST(ServicePromise, PendingStepBecomesOverdueOnTheNextWorkingDay) {
    const auto times = Submitted("2025-03-10");
    EXPECT_FALSE(Eval(times, "2025-03-10").accept_overdue);
    EXPECT_FALSE(Eval(times, "2025-03-11").accept_overdue);  // due today
    const auto status = Eval(times, "2025-03-12");
    EXPECT_TRUE(status.accept_overdue);
    EXPECT_FALSE(status.accept_late);  // not done yet
    EXPECT_FALSE(status.contact_overdue);
    EXPECT_EQ(status.max_overdue_working_days, 1);
    EXPECT_FALSE(Eval(times, "2025-03-13").contact_overdue);
    EXPECT_TRUE(Eval(times, "2025-03-14").contact_overdue);
}

TEST(ServicePromise, WeekendAfterTheDueDayDoesNotCount) {
    auto times = Submitted("2025-03-11");  // Tuesday: contact due Friday 2025-03-14
    EXPECT_EQ(Eval(times, "2025-03-11").contact_due, "2025-03-14");
    EXPECT_FALSE(Eval(times, "2025-03-15").contact_overdue);  // Saturday
    EXPECT_FALSE(Eval(times, "2025-03-16").contact_overdue);  // Sunday
    auto monday = Eval(times, "2025-03-17");
    EXPECT_TRUE(monday.contact_overdue);
    EXPECT_EQ(monday.max_overdue_working_days, 3);  // accept was due 03-12: 13, 14, 17
    times.accepted_on = "2025-03-12";
    monday = Eval(times, "2025-03-17");
    EXPECT_EQ(monday.max_overdue_working_days, 1);
    times.contacted_on = "2025-03-15";  // done on the Saturday after the due day: on time
    EXPECT_FALSE(Eval(times, "2025-03-20").contact_overdue);
    times.contacted_on = "2025-03-17";
    const auto late = Eval(times, "2025-03-20");
    EXPECT_TRUE(late.contact_overdue);
    EXPECT_TRUE(late.contact_late);
    EXPECT_EQ(late.max_overdue_working_days, 1);  // judged by the day it was done, not today
}

TEST(ServicePromise, MaxOverdueOverSteps) {
    const auto times = Submitted("2025-03-03");  // accept due 03-04, contact due 03-06
    const auto status = Eval(times, "2025-03-14");
    EXPECT_TRUE(status.accept_overdue);
    EXPECT_TRUE(status.contact_overdue);
    EXPECT_EQ(status.max_overdue_working_days, 8);  // 03-05 … 03-14
    auto accepted = times;
    accepted.accepted_on = "2025-03-05";
    EXPECT_EQ(Eval(accepted, "2025-03-14").max_overdue_working_days, 6);  // contact: 03-07 … 03-14
}

TEST(ServicePromise, SpringFestival2025) {
    auto times = Submitted("2025-01-27");  // the Monday before the break
    auto status = Eval(times, "2025-01-27");
    EXPECT_EQ(status.accept_due, "2025-02-05");
    EXPECT_EQ(status.contact_due, "2025-02-07");
    EXPECT_FALSE(Eval(times, "2025-02-04").accept_overdue);  // the whole break does not count
    EXPECT_FALSE(Eval(times, "2025-02-05").accept_overdue);
    EXPECT_TRUE(Eval(times, "2025-02-06").accept_overdue);
    EXPECT_FALSE(Eval(times, "2025-02-07").contact_overdue);
    EXPECT_TRUE(Eval(times, "2025-02-08").contact_overdue);  // the make-up Saturday is a working day

    times = Submitted("2025-01-24");  // Friday: the make-up Sunday 01-26 is the next working day
    status = Eval(times, "2025-01-24");
    EXPECT_EQ(status.accept_due, "2025-01-26");
    EXPECT_EQ(status.contact_due, "2025-02-05");
    times.accepted_on = "2025-01-27";
    status = Eval(times, "2025-01-27");
    EXPECT_TRUE(status.accept_late);
    EXPECT_EQ(status.max_overdue_working_days, 1);

    times = Submitted("2025-01-30");  // during the break: counts as made on 02-05
    status = Eval(times, "2025-01-30");
    EXPECT_EQ(status.accept_due, "2025-02-06");
    EXPECT_EQ(status.contact_due, "2025-02-08");
}

TEST(ServicePromise, NationalDay2025) {
    auto times = Submitted("2025-10-03");  // during the break: counts as made on 10-09
    auto status = Eval(times, "2025-10-03");
    EXPECT_EQ(status.accept_due, "2025-10-10");
    EXPECT_EQ(status.contact_due, "2025-10-13");  // 10, 11 (make-up Saturday), 13
    times = Submitted("2025-09-30");
    status = Eval(times, "2025-09-30");
    EXPECT_EQ(status.accept_due, "2025-10-09");
    EXPECT_EQ(status.contact_due, "2025-10-11");
    EXPECT_FALSE(Eval(times, "2025-10-08").accept_overdue);
    EXPECT_EQ(Eval(times, "2025-10-13").max_overdue_working_days, 3);  // accept: 10, 11, 13
}

TEST(ServicePromise, DecideDeadlineStartsWhenDocumentsAreComplete) {
    auto times = Submitted("2025-09-22");
    times.accepted_on = "2025-09-22";
    times.contacted_on = "2025-09-23";
    auto status = Eval(times, "2025-12-31");
    EXPECT_FALSE(status.decide_due);
    EXPECT_FALSE(status.decide_overdue);
    EXPECT_EQ(status.max_overdue_working_days, 0);

    times.docs_complete_on = "2025-09-29";  // Monday: 30, 9, 10, 11 (Saturday), 13
    status = Eval(times, "2025-10-13");
    ASSERT_TRUE(status.decide_due);
    EXPECT_EQ(status.decide_due.value_or(""), "2025-10-13");
    EXPECT_FALSE(status.decide_overdue);
    status = Eval(times, "2025-10-14");
    EXPECT_TRUE(status.decide_overdue);
    EXPECT_FALSE(status.decide_late);
    EXPECT_EQ(status.max_overdue_working_days, 1);

    times.decided_on = "2025-10-13";
    status = Eval(times, "2025-12-31");
    EXPECT_FALSE(status.decide_overdue);
    EXPECT_EQ(status.max_overdue_working_days, 0);
    times.decided_on = "2025-10-14";
    status = Eval(times, "2025-12-31");
    EXPECT_TRUE(status.decide_overdue);
    EXPECT_TRUE(status.decide_late);
    EXPECT_EQ(status.max_overdue_working_days, 1);

    times.docs_complete_on = "2025-10-04";  // on a holiday: counts from 10-09
    times.decided_on.reset();
    EXPECT_EQ(Eval(times, "2025-10-04").decide_due.value_or(""), "2025-10-15");  // 10, 11, 13, 14, 15
}

TEST(ServicePromise, DecisionWithoutCompleteDocumentsIsNeverOverdue) {
    auto times = Submitted("2025-03-10");
    times.accepted_on = "2025-03-10";
    times.contacted_on = "2025-03-10";
    times.decided_on = "2025-06-30";
    const auto status = Eval(times, "2025-12-31");
    EXPECT_FALSE(status.decide_due);
    EXPECT_FALSE(status.decide_overdue);
    EXPECT_FALSE(status.decide_late);
}

TEST(ServicePromise, StepsDoneEarlyStayOnTime) {
    auto times = Submitted("2025-03-10");
    times.accepted_on = "2025-03-10";
    times.contacted_on = "2025-03-13";
    times.docs_complete_on = "2025-03-14";
    times.decided_on = "2025-03-21";  // 17, 18, 19, 20, 21: the fifth working day
    const auto status = Eval(times, "2026-06-30");
    EXPECT_EQ(status.decide_due.value_or(""), "2025-03-21");
    EXPECT_FALSE(status.accept_overdue || status.contact_overdue || status.decide_overdue);
    EXPECT_EQ(status.max_overdue_working_days, 0);
}

TEST(ServicePromise, TodayBeforeSubmissionIsNothingOverdue) {
    const auto status = Eval(Submitted("2025-03-10"), "2025-03-01");
    EXPECT_FALSE(status.accept_overdue || status.contact_overdue);
    EXPECT_EQ(status.max_overdue_working_days, 0);
}

TEST(ServicePromise, CustomPromise) {
    const ServicePromise strict{0, 1, 2};
    auto times = Submitted("2025-03-10");
    auto status = Eval(times, "2025-03-10", strict);
    EXPECT_EQ(status.accept_due, "2025-03-10");  // same working day
    EXPECT_EQ(status.contact_due, "2025-03-11");
    EXPECT_TRUE(Eval(times, "2025-03-11", strict).accept_overdue);
    EXPECT_EQ(Eval(Submitted("2025-03-08"), "2025-03-08", strict).accept_due, "2025-03-10");

    const ServicePromise loose{2, 5, 10};
    times.docs_complete_on = "2025-03-14";
    status = Eval(times, "2025-03-10", loose);
    EXPECT_EQ(status.accept_due, "2025-03-12");
    EXPECT_EQ(status.contact_due, "2025-03-17");
    EXPECT_EQ(status.decide_due.value_or(""), "2025-03-28");
}

TEST(ServicePromise, InvalidDatesAreNeverOverdue) {
    auto status = Eval(Submitted("2025-02-30"), "2025-12-31");
    EXPECT_EQ(status.accept_due, "");
    EXPECT_EQ(status.contact_due, "");
    EXPECT_FALSE(status.accept_overdue || status.contact_overdue);

    auto times = Submitted("2025-03-10");
    times.accepted_on = "yesterday";
    status = Eval(times, "2025-12-31");
    EXPECT_EQ(status.accept_due, "2025-03-11");
    EXPECT_FALSE(status.accept_overdue);
    EXPECT_TRUE(status.contact_overdue);  // the other steps are still judged

    status = Eval(Submitted("2025-03-10"), "not a date");
    EXPECT_FALSE(status.accept_overdue || status.contact_overdue);
}

TEST(ServicePromise, UsesTheGivenCalendar) {
    auto calendar = WorkingCalendar::Parse("date,kind\n2025-03-11,holiday\n");
    ASSERT_TRUE(calendar);
    const auto status = EvaluatePromise(Submitted("2025-03-10"), {}, *calendar, "2025-03-12");
    EXPECT_EQ(status.accept_due, "2025-03-12");
    EXPECT_FALSE(status.accept_overdue);
}

}  // namespace
}  // namespace chanrong::finance

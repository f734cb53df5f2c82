#include "finance/service_promise.hpp"

#include <algorithm>

namespace chanrong::finance {
namespace {

using std::chrono::sys_days;

struct Step {
    bool overdue = false;
    bool late = false;
    int overdue_days = 0;
};

// The due day: `days` working days after the first working day on or after `start`.
std::optional<sys_days> DueDay(std::string_view start, int days, const WorkingCalendar& calendar) {
    const auto day = ParseIsoDate(start);
    if (!day) return std::nullopt;
    return calendar.AddWorkingDays(calendar.AddWorkingDays(*day, 0), std::max(days, 0));
}

Step Judge(const std::optional<sys_days>& due, const std::optional<std::string>& done_on,
           const std::optional<sys_days>& today, const WorkingCalendar& calendar) {
    Step step;
    if (!due) return step;
    const auto done = done_on ? ParseIsoDate(*done_on) : std::nullopt;
    if (done_on && !done) return step;  // an invalid date: nothing can be said
    const auto judged_on = done ? done : today;
    if (!judged_on) return step;
    step.overdue_days = std::max(calendar.WorkingDaysBetween(*due, *judged_on), 0);
    step.overdue = step.overdue_days > 0;
    step.late = step.overdue && done.has_value();
    return step;
}

}  // namespace

PromiseStatus EvaluatePromise(const ApplicationTimes& times, const ServicePromise& promise,
                              const WorkingCalendar& calendar, std::string_view today) {
    PromiseStatus status;
    const auto today_day = ParseIsoDate(today);
    const auto accept_due = DueDay(times.submitted_on, promise.accept_days, calendar);
    const auto contact_due = DueDay(times.submitted_on, promise.contact_days, calendar);
    const auto decide_due =
        times.docs_complete_on ? DueDay(*times.docs_complete_on, promise.decide_days, calendar) : std::nullopt;
    if (accept_due) status.accept_due = FormatIsoDate(*accept_due);
    if (contact_due) status.contact_due = FormatIsoDate(*contact_due);
    if (decide_due) status.decide_due = FormatIsoDate(*decide_due);

    const Step accept = Judge(accept_due, times.accepted_on, today_day, calendar);
    const Step contact = Judge(contact_due, times.contacted_on, today_day, calendar);
    const Step decide = Judge(decide_due, times.decided_on, today_day, calendar);
    status.accept_overdue = accept.overdue;
    status.accept_late = accept.late;
    status.contact_overdue = contact.overdue;
    status.contact_late = contact.late;
    status.decide_overdue = decide.overdue;
    status.decide_late = decide.late;
    status.max_overdue_working_days = std::max({accept.overdue_days, contact.overdue_days, decide.overdue_days});
    return status;
}

}  // namespace chanrong::finance

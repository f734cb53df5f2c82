#pragma once
// The "135" service promise (Zhejiang's practice, DOMAIN §9): an institution accepts an application within 1
// working day of submission, contacts the enterprise within 3 working days of submission, and decides within 5
// working days after the documents are complete. Pure: dates in, deadlines and overdue flags out.

#include <optional>
#include <string>
#include <string_view>

#include "finance/working_calendar.hpp"

namespace chanrong::finance {

/// The deadlines in working days; a platform may configure stricter or looser ones.
struct ServicePromise {
    int accept_days = 1;   ///< accept within N working days of submission
    int contact_days = 3;  ///< contact the enterprise within N working days of submission
    int decide_days = 5;   ///< approve or reject within N working days after the documents are complete
};

/// When each step happened, as "YYYY-MM-DD" business dates; nullopt while it has not.
struct ApplicationTimes {
    std::string submitted_on;
    std::optional<std::string> accepted_on, contacted_on, docs_complete_on, decided_on;
};

/// The deadlines and how the application stands against them on a given day.
struct PromiseStatus {
    std::string accept_due, contact_due;
    std::optional<std::string> decide_due;  ///< set once the documents are complete
    /// Overdue: the step was done late, or is not done and its deadline has passed by `today`.
    bool accept_overdue = false, contact_overdue = false, decide_overdue = false;
    /// Late: the step was done, after its deadline (so late implies overdue).
    bool accept_late = false, contact_late = false, decide_late = false;
    /// The largest number of working days any step is or was past its deadline; 0 when nothing is overdue.
    int max_overdue_working_days = 0;
};

/// Evaluates the promise. Deadlines run in working days of `calendar`, counting from the working day after the
/// start date; a submission (or completion of documents) on a non-working day counts as made on the next
/// working day. So with the default promise, an application submitted on Friday 2025-03-07 is due to be accepted
/// on Monday 2025-03-10, and one submitted on Saturday 2025-03-08 on Tuesday 2025-03-11. Only working days
/// count against the institution: acting on the due day is on time, and so is acting on a non-working day just
/// after it; the step becomes overdue on the next working day after the due day. A step done is judged by the
/// day it was done, one not done by `today`. Without docs_complete_on there is no decide deadline and the
/// decision cannot be overdue. Dates must be valid YYYY-MM-DD (validated where they enter the system); an
/// invalid date leaves the affected due date empty and its step not overdue.
PromiseStatus EvaluatePromise(const ApplicationTimes& times, const ServicePromise& promise,
                              const WorkingCalendar& calendar, std::string_view today);

}  // namespace chanrong::finance

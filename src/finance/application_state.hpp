#pragma once
// The financing application's state machine: which party may fire which event in which state. Pure: no database.
//
//   submitted ─accept→ accepted ─review→ under_review ─approve→ approved ─disburse→ disbursed
//                                          │      ↑
//                              request_docs│      │submit_docs
//                                          ↓      │
//                                          more_docs
//   reject:   submitted / accepted / under_review → rejected
//   withdraw: submitted / accepted / under_review / more_docs / approved → withdrawn
//   expire:   submitted / accepted / more_docs → expired
// Terminal: rejected, disbursed, withdrawn, expired.

#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace chanrong::finance {

enum class AppState {
    kSubmitted,    ///< 已提交
    kAccepted,     ///< 已受理
    kUnderReview,  ///< 审核中
    kMoreDocs,     ///< 待补充材料: referred back to the enterprise for more documents
    kApproved,     ///< 已批准
    kRejected,     ///< 已拒绝 (terminal)
    kDisbursed,    ///< 已放款 (terminal)
    kWithdrawn,    ///< 已撤回 (terminal)
    kExpired,      ///< 已过期 (terminal)
};

enum class AppEvent {
    kAccept,       ///< institution: 受理
    kReview,       ///< institution: 开始审核
    kRequestDocs,  ///< institution: 要求补充材料
    kSubmitDocs,   ///< enterprise: 提交补充材料
    kApprove,      ///< institution: 批准
    kReject,       ///< institution: 拒绝
    kDisburse,     ///< institution: 放款
    kWithdraw,     ///< enterprise: 撤回
    kExpire,       ///< system: 过期
};

/// Who fires an event: the applying enterprise, the financial institution handling it, or the platform itself.
enum class Party { kEnterprise, kInstitution, kSystem };

/// Every state, event and party in declaration order (for tables and exhaustive tests).
inline constexpr std::array<AppState, 9> kAllAppStates = {
    AppState::kSubmitted, AppState::kAccepted,  AppState::kUnderReview, AppState::kMoreDocs, AppState::kApproved,
    AppState::kRejected,  AppState::kDisbursed, AppState::kWithdrawn,   AppState::kExpired};
inline constexpr std::array<AppEvent, 9> kAllAppEvents = {
    AppEvent::kAccept, AppEvent::kReview,   AppEvent::kRequestDocs, AppEvent::kSubmitDocs, AppEvent::kApprove,
    AppEvent::kReject, AppEvent::kDisburse, AppEvent::kWithdraw,    AppEvent::kExpire};
inline constexpr std::array<Party, 3> kAllParties = {Party::kEnterprise, Party::kInstitution, Party::kSystem};

/// "submitted", "accepted", "under_review", "more_docs", "approved", "rejected", "disbursed", "withdrawn",
/// "expired" (as stored and as sent in the API).
std::string_view AppStateName(AppState state);
/// 已提交, 已受理, 审核中, 待补充材料, 已批准, 已拒绝, 已放款, 已撤回, 已过期.
std::string_view AppStateNameZh(AppState state);
/// The state named by AppStateName (exact, lower case), or nullopt.
std::optional<AppState> ParseAppState(std::string_view name);

/// "accept", "review", "request_docs", "submit_docs", "approve", "reject", "disburse", "withdraw", "expire".
std::string_view AppEventName(AppEvent event);
/// 受理, 开始审核, 要求补充材料, 提交补充材料, 批准, 拒绝, 放款, 撤回, 过期.
std::string_view AppEventNameZh(AppEvent event);
/// The event named by AppEventName (exact, lower case), or nullopt.
std::optional<AppEvent> ParseAppEvent(std::string_view name);

/// "enterprise", "institution", "system".
std::string_view PartyName(Party party);
/// 企业, 金融机构, 系统.
std::string_view PartyNameZh(Party party);
/// The party named by PartyName, or nullopt.
std::optional<Party> ParseParty(std::string_view name);

/// The one party allowed to fire `event`: the institution accepts, reviews, requests documents, approves, rejects
/// and disburses; the enterprise withdraws and submits documents; the system expires.
Party EventParty(AppEvent event);

/// True for rejected, disbursed, withdrawn and expired: no event leaves them.
bool IsTerminal(AppState state);

/// The state `event` leads to from `from`. Checks the party first: a party that may never fire the event fails
/// with permission_denied (“企业无权执行“批准”操作”), whatever the state; then the transition: an event not legal
/// in `from` fails with conflict naming both (“申请当前状态为“已放款”，不能执行“撤回”操作”).
Result<AppState> Transition(AppState from, AppEvent event, Party by);

/// The events `by` may fire in `state` (those for which Transition succeeds), in declaration order; empty for
/// terminal states.
std::vector<AppEvent> AllowedEvents(AppState state, Party by);

}  // namespace chanrong::finance

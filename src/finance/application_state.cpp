#include "finance/application_state.hpp"

#include <string>

namespace chanrong::finance {
namespace {

// The legal transitions; Transition and AllowedEvents both read only this table.
struct Edge {
    AppState from;
    AppEvent event;
    AppState to;
};
constexpr std::array<Edge, 17> kEdges = {{
    {AppState::kSubmitted, AppEvent::kAccept, AppState::kAccepted},
    {AppState::kSubmitted, AppEvent::kReject, AppState::kRejected},
    {AppState::kAccepted, AppEvent::kReject, AppState::kRejected},
    {AppState::kUnderReview, AppEvent::kReject, AppState::kRejected},
    {AppState::kAccepted, AppEvent::kReview, AppState::kUnderReview},
    {AppState::kUnderReview, AppEvent::kRequestDocs, AppState::kMoreDocs},
    {AppState::kMoreDocs, AppEvent::kSubmitDocs, AppState::kUnderReview},
    {AppState::kUnderReview, AppEvent::kApprove, AppState::kApproved},
    {AppState::kApproved, AppEvent::kDisburse, AppState::kDisbursed},
    {AppState::kSubmitted, AppEvent::kWithdraw, AppState::kWithdrawn},
    {AppState::kAccepted, AppEvent::kWithdraw, AppState::kWithdrawn},
    {AppState::kUnderReview, AppEvent::kWithdraw, AppState::kWithdrawn},
    {AppState::kMoreDocs, AppEvent::kWithdraw, AppState::kWithdrawn},
    {AppState::kApproved, AppEvent::kWithdraw, AppState::kWithdrawn},
    {AppState::kSubmitted, AppEvent::kExpire, AppState::kExpired},
    {AppState::kAccepted, AppEvent::kExpire, AppState::kExpired},
    {AppState::kMoreDocs, AppEvent::kExpire, AppState::kExpired},
    // Under review and approved applications do not expire: the institution is working on them or has committed.
}};

const Edge* FindEdge(AppState from, AppEvent event) {
    for (const auto& edge : kEdges)
        if (edge.from == from && edge.event == event) return &edge;
    return nullptr;
}

template <class Enum, size_t N>
std::optional<Enum> ParseByName(std::string_view name, const std::array<Enum, N>& all,
                                std::string_view (*name_of)(Enum)) {
    for (Enum value : all)
        if (name_of(value) == name) return value;
    return std::nullopt;
}

}  // namespace

std::string_view AppStateName(AppState state) {
    switch (state) {
        case AppState::kSubmitted: return "submitted";
        case AppState::kAccepted: return "accepted";
        case AppState::kUnderReview: return "under_review";
        case AppState::kMoreDocs: return "more_docs";
        case AppState::kApproved: return "approved";
        case AppState::kRejected: return "rejected";
        case AppState::kDisbursed: return "disbursed";
        case AppState::kWithdrawn: return "withdrawn";
        case AppState::kExpired: return "expired";
    }
    return "";
}

std::string_view AppStateNameZh(AppState state) {
    switch (state) {
        case AppState::kSubmitted: return "已提交";
        case AppState::kAccepted: return "已受理";
        case AppState::kUnderReview: return "审核中";
        case AppState::kMoreDocs: return "待补充材料";
        case AppState::kApproved: return "已批准";
        case AppState::kRejected: return "已拒绝";
        case AppState::kDisbursed: return "已放款";
        case AppState::kWithdrawn: return "已撤回";
        case AppState::kExpired: return "已过期";
    }
    return "";
}

std::optional<AppState> ParseAppState(std::string_view name) {
    return ParseByName(name, kAllAppStates, AppStateName);
}

std::string_view AppEventName(AppEvent event) {
    switch (event) {
        case AppEvent::kAccept: return "accept";
        case AppEvent::kReview: return "review";
        case AppEvent::kRequestDocs: return "request_docs";
        case AppEvent::kSubmitDocs: return "submit_docs";
        case AppEvent::kApprove: return "approve";
        case AppEvent::kReject: return "reject";
        case AppEvent::kDisburse: return "disburse";
        case AppEvent::kWithdraw: return "withdraw";
        case AppEvent::kExpire: return "expire";
    }
    return "";
}

std::string_view AppEventNameZh(AppEvent event) {
    switch (event) {
        case AppEvent::kAccept: return "受理";
        case AppEvent::kReview: return "开始审核";
        case AppEvent::kRequestDocs: return "要求补充材料";
        case AppEvent::kSubmitDocs: return "提交补充材料";
        case AppEvent::kApprove: return "批准";
        case AppEvent::kReject: return "拒绝";
        case AppEvent::kDisburse: return "放款";
        case AppEvent::kWithdraw: return "撤回";
        case AppEvent::kExpire: return "过期";
    }
    return "";
}

std::optional<AppEvent> ParseAppEvent(std::string_view name) {
    return ParseByName(name, kAllAppEvents, AppEventName);
}

std::string_view PartyName(Party party) {
    switch (party) {
        case Party::kEnterprise: return "enterprise";
        case Party::kInstitution: return "institution";
        case Party::kSystem: return "system";
    }
    return "";
}

std::string_view PartyNameZh(Party party) {
    switch (party) {
        case Party::kEnterprise: return "企业";
        case Party::kInstitution: return "金融机构";
        case Party::kSystem: return "系统";
    }
    return "";
}

std::optional<Party> ParseParty(std::string_view name) {
    return ParseByName(name, kAllParties, PartyName);
}

Party EventParty(AppEvent event) {
    switch (event) {
        case AppEvent::kWithdraw:
        case AppEvent::kSubmitDocs: return Party::kEnterprise;
        case AppEvent::kExpire: return Party::kSystem;
        case AppEvent::kAccept:
        case AppEvent::kReview:
        case AppEvent::kRequestDocs:
        case AppEvent::kApprove:
        case AppEvent::kReject:
        case AppEvent::kDisburse: return Party::kInstitution;
    }
    return Party::kSystem;
}

bool IsTerminal(AppState state) {
    return state == AppState::kRejected || state == AppState::kDisbursed || state == AppState::kWithdrawn ||
           state == AppState::kExpired;
}

Result<AppState> Transition(AppState from, AppEvent event, Party by) {
    if (EventParty(event) != by)
        return Fail(Error::PermissionDenied(std::string(PartyNameZh(by)) + "无权执行“" +
                                            std::string(AppEventNameZh(event)) + "”操作"));
    const Edge* edge = FindEdge(from, event);
    if (!edge)
        return Fail(Error::Conflict("申请当前状态为“" + std::string(AppStateNameZh(from)) + "”，不能执行“" +
                                    std::string(AppEventNameZh(event)) + "”操作"));
    return edge->to;
}

std::vector<AppEvent> AllowedEvents(AppState state, Party by) {
    std::vector<AppEvent> events;
    for (AppEvent event : kAllAppEvents)
        if (EventParty(event) == by && FindEdge(state, event)) events.push_back(event);
    return events;
}

}  // namespace chanrong::finance

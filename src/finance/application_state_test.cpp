#include "finance/application_state.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <tuple>

namespace chanrong::finance {
namespace {

// The brief's transition list, written out by name and independently of application_state.cpp.
struct Legal {
    const char* from;
    const char* event;
    const char* to;
};
const std::vector<Legal> kLegal = {
    {"submitted", "accept", "accepted"},          {"submitted", "reject", "rejected"},
    {"accepted", "reject", "rejected"},           {"under_review", "reject", "rejected"},
    {"accepted", "review", "under_review"},       {"under_review", "request_docs", "more_docs"},
    {"more_docs", "submit_docs", "under_review"}, {"under_review", "approve", "approved"},
    {"approved", "disburse", "disbursed"},        {"submitted", "withdraw", "withdrawn"},
    {"accepted", "withdraw", "withdrawn"},        {"under_review", "withdraw", "withdrawn"},
    {"more_docs", "withdraw", "withdrawn"},       {"approved", "withdraw", "withdrawn"},
    {"submitted", "expire", "expired"},           {"accepted", "expire", "expired"},
    {"more_docs", "expire", "expired"},
};

// Who may fire each event, by name.
const std::map<std::string, std::string> kFiredBy = {
    {"accept", "institution"},  {"review", "institution"},     {"request_docs", "institution"},
    {"approve", "institution"}, {"reject", "institution"},     {"disburse", "institution"},
    {"withdraw", "enterprise"}, {"submit_docs", "enterprise"}, {"expire", "system"},
};

const std::vector<std::string> kStateNames = {"submitted", "accepted",  "under_review", "more_docs", "approved",
                                              "rejected",  "disbursed", "withdrawn",    "expired"};
const std::vector<std::string> kEventNames = {"accept", "review",   "request_docs", "submit_docs", "approve",
                                              "reject", "disburse", "withdraw",     "expire"};
const std::vector<std::string> kPartyNames = {"enterprise", "institution", "system"};
const std::set<std::string> kTerminal = {"rejected", "disbursed", "withdrawn", "expired"};

AppState S(const std::string& name) {
    auto state = ParseAppState(name);
    EXPECT_TRUE(state) << name;
    return state.value_or(AppState::kSubmitted);
}
AppEvent E(const std::string& name) {
    auto event = ParseAppEvent(name);
    EXPECT_TRUE(event) << name;
    return event.value_or(AppEvent::kAccept);
}
Party P(const std::string& name) {
    auto party = ParseParty(name);
    EXPECT_TRUE(party) << name;
    return party.value_or(Party::kSystem);
}

TEST(ApplicationState, NamesRoundTripAndAreDistinct) {
    ASSERT_EQ(kAllAppStates.size(), kStateNames.size());
    for (size_t i = 0; i < kAllAppStates.size(); ++i) {
        EXPECT_EQ(AppStateName(kAllAppStates[i]), kStateNames[i]);
        EXPECT_EQ(ParseAppState(kStateNames[i]), kAllAppStates[i]);
    }
    ASSERT_EQ(kAllAppEvents.size(), kEventNames.size());
    for (size_t i = 0; i < kAllAppEvents.size(); ++i) {
        EXPECT_EQ(AppEventName(kAllAppEvents[i]), kEventNames[i]);
        EXPECT_EQ(ParseAppEvent(kEventNames[i]), kAllAppEvents[i]);
    }
    ASSERT_EQ(kAllParties.size(), kPartyNames.size());
    for (size_t i = 0; i < kAllParties.size(); ++i) {
        EXPECT_EQ(PartyName(kAllParties[i]), kPartyNames[i]);
        EXPECT_EQ(ParseParty(kPartyNames[i]), kAllParties[i]);
    }
    std::set<std::string_view> zh;
    for (auto state : kAllAppStates) zh.insert(AppStateNameZh(state));
    EXPECT_EQ(zh.size(), 9u);
    zh.clear();
    for (auto event : kAllAppEvents) zh.insert(AppEventNameZh(event));
    EXPECT_EQ(zh.size(), 9u);
}

TEST(ApplicationState, ChineseDisplayNames) {
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"submitted", "已提交"},     {"accepted", "已受理"},  {"under_review", "审核中"},
        {"more_docs", "待补充材料"}, {"approved", "已批准"},  {"rejected", "已拒绝"},
        {"disbursed", "已放款"},     {"withdrawn", "已撤回"}, {"expired", "已过期"},
    };
    for (const auto& [name, zh] : expected) EXPECT_EQ(AppStateNameZh(S(name)), zh) << name;
    EXPECT_EQ(PartyNameZh(Party::kEnterprise), "企业");
    EXPECT_EQ(PartyNameZh(Party::kInstitution), "金融机构");
    EXPECT_EQ(PartyNameZh(Party::kSystem), "系统");
}

TEST(ApplicationState, ParseRefusesOtherSpellings) {
    for (std::string_view bad : {"", "Submitted", "SUBMITTED", " submitted", "submitted ", "under-review",
                                 "underreview", "已提交", "more docs", "kSubmitted"})
        EXPECT_FALSE(ParseAppState(bad)) << bad;
    for (std::string_view bad : {"", "Accept", "accepted", "request-docs", "受理", "expire "})
        EXPECT_FALSE(ParseAppEvent(bad)) << bad;
    for (std::string_view bad : {"", "Enterprise", "bank", "企业", "institutions"})
        EXPECT_FALSE(ParseParty(bad)) << bad;
}

TEST(ApplicationState, TerminalStates) {
    for (const auto& name : kStateNames) EXPECT_EQ(IsTerminal(S(name)), kTerminal.contains(name)) << name;
}

TEST(ApplicationState, EventParty) {
    for (const auto& [event, party] : kFiredBy) EXPECT_EQ(EventParty(E(event)), P(party)) << event;
}

// All 9 × 9 × 3 combinations against the table above.
TEST(ApplicationState, FullMatrix) {
    std::map<std::pair<std::string, std::string>, std::string> legal;
    for (const auto& row : kLegal) legal[{row.from, row.event}] = row.to;
    ASSERT_EQ(legal.size(), kLegal.size()) << "duplicate row in the expected table";
    int successes = 0, conflicts = 0, refusals = 0;
    for (const auto& from : kStateNames)
        for (const auto& event : kEventNames)
            for (const auto& party : kPartyNames) {
                SCOPED_TRACE(from + " —" + event + "→ by " + party);
                auto result = Transition(S(from), E(event), P(party));
                const bool permitted = kFiredBy.at(event) == party;
                const auto edge = legal.find({from, event});
                if (!permitted) {
                    ASSERT_FALSE(result);
                    EXPECT_EQ(result.error().code, ErrorCode::kPermissionDenied);
                    EXPECT_NE(result.error().message.find(AppEventNameZh(E(event))), std::string::npos);
                    EXPECT_NE(result.error().message.find(PartyNameZh(P(party))), std::string::npos);
                    ++refusals;
                } else if (edge == legal.end()) {
                    ASSERT_FALSE(result);
                    EXPECT_EQ(result.error().code, ErrorCode::kConflict);
                    EXPECT_NE(result.error().message.find(AppStateNameZh(S(from))), std::string::npos);
                    EXPECT_NE(result.error().message.find(AppEventNameZh(E(event))), std::string::npos);
                    ++conflicts;
                } else {
                    ASSERT_TRUE(result) << result.error().message;
                    EXPECT_EQ(AppStateName(*result), edge->second);
                    ++successes;
                }
            }
    EXPECT_EQ(successes, 17);
    EXPECT_EQ(successes + conflicts + refusals, 9 * 9 * 3);
    EXPECT_EQ(refusals, 9 * 9 * 2);  // each event belongs to exactly one party
}

TEST(ApplicationState, AllowedEventsMatchTable) {
    for (const auto& from : kStateNames)
        for (const auto& party : kPartyNames) {
            std::vector<std::string> expected;
            for (const auto& event : kEventNames)  // declaration order
                for (const auto& row : kLegal)
                    if (row.from == from && row.event == event && kFiredBy.at(event) == party)
                        expected.push_back(event);
            std::vector<std::string> actual;
            for (auto event : AllowedEvents(S(from), P(party))) actual.emplace_back(AppEventName(event));
            EXPECT_EQ(actual, expected) << from << " by " << party;
            if (kTerminal.contains(from)) {
                EXPECT_TRUE(actual.empty()) << from;
            }
        }
}

TEST(ApplicationState, AllowedEventsSpotChecks) {
    using V = std::vector<AppEvent>;
    EXPECT_EQ(AllowedEvents(AppState::kSubmitted, Party::kInstitution), (V{AppEvent::kAccept, AppEvent::kReject}));
    EXPECT_EQ(AllowedEvents(AppState::kSubmitted, Party::kEnterprise), (V{AppEvent::kWithdraw}));
    EXPECT_EQ(AllowedEvents(AppState::kSubmitted, Party::kSystem), (V{AppEvent::kExpire}));
    EXPECT_EQ(AllowedEvents(AppState::kUnderReview, Party::kInstitution),
              (V{AppEvent::kRequestDocs, AppEvent::kApprove, AppEvent::kReject}));
    EXPECT_EQ(AllowedEvents(AppState::kUnderReview, Party::kSystem), V{});
    EXPECT_EQ(AllowedEvents(AppState::kMoreDocs, Party::kEnterprise), (V{AppEvent::kSubmitDocs, AppEvent::kWithdraw}));
    EXPECT_EQ(AllowedEvents(AppState::kMoreDocs, Party::kInstitution), V{});
    EXPECT_EQ(AllowedEvents(AppState::kApproved, Party::kInstitution), (V{AppEvent::kDisburse}));
    EXPECT_EQ(AllowedEvents(AppState::kApproved, Party::kSystem), V{});
}

TEST(ApplicationState, HappyPathWithOneReferralBack) {
    AppState state = AppState::kSubmitted;
    const std::vector<std::pair<AppEvent, Party>> steps = {
        {AppEvent::kAccept, Party::kInstitution},      {AppEvent::kReview, Party::kInstitution},
        {AppEvent::kRequestDocs, Party::kInstitution}, {AppEvent::kSubmitDocs, Party::kEnterprise},
        {AppEvent::kRequestDocs, Party::kInstitution}, {AppEvent::kSubmitDocs, Party::kEnterprise},
        {AppEvent::kApprove, Party::kInstitution},     {AppEvent::kDisburse, Party::kInstitution},
    };
    for (const auto& [event, party] : steps) {
        auto next = Transition(state, event, party);
        ASSERT_TRUE(next) << next.error().message;
        state = *next;
    }
    EXPECT_EQ(state, AppState::kDisbursed);
    EXPECT_TRUE(IsTerminal(state));
}

TEST(ApplicationState, MessagesAreChinese) {
    auto conflict = Transition(AppState::kDisbursed, AppEvent::kWithdraw, Party::kEnterprise);
    ASSERT_FALSE(conflict);
    EXPECT_EQ(conflict.error().code, ErrorCode::kConflict);
    EXPECT_EQ(conflict.error().message, "申请当前状态为“已放款”，不能执行“撤回”操作");
    auto denied = Transition(AppState::kUnderReview, AppEvent::kApprove, Party::kEnterprise);
    ASSERT_FALSE(denied);
    EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
    EXPECT_EQ(denied.error().message, "企业无权执行“批准”操作");
    // Permission is checked before the state: the system may never approve, even where approving is illegal.
    auto both = Transition(AppState::kExpired, AppEvent::kApprove, Party::kSystem);
    ASSERT_FALSE(both);
    EXPECT_EQ(both.error().code, ErrorCode::kPermissionDenied);
}

}  // namespace
}  // namespace chanrong::finance

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "finance/eligibility.hpp"

namespace chanrong::finance {
namespace {

TEST(Eligibility, EachRuleCanFailOnItsOwn) {
    const EnterpriseFacts facts{"P1", "medium", "翔安区", "C3974", {"high_tech"}, {"white_list"}, 8};
    auto rules = [](const char* text) { return boost::json::parse(text).as_object(); };
    EXPECT_TRUE(FailedRules(rules("{}"), facts).empty());
    EXPECT_TRUE(FailedRules(rules(R"({"classes446":[],"sizes":[]})"), facts).empty()) << "empty lists mean any";
    EXPECT_TRUE(FailedRules(rules(R"({"classes446":["S1","P1"],"industry_prefixes":["C39"],"tags":["high_tech"],
                                     "directories":["white_list"],"min_years":8,"sizes":["medium"],"districts":["翔安区"]})"),
                            facts).empty());
    EXPECT_EQ(FailedRules(rules(R"({"classes446":["S1"]})"), facts), std::vector<std::string>{"classes446"});
    EXPECT_EQ(FailedRules(rules(R"({"sizes":["small","micro"]})"), facts), std::vector<std::string>{"sizes"});
    EXPECT_EQ(FailedRules(rules(R"({"districts":["思明区"]})"), facts), std::vector<std::string>{"districts"});
    EXPECT_EQ(FailedRules(rules(R"({"industry_prefixes":["C38"]})"), facts), std::vector<std::string>{"industry_prefixes"});
    EXPECT_EQ(FailedRules(rules(R"({"tags":["little_giant"]})"), facts), std::vector<std::string>{"tags"});
    EXPECT_EQ(FailedRules(rules(R"({"directories":["tech_pilot"]})"), facts), std::vector<std::string>{"directories"});
    EXPECT_EQ(FailedRules(rules(R"({"min_years":9})"), facts), std::vector<std::string>{"min_years"});
}

}  // namespace
}  // namespace chanrong::finance

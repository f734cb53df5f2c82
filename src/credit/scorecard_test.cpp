#include "credit/scorecard.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <random>

#include "common/embedded_data.hpp"

namespace chanrong::credit {
namespace {

// A two-characteristic model small enough to compute by hand.
constexpr std::string_view kTinyModel = R"({
  "version": "t1", "name": "tiny", "intercept_points": 500, "base_score": 600, "base_odds": 20, "pdo": 50,
  "characteristics": [
    {"code": "years", "name": "年限", "type": "number", "bins": [
      {"label": "<3", "max": 3, "points": 0, "reason": "YOUNG"},
      {"label": "3-10", "min": 3, "max": 10, "points": 100, "reason": "YOUNG"},
      {"label": ">=10", "min": 10, "points": 200},
      {"label": "missing", "missing": true, "points": 20, "reason": "MISSING"}]},
    {"code": "tax", "name": "纳税等级", "type": "category", "bins": [
      {"label": "A", "values": ["A"], "points": 150},
      {"label": "B/M", "values": ["B", "M"], "points": 90, "reason": "TAX"},
      {"label": "missing", "missing": true, "points": 40, "reason": "MISSING"}]}],
  "grades": [{"grade": "AAA", "min_score": 800}, {"grade": "A", "min_score": 700}, {"grade": "B", "min_score": 600},
             {"grade": "C", "min_score": 0}],
  "red_flags": [{"code": "dishonest_debtor", "name": "失信被执行人", "cap": "C"},
                {"code": "serious_violation", "name": "严重违法失信", "cap": "B"}],
  "reasons": {"YOUNG": {"name": "经营年限短", "advice": "a"}, "TAX": {"name": "纳税等级", "advice": "b"},
              "MISSING": {"name": "缺数据", "advice": "c"}}
})";

ScorecardModel Tiny() { return *ParseScorecardModel(kTinyModel); }

// kTinyModel with one piece of text replaced (which must be there).
std::string TinyWith(std::string_view from, std::string_view to) {
    std::string text(kTinyModel);
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

ScoreInputs Inputs(std::optional<double> years, std::optional<std::string> tax, std::set<std::string> flags = {}) {
    ScoreInputs in;
    in.features["years"] = years ? InputValue::Number(*years) : InputValue{};
    in.features["tax"] = tax ? InputValue::Category(*tax) : InputValue{};
    in.red_flags = std::move(flags);
    return in;
}

TEST(ScorecardTest, NumericBinsAreHalfOpenAtEveryEdge) {
    const auto m = Tiny();
    const Characteristic& years = m.characteristics[0];
    EXPECT_EQ(FindBin(years, InputValue::Number(-5)), 0);
    EXPECT_EQ(FindBin(years, InputValue::Number(2.999)), 0);
    EXPECT_EQ(FindBin(years, InputValue::Number(3)), 1);
    EXPECT_EQ(FindBin(years, InputValue::Number(9.999)), 1);
    EXPECT_EQ(FindBin(years, InputValue::Number(10)), 2);
    EXPECT_EQ(FindBin(years, InputValue::Number(1e9)), 2);
    EXPECT_EQ(FindBin(years, InputValue{}), 3);
}

TEST(ScorecardTest, CategoriesAndUnlistedValuesGoToTheirBinOrMissing) {
    const auto m = Tiny();
    const Characteristic& tax = m.characteristics[1];
    EXPECT_EQ(FindBin(tax, InputValue::Category("A")), 0);
    EXPECT_EQ(FindBin(tax, InputValue::Category("M")), 1);
    EXPECT_EQ(FindBin(tax, InputValue::Category("Z")), 2);
    EXPECT_EQ(FindBin(tax, InputValue{}), 2);
}

TEST(ScorecardTest, ScoresAndGradesAHandComputedCase) {
    const auto m = Tiny();
    // 500 + 100 (3–10 years) + 90 (B) = 690 → grade B (600–699).
    ScoreResult r = Score(m, Inputs(4, "B"));
    EXPECT_EQ(r.points, 690);
    EXPECT_EQ(r.score, 690);
    EXPECT_EQ(r.grade, "B");
    EXPECT_TRUE(r.capped_by.empty());
    EXPECT_EQ(Score(m, Inputs(10, "B")).grade, "A");  // 500 + 200 + 90 = 790
}

TEST(ScorecardTest, GradeBoundariesAreInclusiveLowerBounds) {
    const auto m = Tiny();
    EXPECT_EQ(GradeOf(m, 800), "AAA");
    EXPECT_EQ(GradeOf(m, 799), "A");
    EXPECT_EQ(GradeOf(m, 700), "A");
    EXPECT_EQ(GradeOf(m, 699), "B");
    EXPECT_EQ(GradeOf(m, 600), "B");
    EXPECT_EQ(GradeOf(m, 599), "C");
    EXPECT_EQ(GradeOf(m, 0), "C");
}

TEST(ScorecardTest, MissingValuesScoreTheirMissingBinWithAReason) {
    const auto m = Tiny();
    ScoreResult r = Score(m, Inputs(std::nullopt, std::nullopt));
    EXPECT_EQ(r.score, 500 + 20 + 40);
    ASSERT_EQ(r.reasons.size(), 2u);
    EXPECT_EQ(r.contributions[r.reasons[0]].lost, 180);  // years: 200 − 20
    EXPECT_EQ(r.contributions[r.reasons[1]].lost, 110);  // tax: 150 − 40
}

TEST(ScorecardTest, RedFlagsCapTheGradeWhateverThePoints) {
    const auto m = Tiny();
    ScoreResult top = Score(m, Inputs(20, "A"));  // 850 → AAA
    EXPECT_EQ(top.grade, "AAA");
    ScoreResult flagged = Score(m, Inputs(20, "A", {"serious_violation"}));
    EXPECT_EQ(flagged.score, 850);
    EXPECT_EQ(flagged.grade, "B");
    EXPECT_EQ(flagged.capped_by, "serious_violation");
    ScoreResult both = Score(m, Inputs(20, "A", {"serious_violation", "dishonest_debtor"}));
    EXPECT_EQ(both.grade, "C");
    EXPECT_EQ(both.capped_by, "dishonest_debtor");
    // A cap never raises a grade that is already worse.
    ScoreResult low = Score(m, Inputs(1, std::nullopt, {"serious_violation"}));
    EXPECT_EQ(low.grade, "C");
    EXPECT_TRUE(low.capped_by.empty());
}

TEST(ScorecardTest, ReasonsAreRankedByPointsLost) {
    const auto m = Tiny();
    // years 3–10 loses 100; tax B loses 60 → years first.
    ScoreResult r = Score(m, Inputs(5, "M"));
    ASSERT_EQ(r.reasons.size(), 2u);
    EXPECT_EQ(m.characteristics[r.contributions[r.reasons[0]].characteristic].code, "years");
    EXPECT_EQ(m.characteristics[r.contributions[r.reasons[1]].characteristic].code, "tax");
    // years ≥ 10 loses nothing and gives no reason.
    ScoreResult best_years = Score(m, Inputs(12, "B"));
    ASSERT_EQ(best_years.reasons.size(), 1u);
    auto json = ScoreResultJson(m, best_years);
    EXPECT_EQ(json.at("reasons").as_array()[0].as_object().at("code").as_string(), "TAX");
    EXPECT_EQ(json.at("reasons").as_array()[0].as_object().at("points_lost").as_int64(), 60);
}

TEST(ScorecardTest, RefusesModelsWithoutMissingBinsGapsOrUndefinedReasons) {
    auto no_missing = ParseScorecardModel(TinyWith(R"({"label": "missing", "missing": true, "points": 20)",
                                                    R"({"label": "x", "min": 99, "points": 20)"));
    ASSERT_FALSE(no_missing);
    EXPECT_EQ(no_missing.error().fields[0].field, "$.characteristics[0].bins");
    EXPECT_FALSE(ParseScorecardModel(TinyWith(R"("min": 3, "max": 10)", R"("min": 4, "max": 10)")));
    auto bad = ParseScorecardModel(TinyWith(R"("reason": "TAX")", R"("reason": "NOPE")"));
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
    EXPECT_FALSE(ParseScorecardModel("{not json"));
}

TEST(ScorecardTest, StoredInputsReplayToTheSameResultUnderTheOldVersion) {
    const auto v1 = Tiny();
    const auto v2 = *ParseScorecardModel(TinyWith(R"("intercept_points": 500)", R"("intercept_points": 450)"));
    const ScoreInputs inputs = Inputs(4, "B", {});
    const auto stored = boost::json::serialize(ScoreInputsJson(inputs));
    const auto stored_result = boost::json::serialize(ScoreResultJson(v1, Score(v1, inputs)));
    auto replayed_inputs = ParseScoreInputs(boost::json::parse(stored));
    ASSERT_TRUE(replayed_inputs);
    EXPECT_EQ(boost::json::serialize(ScoreResultJson(v1, Score(v1, *replayed_inputs))), stored_result);
    EXPECT_EQ(Score(v2, *replayed_inputs).score, 640);
}

TEST(ScorecardTest, ImpliedDefaultProbabilityHalvesOddsEveryPdo) {
    const auto m = Tiny();
    EXPECT_NEAR(ImpliedDefaultProbability(m, 600), 1.0 / 21, 1e-12);
    EXPECT_NEAR(ImpliedDefaultProbability(m, 650), 1.0 / 41, 1e-12);
    EXPECT_NEAR(ImpliedDefaultProbability(m, 550), 1.0 / 11, 1e-12);
}

TEST(ScorecardTest, ShippedModelParsesAndSpansZeroToAThousand) {
    auto m = ParseScorecardModel(EmbeddedFile("credit-scorecard-2026.1.json"));
    ASSERT_TRUE(m) << m.error().message << (m.error().fields.empty() ? "" : m.error().fields[0].field);
    int best = m->intercept_points, worst = m->intercept_points;
    for (const auto& c : m->characteristics) {
        best += c.best_points;
        int low = c.best_points;
        for (const auto& b : c.bins) low = std::min(low, b.points);
        worst += low;
    }
    EXPECT_EQ(best, 1000);
    EXPECT_GE(worst, 0);
}

TEST(ScorecardFuzz, MutatedModelsNeverCrashAndValidOnesScoreWithinRange) {
    const std::string shipped(EmbeddedFile("credit-scorecard-2026.1.json"));
    std::mt19937 rng(20261121);
    int parsed = 0;
    for (int i = 0; i < 2000; ++i) {
        std::string text = shipped;
        for (int e = 0, edits = 1 + rng() % 4; e < edits; ++e) {
            const size_t pos = rng() % text.size();
            if (rng() % 2) text.erase(pos, 1 + rng() % 8);
            else text[pos] = "{}[]\":,-0123456789.e"[rng() % 21];
        }
        auto model = ParseScorecardModel(text);
        if (!model) continue;
        ++parsed;
        ScoreInputs inputs;
        for (const auto& c : model->characteristics)
            inputs.features[c.code] = c.categorical ? InputValue::Category("A") : InputValue::Number(static_cast<double>(rng() % 300) - 50);
        const ScoreResult r = Score(*model, inputs);
        EXPECT_GE(r.score, 0);
        EXPECT_LE(r.score, 1000);
        EXPECT_TRUE(GradeRank(r.grade).has_value());
    }
    EXPECT_GT(parsed, 0) << "some mutations keep the model valid (e.g. a changed digit)";
}

}  // namespace
}  // namespace chanrong::credit

#pragma once
// The credit scorecard (企业信用评分卡): a versioned model of characteristics, bins and points, and the pure
// function that scores one enterprise's inputs into a 0–1000 score, a grade, red-flag caps and reason codes.

#include <boost/json/fwd.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace chanrong::credit {

/// Grades from best to worst; a grade's index is its rank (0 = AAA).
inline constexpr std::string_view kGrades[] = {"AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C"};
/// Rank of `grade` in kGrades, or nullopt for an unknown grade.
std::optional<int> GradeRank(std::string_view grade);

/// One bin of a characteristic. Numeric bins cover [min, max) (an absent bound is unbounded); categorical
/// bins list their values; exactly one bin per characteristic is the explicit "missing" bin.
struct Bin {
    std::string label;
    std::optional<double> min, max;
    std::vector<std::string> values;
    bool missing = false;
    int points = 0;
    std::string reason;  ///< reason code when the bin loses points against the characteristic's best bin
};

struct Characteristic {
    std::string code;  ///< the input feature it reads, e.g. "tax_grade"
    std::string name;
    bool categorical = false;
    std::vector<Bin> bins;
    int best_points = 0;  ///< the most points any bin gives
};

struct GradeBand {
    std::string grade;
    int min_score = 0;
};

/// A red flag caps the grade whatever the points (失信被执行人, 严重违法失信).
struct RedFlag {
    std::string code;
    std::string name;
    std::string cap;  ///< the best grade an enterprise with this flag can get
};

struct ReasonText {
    std::string name;
    std::string advice;  ///< what the enterprise can do, in plain Chinese
};

struct ScorecardModel {
    std::string version;
    std::string name;
    int intercept_points = 0;  ///< points everyone starts with
    int base_score = 600;      ///< the score at which the odds of good to bad are base_odds
    double base_odds = 50;
    int pdo = 40;  ///< points to double the odds
    std::vector<Characteristic> characteristics;
    std::vector<GradeBand> grades;  ///< by min_score descending
    std::vector<RedFlag> red_flags;
    std::map<std::string, ReasonText> reasons;
};

/// Parses and checks a model: every characteristic has exactly one missing bin, numeric bins are contiguous
/// and cover every value, grades are known and descending, reason codes are defined, points that lose against
/// the best bin carry a reason. Errors name the offending path.
Result<ScorecardModel> ParseScorecardModel(std::string_view json_text);

/// One input value: a number, a category, or missing.
struct InputValue {
    bool missing = true;
    double number = 0;
    std::string category;

    static InputValue Number(double v) { return {false, v, {}}; }
    static InputValue Category(std::string v) { return {false, 0, std::move(v)}; }
};

/// Named inputs (feature code → value) and the active red flags, as stored with every score for replay.
struct ScoreInputs {
    std::map<std::string, InputValue> features;
    std::set<std::string> red_flags;
};

struct Contribution {
    int characteristic = 0;  ///< index into the model's characteristics
    int bin = 0;             ///< index into its bins
    int points = 0;
    int lost = 0;  ///< best_points − points
};

struct ScoreResult {
    int points = 0;  ///< intercept + Σ points, before clamping
    int score = 0;   ///< clamped to 0–1000
    std::string_view grade;
    std::string_view capped_by;  ///< the red flag that capped the grade, empty when none did
    std::vector<Contribution> contributions;  ///< one per characteristic, in model order
    std::vector<int> reasons;                 ///< indices into contributions that lost points, most lost first
};

/// Inputs laid out in model order, so scoring does no lookups by name.
struct BoundInputs {
    std::vector<InputValue> values;
    std::vector<int> red_flags;  ///< indices into the model's red flags
};

/// Arranges named inputs in model order; features the model does not read are ignored.
BoundInputs BindInputs(const ScorecardModel& model, const ScoreInputs& inputs);

/// Scores bound inputs. Pure and allocation-light: `out` is reused across calls.
void Score(const ScorecardModel& model, const BoundInputs& inputs, ScoreResult& out);
ScoreResult Score(const ScorecardModel& model, const ScoreInputs& inputs);

/// The bin a value falls in (the missing bin for a missing value or an unlisted category).
int FindBin(const Characteristic& c, const InputValue& value);

/// The grade of a score before any cap.
std::string_view GradeOf(const ScorecardModel& model, int score);

/// Probability of default implied by the score: odds = base_odds · 2^((score − base_score) / pdo).
double ImpliedDefaultProbability(const ScorecardModel& model, int score);

/// Result and inputs as JSON for storage and display: contributions with labels, reasons with advice.
boost::json::object ScoreResultJson(const ScorecardModel& model, const ScoreResult& result);
boost::json::object ScoreInputsJson(const ScoreInputs& inputs);
Result<ScoreInputs> ParseScoreInputs(const boost::json::value& json);

}  // namespace chanrong::credit

#include "credit/scorecard.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>

namespace chanrong::credit {
namespace json = boost::json;
namespace {

// Collects problems with their JSON path while a model is read.
struct ModelReader {
    std::vector<FieldError> problems;

    void Problem(std::string path, std::string message) {
        problems.push_back({std::move(path), "invalid", std::move(message)});
    }
    std::string Text(const json::object& o, std::string_view key, const std::string& path, bool required = true) {
        const json::value* v = o.if_contains(key);
        if (v && v->is_string()) return std::string(v->get_string());
        if (v || required) Problem(path + "." + std::string(key), "应为字符串");
        return {};
    }
    std::optional<double> Number(const json::object& o, std::string_view key, const std::string& path,
                                 bool required = true) {
        const json::value* v = o.if_contains(key);
        if (v && v->is_number()) return v->to_number<double>();
        if (v || required) Problem(path + "." + std::string(key), "应为数字");
        return std::nullopt;
    }
    int Int(const json::object& o, std::string_view key, const std::string& path) {
        auto v = Number(o, key, path);
        if (v && *v != std::floor(*v)) Problem(path + "." + std::string(key), "应为整数");
        return v ? static_cast<int>(*v) : 0;
    }
    const json::array* Array(const json::object& o, std::string_view key, const std::string& path) {
        const json::value* v = o.if_contains(key);
        if (v && v->is_array()) return &v->get_array();
        Problem(path + "." + std::string(key), "应为数组");
        return nullptr;
    }
};

Bin ReadBin(ModelReader& r, const json::object& o, const std::string& path, bool categorical) {
    Bin b;
    b.label = r.Text(o, "label", path);
    b.points = r.Int(o, "points", path);
    b.reason = r.Text(o, "reason", path, false);
    if (const json::value* m = o.if_contains("missing"); m && m->is_bool()) b.missing = m->get_bool();
    if (b.missing) return b;
    if (categorical) {
        if (const json::array* values = r.Array(o, "values", path))
            for (const auto& v : *values)
                if (v.is_string()) b.values.emplace_back(v.get_string());
                else r.Problem(path + ".values", "应为字符串数组");
    } else {
        b.min = r.Number(o, "min", path, false);
        b.max = r.Number(o, "max", path, false);
    }
    return b;
}

// Numeric bins, in order, must run from −∞ to +∞ without gaps or overlaps.
void CheckNumericCoverage(ModelReader& r, const Characteristic& c, const std::string& path) {
    std::optional<double> expected_min;
    bool first = true, open_end = false;
    for (const Bin& b : c.bins) {
        if (b.missing) continue;
        if (first ? b.min.has_value() : b.min != expected_min) r.Problem(path + ".bins", "数值分箱须从负无穷开始且首尾相接");
        if (b.min && b.max && *b.max <= *b.min) r.Problem(path + ".bins", "分箱上界须大于下界");
        expected_min = b.max;
        open_end = !b.max.has_value();
        first = false;
    }
    if (!open_end) r.Problem(path + ".bins", "最后一个数值分箱须无上界");
}

Characteristic ReadCharacteristic(ModelReader& r, const json::object& o, const std::string& path,
                                  const std::map<std::string, ReasonText>& reasons) {
    Characteristic c;
    c.code = r.Text(o, "code", path);
    c.name = r.Text(o, "name", path);
    const std::string type = r.Text(o, "type", path);
    if (type != "number" && type != "category") r.Problem(path + ".type", "应为 number 或 category");
    c.categorical = type == "category";
    if (const json::array* bins = r.Array(o, "bins", path))
        for (size_t i = 0; i < bins->size(); ++i) {
            const std::string bin_path = path + ".bins[" + std::to_string(i) + "]";
            if (!(*bins)[i].is_object()) r.Problem(bin_path, "应为对象");
            else c.bins.push_back(ReadBin(r, (*bins)[i].get_object(), bin_path, c.categorical));
        }
    if (std::count_if(c.bins.begin(), c.bins.end(), [](const Bin& b) { return b.missing; }) != 1)
        r.Problem(path + ".bins", "须有且只有一个缺失值分箱（missing）");
    if (c.bins.empty()) return c;
    c.best_points = std::max_element(c.bins.begin(), c.bins.end(), [](const Bin& a, const Bin& b) {
                        return a.points < b.points;
                    })->points;
    for (const Bin& b : c.bins)
        if (b.points < c.best_points && !reasons.contains(b.reason))
            r.Problem(path + ".bins." + b.label, "失分的分箱须有已定义的原因码（reason）");
    if (!c.categorical) CheckNumericCoverage(r, c, path);
    return c;
}

void ReadGradesAndFlags(ModelReader& r, const json::object& root, ScorecardModel& m) {
    if (const json::array* grades = r.Array(root, "grades", "$"))
        for (const auto& g : *grades) {
            if (!g.is_object()) continue;
            GradeBand band{r.Text(g.get_object(), "grade", "$.grades"), r.Int(g.get_object(), "min_score", "$.grades")};
            if (!GradeRank(band.grade)) r.Problem("$.grades", "未知等级 " + band.grade);
            if (!m.grades.empty() && band.min_score >= m.grades.back().min_score) r.Problem("$.grades", "等级下限须递减");
            m.grades.push_back(std::move(band));
        }
    if (m.grades.empty() || m.grades.back().min_score > 0) r.Problem("$.grades", "最低等级的下限须为 0");
    if (const json::array* flags = r.Array(root, "red_flags", "$"))
        for (const auto& f : *flags) {
            if (!f.is_object()) continue;
            const auto& o = f.get_object();
            RedFlag flag{r.Text(o, "code", "$.red_flags"), r.Text(o, "name", "$.red_flags"), r.Text(o, "cap", "$.red_flags")};
            if (!GradeRank(flag.cap)) r.Problem("$.red_flags", "封顶等级未知：" + flag.cap);
            m.red_flags.push_back(std::move(flag));
        }
}

}  // namespace

std::optional<int> GradeRank(std::string_view grade) {
    for (int i = 0; i < static_cast<int>(std::size(kGrades)); ++i)
        if (kGrades[i] == grade) return i;
    return std::nullopt;
}

Result<ScorecardModel> ParseScorecardModel(std::string_view json_text) {
    boost::system::error_code ec;
    json::value root = json::parse(json_text, ec);
    if (ec || !root.is_object()) return Fail(Error::Field("model", "invalid_json", "评分卡模型不是有效的 JSON 对象"));
    const json::object& o = root.get_object();
    ModelReader r;
    ScorecardModel m;
    m.version = r.Text(o, "version", "$");
    m.name = r.Text(o, "name", "$");
    m.intercept_points = r.Int(o, "intercept_points", "$");
    m.base_score = r.Int(o, "base_score", "$");
    m.base_odds = r.Number(o, "base_odds", "$").value_or(1);
    m.pdo = r.Int(o, "pdo", "$");
    if (m.pdo <= 0 || m.base_odds <= 0) r.Problem("$.pdo", "pdo 与 base_odds 须为正数");
    if (const json::value* reasons = o.if_contains("reasons"); reasons && reasons->is_object())
        for (const auto& [code, v] : reasons->get_object())
            if (v.is_object())
                m.reasons[std::string(code)] = {r.Text(v.get_object(), "name", "$.reasons"),
                                                r.Text(v.get_object(), "advice", "$.reasons")};
    if (const json::array* cs = r.Array(o, "characteristics", "$"))
        for (size_t i = 0; i < cs->size(); ++i)
            if ((*cs)[i].is_object())
                m.characteristics.push_back(ReadCharacteristic(r, (*cs)[i].get_object(),
                                                               "$.characteristics[" + std::to_string(i) + "]", m.reasons));
    ReadGradesAndFlags(r, o, m);
    if (!r.problems.empty()) return Fail(Error::InvalidArgument("评分卡模型有误", std::move(r.problems)));
    return m;
}

int FindBin(const Characteristic& c, const InputValue& value) {
    int missing = 0;
    for (int i = 0; i < static_cast<int>(c.bins.size()); ++i) {
        const Bin& b = c.bins[i];
        if (b.missing) {
            missing = i;
            continue;
        }
        if (value.missing) continue;
        if (c.categorical ? std::find(b.values.begin(), b.values.end(), value.category) != b.values.end()
                          : (!b.min || value.number >= *b.min) && (!b.max || value.number < *b.max))
            return i;
    }
    return missing;
}

std::string_view GradeOf(const ScorecardModel& model, int score) {
    for (const GradeBand& g : model.grades)
        if (score >= g.min_score) return g.grade;
    return model.grades.back().grade;
}

BoundInputs BindInputs(const ScorecardModel& model, const ScoreInputs& inputs) {
    BoundInputs bound;
    bound.values.reserve(model.characteristics.size());
    for (const Characteristic& c : model.characteristics) {
        auto it = inputs.features.find(c.code);
        bound.values.push_back(it == inputs.features.end() ? InputValue{} : it->second);
    }
    for (int i = 0; i < static_cast<int>(model.red_flags.size()); ++i)
        if (inputs.red_flags.contains(model.red_flags[i].code)) bound.red_flags.push_back(i);
    return bound;
}

void Score(const ScorecardModel& model, const BoundInputs& inputs, ScoreResult& out) {
    const int n = static_cast<int>(model.characteristics.size());
    out.contributions.resize(n);
    out.reasons.clear();
    out.points = model.intercept_points;
    for (int i = 0; i < n; ++i) {
        const Characteristic& c = model.characteristics[i];
        const int bin = FindBin(c, inputs.values[i]);
        const int points = c.bins[bin].points;
        out.contributions[i] = {i, bin, points, c.best_points - points};
        out.points += points;
        if (points < c.best_points) out.reasons.push_back(i);
    }
    std::stable_sort(out.reasons.begin(), out.reasons.end(),
                     [&](int a, int b) { return out.contributions[a].lost > out.contributions[b].lost; });
    out.score = std::clamp(out.points, 0, 1000);
    out.grade = GradeOf(model, out.score);
    out.capped_by = {};
    for (int flag : inputs.red_flags) {
        const RedFlag& f = model.red_flags[flag];
        if (*GradeRank(f.cap) > *GradeRank(out.grade)) {
            out.grade = f.cap;
            out.capped_by = f.code;
        }
    }
}

ScoreResult Score(const ScorecardModel& model, const ScoreInputs& inputs) {
    ScoreResult out;
    Score(model, BindInputs(model, inputs), out);
    return out;
}

double ImpliedDefaultProbability(const ScorecardModel& model, int score) {
    const double odds = model.base_odds * std::exp2(static_cast<double>(score - model.base_score) / model.pdo);
    return 1.0 / (1.0 + odds);
}

json::object ScoreResultJson(const ScorecardModel& model, const ScoreResult& result) {
    json::array contributions, reasons;
    for (const Contribution& c : result.contributions) {
        const Characteristic& ch = model.characteristics[c.characteristic];
        contributions.push_back({{"code", ch.code}, {"name", ch.name}, {"bin", ch.bins[c.bin].label},
                                 {"points", c.points}, {"best_points", ch.best_points}, {"lost", c.lost}});
    }
    for (int i : result.reasons) {
        const Contribution& c = result.contributions[i];
        const Characteristic& ch = model.characteristics[c.characteristic];
        const std::string& code = ch.bins[c.bin].reason;
        const ReasonText& text = model.reasons.at(code);
        reasons.push_back({{"code", code}, {"characteristic", ch.code}, {"name", text.name}, {"advice", text.advice},
                           {"points_lost", c.lost}});
    }
    json::object out{{"model_version", model.version}, {"points", result.points}, {"score", result.score},
                     {"grade", result.grade}, {"capped_by", result.capped_by},
                     {"implied_pd", std::round(ImpliedDefaultProbability(model, result.score) * 1e6) / 1e6},
                     {"contributions", std::move(contributions)}, {"reasons", std::move(reasons)}};
    if (!result.capped_by.empty())
        for (const RedFlag& f : model.red_flags)
            if (f.code == result.capped_by) out["capped_by_name"] = f.name;
    return out;
}

json::object ScoreInputsJson(const ScoreInputs& inputs) {
    json::object features;
    for (const auto& [code, v] : inputs.features)
        features[code] = v.missing ? json::value(nullptr) : v.category.empty() ? json::value(v.number) : json::value(v.category);
    json::array flags;
    for (const auto& f : inputs.red_flags) flags.emplace_back(f);
    return {{"features", std::move(features)}, {"red_flags", std::move(flags)}};
}

Result<ScoreInputs> ParseScoreInputs(const json::value& value) {
    const json::object* o = value.if_object();
    const json::value* features = o ? o->if_contains("features") : nullptr;
    const json::value* flags = o ? o->if_contains("red_flags") : nullptr;
    if (!features || !features->is_object() || !flags || !flags->is_array())
        return Fail(Error::Field("inputs", "invalid", "评分输入应含 features 对象与 red_flags 数组"));
    ScoreInputs inputs;
    for (const auto& [code, v] : features->get_object()) {
        if (v.is_null()) inputs.features[std::string(code)] = {};
        else if (v.is_string()) inputs.features[std::string(code)] = InputValue::Category(std::string(v.get_string()));
        else if (v.is_number()) inputs.features[std::string(code)] = InputValue::Number(v.to_number<double>());
        else return Fail(Error::Field("inputs.features." + std::string(code), "wrong_type", "应为数字、字符串或 null"));
    }
    for (const auto& f : flags->get_array())
        if (f.is_string()) inputs.red_flags.emplace(f.get_string());
    return inputs;
}

}  // namespace chanrong::credit

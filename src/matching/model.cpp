#include "matching/model.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>

namespace chanrong {
extern const std::vector<std::pair<std::string_view, std::string_view>> kEmbeddedData;
}

namespace chanrong::matching {
namespace json = boost::json;
namespace {

constexpr std::array<std::string_view, kFactorCount> kFactorNames = {"approval", "amount", "term", "rate",
                                                                     "purpose", "profile", "service", "policy"};
constexpr std::array<std::string_view, 4> kYears = {"years:0-1", "years:2-3", "years:4-7", "years:8+"};
constexpr std::array<std::string_view, 4> kTerms = {"term:le12", "term:13-36", "term:37-60", "term:gt60"};
constexpr std::array<std::string_view, 5> kAmounts = {"amount:lt1m", "amount:1m-5m", "amount:5m-20m",
                                                      "amount:20m-100m", "amount:ge100m"};

std::vector<std::string> Strings(const json::object& o, std::string_view key) {
    std::vector<std::string> out;
    if (const auto* v = o.if_contains(key); v && v->is_array())
        for (const auto& s : v->as_array())
            if (s.is_string()) out.emplace_back(s.as_string());
    return out;
}

double Number(const json::object& o, std::string_view key, double fallback) {
    const auto* v = o.if_contains(key);
    return v && v->is_number() ? v->to_number<double>() : fallback;
}

const json::object& Object(const json::object& o, std::string_view key) {
    static const json::object kEmpty;
    const auto* v = o.if_contains(key);
    return v && v->is_object() ? v->as_object() : kEmpty;
}

int YearsBucket(int years) { return years <= 1 ? 0 : years <= 3 ? 1 : years <= 7 ? 2 : 3; }
int TermBucket(int term) { return term <= 12 ? 0 : term <= 36 ? 1 : term <= 60 ? 2 : 3; }
int AmountBucket(long long fen) {
    return fen < 100'000'000LL ? 0 : fen < 500'000'000LL ? 1 : fen < 2'000'000'000LL ? 2 : fen < 10'000'000'000LL ? 3 : 4;
}

double CentredFit(double x, double lo, double hi) {
    const double half = (hi - lo) / 2;
    if (!(half > 1e-12) || !std::isfinite(half)) return 1.0;
    return std::clamp(1.0 - std::abs(x - (lo + half)) / half, 0.0, 1.0);
}

}  // namespace

std::string_view ToString(Factor f) { return kFactorNames[static_cast<int>(f)]; }

void ScoringModel::BuildFeatures() {
    feature_names_.clear();
    feature_index_.clear();
    auto add = [&](std::string name) {
        feature_index_.emplace(name, static_cast<int>(feature_names_.size()));
        feature_names_.push_back(std::move(name));
        return static_cast<int>(feature_names_.size()) - 1;
    };
    add("bias");
    auto group = [&](std::string_view prefix, const std::vector<std::string>& values, std::unordered_map<std::string, int>& map) {
        map.clear();
        for (const auto& v : values) map[v] = add(std::string(prefix) + v);
    };
    group("class:", classes_, class_f_);
    for (int i = 0; i < kSizeCount; ++i) size_f_[i] = add("size:" + std::string(ToString(static_cast<SizeClass>(i))));
    for (int i = 0; i < kGradeCount; ++i) grade_f_[i] = add("grade:" + std::string(ToString(static_cast<CreditGrade>(i))));
    for (int i = 0; i < 4; ++i) years_f_[i] = add(std::string(kYears[i]));
    group("district:", districts_, district_f_);
    for (int i = 0; i < kStageCount; ++i) stage_f_[i] = add("stage:" + std::string(ToString(static_cast<Stage>(i))));
    group("tag:", tags_, tag_f_);
    group("dir:", directories_, dir_f_);
    for (int i = 0; i < 5; ++i) amount_f_[i] = add(std::string(kAmounts[i]));
    for (int i = 0; i < 4; ++i) term_f_[i] = add(std::string(kTerms[i]));
    for (int i = 0; i < kPurposeCount; ++i) purpose_f_[i] = add("purpose:" + std::string(ToString(static_cast<Purpose>(i))));
    guarantee_fund_f_ = add("guarantee:fund");
    guarantee_other_f_ = add("guarantee:other");
    collateral_f_ = add("collateral");
}

Result<ScoringModel> ScoringModel::FromJson(std::string_view text) {
    boost::system::error_code ec;
    json::value root = json::parse(text, ec);
    if (ec || !root.is_object()) return Fail(Error::InvalidArgument("模型文件不是 JSON 对象"));
    const json::object& o = root.as_object();
    ScoringModel m;
    const auto* version = o.if_contains("version");
    if (!version || !version->is_int64() || version->as_int64() < 1) return Fail(Error::InvalidArgument("模型缺少版本号"));
    m.version_ = static_cast<int>(version->as_int64());
    if (const auto* d = o.if_contains("description"); d && d->is_string()) m.description_ = d->as_string();
    const json::object& fw = Object(o, "factor_weights");
    for (int k = 0; k < kFactorCount; ++k) m.factor_weights_[k] = Number(fw, kFactorNames[k], 0);
    const json::object& fit = Object(o, "fit");
    m.ref_rate_bp_ = Number(fit, "ref_rate_bp", 450);
    m.rate_span_bp_ = std::max(1.0, Number(fit, "rate_span_bp", 300));
    const json::object& service = Object(o, "service");
    m.accept_hours_scale_ = std::max(1e-6, Number(service, "accept_hours_scale", 24));
    m.decide_days_scale_ = std::max(1e-6, Number(service, "decide_days_scale", 7));
    const json::object& profile = Object(o, "profile");
    m.profile_grade_ = Number(profile, "grade", 0.6);
    m.profile_tags_ = Number(profile, "tags", 0.2);
    m.profile_dirs_ = Number(profile, "directories", 0.2);
    m.priority_tags_ = Strings(profile, "priority_tags");
    for (const auto& [k, v] : Object(o, "policy_programs"))
        if (v.is_number()) (k == "*" ? m.policy_default_ : m.policy_values_[std::string(k)]) = v.to_number<double>();
    const double affinity_default = Number(o, "purpose_affinity_default", 0.5);
    for (auto& row : m.affinity_) row.fill(affinity_default);
    for (const auto& [purpose, kinds] : Object(o, "purpose_affinity")) {
        auto p = ParsePurpose(purpose);
        if (!p || !kinds.is_object()) return Fail(Error::InvalidArgument("purpose_affinity 有未知用途 " + std::string(purpose)));
        for (const auto& [kind, v] : kinds.as_object()) {
            auto kd = ParseProductKind(kind);
            if (!kd || !v.is_number()) return Fail(Error::InvalidArgument("purpose_affinity 有未知产品类型 " + std::string(kind)));
            m.affinity_[static_cast<int>(*p)][static_cast<int>(*kd)] = v.to_number<double>();
        }
    }
    const json::object& vocab = Object(o, "vocabulary");
    m.classes_ = Strings(vocab, "classes");
    m.districts_ = Strings(vocab, "districts");
    m.tags_ = Strings(vocab, "tags");
    m.directories_ = Strings(vocab, "directories");
    m.BuildFeatures();
    const int nf = m.feature_count();
    std::vector<double> global(nf, 0.0);
    for (const auto& [name, w] : Object(o, "global"))
        if (int i = m.FeatureIndex(name); i >= 0 && w.is_number()) global[i] = w.to_number<double>();
    std::vector<long long> ids;
    std::vector<std::vector<double>> rows;
    const std::vector<std::string> stored = Strings(o, "features");
    for (const auto& [id, row] : Object(o, "institutions")) {
        if (!row.is_array() || row.as_array().size() != stored.size())
            return Fail(Error::InvalidArgument("机构权重与 features 长度不一致"));
        std::vector<double> w = global;
        for (size_t j = 0; j < stored.size(); ++j)
            if (int i = m.FeatureIndex(stored[j]); i >= 0 && row.as_array()[j].is_number()) w[i] = row.as_array()[j].to_number<double>();
        ids.push_back(std::stoll(std::string(id)));
        rows.push_back(std::move(w));
    }
    m.SetRows(std::move(global), std::move(ids), rows);
    return m;
}

void ScoringModel::SetRows(std::vector<double> global, std::vector<long long> ids, const std::vector<std::vector<double>>& rows) {
    const size_t nf = feature_names_.size();
    institution_ids_ = std::move(ids);
    column_of_.clear();
    weights_.assign((institution_ids_.size() + 1) * nf, 0.0);
    for (size_t c = 0; c < institution_ids_.size(); ++c) {
        column_of_[institution_ids_[c]] = static_cast<int>(c);
        std::copy(rows[c].begin(), rows[c].end(), weights_.begin() + c * nf);
    }
    std::copy(global.begin(), global.end(), weights_.begin() + institution_ids_.size() * nf);
    const size_t columns = institution_ids_.size() + 1;
    weights_t_.assign(weights_.size(), 0.0);
    for (size_t c = 0; c < columns; ++c)
        for (size_t f = 0; f < nf; ++f) weights_t_[f * columns + c] = weights_[c * nf + f];
}

void ScoringModel::AllLogits(const FeatureList& f, std::vector<double>& out) const {
    const size_t columns = institution_ids_.size() + 1;
    out.assign(columns, 0.0);
    for (int i = 0; i < f.size; ++i) {
        const double* row = weights_t_.data() + static_cast<size_t>(f.index[i]) * columns;
        for (size_t c = 0; c < columns; ++c) out[c] += row[c];
    }
}

std::string ScoringModel::ToJson() const {
    json::object o;
    o["model"] = "chanrong.matching";
    o["version"] = version_;
    o["description"] = description_;
    json::object fw;
    for (int k = 0; k < kFactorCount; ++k) fw[kFactorNames[k]] = factor_weights_[k];
    o["factor_weights"] = std::move(fw);
    o["fit"] = {{"ref_rate_bp", ref_rate_bp_}, {"rate_span_bp", rate_span_bp_}};
    o["service"] = {{"accept_hours_scale", accept_hours_scale_}, {"decide_days_scale", decide_days_scale_}};
    json::array priority(priority_tags_.begin(), priority_tags_.end());
    o["profile"] = {{"grade", profile_grade_}, {"tags", profile_tags_}, {"directories", profile_dirs_}, {"priority_tags", priority}};
    json::object programs{{"*", policy_default_}};
    for (const auto& [k, v] : policy_values_) programs[k] = v;
    o["policy_programs"] = std::move(programs);
    o["purpose_affinity_default"] = 0.0;
    json::object affinity;
    for (int p = 0; p < kPurposeCount; ++p) {
        json::object row;
        for (int k = 0; k < kProductKindCount; ++k) row[ToString(static_cast<ProductKind>(k))] = affinity_[p][k];
        affinity[ToString(static_cast<Purpose>(p))] = std::move(row);
    }
    o["purpose_affinity"] = std::move(affinity);
    auto array = [](const std::vector<std::string>& v) { return json::array(v.begin(), v.end()); };
    o["vocabulary"] = {{"classes", array(classes_)}, {"districts", array(districts_)}, {"tags", array(tags_)},
                       {"directories", array(directories_)}};
    o["features"] = array(feature_names_);
    json::object global;
    const double* g = Row(global_column());
    for (int f = 0; f < feature_count(); ++f) global[feature_names_[f]] = g[f];
    o["global"] = std::move(global);
    json::object institutions;
    for (size_t c = 0; c < institution_ids_.size(); ++c) {
        const double* r = Row(static_cast<int>(c));
        institutions[std::to_string(institution_ids_[c])] = json::array(r, r + feature_count());
    }
    o["institutions"] = std::move(institutions);
    return json::serialize(o);
}

const ScoringModel& ScoringModel::Default() {
    static const ScoringModel model = [] {
        for (const auto& [file, content] : kEmbeddedData)
            if (file == "matching-model-v1.json") {
                auto m = FromJson(content);
                if (m) return std::move(*m);
            }
        return ScoringModel{};
    }();
    return model;
}

int ScoringModel::FeatureIndex(std::string_view name) const {
    auto it = feature_index_.find(std::string(name));
    return it == feature_index_.end() ? -1 : it->second;
}

int ScoringModel::Column(long long institution_id) const {
    auto it = column_of_.find(institution_id);
    return it == column_of_.end() ? global_column() : it->second;
}

void ScoringModel::AppendEnterpriseFeatures(const Enterprise& e, FeatureList& out) const {
    auto lookup = [](const std::unordered_map<std::string, int>& map, const std::string& key) {
        auto it = map.find(key);
        return it == map.end() ? -1 : it->second;
    };
    out.Add(0);
    out.Add(lookup(class_f_, e.class446));
    out.Add(size_f_[static_cast<int>(e.size)]);
    out.Add(grade_f_[static_cast<int>(e.grade)]);
    out.Add(years_f_[YearsBucket(e.years_in_business)]);
    out.Add(lookup(district_f_, e.district));
    out.Add(stage_f_[static_cast<int>(e.stage)]);
    for (const auto& t : e.tags) out.Add(lookup(tag_f_, t));
    for (const auto& d : e.directories) out.Add(lookup(dir_f_, d));
}

void ScoringModel::AppendDemandFeatures(const Demand& d, FeatureList& out) const {
    out.Add(amount_f_[AmountBucket(d.amount_fen)]);
    out.Add(term_f_[TermBucket(d.term_months)]);
    out.Add(purpose_f_[static_cast<int>(d.purpose)]);
    if (!d.guarantee.empty()) out.Add(d.guarantee == kFundGuarantee ? guarantee_fund_f_ : guarantee_other_f_);
    if (!d.collateral.empty()) out.Add(collateral_f_);
}

FeatureList ScoringModel::Features(const Enterprise& e, const Demand& d) const {
    FeatureList f;
    AppendEnterpriseFeatures(e, f);
    AppendDemandFeatures(d, f);
    return f;
}

double ScoringModel::Logit(int column, const FeatureList& f) const {
    const double* row = Row(column);
    double sum = 0;
    for (int i = 0; i < f.size; ++i) sum += row[f.index[i]];
    return sum;
}

double ScoringModel::LnFen(long long fen) { return std::log(static_cast<double>(std::max(1LL, fen))); }

double ScoringModel::AmountFitLogs(double ln_amount, double ln_min, double ln_max) const {
    return CentredFit(ln_amount, ln_min, ln_max);
}

double ScoringModel::AmountFit(long long amount, long long lo, long long hi) const {
    return AmountFitLogs(LnFen(amount), LnFen(lo), LnFen(hi));
}

double ScoringModel::TermFit(int term, int lo, int hi, bool equity) const {
    return equity ? 1.0 : CentredFit(term, lo, hi);
}

double ScoringModel::RateFit(int rate_min_bp, const Demand& d, bool equity) const {
    if (equity) return 0.5;
    const double ref = d.max_rate_bp ? *d.max_rate_bp : ref_rate_bp_;
    return std::clamp(0.5 + (ref - rate_min_bp) / rate_span_bp_, 0.0, 1.0);
}

double ScoringModel::ProfileScore(const Enterprise& e) const {
    const double grade = e.grade == CreditGrade::kUnknown ? 0.3 : (8.0 - static_cast<int>(e.grade)) / 8.0;
    const auto priority = std::count_if(e.tags.begin(), e.tags.end(), [&](const auto& t) {
        return std::find(priority_tags_.begin(), priority_tags_.end(), t) != priority_tags_.end();
    });
    return profile_grade_ * grade + profile_tags_ * std::min(1.0, priority / 2.0) +
           profile_dirs_ * std::min(1.0, static_cast<double>(e.directories.size()) / 2.0);
}

double ScoringModel::ServiceScore(const Institution& i) const {
    const double accept = i.accept_hours < 0 ? 0.5 : std::exp(-i.accept_hours / accept_hours_scale_);
    const double decide = i.decide_days < 0 ? 0.5 : std::exp(-i.decide_days / decide_days_scale_);
    return (accept + decide) / 2;
}

double ScoringModel::PolicyScore(const Product& p) const {
    double best = 0;
    for (const auto& program : p.policy_programs) {
        auto it = policy_values_.find(program);
        best = std::max(best, it == policy_values_.end() ? policy_default_ : it->second);
    }
    return best;
}

void ScoringModel::Combine(ScoreBreakdown& b) const {
    b.score = 0;
    for (int k = 0; k < kFactorCount; ++k) {
        b.contribution[k] = factor_weights_[k] * b.value[k];
        b.score += b.contribution[k];
    }
}

ScoreBreakdown Score(const ScoringModel& m, const Enterprise& e, const Demand& d, const Product& p, const Institution& inst) {
    ScoreBreakdown b;
    const bool equity = p.kind == ProductKind::kEquity;
    b.logit = m.Logit(m.Column(p.institution_id), m.Features(e, d));
    b.value[static_cast<int>(Factor::kApproval)] = Sigmoid(b.logit);
    b.value[static_cast<int>(Factor::kAmount)] = m.AmountFit(d.amount_fen, p.rules.amount_min_fen, p.rules.amount_max_fen);
    b.value[static_cast<int>(Factor::kTerm)] = m.TermFit(d.term_months, p.rules.term_min_months, p.rules.term_max_months, equity);
    b.value[static_cast<int>(Factor::kRate)] = m.RateFit(p.rules.rate_min_bp, d, equity);
    b.value[static_cast<int>(Factor::kPurpose)] = m.PurposeFit(d.purpose, p.kind);
    b.value[static_cast<int>(Factor::kProfile)] = m.ProfileScore(e);
    b.value[static_cast<int>(Factor::kService)] = m.ServiceScore(inst);
    b.value[static_cast<int>(Factor::kPolicy)] = m.PolicyScore(p);
    m.Combine(b);
    return b;
}

}  // namespace chanrong::matching

#include "matching/matching_service.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include <algorithm>
#include <map>
#include <set>

#include "common/crypto.hpp"
#include "common/embedded_data.hpp"
#include "common/json_out.hpp"
#include "common/time_format.hpp"
#include "matching/batch.hpp"
#include "storage/row.hpp"
#include "matching/matching_json.hpp"
#include "matching/replay.hpp"

namespace chanrong::matching {
namespace json = boost::json;

struct MatchingService::State {
    std::unique_ptr<MatchIndex> index;
    IndexMarks marks;
    int model_version = 0;
};

namespace {

Result<std::shared_ptr<const ScoringModel>> ModelOf(soci::session& s, int version) {
    std::string body;
    s << "SELECT body FROM matching_models WHERE version = :v", soci::use(version), soci::into(body);
    if (!s.got_data()) return Fail(Error::NotFound("匹配模型版本不存在"));
    auto model = ScoringModel::FromJson(body);
    if (!model) return Fail(model.error());
    return std::make_shared<const ScoringModel>(std::move(*model));
}

struct DemandOwner {
    long long enterprise_id = 0;
    std::string status;
};

Result<DemandOwner> LoadDemandFor(soci::session& s, const auth::Principal& viewer, long long demand_id) {
    DemandOwner d;
    s << "SELECT enterprise_id, status FROM demands WHERE id = :id", soci::use(demand_id), soci::into(d.enterprise_id),
        soci::into(d.status);
    const bool staff = !viewer.enterprise_id && !viewer.institution_id;
    if (!s.got_data() || (!staff && viewer.enterprise_id != d.enterprise_id)) return Fail(Error::NotFound("融资需求不存在"));
    if (d.status != "open") return Fail(Error::Conflict("该需求已不在征集状态，无法匹配"));
    return d;
}

// A stored snapshot with its product references replaced by the product states they name.
std::string ExpandSnapshot(soci::session& s, const std::string& stored) {
    json::object o = json::parse(stored).as_object();
    json::array products;
    std::string body;
    for (const auto& hash : o.at("product_states").as_array()) {
        const std::string h(hash.as_string());
        s << "SELECT body FROM match_product_states WHERE hash = :h", soci::use(h), soci::into(body);
        if (s.got_data()) products.push_back(json::parse(body));
    }
    o.erase("product_states");
    o["products"] = std::move(products);
    return json::serialize(o);
}

// The demand's enterprise and the demand as indexed, for the viewer who may ask about it.
Result<std::pair<Enterprise, const Demand*>> ResolveDemand(soci::session& s, const MatchIndex& index,
                                                           const auth::Principal& viewer, long long demand_id) {
    auto owner = LoadDemandFor(s, viewer, demand_id);
    if (!owner) return Fail(owner.error());
    auto enterprise = index.FindEnterprise(owner->enterprise_id);
    const Demand* demand = index.FindDemand(demand_id);
    if (!enterprise || !demand) return Fail(Error::Conflict("匹配索引尚未收录该需求，请稍后再试"));
    return std::make_pair(std::move(*enterprise), demand);
}

}  // namespace

Status SyncShippedMatchingModel(soci::session& s, TimestampMs now) {
    const ScoringModel& shipped = ScoringModel::Default();
    long long known = 0, active = 0;
    const int version = shipped.version();
    s << "SELECT COUNT(*) FROM matching_models WHERE version = :v", soci::use(version), soci::into(known);
    if (!known) {
        const std::string body(EmbeddedFile("matching-model-v1.json")), origin = "shipped";
        s << "INSERT INTO matching_models (version, body, origin, active, created_at) VALUES (:v, :b, :o, 0, :t)",
            soci::use(version), soci::use(body), soci::use(origin), soci::use(now);
    }
    s << "SELECT COUNT(*) FROM matching_models WHERE active = 1", soci::into(active);
    if (!active) s << "UPDATE matching_models SET active = 1 WHERE version = :v", soci::use(version);
    return {};
}

MatchingService::MatchingService(storage::Database& db, const Clock& clock, audit::CommandPipeline& pipeline)
    : db_(db), clock_(clock), pipeline_(pipeline) {}

MatchingService::~MatchingService() {
    if (listener_.joinable()) {
        listener_.request_stop();
        listener_.join();
    }
}

Status MatchingService::CatchUpLocked(soci::session& s) {
    int version = 0;
    s << "SELECT version FROM matching_models WHERE active = 1", soci::into(version);
    if (!s.got_data()) return Fail(Error::FailedPrecondition("没有启用的匹配模型"));
    const std::string today = TodayIso(clock_);
    const IndexMarks marks = ReadIndexMarks(s);
    if (!state_ || state_->model_version != version) {
        auto model = ModelOf(s, version);
        if (!model) return Fail(model.error());
        auto fresh = std::make_unique<State>();
        fresh->index = std::make_unique<MatchIndex>(*model);
        LoadIndex(s, *fresh->index, today);
        fresh->marks = marks;
        fresh->model_version = version;
        state_ = std::move(fresh);
        std::lock_guard lock(states_mutex_);
        product_states_.clear();
    } else if (state_->marks != marks) {
        CatchUpIndex(s, *state_->index, state_->marks, marks, today);
        if (marks.products != state_->marks.products || marks.applications != state_->marks.applications) {
            std::lock_guard lock(states_mutex_);
            product_states_.clear();  // a product's rules, rate or capacity left may have changed
        }
        state_->marks = marks;
    }
    return {};
}

Status MatchingService::CatchUp() {
    return db_.Read([&](soci::session& s) -> Status {
        std::unique_lock lock(mutex_);
        return CatchUpLocked(s);
    });
}

Status MatchingService::WithIndex(const std::function<Status(const MatchIndex&, soci::session&)>& use) {
    return db_.Read([&](soci::session& s) -> Status {
        const IndexMarks marks = ReadIndexMarks(s);
        int version = 0;
        s << "SELECT version FROM matching_models WHERE active = 1", soci::into(version);
        {
            std::shared_lock lock(mutex_);  // the common case: nothing changed, queries run side by side
            if (state_ && state_->marks == marks && state_->model_version == version) return use(*state_->index, s);
        }
        {
            std::unique_lock lock(mutex_);
            if (auto caught = CatchUpLocked(s); !caught) return caught;
        }
        std::shared_lock lock(mutex_);
        return use(*state_->index, s);
    });
}

Status MatchingService::PersistProductStates() {
    std::vector<std::pair<long long, ProductState>> unsaved;
    auto collected = WithIndex([&](const MatchIndex& index, soci::session&) -> Status {
        std::lock_guard lock(states_mutex_);
        for (long long id : index.ProductIds()) {
            ProductState& state = product_states_[id];
            if (state.hash.empty()) {
                state.body = ProductToJson(*index.FindProduct(id));
                state.hash = crypto::Sha256Hex(state.body).substr(0, 16);
            }
            if (!state.persisted) unsaved.emplace_back(id, state);
        }
        return {};
    });
    if (!collected) return collected;
    auto written = db_.Write([&](soci::session& s) -> Status {
        for (const auto& [_, state] : unsaved)
            s << "INSERT INTO match_product_states (hash, body) VALUES (:h, :b) ON CONFLICT (hash) DO NOTHING",
                soci::use(state.hash), soci::use(state.body);
        return {};
    });
    if (!written) return written;
    std::lock_guard lock(states_mutex_);
    for (const auto& [id, state] : unsaved)
        if (auto it = product_states_.find(id); it != product_states_.end() && it->second.hash == state.hash)
            it->second.persisted = true;
    return {};
}

Result<json::object> MatchingService::Matches(const auth::Principal& viewer, long long demand_id, int limit) {
    QueryOptions options;
    options.top_n = limit;
    options.counterfactuals = true;
    options.near_misses = 5;
    json::object out;
    std::string snapshot, result_text;
    std::vector<std::pair<long long, ProductState>> unsaved;  // copies: the cache may be cleared meanwhile
    long long enterprise_id = 0;
    int version = 0;
    auto done = WithIndex([&](const MatchIndex& index, soci::session& s) -> Status {
        auto subject = ResolveDemand(s, index, viewer, demand_id);
        if (!subject) return Fail(subject.error());
        const auto& [enterprise, demand] = *subject;
        const MatchResult result = index.Recommend(enterprise, *demand, options);
        snapshot = CompactSnapshot(index, enterprise, *demand, options, result, unsaved);
        result_text = ResultToJson(result);
        enterprise_id = enterprise.id;
        version = result.model_version;
        out = MatchResultJson(s, index, result);
        return {};
    });
    if (!done) return Fail(done.error());
    const TimestampMs now = clock_.NowMs();
    auto stored = db_.Write([&](soci::session& s) -> Result<long long> {
        for (const auto& [_, state] : unsaved)
            s << "INSERT INTO match_product_states (hash, body) VALUES (:h, :b) ON CONFLICT (hash) DO NOTHING",
                soci::use(state.hash), soci::use(state.body);
        long long id = 0;
        s << "INSERT INTO match_recommendations (at, demand_id, enterprise_id, model_version, viewer, snapshot, result) "
             "VALUES (:t, :d, :e, :v, :u, :s, :r) RETURNING id",
            soci::use(now), soci::use(demand_id), soci::use(enterprise_id), soci::use(version), soci::use(viewer.username),
            soci::use(snapshot), soci::use(result_text), soci::into(id);
        return id;
    });
    if (!stored) return Fail(stored.error());
    {
        std::lock_guard lock(states_mutex_);
        for (const auto& [id, state] : unsaved)
            if (auto it = product_states_.find(id); it != product_states_.end() && it->second.hash == state.hash)
                it->second.persisted = true;
    }
    out["recommendation_id"] = *stored;
    out["demand_id"] = demand_id;
    out["at"] = FormatIsoUtc(now);
    return out;
}

std::string MatchingService::CompactSnapshot(const MatchIndex& index, const Enterprise& enterprise, const Demand& demand,
                                             const QueryOptions& options, const MatchResult& result,
                                             std::vector<std::pair<long long, ProductState>>& unsaved) {
    std::vector<long long> ids = index.EligibleProducts(enterprise, demand);
    for (const auto& c : result.counterfactuals) ids.insert(ids.end(), c.product_ids.begin(), c.product_ids.end());
    for (const auto& n : result.near_misses) ids.push_back(n.product_id);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    MatchSnapshot snap{result.model_version, options, enterprise, demand, {}, {}, ""};
    json::array hashes;
    std::set<long long> institutions;
    std::lock_guard lock(states_mutex_);
    for (long long id : ids) {
        const Product* p = index.FindProduct(id);
        if (!p) continue;
        ProductState& state = product_states_[id];
        if (state.hash.empty()) {
            state.body = ProductToJson(*p);
            state.hash = crypto::Sha256Hex(state.body).substr(0, 16);
        }
        if (!state.persisted) unsaved.emplace_back(id, state);
        hashes.emplace_back(state.hash);
        institutions.insert(p->institution_id);
    }
    for (long long id : institutions)
        snap.institutions.push_back(index.FindInstitution(id) ? *index.FindInstitution(id) : Institution{id});
    json::object o = json::parse(SnapshotToJson(snap)).as_object();
    o.erase("products");
    o["product_states"] = std::move(hashes);
    return json::serialize(o);
}

Result<json::object> MatchingService::WhyNot(const auth::Principal& viewer, long long demand_id, long long product_id) {
    json::object out;
    auto done = WithIndex([&](const MatchIndex& index, soci::session& s) -> Status {
        auto subject = ResolveDemand(s, index, viewer, demand_id);
        if (!subject) return Fail(subject.error());
        const auto& [enterprise, demand] = *subject;
        auto checks = index.WhyNot(enterprise, *demand, product_id);
        if (!checks) return Fail(Error::NotFound("产品不存在或未上架"));
        out = WhyNotJson(*checks);
        out["product_id"] = product_id;
        return {};
    });
    if (!done) return Fail(done.error());
    return out;
}

Result<json::object> MatchingService::Leads(const auth::Principal& viewer, long long product_id, int limit) {
    json::object out;
    auto done = WithIndex([&](const MatchIndex& index, soci::session& s) -> Status {
        const Product* product = index.FindProduct(product_id);
        if (viewer.enterprise_id) return Fail(Error::PermissionDenied("只有金融机构和政府部门可以查看产品线索"));
        if (!product || (viewer.institution_id && !InstitutionOwns(s, *viewer.institution_id, product->institution_id)))
            return Fail(Error::NotFound("产品不存在或未上架"));
        auto leads = index.LeadsForProduct(product_id, limit);
        if (!leads) return Fail(leads.error());
        out = LeadsJson(s, *leads);
        out["product_id"] = product_id;
        return {};
    });
    if (!done) return Fail(done.error());
    return out;
}

Result<audit::Outcome> MatchingService::RunBatch(const audit::Actor& actor, const BatchInput& input,
                                                 const audit::Command& command) {
    if (input.institution_share_cap <= 0 || input.institution_share_cap > 1)
        return Fail(Error::Field("institution_share_cap", "out_of_range", "应在 0 与 1 之间"));
    BatchResult result;
    int version = 0;
    auto done = WithIndex([&](const MatchIndex& index, soci::session& s) -> Status {
        std::vector<long long> ids;
        if (input.campaign_id) {
            long long id = 0;
            soci::statement st = (s.prepare << "SELECT id FROM demands WHERE campaign_id = :c AND status = 'open' ORDER BY id",
                                  soci::use(*input.campaign_id), soci::into(id));
            st.execute();
            while (st.fetch()) ids.push_back(id);
        } else {
            ids = index.OpenDemandIds();
        }
        BatchOptions options;
        options.institution_share_cap = input.institution_share_cap;
        result = AllocateBatch(index, ids, options);
        version = index.model().version();
        return {};
    });
    if (!done) return Fail(done.error());
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        const std::string summary = json::serialize(BatchSummaryJson(result));
        const std::string scope = input.campaign_id ? "campaign" : "all_open";
        auto campaign = storage::Nullable(input.campaign_id);
        long long id = 0;
        s << "INSERT INTO match_batches (at, scope, campaign_id, model_version, summary, created_by) VALUES (:t, :s, :c, "
             ":v, :m, :u) RETURNING id",
            soci::use(now), soci::use(scope), soci::use(campaign.value, campaign.ind), soci::use(version), soci::use(summary),
            soci::use(actor.name), soci::into(id);
        for (const auto& a : result.assignments)
            s << "INSERT INTO match_batch_assignments (batch_id, demand_id, product_id, institution_id, expected_fen) "
                 "VALUES (:b, :d, :p, :i, :e)",
                soci::use(id), soci::use(a.demand_id), soci::use(a.product_id), soci::use(a.institution_id),
                soci::use(a.expected_fen);
        json::object response = json::parse(summary).as_object();
        response["id"] = id;
        response["scope"] = scope;
        return audit::Outcome{.entity_id = std::to_string(id), .after = summary, .response = json::serialize(response),
                              .status = 201};
    });
}

Result<json::object> MatchingService::Replay(long long recommendation_id) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        std::string snapshot, stored;
        int version = 0;
        s << "SELECT snapshot, result, model_version FROM match_recommendations WHERE id = :id", soci::use(recommendation_id),
            soci::into(snapshot), soci::into(stored), soci::into(version);
        if (!s.got_data()) return Fail(Error::NotFound("推荐记录不存在"));
        auto snap = SnapshotFromJson(ExpandSnapshot(s, snapshot));
        if (!snap) return Fail(snap.error());
        auto model = ModelOf(s, version);
        if (!model) return Fail(model.error());
        auto replayed = matching::Replay(*snap, *model);
        if (!replayed) return Fail(replayed.error());
        const std::string text = ResultToJson(*replayed);
        return json::object{{"recommendation_id", recommendation_id}, {"model_version", version},
                            {"matches", text == stored}, {"stored", json::parse(stored)}, {"replayed", json::parse(text)}};
    });
}

}  // namespace chanrong::matching

#include "matching/matching_service.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include <algorithm>
#include <unordered_map>

#include "common/crypto.hpp"
#include "common/embedded_data.hpp"
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
    std::uint64_t catalogued_generation = ~0ull;  // the index's product generation when `catalogue` was computed
    std::string catalogue;                        // hash of the current catalogue
    std::string root;                             // the last catalogue stored whole, and its entries
    CatalogueEntries root_entries;
};

namespace {

// A catalogue is stored as a delta against the last root while the delta has fewer entries than this share of the
// catalogue (or 500); otherwise it becomes the new root.
constexpr size_t kMinRootDelta = 500;
constexpr size_t kRootDeltaShare = 10;  // 1/10

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

// The bodies of product states by hash, in the order asked, in queries of 500 (hashes are checked hex, so they are
// written into the query).
Result<std::vector<std::string>> LoadStateBodies(soci::session& s, const std::vector<std::string>& hashes) {
    std::unordered_map<std::string, std::string> found;
    for (size_t from = 0; from < hashes.size(); from += 500) {
        std::string list;
        for (size_t i = from; i < std::min(hashes.size(), from + 500); ++i) {
            if (hashes[i].find_first_not_of("0123456789abcdef") != std::string::npos)
                return Fail(Error::InvalidArgument("快照中的产品状态编号不正确"));
            list += (list.empty() ? "'" : ",'") + hashes[i] + "'";
        }
        soci::rowset<soci::row> rows = s.prepare << "SELECT hash, body FROM match_product_states WHERE hash IN (" + list + ")";
        for (const auto& row : rows) found.emplace(row.get<std::string>(0), row.get<std::string>(1));
    }
    std::vector<std::string> bodies;
    for (const auto& hash : hashes) {
        auto it = found.find(hash);
        if (it == found.end()) return Fail(Error::NotFound("快照引用的产品状态 " + hash + " 不存在"));
        bodies.push_back(it->second);
    }
    return bodies;
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
    : db_(db), clock_(clock), pipeline_(pipeline), log_(db) {}

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
    } else if (const IndexMarks from = Lowest(state_->marks, floor_); from != marks) {
        CatchUpIndex(s, *state_->index, from, marks, today);
        state_->marks = marks;
    }
    floor_ = NoFloor();
    RefreshCatalogue(*state_);
    return {};
}

Status MatchingService::CatchUp(std::span<const std::string> notices) {
    return db_.Read([&](soci::session& s) -> Status {
        std::unique_lock lock(mutex_);
        for (const auto& notice : notices) LowerFloor(notice, floor_);
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

void MatchingService::RefreshCatalogue(State& state) {
    MatchIndex& index = *state.index;
    if (state.catalogued_generation == index.product_generation()) return;
    state.catalogued_generation = index.product_generation();
    std::vector<ProductStateRow> states;
    for (long long id : index.UnlabelledProducts()) {
        const Product& product = *index.FindProduct(id);
        const Institution* institution = index.FindInstitution(product.institution_id);
        std::string body = ProductStateToJson(product, institution ? *institution : Institution{product.institution_id});
        std::string hash = crypto::Sha256Hex(body).substr(0, 16);
        index.SetProductLabel(id, hash);
        states.emplace_back(std::move(hash), std::move(body));
    }
    CatalogueEntries entries;
    for (long long id : index.ProductIds()) entries.emplace_back(id, std::string(index.ProductLabel(id)));
    std::string hash = CatalogueHash(entries);
    if (hash == state.catalogue) return;
    CatalogueRow row{hash, "", "", clock_.NowMs()};
    CatalogueEntries delta;
    if (!state.root.empty()) delta = CatalogueDelta(state.root_entries, entries);
    if (state.root.empty() || delta.size() > std::max(kMinRootDelta, entries.size() / kRootDeltaShare)) {
        row.body = CatalogueBody(entries);
        state.root = hash;
        state.root_entries = std::move(entries);
    } else {
        row.base = state.root;
        row.body = CatalogueBody(delta);
    }
    state.catalogue = std::move(hash);
    log_.AppendCatalogue(std::move(states), std::move(row));
}

Result<json::object> MatchingService::Matches(const auth::Principal& viewer, long long demand_id, int limit) {
    QueryOptions options;
    options.top_n = limit;
    options.counterfactuals = true;
    options.near_misses = 5;
    json::object out;
    RecommendationRecord record;
    auto done = WithIndex([&](const MatchIndex& index, soci::session& s) -> Status {
        auto subject = ResolveDemand(s, index, viewer, demand_id);
        if (!subject) return Fail(subject.error());
        const auto& [enterprise, demand] = *subject;
        const MatchResult result = index.Recommend(enterprise, *demand, options);
        record.snapshot = StoredSnapshotToJson(MatchSnapshot{result.model_version, options, enterprise, *demand, {}, {}, ""},
                                               state_->catalogue);
        record.result = ResultToJson(result);
        record.enterprise_id = enterprise.id;
        record.model_version = result.model_version;
        out = MatchResultJson(s, index, result);
        return {};
    });
    if (!done) return Fail(done.error());
    auto id = log_.ReserveId();
    if (!id) return Fail(id.error());
    record.id = *id;
    record.at = clock_.NowMs();
    record.demand_id = demand_id;
    record.viewer = viewer.username;
    out["recommendation_id"] = record.id;
    out["demand_id"] = demand_id;
    out["at"] = FormatIsoUtc(record.at);
    log_.Append(std::move(record));  // stored in the background, so the answer never waits for the writer
    return out;
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
    log_.Flush();  // a list just shown may still be queued
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        std::string snapshot, stored;
        int version = 0;
        s << "SELECT snapshot, result, model_version FROM match_recommendations WHERE id = :id", soci::use(recommendation_id),
            soci::into(snapshot), soci::into(stored), soci::into(version);
        if (!s.got_data()) return Fail(Error::NotFound("推荐记录不存在"));
        auto parsed = ParseStoredSnapshot(snapshot);
        if (!parsed) return Fail(parsed.error());
        if (!parsed->catalogue.empty()) {
            auto catalogue = LoadCatalogue(s, parsed->catalogue);
            if (!catalogue) return Fail(catalogue.error());
            for (auto& [_, hash] : *catalogue) parsed->state_hashes.push_back(std::move(hash));
        }
        auto bodies = LoadStateBodies(s, parsed->state_hashes);
        if (!bodies) return Fail(bodies.error());
        if (auto added = AddProductStates(parsed->snapshot, *bodies); !added) return Fail(added.error());
        auto model = ModelOf(s, version);
        if (!model) return Fail(model.error());
        auto replayed = matching::Replay(parsed->snapshot, *model);
        if (!replayed) return Fail(replayed.error());
        const std::string text = ResultToJson(*replayed);
        return json::object{{"recommendation_id", recommendation_id}, {"model_version", version},
                            {"matches", text == stored}, {"stored", json::parse(stored)}, {"replayed", json::parse(text)}};
    });
}

}  // namespace chanrong::matching

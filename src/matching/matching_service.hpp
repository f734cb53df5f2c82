#pragma once
// The matching engine as the platform serves it: one in-memory index per instance, built from the database at
// start-up and caught up with every change before a query (by watermarks; on PostgreSQL a LISTEN/NOTIFY
// listener also catches up as soon as another instance writes). Every recommendation shown is stored with the
// snapshot that replays it; batch allocations are stored with their assignments; models are versioned rows.

#include <boost/json/object.hpp>

#include <memory>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "audit/command_pipeline.hpp"
#include "auth/principal.hpp"
#include "common/clock.hpp"
#include "matching/matching_loader.hpp"
#include "matching/recommendation_log.hpp"
#include "storage/database.hpp"

namespace chanrong::matching {

struct BatchInput {
    std::optional<long long> campaign_id;  ///< the campaign's needs; otherwise every open demand
    double institution_share_cap = 0.2;
};

/// Writes the shipped model (data/matching-model-v1.json) when absent and activates it when none is active.
Status SyncShippedMatchingModel(soci::session& s, TimestampMs now);

class MatchingService {
public:
    MatchingService(storage::Database& db, const Clock& clock, audit::CommandPipeline& pipeline);
    ~MatchingService();

    /// Ranked products for a demand with explanations, near misses and counterfactuals; stored for replay.
    Result<boost::json::object> Matches(const auth::Principal& viewer, long long demand_id, int limit);
    /// Every rule of one product for the demand, passed or failed.
    Result<boost::json::object> WhyNot(const auth::Principal& viewer, long long demand_id, long long product_id);
    /// Ranked open demands for a product of the viewer's institution.
    Result<boost::json::object> Leads(const auth::Principal& viewer, long long product_id, int limit);
    /// Allocates demands to products within capacity and an institution share cap; stored and audited.
    Result<audit::Outcome> RunBatch(const audit::Actor& actor, const BatchInput& input, const audit::Command& command);
    Result<boost::json::object> Batches();
    Result<boost::json::object> Batch(long long id);
    /// Re-runs a stored recommendation from its snapshot with its model version.
    Result<boost::json::object> Replay(long long recommendation_id);
    Result<boost::json::object> Models();
    Result<audit::Outcome> ActivateModel(const audit::Actor& actor, int version, const audit::Command& command);
    /// Trains a new model version from the recorded decisions (CLI `chanrong matching train`); stored inactive.
    Result<boost::json::object> Train(const std::string& created_by);
    /// The model file of a stored version.
    Result<std::string> ModelFile(int version);

    /// On PostgreSQL: listens for change notifications and catches the index up at once (until destroyed).
    void StartListening(const std::string& database_url);
    /// Catches the index up with the database now (also done before every query), reading again from the marks the
    /// change `notices` name (see LowerFloor).
    Status CatchUp(std::span<const std::string> notices = {});

private:
    struct State;
    /// After products changed: labels each changed product with the hash of its state (product and institution
    /// record) and, when the catalogue of states differs from the last, queues it (whole, or as a delta against the
    /// last root when that is small) for storing; under the unique lock.
    void RefreshCatalogue(State& state);
    /// Runs `use` with the index current, under a shared lock (queries) after catching up under the unique one.
    Status WithIndex(const std::function<Status(const MatchIndex&, soci::session&)>& use);
    Status CatchUpLocked(soci::session& s);

    storage::Database& db_;
    const Clock& clock_;
    audit::CommandPipeline& pipeline_;
    std::shared_mutex mutex_;
    std::unique_ptr<State> state_;
    IndexMarks floor_ = NoFloor();  // lowered by change notices until the next catch-up
    RecommendationLog log_;
    std::jthread listener_;
};

}  // namespace chanrong::matching

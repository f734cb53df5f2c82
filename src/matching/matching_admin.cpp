// The matching service's stored runs and models: batch allocations, model versions and their activation,
// training from recorded decisions, and the PostgreSQL change listener.

#include <boost/json.hpp>
#include <libpq-fe.h>
#include <soci/soci.h>
#include <spdlog/spdlog.h>
#include <sys/select.h>

#include "common/json_out.hpp"
#include "matching/matching_service.hpp"
#include "matching/train.hpp"
#include "storage/row.hpp"

namespace chanrong::matching {
namespace json = boost::json;

Result<json::object> MatchingService::Batches() {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        json::array items;
        long long id = 0, at = 0;
        std::string scope, summary, by;
        storage::NullableInt campaign;
        int version = 0;
        soci::statement st = (s.prepare << "SELECT id, at, scope, campaign_id, model_version, summary, created_by FROM "
                                           "match_batches ORDER BY id DESC LIMIT 100",
                              soci::into(id), soci::into(at), soci::into(scope), soci::into(campaign.value, campaign.ind),
                              soci::into(version), soci::into(summary), soci::into(by));
        st.execute();
        while (st.fetch()) {
            json::object item = json::parse(summary).as_object();
            item["id"] = id;
            item["at"] = OptionalTime(at);
            item["scope"] = scope;
            item["campaign_id"] = OptionalInt(campaign.get());
            item["model_version"] = version;
            item["created_by"] = by;
            items.push_back(std::move(item));
        }
        return json::object{{"items", std::move(items)}};
    });
}

Result<json::object> MatchingService::Batch(long long id) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        std::string summary;
        s << "SELECT summary FROM match_batches WHERE id = :id", soci::use(id), soci::into(summary);
        if (!s.got_data()) return Fail(Error::NotFound("批量匹配记录不存在"));
        json::object out = json::parse(summary).as_object();
        out["id"] = id;
        json::array assignments;
        long long demand = 0, product = 0, institution = 0, expected = 0;
        std::string enterprise, product_name, institution_name;
        soci::statement st = (s.prepare << "SELECT a.demand_id, e.name, a.product_id, p.name, a.institution_id, i.name, "
                                           "a.expected_fen FROM match_batch_assignments a JOIN demands d ON d.id = a.demand_id "
                                           "JOIN enterprises e ON e.id = d.enterprise_id JOIN products p ON p.id = a.product_id "
                                           "JOIN institutions i ON i.id = a.institution_id WHERE a.batch_id = :b ORDER BY "
                                           "a.demand_id LIMIT 5000",
                              soci::use(id), soci::into(demand), soci::into(enterprise), soci::into(product),
                              soci::into(product_name), soci::into(institution), soci::into(institution_name),
                              soci::into(expected));
        st.execute();
        while (st.fetch())
            assignments.push_back({{"demand_id", demand}, {"enterprise_name", enterprise}, {"product_id", product},
                                   {"product_name", product_name}, {"institution_id", institution},
                                   {"institution_name", institution_name}, {"expected_fen", expected}});
        out["assignments"] = std::move(assignments);
        return out;
    });
}

Result<json::object> MatchingService::Models() {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        json::array items;
        int version = 0, active = 0;
        long long at = 0;
        std::string origin, by, report;
        soci::statement st = (s.prepare << "SELECT version, origin, active, created_at, created_by, report FROM "
                                           "matching_models ORDER BY version",
                              soci::into(version), soci::into(origin), soci::into(active), soci::into(at), soci::into(by),
                              soci::into(report));
        st.execute();
        while (st.fetch())
            items.push_back({{"version", version}, {"origin", origin}, {"active", active == 1},
                             {"created_at", OptionalTime(at)}, {"created_by", by},
                             {"report", report.empty() ? json::value(nullptr) : json::parse(report)}});
        return json::object{{"items", std::move(items)}};
    });
}

Result<audit::Outcome> MatchingService::ActivateModel(const audit::Actor& actor, int version,
                                                      const audit::Command& command) {
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        long long known = 0;
        int previous = 0;
        s << "SELECT COUNT(*) FROM matching_models WHERE version = :v", soci::use(version), soci::into(known);
        if (!known) return Fail(Error::NotFound("匹配模型版本不存在"));
        s << "SELECT version FROM matching_models WHERE active = 1", soci::into(previous);
        s << "UPDATE matching_models SET active = CASE WHEN version = :v THEN 1 ELSE 0 END", soci::use(version);
        const std::string after = json::serialize(json::object{{"active", version}});
        return audit::Outcome{.entity_id = std::to_string(version),
                              .before = json::serialize(json::object{{"active", previous}}), .after = after,
                              .response = after};
    });
}

Result<json::object> MatchingService::Train(const std::string& created_by) {
    std::vector<DecisionSample> samples;
    std::shared_ptr<const ScoringModel> base;
    auto collected = WithIndex([&](const MatchIndex& index, soci::session& s) -> Status {
        base = index.shared_model();
        long long institution = 0, enterprise = 0;
        Demand d;
        std::string status, purpose;
        soci::statement st = (s.prepare << "SELECT a.institution_id, a.enterprise_id, a.amount_fen, a.term_months, "
                                           "COALESCE(m.purpose, 'other'), a.status FROM applications a LEFT JOIN demands m ON "
                                           "m.id = a.demand_id WHERE a.status IN ('approved', 'disbursed', 'rejected')",
                              soci::into(institution), soci::into(enterprise), soci::into(d.amount_fen),
                              soci::into(d.term_months), soci::into(purpose), soci::into(status));
        st.execute();
        while (st.fetch()) {
            auto e = index.FindEnterprise(enterprise);
            if (!e) continue;
            d.purpose = PurposeOf(purpose);
            d.instrument = purpose == "equity" ? Instrument::kEquity : Instrument::kDebt;
            samples.push_back({institution, base->Features(*e, d), status != "rejected"});
        }
        return {};
    });
    if (!collected) return Fail(collected.error());
    auto trained = TrainModel(*base, samples);
    if (!trained) return Fail(trained.error());
    const TimestampMs now = clock_.NowMs();
    const int version = trained->model.version();
    auto stored = db_.Write([&](soci::session& s) -> Status {
        const std::string origin = "trained";
        s << "INSERT INTO matching_models (version, body, report, origin, active, created_at, created_by) VALUES (:v, :b, "
             ":r, :o, 0, :t, :u)",
            soci::use(version), soci::use(trained->model_json), soci::use(trained->report_json), soci::use(origin),
            soci::use(now), soci::use(created_by);
        return {};
    });
    if (!stored) return Fail(stored.error());
    return json::object{{"version", version}, {"samples", samples.size()}, {"report", json::parse(trained->report_json)}};
}

Result<std::string> MatchingService::ModelFile(int version) {
    return db_.Read([&](soci::session& s) -> Result<std::string> {
        std::string body;
        s << "SELECT body FROM matching_models WHERE version = :v", soci::use(version), soci::into(body);
        if (!s.got_data()) return Fail(Error::NotFound("匹配模型版本不存在"));
        return body;
    });
}

void MatchingService::StartListening(const std::string& database_url) {
    listener_ = std::jthread([this, database_url](std::stop_token stop) {
        while (!stop.stop_requested()) {
            PGconn* conn = PQconnectdb(database_url.c_str());
            if (PQstatus(conn) == CONNECTION_OK) {
                PQclear(PQexec(conn, "LISTEN chanrong_matching"));
                while (!stop.stop_requested() && PQstatus(conn) == CONNECTION_OK) {
                    const int fd = PQsocket(conn);
                    fd_set set;
                    FD_ZERO(&set);
                    FD_SET(fd, &set);
                    timeval wait{0, 500'000};
                    if (select(fd + 1, &set, nullptr, nullptr, &wait) < 0 || !PQconsumeInput(conn)) break;
                    std::vector<std::string> notices;
                    while (PGnotify* n = PQnotifies(conn)) notices.emplace_back(n->extra), PQfreemem(n);
                    if (!notices.empty())
                        if (auto caught = CatchUp(notices); !caught)
                            spdlog::warn("matching catch-up failed: {}", caught.error().message);
                }
            }
            PQfinish(conn);
            for (int i = 0; i < 20 && !stop.stop_requested(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
}

}  // namespace chanrong::matching

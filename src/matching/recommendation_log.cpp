#include "matching/recommendation_log.hpp"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include "matching/catalogue.hpp"

namespace chanrong::matching {
namespace {

constexpr size_t kRowsPerTransaction = 500;
constexpr int kRetriesWhileUnavailable = 25;  // 200 ms apart: a database gone for 5 s drops what is queued
const std::string kSequence = "match_recommendations";

void InsertCatalogues(soci::session& s, const std::vector<ProductStateRow>& states,
                      const std::vector<CatalogueRow>& catalogues) {
    for (const auto& [hash, body] : states)
        s << "INSERT INTO match_product_states (hash, body) VALUES (:h, :b) ON CONFLICT (hash) DO NOTHING", soci::use(hash),
            soci::use(body);
    // Instances name the same view by the same hash. A root replaces a delta stored under its hash (same content),
    // so that the deltas an instance writes against its root are one step from a root.
    for (const auto& c : catalogues) {
        if (c.base.empty())
            s << "INSERT INTO match_catalogues (hash, base, body, created_at) VALUES (:h, NULL, :body, :t) "
                 "ON CONFLICT (hash) DO UPDATE SET base = NULL, body = excluded.body",
                soci::use(c.hash), soci::use(c.body), soci::use(c.at);
        else
            s << "INSERT INTO match_catalogues (hash, base, body, created_at) VALUES (:h, :b, :body, :t) "
                 "ON CONFLICT (hash) DO NOTHING",
                soci::use(c.hash), soci::use(c.base), soci::use(c.body), soci::use(c.at);
    }
}

void InsertRecord(soci::session& s, const RecommendationRecord& r) {
    s << "INSERT INTO match_recommendations (id, at, demand_id, enterprise_id, model_version, viewer, snapshot, result) "
         "VALUES (:i, :t, :d, :e, :v, :u, :s, :r)",
        soci::use(r.id), soci::use(r.at), soci::use(r.demand_id), soci::use(r.enterprise_id), soci::use(r.model_version),
        soci::use(r.viewer), soci::use(r.snapshot), soci::use(r.result);
}

}  // namespace

RecommendationLog::RecommendationLog(storage::Database& db, Options options)
    : db_(db), options_(options), writer_([this](std::stop_token stop) { Run(stop); }) {}

RecommendationLog::~RecommendationLog() = default;  // writer_ goes first: its thread drains the queue and stops

Result<long long> RecommendationLog::ReserveId() {
    std::lock_guard lock(id_mutex_);
    if (next_id_ == end_id_) {
        auto first = db_.Write([&](soci::session& s) -> Result<long long> {
            // The first reservation starts after the ids already used; the UPDATE serialises reserving instances.
            // (WHERE true: SQLite would read the ON of an upsert after a bare SELECT … FROM as a join constraint.)
            s << "INSERT INTO id_reservations (name, next_id) "
                 "SELECT :n, COALESCE(MAX(id), 0) + 1 FROM match_recommendations WHERE true ON CONFLICT (name) DO NOTHING",
                soci::use(kSequence);
            long long end = 0;
            s << "UPDATE id_reservations SET next_id = next_id + :c WHERE name = :n RETURNING next_id",
                soci::use(options_.id_block), soci::use(kSequence), soci::into(end);
            return end - options_.id_block;
        });
        if (!first) return Fail(first.error());
        next_id_ = *first;
        end_id_ = *first + options_.id_block;
    }
    return next_id_++;
}

void RecommendationLog::Append(RecommendationRecord record) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return queue_.size() < options_.max_queued; });
    queue_.push_back(std::move(record));
    ++appended_;
    if (queue_.size() >= kRowsPerTransaction) changed_.notify_all();
}

void RecommendationLog::AppendCatalogue(std::vector<ProductStateRow> states, CatalogueRow catalogue) {
    std::lock_guard lock(mutex_);
    auto& pending = catalogues_.states;
    pending.insert(pending.end(), std::make_move_iterator(states.begin()), std::make_move_iterator(states.end()));
    catalogues_.catalogues.push_back(std::move(catalogue));
    ++appended_;  // one entry, finished with the batch that takes it
    ++catalogue_entries_;
    flush_now_ = true;  // rarely many, and every later record depends on them
    changed_.notify_all();
}

void RecommendationLog::Flush() {
    std::unique_lock lock(mutex_);
    const auto target = appended_;
    flush_now_ = true;
    changed_.notify_all();
    changed_.wait(lock, [&] { return written_ >= target; });
}

void RecommendationLog::Run(std::stop_token stop) {
    std::unique_lock lock(mutex_);
    while (true) {
        changed_.wait_for(lock, stop, options_.flush_interval,
                          [&] { return flush_now_ || queue_.size() >= kRowsPerTransaction; });
        if (queue_.empty() && catalogue_entries_ == 0) {
            flush_now_ = false;
            if (stop.stop_requested()) return;
            continue;
        }
        const size_t n = std::min(queue_.size(), kRowsPerTransaction);
        std::vector<RecommendationRecord> batch(std::make_move_iterator(queue_.begin()),
                                                std::make_move_iterator(queue_.begin() + static_cast<long>(n)));
        queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(n));
        const Catalogues catalogues = std::exchange(catalogues_, {});
        const auto entries = n + std::exchange(catalogue_entries_, 0);
        lock.unlock();
        WriteBatch(catalogues, batch);
        lock.lock();
        written_ += entries;
        changed_.notify_all();
    }
}

void RecommendationLog::WriteBatch(const Catalogues& catalogues, const std::vector<RecommendationRecord>& batch) {
    auto write_all = [&](soci::session& s) -> Status {
        InsertCatalogues(s, catalogues.states, catalogues.catalogues);
        for (const auto& r : batch) InsertRecord(s, r);
        return {};
    };
    Status written = db_.Write(write_all);
    for (int retry = 0; !written && written.error().code == ErrorCode::kUnavailable && retry < kRetriesWhileUnavailable;
         ++retry) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        written = db_.Write(write_all);
    }
    if (written) return;
    // A permanent error (e.g. a demand deleted meanwhile): keep the states, then every record that can be kept.
    if (Status kept = db_.Write([&](soci::session& s) -> Status {
            InsertCatalogues(s, catalogues.states, catalogues.catalogues);
            return {};
        });
        !kept)
        spdlog::error("{} product catalogues not stored: {}", catalogues.catalogues.size(), kept.error().message);
    for (const auto& r : batch) {
        const Status one = db_.Write([&](soci::session& s) -> Status {
            InsertRecord(s, r);
            return {};
        });
        if (!one) spdlog::error("recommendation {} for demand {} not stored: {}", r.id, r.demand_id, one.error().message);
    }
}

Result<CatalogueEntries> LoadCatalogue(soci::session& s, const std::string& hash) {
    // A delta's base may itself be stored as a delta (instances share catalogues by content, and the first writer's
    // form stays until a root replaces it): follow the bases to a root, then apply the deltas from there.
    std::vector<std::string> deltas;  // the named catalogue's first
    std::string current = hash, body, base;
    for (size_t depth = 0; depth < 1000; ++depth) {
        soci::indicator base_ind = soci::i_null;
        s << "SELECT body, base FROM match_catalogues WHERE hash = :h", soci::use(current), soci::into(body),
            soci::into(base, base_ind);
        if (!s.got_data()) return Fail(Error::NotFound("快照引用的产品目录 " + current + " 不存在"));
        if (base_ind == soci::i_ok) {
            deltas.push_back(body);
            current = base;
            continue;
        }
        auto entries = ParseCatalogueBody(body);
        for (auto delta = deltas.rbegin(); entries && delta != deltas.rend(); ++delta) {
            auto parsed = ParseCatalogueBody(*delta);
            if (!parsed) return parsed;
            entries = ApplyCatalogueDelta(*entries, *parsed);
        }
        return entries;
    }
    return Fail(Error::Internal("产品目录 " + hash + " 的差异链过长"));
}

}  // namespace chanrong::matching

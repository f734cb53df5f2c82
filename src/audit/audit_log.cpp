#include "audit/audit_log.hpp"

#include <soci/soci.h>

#include "common/crypto.hpp"
#include "storage/query.hpp"

namespace chanrong::audit {
namespace {

constexpr const char* kColumns =
    "id, at, actor_id, actor_name, action, entity, entity_id, payload, before_state, after_state, result, "
    "request_id, ip, prev_hash, hash";

// Length-prefixed fields: no separator inside a value can forge another encoding.
void AppendField(std::string& out, std::string_view value) {
    out += std::to_string(value.size());
    out += ':';
    out += value;
    out += ';';
}

// Binds the 15 columns of kColumns into `row` on a statement.
struct RowBinding {
    AuditEntry row;
    long long actor_id = 0;
    soci::indicator actor_ind = soci::i_null;

    void Into(soci::statement& st) {
        st.exchange(soci::into(row.id));
        st.exchange(soci::into(row.at));
        st.exchange(soci::into(actor_id, actor_ind));
        for (std::string* s : {&row.actor_name, &row.action, &row.entity, &row.entity_id, &row.payload, &row.before,
                               &row.after, &row.result, &row.request_id, &row.ip, &row.prev_hash, &row.hash})
            st.exchange(soci::into(*s));
    }
    AuditEntry Take() {
        AuditEntry e = row;
        e.actor_id = actor_ind == soci::i_ok ? std::optional<long long>(actor_id) : std::nullopt;
        return e;
    }
};

void AddFilters(storage::Query& q, const AuditFilter& f) {
    q.Sql(" WHERE 1=1");
    if (f.actor) q.Sql(" AND LOWER(actor_name) LIKE LOWER(").Bind(storage::LikePattern(*f.actor)).Sql(") ESCAPE '\\'");
    if (f.action) q.Sql(" AND action LIKE ").Bind(storage::LikePattern(*f.action).substr(1)).Sql(" ESCAPE '\\'");
    if (f.entity) q.Sql(" AND entity = ").Bind(*f.entity);
    if (f.entity_id) q.Sql(" AND entity_id = ").Bind(*f.entity_id);
    if (f.result) q.Sql(" AND result = ").Bind(*f.result);
    if (f.from) q.Sql(" AND at >= ").Bind(static_cast<long long>(*f.from));
    if (f.to) q.Sql(" AND at < ").Bind(static_cast<long long>(*f.to));
}

}  // namespace

std::string ComputeEntryHash(const AuditEntry& e, const std::string& prev_hash) {
    std::string buf;
    buf.reserve(256 + e.payload.size() + e.before.size() + e.after.size());
    AppendField(buf, prev_hash);
    AppendField(buf, std::to_string(e.id));
    AppendField(buf, std::to_string(e.at));
    AppendField(buf, e.actor_id ? std::to_string(*e.actor_id) : "");
    for (const std::string* s : {&e.actor_name, &e.action, &e.entity, &e.entity_id, &e.payload, &e.before, &e.after,
                                 &e.result, &e.request_id, &e.ip})
        AppendField(buf, *s);
    return crypto::Sha256Hex(buf);
}

namespace {

// The three statements of an append, prepared once per connection and re-executed with new values.
struct PreparedAppend {
    AuditEntry row;
    long long last_id = 0, actor_id = 0, at = 0;
    std::string last_hash;
    soci::indicator actor_ind = soci::i_null;
    soci::statement head, insert, update;

    PreparedAppend(soci::session& s, const char* for_update) : head(s), insert(s), update(s) {
        head = (s.prepare << std::string("SELECT last_id, last_hash FROM audit_head WHERE id = 1") + for_update,
                soci::into(last_id), soci::into(last_hash));
        insert = (s.prepare << "INSERT INTO audit_log (id, at, actor_id, actor_name, action, entity, entity_id, payload, "
                               "before_state, after_state, result, request_id, ip, prev_hash, hash) VALUES (:id, :at, "
                               ":actor, :an, :ac, :en, :eid, :pl, :bf, :af, :rs, :rq, :ip, :ph, :h)",
                  soci::use(row.id), soci::use(at), soci::use(actor_id, actor_ind), soci::use(row.actor_name),
                  soci::use(row.action), soci::use(row.entity), soci::use(row.entity_id), soci::use(row.payload),
                  soci::use(row.before), soci::use(row.after), soci::use(row.result), soci::use(row.request_id),
                  soci::use(row.ip), soci::use(row.prev_hash), soci::use(row.hash));
        update = (s.prepare << "UPDATE audit_head SET last_id = :id, last_hash = :h WHERE id = 1", soci::use(row.id),
                  soci::use(row.hash));
    }
};

}  // namespace

Status AppendInTransaction(soci::session& s, const storage::Database& db, AuditEntry& e) {
    auto& p = db.ConnectionLocal<PreparedAppend>(s, "audit.append", [&] { return new PreparedAppend(s, db.ForUpdate()); });
    storage::ExecuteKept(p.head);
    e.id = p.last_id + 1;
    e.prev_hash = p.last_hash;
    e.hash = ComputeEntryHash(e, p.last_hash);
    p.row = e;
    p.actor_id = e.actor_id.value_or(0);
    p.actor_ind = e.actor_id ? soci::i_ok : soci::i_null;
    p.at = e.at;
    storage::ExecuteKept(p.insert);
    storage::ExecuteKept(p.update);
    return {};
}

Result<VerifyReport> VerifyChain(storage::Database& db, const std::function<void(long long)>& progress) {
    return db.Read([&](soci::session& s) -> Result<VerifyReport> {
        VerifyReport report;
        std::string prev = std::string(64, '0');
        long long expected_id = 1;
        RowBinding binding;
        soci::statement st(s);
        storage::Query q(std::string("SELECT ") + kColumns + " FROM audit_log ORDER BY id");
        q.PrepareInto(st);
        binding.Into(st);
        st.define_and_bind();
        st.execute();
        while (st.fetch()) {
            const AuditEntry e = binding.Take();
            std::string problem;
            if (e.id != expected_id) problem = "序号不连续（应为 " + std::to_string(expected_id) + "）";
            else if (e.prev_hash != prev) problem = "与上一行的哈希链接不符";
            else if (ComputeEntryHash(e, prev) != e.hash) problem = "内容与哈希不符（记录被修改）";
            if (!problem.empty()) {
                report.ok = false;
                report.first_broken_id = e.id;
                report.message = "第 " + std::to_string(e.id) + " 行: " + problem;
                return report;
            }
            prev = e.hash;
            ++expected_id;
            if (++report.checked % 10000 == 0 && progress) progress(report.checked);
        }
        long long head_id = 0;
        std::string head_hash;
        s << "SELECT last_id, last_hash FROM audit_head WHERE id = 1", soci::into(head_id), soci::into(head_hash);
        if (head_id != report.checked || head_hash != prev) {
            report.ok = false;
            report.first_broken_id = report.checked + 1;
            report.message = "链尾与记录不符（最新的行被删除或截断）";
            return report;
        }
        report.message = "哈希链完整，共校验 " + std::to_string(report.checked) + " 行";
        return report;
    });
}

Result<AuditPage> Search(storage::Database& db, const AuditFilter& filter) {
    return db.Read([&](soci::session& s) -> Result<AuditPage> {
        AuditPage page;
        storage::Query count("SELECT COUNT(*) FROM audit_log");
        AddFilters(count, filter);
        page.total = storage::CountOf(s, count);

        storage::Query q(std::string("SELECT ") + kColumns + " FROM audit_log");
        AddFilters(q, filter);
        q.Sql(" ORDER BY id DESC LIMIT ").Bind(filter.limit).Sql(" OFFSET ").Bind(filter.offset);
        soci::statement st(s);
        RowBinding binding;
        q.PrepareInto(st);
        binding.Into(st);
        st.define_and_bind();
        st.execute();
        while (st.fetch()) page.items.push_back(binding.Take());
        return page;
    });
}

Status ForEach(storage::Database& db, AuditFilter filter, const std::function<void(const AuditEntry&)>& sink) {
    long long after_id = 0;
    constexpr long long kBatch = 2000;
    for (;;) {
        auto batch = db.Read([&](soci::session& s) -> Result<std::vector<AuditEntry>> {
            storage::Query q(std::string("SELECT ") + kColumns + " FROM audit_log");
            AddFilters(q, filter);
            q.Sql(" AND id > ").Bind(after_id).Sql(" ORDER BY id LIMIT ").Bind(kBatch);
            soci::statement st(s);
            RowBinding binding;
            q.PrepareInto(st);
            binding.Into(st);
            st.define_and_bind();
            st.execute();
            std::vector<AuditEntry> rows;
            while (st.fetch()) rows.push_back(binding.Take());
            return rows;
        });
        if (!batch) return Fail(batch.error());
        for (const auto& e : *batch) sink(e);
        if (static_cast<long long>(batch->size()) < kBatch) return {};
        after_id = batch->back().id;
    }
}

}  // namespace chanrong::audit

#include "registry/institution_service.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include "common/json_out.hpp"
#include "common/text_normalize.hpp"
#include "storage/query.hpp"
#include "storage/row.hpp"

namespace chanrong::registry {
namespace json = boost::json;
namespace {

std::string InstitutionScope(const auth::Principal& p) {
    if (!p.institution_id) return "1=1";
    const std::string id = std::to_string(*p.institution_id);
    return "(i.id = " + id + " OR i.id IN (WITH RECURSIVE below(id) AS (SELECT id FROM institutions WHERE parent_id = " +
           id + " UNION SELECT c.id FROM institutions c JOIN below b ON c.parent_id = b.id) SELECT id FROM below))";
}

struct InstitutionRow {
    long long id = 0;
    std::string name, kind, uscc, district;
    soci::indicator uscc_ind = soci::i_null, district_ind = soci::i_null;
    storage::NullableInt parent;
    void Into(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(name));
        st.exchange(soci::into(kind));
        st.exchange(soci::into(uscc, uscc_ind));
        st.exchange(soci::into(district, district_ind));
        st.exchange(soci::into(parent.value, parent.ind));
    }
    json::object ToJson() const {
        return {{"id", id}, {"name", name}, {"kind", kind}, {"uscc", uscc_ind == soci::i_ok ? uscc : ""},
                {"district", district_ind == soci::i_ok ? district : ""}, {"parent_id", OptionalInt(parent.get())}};
    }
};

// SELECT columns FROM table alias WHERE scope [AND name LIKE q] [AND kind = k], paged, with the total.
template <class Row>
json::object ListPage(soci::session& s, const std::string& select_from, const std::string& alias,
                      const std::string& scope, const ListFilter& f) {
    auto where = [&](storage::Query& q) {
        q.Sql(" WHERE " + scope);
        if (f.q) q.Sql(" AND " + alias + ".name_normalized LIKE ").Bind(storage::LikePattern(NormalizeForSearch(*f.q))).Sql(" ESCAPE '\\'");
        if (f.kind) q.Sql(" AND " + alias + ".kind = ").Bind(*f.kind);
    };
    storage::Query count("SELECT COUNT(*) " + select_from.substr(select_from.find(" FROM ")));
    where(count);
    const long long total = storage::CountOf(s, count);

    storage::Query q(select_from);
    where(q);
    q.Sql(" ORDER BY " + alias + ".id LIMIT ").Bind(f.limit).Sql(" OFFSET ").Bind(f.offset);
    Row row;
    json::array items;
    storage::ForEachRow(s, q, row, [&] { items.push_back(row.ToJson()); });
    return PageJson(std::move(items), total, f.offset, f.limit);
}

template <class Row>
std::optional<json::object> GetOne(soci::session& s, const std::string& select_from, const std::string& alias,
                                   const std::string& scope, long long id) {
    storage::Query q(select_from);
    q.Sql(" WHERE " + scope + " AND " + alias + ".id = ").Bind(id);
    soci::statement st(s);
    Row row;
    q.PrepareInto(st);
    row.Into(st);
    st.define_and_bind();
    if (!st.execute(true)) return std::nullopt;
    return row.ToJson();
}

const std::string kInstitutionSelect = "SELECT i.id, i.name, i.kind, i.uscc, i.district, i.parent_id FROM institutions i";

}  // namespace

Result<json::object> InstitutionService::ListInstitutions(const auth::Principal& viewer, const ListFilter& f) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        return ListPage<InstitutionRow>(s, kInstitutionSelect, "i", InstitutionScope(viewer), f);
    });
}

Result<json::object> InstitutionService::GetInstitution(const auth::Principal& viewer, long long id) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        auto row = GetOne<InstitutionRow>(s, kInstitutionSelect, "i", InstitutionScope(viewer), id);
        if (!row) return Fail(Error::NotFound("机构不存在"));
        return *row;
    });
}

Result<long long> InstitutionService::CreateInstitution(const audit::Actor& actor, const NewInstitution& in) {
    const TimestampMs now = clock_.NowMs();
    const json::object payload{{"name", in.name}, {"kind", in.kind}, {"uscc", in.uscc}, {"district", in.district},
                               {"parent_id", OptionalInt(in.parent_id)}};
    auto outcome = pipeline_.Execute(
        actor, {.action = "institution.create", .entity = "institution", .permission = "institution:write",
                .payload = json::serialize(payload)},
        [&](soci::session& s) -> Result<audit::Outcome> {
            if (in.parent_id) {
                int parents = 0;
                s << "SELECT COUNT(*) FROM institutions WHERE id = :p", soci::use(*in.parent_id), soci::into(parents);
                if (!parents) return Fail(Error::Field("parent_id", "not_found", "上级机构不存在"));
            }
            auto parent = storage::Nullable(in.parent_id);
            soci::indicator uscc_ind = in.uscc.empty() ? soci::i_null : soci::i_ok;
            long long id = 0;
            const std::string normalized = NormalizeForSearch(in.name);
            s << "INSERT INTO institutions (parent_id, name, name_normalized, kind, uscc, district, created_at, "
                 "updated_at) VALUES (:p, :n, :nn, :k, :u, :d, :t, :t2) RETURNING id",
                soci::use(parent.value, parent.ind), soci::use(in.name), soci::use(normalized), soci::use(in.kind), soci::use(in.uscc, uscc_ind),
                soci::use(in.district), soci::use(now), soci::use(now), soci::into(id);
            return audit::Outcome{.entity_id = std::to_string(id), .after = json::serialize(payload)};
        });
    if (!outcome) return Fail(outcome.error());
    return std::stoll(outcome->entity_id);
}

}  // namespace chanrong::registry

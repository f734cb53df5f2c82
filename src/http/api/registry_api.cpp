// Financial institutions and the registry's reference data.

#include <boost/json.hpp>
#include <soci/soci.h>

#include "common/json_out.hpp"
#include "http/api/api_support.hpp"
#include "common/uscc.hpp"
#include "http/application.hpp"
#include "registry/reference.hpp"

namespace chanrong::http {
namespace {

Result<registry::ListFilter> ReadListFilter(const Request& r, bool with_kind) {
    auto paging = ParsePaging(r);
    if (!paging) return Fail(paging.error());
    auto kind = with_kind ? QueryParam(r, "kind") : std::nullopt;
    if (kind && std::find(registry::kInstitutionKinds.begin(), registry::kInstitutionKinds.end(), *kind) ==
                    registry::kInstitutionKinds.end())
        return Fail(Error::Field("kind", "invalid", "未知机构类型"));
    return registry::ListFilter{QueryParam(r, "q"), kind, paging->offset, paging->limit};
}

Response CreateInstitution(Services& s, Request& r) {
    auto in = ReadBody(r, {"name", "kind", "uscc", "district", "parent_id"});
    if (!in) return Problem(in.error(), r);
    registry::NewInstitution n;
    n.name = in->String("name", true, 100, 1).value_or("");
    n.kind = in->Enum("kind", true, registry::kInstitutionKinds).value_or("");
    n.uscc = in->String("uscc", false, 18).value_or("");
    n.district = in->String("district", false, 20).value_or("");
    n.parent_id = in->Int("parent_id", false, 1);
    if (!n.uscc.empty())
        if (auto valid = ValidateUscc(n.uscc); !valid) in->AddError("uscc", valid.error().fields[0].code, valid.error().fields[0].message);
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    auto id = s.institutions.CreateInstitution(ActorOf(r), n);
    return id ? JsonAnswer(s.institutions.GetInstitution(*r.principal, *id), r) : Problem(id.error(), r);
}

Response PutTaxonomyClass(Services& s, Request& r) {
    auto in = ReadBody(r, {"tier", "name", "name_en", "lead_unit", "valid_from", "valid_to"});
    if (!in) return Problem(in.error(), r);
    registry::TaxonomyClass c{r.path_params.at("version").substr(0, 10), r.path_params.at("code").substr(0, 8)};
    c.tier = in->Enum("tier", true, {"pillar", "strategic_emerging", "future"}).value_or("");
    c.name = in->String("name", true, 50, 1).value_or("");
    c.name_en = in->String("name_en", false, 100).value_or("");
    c.lead_unit = in->String("lead_unit", false, 100).value_or("");
    c.valid_from = in->String("valid_from", false, 10).value_or("");
    c.valid_to = in->String("valid_to", false, 10).value_or("");
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    return OutcomeAnswer(registry::UpsertTaxonomyClass(s.pipeline, ActorOf(r), c), r);
}

Response PutMapping(Services& s, Request& r) {
    auto in = ReadBody(r, {"code", "note"});
    if (!in) return Problem(in.error(), r);
    auto code = in->String("code", true, 8);
    auto note = in->String("note", false, 200);
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    return OutcomeAnswer(registry::SetMapping(s.pipeline, ActorOf(r), r.path_params.at("version").substr(0, 10),
                                              r.path_params.at("prefix").substr(0, 5), *code, note.value_or(""),
                                              s.clock.NowMs()), r);
}

}  // namespace

void RegisterRegistryRoutes(Router& router, Services& s) {
    router.Post("/api/v1/institutions", "institution:write", [&s](Request& r) { return CreateInstitution(s, r); });
    router.Add({"PUT", "/api/v1/taxonomy-446/{version}/{code}", true, "reference:write",
                [&s](Request& r) { return PutTaxonomyClass(s, r); }});
    router.Add({"PUT", "/api/v1/taxonomy-446-mapping/{version}/{prefix}", true, "reference:write",
                [&s](Request& r) { return PutMapping(s, r); }});
    router.Get("/api/v1/taxonomy-446-mapping", "", [&s](Request& r) {
        auto rows = s.db.Read([&](soci::session& session) -> Result<boost::json::object> {
            std::string version, prefix, code, note;
            soci::statement st = (session.prepare << "SELECT version, prefix, code, note FROM taxonomy_446_mapping "
                                                     "ORDER BY version, prefix",
                                  soci::into(version), soci::into(prefix), soci::into(code), soci::into(note));
            st.execute();
            boost::json::array items;
            while (st.fetch())
                items.push_back(boost::json::object{{"version", version}, {"prefix", prefix}, {"code", code}, {"note", note}});
            const long long n = static_cast<long long>(items.size());
            return boost::json::object{{"items", std::move(items)}, {"total", n}};
        });
        return JsonAnswer(rows, r);
    });
    router.Get("/api/v1/institutions", "institution:read", [&s](Request& r) {
        auto f = ReadListFilter(r, true);
        return f ? JsonAnswer(s.institutions.ListInstitutions(*r.principal, *f), r) : Problem(f.error(), r);
    });
    router.Get("/api/v1/institutions/export", "institution:read", [&s](Request& r) {
        auto f = ReadListFilter(r, true);
        if (!f) return Problem(f.error(), r);
        auto principal = r.principal;
        return StreamPages(
            r, "institutions", "金融机构", {"名称", "类型", "统一社会信用代码", "所属区", "上级机构ID"},
            [&s, principal, filter = *f](long long offset, long long limit) mutable {
                filter.offset = offset;
                filter.limit = limit;
                return s.institutions.ListInstitutions(*principal, filter);
            },
            [](const boost::json::object& i) -> TableRow {
                const auto& parent = i.at("parent_id");
                return {TextOf(i, "name"), TextOf(i, "kind"), TextOf(i, "uscc"), TextOf(i, "district"),
                        parent.is_null() ? "" : std::to_string(parent.as_int64())};
            });
    });
    router.Get("/api/v1/institutions/{id}", "institution:read", [&s](Request& r) {
        auto id = PathId(r);
        return id ? JsonAnswer(s.institutions.GetInstitution(*r.principal, *id), r) : Problem(id.error(), r);
    });
}

}  // namespace chanrong::http

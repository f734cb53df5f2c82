// Financial institutions.

#include <boost/json.hpp>

#include "common/json_out.hpp"
#include "http/api/api_support.hpp"
#include "common/uscc.hpp"
#include "http/application.hpp"

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

}  // namespace

void RegisterRegistryRoutes(Router& router, Services& s) {
    router.Post("/api/v1/institutions", "institution:write", [&s](Request& r) { return CreateInstitution(s, r); });
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

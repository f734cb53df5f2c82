// Financial institutions and the registry's reference data.

#include "http/api/api_support.hpp"
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

}  // namespace

void RegisterRegistryRoutes(Router& router, Services& s) {
    router.Get("/api/v1/institutions", "institution:read", [&s](Request& r) {
        auto f = ReadListFilter(r, true);
        return f ? JsonAnswer(s.institutions.ListInstitutions(*r.principal, *f), r) : Problem(f.error(), r);
    });
    router.Get("/api/v1/institutions/{id}", "institution:read", [&s](Request& r) {
        auto id = PathId(r);
        return id ? JsonAnswer(s.institutions.GetInstitution(*r.principal, *id), r) : Problem(id.error(), r);
    });
}

}  // namespace chanrong::http

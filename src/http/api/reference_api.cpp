// The registry's reference data: districts, tag kinds, GB/T 4754 codes, the 4+4+6 taxonomy and its mapping, and the
// SME size thresholds with their published versions. Anyone signed in reads them; administrators
// (reference:write) change them.

#include <boost/json.hpp>
#include <soci/soci.h>

#include <regex>

#include "http/api/api_support.hpp"
#include "http/application.hpp"
#include "registry/reference_admin.hpp"

namespace chanrong::http {
namespace json = boost::json;
namespace {

constexpr size_t kMaxThresholdsBytes = 64 * 1024;

Response Rows(Services& s, Request& r, const std::string& sql, std::vector<std::string> columns) {
    auto rows = s.db.Read([&](soci::session& session) -> Result<json::array> {
        soci::rowset<soci::row> rs = (session.prepare << sql);
        json::array items;
        for (const auto& row : rs) {
            json::object item;
            for (size_t i = 0; i < columns.size(); ++i)
                item[columns[i]] =
                    row.get_indicator(i) == soci::i_null ? json::value(nullptr) : json::value(row.get<std::string>(i));
            items.push_back(std::move(item));
        }
        return items;
    });
    if (!rows) return Problem(rows.error(), r);
    const long long n = static_cast<long long>(rows->size());
    return Response::Json(json::serialize(json::object{{"items", std::move(*rows)}, {"total", n}}));
}

// A path segment checked like a body field: a bad one is a 400 naming `field`.
Result<std::string> PathCode(const Request& r, const std::string& field, const std::regex& shape,
                             const std::string& expected) {
    const std::string& value = r.path_params.at(field);
    if (!std::regex_match(value, shape)) return Fail(Error::Field(field, "invalid", expected));
    return value;
}

const std::regex kDistrictCode("[0-9]{6}");
const std::regex kTagKindCode("[a-z][a-z0-9_]{1,39}");
constexpr const char* kDistrictCodeText = "应为 6 位行政区划代码，如 350203";
constexpr const char* kTagKindCodeText = "应为小写字母开头的 2–40 位小写字母、数字或下划线，如 high_tech";

Response PutDistrict(Services& s, Request& r) {
    auto code = PathCode(r, "code", kDistrictCode, kDistrictCodeText);
    if (!code) return Problem(code.error(), r);
    auto in = ReadBody(r, {"name", "sort"});
    if (!in) return Problem(in.error(), r);
    registry::District d{*code};
    d.name = in->String("name", true, 20, 1).value_or("");
    d.sort = in->Int("sort", false, 0, 9999).value_or(0);
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    return OutcomeAnswer(registry::PutDistrict(s.pipeline, ActorOf(r), d), r);
}

Response PutTagKind(Services& s, Request& r) {
    auto code = PathCode(r, "code", kTagKindCode, kTagKindCodeText);
    if (!code) return Problem(code.error(), r);
    auto in = ReadBody(r, {"name", "needs_chain", "sort"});
    if (!in) return Problem(in.error(), r);
    registry::TagKindInput t{*code};
    t.name = in->String("name", true, 30, 1).value_or("");
    t.needs_chain = in->Bool("needs_chain", false).value_or(false);
    t.sort = in->Int("sort", false, 0, 9999).value_or(0);
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    return OutcomeAnswer(registry::PutTagKind(s.pipeline, ActorOf(r), t), r);
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
                                              s.clock.NowMs()),
                         r);
}

Response PublishThresholds(Services& s, Request& r) {
    auto in = ReadBody(r, {"content", "note"});
    if (!in) return Problem(in.error(), r);
    auto content = in->String("content", true, kMaxThresholdsBytes, 1);
    auto note = in->String("note", true, 200, 1);
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    return OutcomeAnswer(registry::PublishSizeThresholds(s.pipeline, ActorOf(r), *content, *note, s.clock.NowMs()),
                         r);
}

Response ThresholdsDocument(Services& s, Request& r) {
    auto id = PathId(r);
    if (!id) return Problem(id.error(), r);
    auto content = s.db.Read([&](soci::session& session) { return registry::SizeThresholdsDocument(session, *id); });
    if (!content) return Problem(content.error(), r);
    Response response;
    response.body = std::move(*content);
    response.content_type = "text/csv; charset=utf-8";
    response.headers.emplace_back("Content-Disposition",
                                  "attachment; filename=\"sme-size-thresholds-v" + std::to_string(*id) + ".csv\"");
    return response;
}

template <class Read>
Response ReadAnswer(Services& s, Request& r, Read read) {
    return JsonAnswer(s.db.Read([&](soci::session& session) -> Result<json::object> { return read(session); }), r);
}

}  // namespace

void RegisterReferenceRoutes(Router& router, Services& s) {
    router.Get("/api/v1/districts", "", [&s](Request& r) { return ReadAnswer(s, r, registry::ListDistricts); });
    router.Add({"PUT", "/api/v1/districts/{code}", true, "reference:write",
                [&s](Request& r) { return PutDistrict(s, r); }});
    router.Delete("/api/v1/districts/{code}", "reference:write", [&s](Request& r) {
        auto code = PathCode(r, "code", kDistrictCode, kDistrictCodeText);
        return code ? OutcomeAnswer(registry::DeleteDistrict(s.pipeline, ActorOf(r), *code), r) : Problem(code.error(), r);
    });
    router.Get("/api/v1/tag-kinds", "", [&s](Request& r) { return ReadAnswer(s, r, registry::ListTagKinds); });
    router.Add({"PUT", "/api/v1/tag-kinds/{code}", true, "reference:write",
                [&s](Request& r) { return PutTagKind(s, r); }});
    router.Delete("/api/v1/tag-kinds/{code}", "reference:write", [&s](Request& r) {
        auto code = PathCode(r, "code", kTagKindCode, kTagKindCodeText);
        return code ? OutcomeAnswer(registry::DeleteTagKind(s.pipeline, ActorOf(r), *code), r) : Problem(code.error(), r);
    });
    router.Get("/api/v1/industry-codes", "", [&s](Request& r) {
        return Rows(s, r, "SELECT code, level, name, parent FROM industry_codes ORDER BY code",
                    {"code", "level", "name", "parent"});
    });
    router.Get("/api/v1/taxonomy-446", "", [&s](Request& r) {
        return Rows(s, r,
                    "SELECT version, code, tier, name, name_en, lead_unit, valid_from, valid_to FROM taxonomy_446 "
                    "ORDER BY version, code",
                    {"version", "code", "tier", "name", "name_en", "lead_unit", "valid_from", "valid_to"});
    });
    router.Add({"PUT", "/api/v1/taxonomy-446/{version}/{code}", true, "reference:write",
                [&s](Request& r) { return PutTaxonomyClass(s, r); }});
    router.Get("/api/v1/taxonomy-446-mapping", "", [&s](Request& r) {
        return Rows(s, r, "SELECT version, prefix, code, note FROM taxonomy_446_mapping ORDER BY version, prefix",
                    {"version", "prefix", "code", "note"});
    });
    router.Add({"PUT", "/api/v1/taxonomy-446-mapping/{version}/{prefix}", true, "reference:write",
                [&s](Request& r) { return PutMapping(s, r); }});
    router.Get("/api/v1/size-thresholds", "", [&s](Request& r) {
        return ReadAnswer(s, r, registry::CurrentSizeThresholds);
    });
    router.Get("/api/v1/size-thresholds/versions", "", [&s](Request& r) {
        return ReadAnswer(s, r, registry::ListSizeThresholdVersions);
    });
    router.Post("/api/v1/size-thresholds/versions", "reference:write",
                [&s](Request& r) { return PublishThresholds(s, r); });
    router.Get("/api/v1/size-thresholds/versions/{id}/document", "",
                [&s](Request& r) { return ThresholdsDocument(s, r); });
}

}  // namespace chanrong::http

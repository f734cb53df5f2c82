// Matching: ranked products for a demand with explanations, why-not for a product, leads for a product, batch
// allocations, replay of a stored recommendation, and model versions.

#include <boost/json.hpp>

#include "http/api/api_support.hpp"
#include "http/application.hpp"

namespace chanrong::http {
namespace {

Result<int> Limit(const Request& r, int fallback, int max) {
    auto limit = QueryInt(r, "limit");
    if (!limit) return Fail(limit.error());
    const long long v = limit->value_or(fallback);
    if (v < 1 || v > max) return Fail(Error::Field("limit", "out_of_range", "应为 1–" + std::to_string(max)));
    return static_cast<int>(v);
}

Response RunBatch(Services& s, Request& r) {
    auto in = ReadBody(r, {"campaign_id", "institution_share_cap_percent"});
    if (!in) return Problem(in.error(), r);
    matching::BatchInput input;
    input.campaign_id = in->Int("campaign_id", false, 1);
    input.institution_share_cap = in->Int("institution_share_cap_percent", false, 1, 100).value_or(20) / 100.0;
    if (auto st = in->Finish(); !st) return Problem(st.error(), r);
    auto command = MakeCommand(r, "matching.batch", "match_batch", "matching:batch");
    return command ? OutcomeAnswer(s.matching.RunBatch(ActorOf(r), input, *command), r) : Problem(command.error(), r);
}

}  // namespace

void RegisterMatchingRoutes(Router& router, Services& s) {
    router.Get("/api/v1/demands/{id}/matches", "demand:read", [&s](Request& r) {
        auto id = PathId(r);
        auto limit = Limit(r, 10, 50);
        if (!id) return Problem(id.error(), r);
        if (!limit) return Problem(limit.error(), r);
        return JsonAnswer(s.matching.Matches(*r.principal, *id, *limit), r);
    });
    router.Get("/api/v1/demands/{id}/why-not/{product_id}", "demand:read", [&s](Request& r) {
        auto id = PathId(r);
        auto product = PathId(r, "product_id");
        if (!id) return Problem(id.error(), r);
        if (!product) return Problem(product.error(), r);
        return JsonAnswer(s.matching.WhyNot(*r.principal, *id, *product), r);
    });
    router.Get("/api/v1/products/{id}/leads", "product:read", [&s](Request& r) {
        auto id = PathId(r);
        auto limit = Limit(r, 20, 200);
        if (!id) return Problem(id.error(), r);
        if (!limit) return Problem(limit.error(), r);
        return JsonAnswer(s.matching.Leads(*r.principal, *id, *limit), r);
    });
    router.Post("/api/v1/matching/batches", "matching:batch", [&s](Request& r) { return RunBatch(s, r); });
    router.Get("/api/v1/matching/batches", "matching:batch", [&s](Request& r) { return JsonAnswer(s.matching.Batches(), r); });
    router.Get("/api/v1/matching/batches/{id}", "matching:batch", [&s](Request& r) {
        auto id = PathId(r);
        return id ? JsonAnswer(s.matching.Batch(*id), r) : Problem(id.error(), r);
    });
    router.Get("/api/v1/matching/recommendations/{id}/replay", "matching:batch", [&s](Request& r) {
        auto id = PathId(r);
        return id ? JsonAnswer(s.matching.Replay(*id), r) : Problem(id.error(), r);
    });
    router.Get("/api/v1/matching/models", "matching:batch", [&s](Request& r) { return JsonAnswer(s.matching.Models(), r); });
    router.Post("/api/v1/matching/models/{id}/activate", "matching:model", [&s](Request& r) {
        auto id = PathId(r);
        if (!id || *id > 1'000'000) return Problem(Error::Field("id", "invalid", "模型版本应为正整数"), r);
        auto command = MakeCommand(r, "matching.model.activate", "matching_model", "matching:model", std::to_string(*id));
        return command ? OutcomeAnswer(s.matching.ActivateModel(ActorOf(r), static_cast<int>(*id), *command), r)
                       : Problem(command.error(), r);
    });
}

}  // namespace chanrong::http

// Health, readiness, metrics, the OpenAPI document and its browsable UI.

#include <memory>

#include "common/embedded_data.hpp"
#include "http/api/api_support.hpp"
#include "http/application.hpp"

namespace chanrong::http {
namespace {

constexpr const char* kDocsPage = R"(<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>产融合作平台 API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({url: '/api/v1/openapi.json', dom_id: '#swagger-ui'});</script>
</body></html>
)";

Response Text(std::string body, std::string content_type, int status = 200) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    r.content_type = std::move(content_type);
    return r;
}

}  // namespace

void RegisterOpsRoutes(Router& router, Services& s) {
    router.Public("GET", "/healthz", [](Request&) { return Response::Json(R"({"status":"ok"})"); });
    router.Public("GET", "/readyz", [&s](Request& r) {
        auto ping = s.db.Ping();
        return ping ? Response::Json(R"({"status":"ready"})") : Problem(ping.error(), r);
    });
    router.Public("GET", "/metrics", [&s](Request&) {
        return Text(s.metrics.Render(), "text/plain; version=0.0.4; charset=utf-8");
    });
    router.Public("GET", "/api/v1/openapi.json", [](Request&) { return Response::Json(std::string(EmbeddedFile("openapi.json"))); });
    router.Public("GET", "/api/docs", [](Request&) { return Text(kDocsPage, "text/html; charset=utf-8"); });
    auto swagger = std::make_shared<StaticFiles>(s.config.server.web_root + "/api-docs");
    router.Public("GET", "/api/docs/{file}", [swagger](Request& r) {
        const std::string& file = r.path_params.at("file");
        if (file != "swagger-ui.css" && file != "swagger-ui-bundle.js") return Problem(Error::NotFound("文件不存在"), r);
        return swagger->Serve("/" + file);
    });
}

}  // namespace chanrong::http

// POST /auth/login, POST /auth/logout, GET /auth/me, POST /auth/password.

#include <boost/json.hpp>

#include "common/time_format.hpp"
#include "common/json_out.hpp"
#include "http/api/api_support.hpp"
#include "http/application.hpp"

namespace chanrong::http {
namespace json = boost::json;
namespace {

json::object MeJson(const auth::Principal& p) {
    json::array roles, permissions;
    for (const auto& r : p.roles) roles.push_back(json::object{{"id", r.id}, {"code", r.code}, {"name", r.name}});
    std::vector<std::string> sorted(p.permissions.begin(), p.permissions.end());
    std::sort(sorted.begin(), sorted.end());
    for (const auto& perm : sorted) permissions.push_back(json::value(perm));
    return {{"id", p.user_id}, {"username", p.username}, {"display_name", p.display_name},
            {"kind", auth::RoleKindName(p.kind)}, {"department_id", OptionalInt(p.department_id)},
            {"department_name", p.department_name}, {"enterprise_id", OptionalInt(p.enterprise_id)},
            {"institution_id", OptionalInt(p.institution_id)}, {"roles", roles}, {"permissions", permissions}};
}

std::string SessionCookie(const std::string& token, long long max_age_seconds, bool secure) {
    return std::string(auth::kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
           std::to_string(max_age_seconds) + (secure ? "; Secure" : "");
}

Response Login(Services& s, Request& r) {
    auto body = ReadBody(r, {"username", "password"});
    if (!body) return Problem(body.error(), r);
    auto username = body->String("username", true, 64, 1);
    auto password = body->String("password", true, 128, 1);
    if (auto st = body->Finish(); !st) return Problem(st.error(), r);
    auto result = s.sessions.Login({*username, *password, r.remote_ip, std::string(r.Header("user-agent")).substr(0, 300),
                                    r.request_id});
    if (!result) return Problem(result.error(), r);
    Response response = Response::Json(json::serialize(json::object{
        {"token", result->token}, {"expires_at", FormatIsoUtc(result->expires_at)}, {"user", MeJson(*result->principal)}}));
    response.headers.emplace_back("Set-Cookie", SessionCookie(result->token, s.config.auth.session_ttl_minutes * 60,
                                                              s.config.auth.cookie_secure));
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
}

Response Logout(Services& s, Request& r) {
    auto status = s.sessions.Logout(*r.principal, ActorOf(r));
    if (!status) return Problem(status.error(), r);
    Response response = Response::NoContent();
    response.headers.emplace_back("Set-Cookie", SessionCookie("", 0, s.config.auth.cookie_secure));
    return response;
}

Response ChangePassword(Services& s, Request& r) {
    auto body = ReadBody(r, {"old_password", "new_password"});
    if (!body) return Problem(body.error(), r);
    auto old_password = body->String("old_password", true, 128, 1);
    auto new_password = body->String("new_password", true, 128, 1);
    if (auto st = body->Finish(); !st) return Problem(st.error(), r);
    return StatusAnswer(s.sessions.ChangeOwnPassword(*r.principal, ActorOf(r), *old_password, *new_password), r);
}

}  // namespace

void RegisterAuthRoutes(Router& router, Services& s) {
    router.Public("POST", "/api/v1/auth/login", [&s](Request& r) { return Login(s, r); });
    router.Post("/api/v1/auth/logout", "", [&s](Request& r) { return Logout(s, r); });
    router.Get("/api/v1/auth/me", "", [](Request& r) { return Response::Json(json::serialize(MeJson(*r.principal))); });
    router.Post("/api/v1/auth/password", "", [&s](Request& r) { return ChangePassword(s, r); });
}

}  // namespace chanrong::http

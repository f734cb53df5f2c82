#include "http/router.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>

#include "auth/session_service.hpp"
#include "common/crypto.hpp"
#include "http/metrics.hpp"
#include "http/static_files.hpp"

namespace chanrong::http {
namespace json = boost::json;
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
    std::vector<std::string_view> out;
    size_t start = 1;
    while (start <= path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        out.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string Decode(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') out += ' ';
        else if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
            out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
            i += 2;
        } else out += s[i];
    }
    return out;
}

std::string NewRequestId(std::string_view incoming) {
    const bool usable = !incoming.empty() && incoming.size() <= 64 &&
                        std::all_of(incoming.begin(), incoming.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; });
    return usable ? std::string(incoming) : crypto::RandomToken(12);
}

std::string ClientIp(const Request& r, bool trust_proxy) {
    if (trust_proxy) {
        std::string_view forwarded = r.Header("x-forwarded-for");
        if (!forwarded.empty()) return std::string(forwarded.substr(0, forwarded.find(',')));
    }
    return r.remote_ip;
}

std::string BearerToken(const Request& r) {
    std::string_view auth = r.Header("authorization");
    if (auth.size() > 7 && (auth.starts_with("Bearer ") || auth.starts_with("bearer "))) return std::string(auth.substr(7));
    return r.Cookie(auth::kSessionCookie);
}

}  // namespace

std::string_view Request::Header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (k == name) return v;
    return {};
}

std::string Request::Cookie(std::string_view name) const {
    std::string_view cookies = Header("cookie");
    while (!cookies.empty()) {
        size_t end = cookies.find(';');
        std::string_view item = cookies.substr(0, end);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        if (item.size() > name.size() && item.starts_with(name) && item[name.size()] == '=')
            return std::string(item.substr(name.size() + 1));
        if (end == std::string_view::npos) break;
        cookies.remove_prefix(end + 1);
    }
    return {};
}

Response Response::Json(std::string body, int status) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

Response Response::NoContent() {
    Response r;
    r.status = 204;
    r.content_type.clear();
    return r;
}

int HttpStatusFor(ErrorCode code) {
    switch (code) {
        case ErrorCode::kInvalidArgument: return 400;
        case ErrorCode::kUnauthenticated: return 401;
        case ErrorCode::kPermissionDenied: return 403;
        case ErrorCode::kNotFound: return 404;
        case ErrorCode::kConflict: return 409;
        case ErrorCode::kPayloadTooLarge: return 413;
        case ErrorCode::kFailedPrecondition: return 422;
        case ErrorCode::kResourceExhausted: return 429;
        case ErrorCode::kUnavailable: return 503;
        case ErrorCode::kInternal: return 500;
    }
    return 500;
}

Response ErrorResponse(const Error& error, const std::string& request_id) {
    json::array fields;
    for (const auto& f : error.fields)
        fields.push_back(json::object{{"field", f.field}, {"code", f.code}, {"message", f.message}});
    json::object err{{"code", ErrorCodeName(error.code)}, {"message", error.message}, {"fields", std::move(fields)}};
    return Response::Json(json::serialize(json::object{{"error", std::move(err)}, {"request_id", request_id}}),
                          HttpStatusFor(error.code));
}

std::map<std::string, std::string> ParseQuery(std::string_view query) {
    std::map<std::string, std::string> out;
    while (!query.empty()) {
        size_t end = query.find('&');
        std::string_view pair = query.substr(0, end);
        if (!pair.empty()) {
            size_t eq = pair.find('=');
            out[Decode(pair.substr(0, eq))] = eq == std::string_view::npos ? "" : Decode(pair.substr(eq + 1));
        }
        if (end == std::string_view::npos) break;
        query.remove_prefix(end + 1);
    }
    return out;
}

Router::Router(RouterOptions options, auth::SessionService& sessions, Metrics& metrics, const StaticFiles* static_files)
    : options_(options), sessions_(sessions), metrics_(metrics), static_files_(static_files) {}

void Router::Add(Route route) { routes_.push_back(std::move(route)); }
void Router::Get(std::string p, std::string perm, Handler h) { Add({"GET", std::move(p), true, std::move(perm), std::move(h)}); }
void Router::Post(std::string p, std::string perm, Handler h) { Add({"POST", std::move(p), true, std::move(perm), std::move(h)}); }
void Router::Patch(std::string p, std::string perm, Handler h) { Add({"PATCH", std::move(p), true, std::move(perm), std::move(h)}); }
void Router::Delete(std::string p, std::string perm, Handler h) { Add({"DELETE", std::move(p), true, std::move(perm), std::move(h)}); }
void Router::Public(std::string method, std::string p, Handler h) { Add({std::move(method), std::move(p), false, "", std::move(h)}); }

const Route* Router::Match(const Request& r, std::map<std::string, std::string>& params, bool& path_known) const {
    const auto segments = Segments(r.path);
    for (const auto& route : routes_) {
        const auto pattern = Segments(route.pattern);
        if (pattern.size() != segments.size()) continue;
        std::map<std::string, std::string> found;
        bool ok = true;
        for (size_t i = 0; i < pattern.size() && ok; ++i) {
            if (pattern[i].starts_with('{')) found[std::string(pattern[i].substr(1, pattern[i].size() - 2))] = Decode(segments[i]);
            else ok = pattern[i] == segments[i];
        }
        if (!ok) continue;
        path_known = true;
        if (route.method == r.method || (r.method == "HEAD" && route.method == "GET")) {
            params = std::move(found);
            return &route;
        }
    }
    return nullptr;
}

Response Router::Handle(Request& r, std::string& label) const {
    bool path_known = false;
    const Route* route = Match(r, r.path_params, path_known);
    if (!route) {
        const bool api = r.path.starts_with("/api/");
        label = api ? "unmatched" : "static";
        if (path_known) return ErrorResponse({ErrorCode::kNotFound, "不支持的请求方法 " + r.method, {}, "method_not_allowed"}, r.request_id);
        if (!api && static_files_ && (r.method == "GET" || r.method == "HEAD")) return static_files_->Serve(r.path);
        return ErrorResponse(Error::NotFound("接口不存在: " + r.method + " " + r.path), r.request_id);
    }
    label = route->pattern;
    const long long limit = route->file_upload ? options_.max_upload_bytes : options_.max_body_bytes;
    if (static_cast<long long>(r.body.size()) > limit)
        return ErrorResponse({ErrorCode::kPayloadTooLarge, "请求体过大（上限 " + std::to_string(limit) + " 字节）", {}, {}}, r.request_id);
    if (route->authenticated) {
        const std::string token = BearerToken(r);
        if (token.empty()) return ErrorResponse(Error::Unauthenticated(), r.request_id);
        auto principal = sessions_.Authenticate(token);
        if (!principal) return ErrorResponse(principal.error(), r.request_id);
        r.principal = *principal;
        if (!route->permission.empty() && !r.principal->Can(route->permission))
            return ErrorResponse(Error::PermissionDenied("无权访问（需要权限 " + route->permission + "）"), r.request_id);
    }
    return route->handler(r);
}

Response Router::Dispatch(Request& r) const {
    const auto start = std::chrono::steady_clock::now();
    r.request_id = NewRequestId(r.Header("x-request-id"));
    r.remote_ip = ClientIp(r, options_.trust_proxy);
    std::string label = "unmatched";
    Response response;
    try {
        response = Handle(r, label);
    } catch (const std::exception& e) {
        spdlog::error("request {} {} {} failed: {}", r.request_id, r.method, r.path, e.what());
        response = ErrorResponse(Error::Internal("内部错误，请联系管理员（请求号 " + r.request_id + "）"), r.request_id);
    }
    response.headers.emplace_back("X-Request-Id", r.request_id);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    metrics_.Observe(r.method, label, response.status, seconds);
    if (options_.access_log) {
        json::object line{{"type", "access"}, {"request_id", r.request_id}, {"method", r.method}, {"path", r.path},
                          {"route", label}, {"status", response.status}, {"ms", seconds * 1000}, {"ip", r.remote_ip},
                          {"user_id", r.principal ? r.principal->user_id : 0}, {"bytes", response.body.size()}};
        spdlog::get("access")->info(json::serialize(line));
    }
    return response;
}

}  // namespace chanrong::http

#pragma once
// HTTP requests and responses as plain structs, and the router that dispatches them: authentication,
// permission checks for reads, body limit, error mapping, metrics and the access log all happen here.
// Nothing in this header depends on the HTTP library.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.hpp"
#include "common/error.hpp"

namespace chanrong::auth {
class SessionService;
}

namespace chanrong::http {

class Metrics;
class StaticFiles;

struct Request {
    std::string method;
    std::string path;
    std::map<std::string, std::string> query;
    std::vector<std::pair<std::string, std::string>> headers;  ///< names lower-cased
    std::string body;
    std::string remote_ip;
    std::string request_id;
    std::map<std::string, std::string> path_params;
    std::shared_ptr<const auth::Principal> principal;  ///< set on authenticated routes

    /// Header value or "" (name in lower case).
    std::string_view Header(std::string_view name) const;
    /// Cookie value or "".
    std::string Cookie(std::string_view name) const;
};

struct Response {
    int status = 200;
    std::string body;
    /// When set, the body is produced by this function in chunks (chunked transfer) instead of `body`.
    std::function<void(const std::function<void(std::string&&)>& write)> stream;
    std::string content_type = "application/json; charset=utf-8";
    std::vector<std::pair<std::string, std::string>> headers;

    static Response Json(std::string body, int status = 200);
    static Response NoContent();
};

using Handler = std::function<Response(Request&)>;

struct Route {
    std::string method;
    std::string pattern;     ///< "/api/v1/users/{id}"
    bool authenticated = true;
    std::string permission;  ///< checked before the handler; empty for none
    Handler handler;
    bool file_upload = false;  ///< the body may be as large as RouterOptions::max_upload_bytes
};

struct RouterOptions {
    long long max_body_bytes = 1 << 20;
    long long max_upload_bytes = 64 << 20;
    bool trust_proxy = false;
    bool access_log = true;
};

class Router {
public:
    Router(RouterOptions options, auth::SessionService& sessions, Metrics& metrics, const StaticFiles* static_files);

    void Add(Route route);
    void Get(std::string pattern, std::string permission, Handler handler);
    void Post(std::string pattern, std::string permission, Handler handler);
    void Patch(std::string pattern, std::string permission, Handler handler);
    void Delete(std::string pattern, std::string permission, Handler handler);
    /// A route anyone may call (login, health).
    void Public(std::string method, std::string pattern, Handler handler);

    /// Never throws: every failure becomes an error response.
    Response Dispatch(Request& request) const;

    const std::vector<Route>& routes() const { return routes_; }

private:
    const Route* Match(const Request& request, std::map<std::string, std::string>& params, bool& path_known) const;
    Response Handle(Request& request, std::string& route_label) const;

    RouterOptions options_;
    auth::SessionService& sessions_;
    Metrics& metrics_;
    const StaticFiles* static_files_;
    std::vector<Route> routes_;
};

/// The JSON error body with the status its code maps to. The one place codes become statuses.
Response ErrorResponse(const Error& error, const std::string& request_id);
int HttpStatusFor(ErrorCode code);

/// Splits "a=1&b=x%20y" into decoded pairs.
std::map<std::string, std::string> ParseQuery(std::string_view query);

}  // namespace chanrong::http

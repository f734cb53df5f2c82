#include "http/server.hpp"

#include <restinio/all.hpp>
#include <spdlog/spdlog.h>

#include <csignal>
#include <thread>

namespace chanrong::http {
namespace {

struct Traits : restinio::default_traits_t {
    using logger_t = restinio::null_logger_t;
};

Request ToRequest(const restinio::request_handle_t& req) {
    Request r;
    const auto& header = req->header();
    r.method = header.method().c_str();
    r.path = std::string(header.path());
    if (r.path.empty()) r.path = "/";
    r.query = ParseQuery(header.query());
    header.for_each_field([&r](const restinio::http_header_field_t& field) {
        std::string name = field.name();
        std::transform(name.begin(), name.end(), name.begin(), ::tolower);
        r.headers.emplace_back(std::move(name), field.value());
    });
    r.body = req->body();
    r.remote_ip = req->remote_endpoint().address().to_string();
    return r;
}

const char* ReasonPhrase(int status) {
    switch (status) {
        case 200: return "OK";
        case 201: return "Created";
        case 204: return "No Content";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 409: return "Conflict";
        case 413: return "Payload Too Large";
        case 422: return "Unprocessable Content";
        case 429: return "Too Many Requests";
        case 503: return "Service Unavailable";
        default: return status < 500 ? "" : "Internal Server Error";
    }
}

restinio::request_handling_status_t RespondStreamed(const restinio::request_handle_t& req, Response& response) {
    auto builder = req->create_response<restinio::chunked_output_t>(
        restinio::http_status_line_t{restinio::http_status_code_t{static_cast<std::uint16_t>(response.status)},
                                     ReasonPhrase(response.status)});
    builder.append_header(restinio::http_field::content_type, response.content_type);
    builder.append_header("X-Content-Type-Options", "nosniff");
    for (auto& [name, value] : response.headers) builder.append_header(name, value);
    builder.flush();
    try {
        response.stream([&builder](std::string&& chunk) {
            builder.append_chunk(std::move(chunk));
            builder.flush();
        });
    } catch (const std::exception& e) {
        spdlog::error("streamed response failed: {}", e.what());
    }
    return builder.done();
}

restinio::request_handling_status_t Respond(const restinio::request_handle_t& req, Response response) {
    if (response.stream && req->header().method() != restinio::http_method_head()) return RespondStreamed(req, response);
    auto builder = req->create_response(
        restinio::http_status_line_t{restinio::http_status_code_t{static_cast<std::uint16_t>(response.status)}, ReasonPhrase(response.status)});
    if (!response.content_type.empty()) builder.append_header(restinio::http_field::content_type, response.content_type);
    builder.append_header("X-Content-Type-Options", "nosniff");
    for (auto& [name, value] : response.headers) builder.append_header(name, value);
    if (req->header().method() != restinio::http_method_head()) builder.set_body(std::move(response.body));
    return builder.done();
}

}  // namespace

sigset_t BlockStopSignals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    return signals;
}

Status Serve(const ServerConfig& config, const Router& router, const std::function<void(int)>& on_ready) {
    // Block the stop signals in every thread started from here on; this one waits for them below.
    sigset_t signals = BlockStopSignals();

    const size_t threads = config.threads > 0 ? static_cast<size_t>(config.threads)
                                              : std::max(2u, std::thread::hardware_concurrency());
    // RESTinio closes the connection past its own limit; below it the router answers 413 with a JSON body.
    const auto hard_limit =
        static_cast<std::uint64_t>(std::max(config.max_body_bytes * 4, config.max_import_bytes)) + 65536;
    auto settings = restinio::server_settings_t<Traits>{}
                        .address(config.host)
                        .port(static_cast<std::uint16_t>(config.port))
                        .read_next_http_message_timelimit(std::chrono::milliseconds(config.read_timeout_ms))
                        .write_http_response_timelimit(std::chrono::milliseconds(config.write_timeout_ms))
                        .handle_request_timeout(std::chrono::milliseconds(config.handle_timeout_ms))
                        .max_pipelined_requests(16)
                        .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}.max_body_size(hard_limit))
                        .request_handler([&router](const restinio::request_handle_t& req) {
                            Request request = ToRequest(req);
                            return Respond(req, router.Dispatch(request));
                        });
    try {
        auto server = restinio::run_async(restinio::own_io_context(), std::move(settings), threads);
        if (on_ready) on_ready(static_cast<int>(config.port));
        int received = 0;
        sigwait(&signals, &received);
        spdlog::info("received signal {}, shutting down", received);
        server->stop();
        server->wait();
    } catch (const std::exception& e) {
        return Fail(Error::Unavailable(std::string("无法启动 HTTP 服务: ") + e.what()));
    }
    spdlog::info("server stopped");
    return {};
}

}  // namespace chanrong::http

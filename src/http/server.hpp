#pragma once
// The HTTP server (RESTinio on a thread pool). The only file that includes RESTinio.

#include <csignal>
#include <functional>

#include "common/config.hpp"
#include "common/error.hpp"
#include "http/router.hpp"

namespace chanrong::http {

/// Blocks SIGTERM and SIGINT in the calling thread and so in every thread it starts afterwards; call it before
/// starting background threads, so that only Serve() receives the stop signals.
sigset_t BlockStopSignals();

/// Serves `router` until SIGTERM or SIGINT, then stops accepting, lets requests in flight finish and returns.
/// `on_ready` is called once the port is bound (with the actual port).
Status Serve(const ServerConfig& config, const Router& router, const std::function<void(int port)>& on_ready = {});

}  // namespace chanrong::http

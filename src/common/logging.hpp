#pragma once
// Logging set-up: the default logger and the "access" logger (one JSON line per request).

#include "common/config.hpp"

namespace chanrong {

/// Routes both loggers to standard output or `config.file`, asynchronously, at `config.level`.
/// Safe to call more than once (later calls replace the loggers).
void SetupLogging(const LogConfig& config);

}  // namespace chanrong

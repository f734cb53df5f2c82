#include "common/logging.hpp"

#include <spdlog/async.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace chanrong {

void SetupLogging(const LogConfig& config) {
    static bool pool_ready = false;
    if (!pool_ready) {
        spdlog::init_thread_pool(65536, 1);
        pool_ready = true;
    }
    spdlog::sink_ptr sink;
    if (config.file.empty()) sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
    else sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(config.file);
    auto make = [&](const std::string& name, const std::string& pattern) {
        spdlog::drop(name);
        auto logger = std::make_shared<spdlog::async_logger>(name, sink, spdlog::thread_pool(),
                                                             spdlog::async_overflow_policy::overrun_oldest);
        logger->set_pattern(pattern);
        logger->set_level(spdlog::level::from_str(config.level));
        logger->flush_on(spdlog::level::warn);
        spdlog::register_logger(logger);
        return logger;
    };
    spdlog::set_default_logger(make("chanrong", "%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v"));
    make("access", "%v");
    spdlog::flush_every(std::chrono::seconds(1));
}

}  // namespace chanrong

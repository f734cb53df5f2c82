// `chanrong credit monitor` and `chanrong credit rescore`: the score monitoring report and a full rescore,
// from the command line.

#include <boost/json.hpp>

#include <iostream>

#include "app/commands.hpp"
#include "common/logging.hpp"
#include "credit/credit_service.hpp"
#include "http/application.hpp"

namespace chanrong::app {
namespace {

int WithCreditService(const CommonOptions& options, const std::function<int(credit::CreditService&)>& run) {
    auto config = LoadConfig(options.config_path, ProcessEnvironment());
    if (!config) {
        std::cerr << config.error().message << "\n";
        return 2;
    }
    SetupLogging(config->log);
    SystemClock clock(config->clock.offset_days * 86'400'000LL);
    auto db = http::OpenAndMigrate(*config, clock);
    if (!db) {
        std::cerr << "错误: " << db.error().message << "\n";
        return 1;
    }
    audit::CommandPipeline pipeline(**db, clock);
    credit::ScorecardModels models;
    credit::CreditService service(**db, clock, pipeline, models);
    return run(service);
}

}  // namespace

int RunCreditMonitor(const CommonOptions& options, const std::string& from, const std::string& to) {
    return WithCreditService(options, [&](credit::CreditService& service) {
        auto report = service.Monitoring(from, to);
        if (!report) {
            std::cerr << "错误: " << report.error().message << "\n";
            return 1;
        }
        std::cout << boost::json::serialize(*report) << "\n";
        return 0;
    });
}

int RunCreditRescore(const CommonOptions& options) {
    return WithCreditService(options, [&](credit::CreditService& service) {
        auto scored = service.RescoreAll("cli");
        if (!scored) {
            std::cerr << "错误: " << scored.error().message << "\n";
            return 1;
        }
        std::cout << "已重算 " << *scored << " 家企业的信用评分\n";
        return 0;
    });
}

}  // namespace chanrong::app

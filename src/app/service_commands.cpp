// `chanrong credit monitor`, `chanrong credit rescore` and `chanrong matching train`: the score monitoring
// report, a full rescore and a new matching model version, from the command line.

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/commands.hpp"
#include "common/logging.hpp"
#include "credit/credit_service.hpp"
#include "http/application.hpp"
#include "matching/matching_service.hpp"

namespace chanrong::app {
namespace {

struct Services {
    credit::CreditService& credit;
    matching::MatchingService& matching;
};

int WithServices(const CommonOptions& options, const std::function<int(Services&)>& run) {
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
    credit::CreditService credit(**db, clock, pipeline, models);
    matching::MatchingService matching(**db, clock, pipeline);
    Services services{credit, matching};
    return run(services);
}

}  // namespace

int RunCreditMonitor(const CommonOptions& options, const std::string& from, const std::string& to) {
    return WithServices(options, [&](Services& services) {
        auto report = services.credit.Monitoring(from, to);
        if (!report) {
            std::cerr << "错误: " << report.error().message << "\n";
            return 1;
        }
        std::cout << boost::json::serialize(*report) << "\n";
        return 0;
    });
}

int RunCreditRescore(const CommonOptions& options) {
    return WithServices(options, [&](Services& services) {
        auto scored = services.credit.RescoreAll("cli");
        if (!scored) {
            std::cerr << "错误: " << scored.error().message << "\n";
            return 1;
        }
        std::cout << "已重算 " << *scored << " 家企业的信用评分\n";
        return 0;
    });
}

int RunMatchingTrain(const CommonOptions& options, const std::string& out_dir) {
    return WithServices(options, [&](Services& services) {
        auto trained = services.matching.Train("cli");
        if (!trained) {
            std::cerr << "错误: " << trained.error().message << "\n";
            return 1;
        }
        std::cout << boost::json::serialize(*trained) << "\n";
        if (out_dir.empty()) return 0;
        const std::string version = std::to_string(trained->at("version").as_int64());
        auto model = services.matching.ModelFile(static_cast<int>(trained->at("version").as_int64()));
        if (!model) return std::cerr << "错误: " << model.error().message << "\n", 1;
        std::filesystem::create_directories(out_dir);
        std::ofstream(std::filesystem::path(out_dir) / ("matching-model-v" + version + ".json")) << *model;
        std::ofstream(std::filesystem::path(out_dir) / ("matching-model-v" + version + "-report.json"))
            << boost::json::serialize(trained->at("report"));
        std::cerr << "已写入 " << out_dir << "/matching-model-v" << version << ".json 及评估报告\n";
        return 0;
    });
}

}  // namespace chanrong::app

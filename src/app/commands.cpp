#include "app/commands.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <iostream>
#include <termios.h>
#include <unistd.h>

#include "audit/audit_log.hpp"
#include "auth/user_service.hpp"
#include "common/logging.hpp"
#include "demo/demo_city.hpp"
#include "http/application.hpp"
#include "http/server.hpp"
#include "registry/import_service.hpp"

#include <fstream>
#include <sstream>

namespace chanrong::app {
namespace {

std::optional<Config> LoadOrReport(const CommonOptions& options) {
    auto config = LoadConfig(options.config_path, ProcessEnvironment());
    if (!config) {
        std::cerr << config.error().message << "\n";
        return std::nullopt;
    }
    if (options.port) config->server.port = *options.port;
    SetupLogging(config->log);
    return *config;
}

std::unique_ptr<Clock> MakeClock(const Config& config) {
    return std::make_unique<SystemClock>(config.clock.offset_days * 86'400'000LL);
}

int Report(const Error& error) {
    std::cerr << "错误: " << error.message << "\n";
    for (const auto& f : error.fields) std::cerr << "  " << f.field << ": " << f.message << "\n";
    return 1;
}

void Progress(const std::string& step) { std::cerr << "  · " << step << "\n"; }

std::string ReadPasswordFromTerminal() {
    std::cerr << "密码 Password: ";
    termios old{};
    const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        termios quiet = old;
        quiet.c_lflag &= ~ECHO;
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string password;
    std::getline(std::cin, password);
    if (tty) tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
    return password;
}

}  // namespace

int RunServe(const CommonOptions& options) {
    http::BlockStopSignals();  // before any thread starts (logging's flusher, jobs, the listener)
    auto config = LoadOrReport(options);
    if (!config) return 2;
    auto app = http::Application::Create(*config, MakeClock(*config));
    if (!app) return Report(app.error());
    (*app)->StartScheduledJobs();
    auto status = http::Serve(config->server, (*app)->router(), [&](int port) {
        spdlog::info("chanrong {} serving on http://{}:{} ({})", CHANRONG_VERSION, config->server.host, port,
                     (*app)->db().is_sqlite() ? "SQLite" : "PostgreSQL");
    });
    app->reset();  // stops the background jobs, which may still log
    spdlog::shutdown();
    if (!status) return Report(status.error());
    return 0;
}

int RunMigrate(const CommonOptions& options) {
    auto config = LoadOrReport(options);
    if (!config) return 2;
    std::cerr << "迁移数据库 Migrating " << config->database.url.substr(0, config->database.url.find('@')) << " …\n";
    auto clock = MakeClock(*config);
    auto db = http::OpenAndMigrate(*config, *clock, Progress);
    if (!db) return Report(db.error());
    std::cerr << "完成 Done.\n";
    return 0;
}

int RunInitAdmin(const CommonOptions& options, InitAdminOptions admin) {
    auto config = LoadOrReport(options);
    if (!config) return 2;
    if (admin.password.empty()) {
        if (const char* env = std::getenv("CHANRONG_ADMIN_PASSWORD")) admin.password = env;
        else admin.password = ReadPasswordFromTerminal();
    }
    auto clock = MakeClock(*config);
    auto db = http::OpenAndMigrate(*config, *clock);
    if (!db) return Report(db.error());
    audit::CommandPipeline pipeline(**db, *clock);
    auto id = auth::CreateFirstAdmin({**db, *clock, config->auth, pipeline}, admin.username, admin.display_name,
                                     admin.password);
    if (!id) return Report(id.error());
    std::cout << "已创建管理员 " << admin.username << " (id " << *id << ")\n";
    return 0;
}

int RunSeedDemo(const CommonOptions& options) {
    auto config = LoadOrReport(options);
    if (!config) return 2;
    auto clock = MakeClock(*config);
    auto db = http::OpenAndMigrate(*config, *clock);
    if (!db) return Report(db.error());
    audit::CommandPipeline pipeline(**db, *clock);
    auto cipher = FieldCipher::FromKeyFile(config->security.data_key_file);
    if (!cipher) return Report(cipher.error());
    std::cerr << "载入演示城市（厦门）Seeding the demo city …\n";
    auto report = demo::SeedDemoCity({**db, *clock, config->auth, pipeline}, *cipher, Progress);
    if (!report) return Report(report.error());
    std::cerr << "  新增 added: " << report->departments << " departments, " << report->institutions
              << " institutions, " << report->enterprises << " enterprises, " << report->directory_entries
              << " directory entries\n\n";
    std::cout << "演示账户（密码仅显示这一次）Demo logins (passwords are shown only now):\n";
    for (const auto& l : report->logins)
        std::cout << "  " << l.username << std::string(14 - std::min<size_t>(13, l.username.size()), ' ') << l.password
                  << "   " << l.role_name << " · " << l.bound_to << "\n";
    return 0;
}

int RunVerifyAudit(const CommonOptions& options) {
    auto config = LoadOrReport(options);
    if (!config) return 2;
    auto clock = MakeClock(*config);
    auto db = http::OpenAndMigrate(*config, *clock);
    if (!db) return Report(db.error());
    auto report = audit::VerifyChain(**db, [](long long n) { std::cerr << "  · checked " << n << " rows\n"; });
    if (!report) return Report(report.error());
    std::cout << report->message << "\n";
    return report->ok ? 0 : 3;
}

}  // namespace chanrong::app

namespace chanrong::app {
namespace {
const char* PhaseLabel(registry::ImportPhase phase) {
    switch (phase) {
        case registry::ImportPhase::kApplying: return "写入 applying";
        case registry::ImportPhase::kIndexing: return "建立索引 indexing";
        default: return "校验 validating";
    }
}
}  // namespace

int RunImport(const CommonOptions& options, const ImportCliOptions& import) {
    auto config = LoadOrReport(options);
    if (!config) return 2;
    auto kind = registry::ParseImportKind(import.kind);
    if (!kind) {
        std::cerr << "错误: 导入类型应为 enterprises、figures、tags 或 directory\n";
        return 2;
    }
    if (!std::ifstream(import.file, std::ios::binary)) {
        std::cerr << "错误: 无法读取文件 " << import.file << "\n";
        return 2;
    }
    auto clock = MakeClock(*config);
    auto db = http::OpenAndMigrate(*config, *clock);
    if (!db) return Report(db.error());
    auto cipher = FieldCipher::FromKeyFile(config->security.data_key_file);
    if (!cipher) return Report(cipher.error());
    audit::CommandPipeline pipeline(**db, *clock);
    registry::ImportService imports(**db, *clock, pipeline, *cipher);
    registry::ImportOptions run{*kind, import.dry_run, import.strict, import.directory_id, import.file};
    // The file is streamed from disk twice (validate, then apply); progress every 10,000 rows of each pass.
    registry::ImportProgressUpdate shown{registry::ImportPhase::kQueued, -1, 0};
    auto report = imports.RunFile(audit::Actor::System("cli-import"), run, import.file,
                                  [&shown](const registry::ImportProgressUpdate& u) {
                                      const bool fresh = u.phase != shown.phase || u.done != shown.done;
                                      if (fresh && (u.done % 10'000 == 0 || u.done == u.total)) {
                                          if (u.phase != shown.phase && shown.done >= 0) std::cerr << "\n";
                                          std::cerr << "\r  · " << PhaseLabel(u.phase) << " " << u.done << " / " << u.total
                                                    << (u.phase == registry::ImportPhase::kIndexing ? "" : " rows")
                                                    << std::flush;
                                          shown = u;
                                      }
                                      return true;
                                  });
    std::cerr << "\n";
    if (!report) return Report(report.error());
    for (size_t i = 0; i < report->problems.size() && i < 50; ++i) {
        const auto& p = report->problems[i];
        std::cout << "  第 " << p.row << " 行 [" << p.column << "] " << (p.error ? "错误" : "警告") << ": " << p.reason
                  << (p.value.empty() ? "" : "（值: " + p.value + "）") << "\n";
    }
    if (report->problem_count > 50) std::cout << "  … 共 " << report->problem_count << " 条问题\n";
    std::cout << (report->options.dry_run ? "试运行" : report->applied ? "已导入" : "未导入") << ": 共 "
              << report->total_rows << " 行，新增 " << report->created << "，更新 " << report->updated << "，未变 "
              << report->unchanged << "，拒绝 " << report->rejected_rows << "，待核查 " << report->flagged_rows
              << "（导入记录 #" << report->import_id << "）\n";
    return report->rejected_rows > 0 && (import.strict || !report->applied) ? 3 : 0;
}

}  // namespace chanrong::app

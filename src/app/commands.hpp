#pragma once
// The CLI subcommands. Each returns the process exit code.

#include <optional>
#include <string>

namespace chanrong::app {

struct CommonOptions {
    std::string config_path;
    std::optional<int> port;
};

struct InitAdminOptions {
    std::string username;
    std::string display_name = "系统管理员";
    std::string password;
};

struct ImportCliOptions {
    std::string kind;
    std::string file;
    bool dry_run = false;
    bool strict = false;
    std::optional<long long> directory_id;
};

int RunServe(const CommonOptions& options);
int RunMigrate(const CommonOptions& options);
int RunInitAdmin(const CommonOptions& options, InitAdminOptions admin);
int RunSeedDemo(const CommonOptions& options);
int RunVerifyAudit(const CommonOptions& options);
int RunImport(const CommonOptions& options, const ImportCliOptions& import);
int RunCreditMonitor(const CommonOptions& options, const std::string& from, const std::string& to);
int RunCreditRescore(const CommonOptions& options);
int RunMatchingTrain(const CommonOptions& options, const std::string& out_dir);

struct ReportCliOptions {
    std::string kind;  ///< annual | monthly
    int year = 0;
    std::string month;
    std::string out_dir = ".";
};
int RunReport(const CommonOptions& options, const ReportCliOptions& report);

}  // namespace chanrong::app

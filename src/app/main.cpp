// chanrong: the server and its administration commands.

#include <CLI/CLI.hpp>

#include <iostream>


#include "app/commands.hpp"

int main(int argc, char** argv) {
    CLI::App app{"产融合作平台 Chanrong — industry–finance cooperation platform"};
    app.require_subcommand(1);
    chanrong::app::CommonOptions common;
    app.add_option("-c,--config", common.config_path, "TOML configuration file (also CHANRONG_CONFIG)")
        ->envname("CHANRONG_CONFIG");

    auto* serve = app.add_subcommand("serve", "Run the HTTP server (migrates first)");
    serve->add_option("-p,--port", common.port, "Port to listen on (overrides server.port)");
    serve->callback([&] { std::exit(chanrong::app::RunServe(common)); });

    app.add_subcommand("migrate", "Apply database migrations and built-in roles")->callback([&] {
        std::exit(chanrong::app::RunMigrate(common));
    });

    chanrong::app::InitAdminOptions admin;
    auto* init_admin = app.add_subcommand("init-admin", "Create the first administrator (no default password exists)");
    init_admin->add_option("-u,--username", admin.username, "Login name")->required();
    init_admin->add_option("-n,--name", admin.display_name, "Display name");
    init_admin->add_option("--password", admin.password,
                           "Password (else read from CHANRONG_ADMIN_PASSWORD or asked on the terminal)");
    init_admin->callback([&] { std::exit(chanrong::app::RunInitAdmin(common, admin)); });

    app.add_subcommand("seed-demo", "Load the demo city (Xiamen) and print one login per role")->callback([&] {
        std::exit(chanrong::app::RunSeedDemo(common));
    });
    app.add_subcommand("verify-audit", "Recompute the audit hash chain and name the first broken row")->callback([&] {
        std::exit(chanrong::app::RunVerifyAudit(common));
    });
    chanrong::app::ImportCliOptions import;
    auto* import_cmd = app.add_subcommand("import", "Import enterprises, figures, tags or directory members (CSV/XLSX)");
    import_cmd->add_option("kind", import.kind, "enterprises | figures | tags | directory")->required();
    import_cmd->add_option("file", import.file, "CSV or XLSX file with the template's Chinese headers")->required();
    import_cmd->add_flag("--dry-run", import.dry_run, "Validate and report only; write nothing");
    import_cmd->add_flag("--strict", import.strict, "Apply nothing if any row has an error");
    import_cmd->add_option("--directory", import.directory_id, "Directory id (for kind directory)");
    import_cmd->callback([&] { std::exit(chanrong::app::RunImport(common, import)); });

    auto* credit = app.add_subcommand("credit", "Credit scores: monitoring report and rescoring");
    credit->require_subcommand(1);
    std::string monitor_from, monitor_to;
    auto* monitor = credit->add_subcommand("monitor", "Score distribution and PSI by month, KS/AUC against loan outcomes");
    monitor->add_option("--from", monitor_from, "First month, YYYY-MM")->required();
    monitor->add_option("--to", monitor_to, "Last month, YYYY-MM")->required();
    monitor->callback([&] { std::exit(chanrong::app::RunCreditMonitor(common, monitor_from, monitor_to)); });
    credit->add_subcommand("rescore", "Score every enterprise with the active scorecard")->callback([&] {
        std::exit(chanrong::app::RunCreditRescore(common));
    });

    auto* matching = app.add_subcommand("matching", "The matching engine's models");
    matching->require_subcommand(1);
    std::string train_out;
    auto* train = matching->add_subcommand("train", "Train a new model version from recorded decisions (stored inactive)");
    train->add_option("--out", train_out, "Also write matching-model-v<N>.json and its report here");
    train->callback([&] { std::exit(chanrong::app::RunMatchingTrain(common, train_out)); });

    chanrong::app::ReportCliOptions report;
    auto* report_cmd = app.add_subcommand("report", "Pilot reports as XLSX and printable HTML");
    report_cmd->require_subcommand(1);
    auto* annual = report_cmd->add_subcommand("annual", "The annual pilot report: every target, value, status, units");
    annual->add_option("--year", report.year, "Year, e.g. 2025")->required();
    annual->add_option("--out", report.out_dir, "Output directory (default: current)");
    annual->callback([&] {
        report.kind = "annual";
        std::exit(chanrong::app::RunReport(common, report));
    });
    auto* monthly = report_cmd->add_subcommand("monthly", "The monthly key-industry tracking table");
    monthly->add_option("--month", report.month, "Month, YYYY-MM")->required();
    monthly->add_option("--out", report.out_dir, "Output directory (default: current)");
    monthly->callback([&] {
        report.kind = "monthly";
        std::exit(chanrong::app::RunReport(common, report));
    });

    app.add_subcommand("version", "Print the version")->callback([] {
        std::cout << "chanrong " << CHANRONG_VERSION << "\n";
        std::exit(0);
    });

    CLI11_PARSE(app, argc, argv);
    return 0;
}

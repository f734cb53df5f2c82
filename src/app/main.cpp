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
    app.add_subcommand("version", "Print the version")->callback([] {
        std::cout << "chanrong " << CHANRONG_VERSION << "\n";
        std::exit(0);
    });

    CLI11_PARSE(app, argc, argv);
    return 0;
}

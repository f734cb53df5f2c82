// `chanrong report annual --year 2025` and `chanrong report monthly --month 2025-11`: the pilot's reports as
// XLSX and printable HTML files, from the command line.

#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/commands.hpp"
#include "common/logging.hpp"
#include "http/application.hpp"
#include "kpi/kpi_service.hpp"

namespace chanrong::app {
namespace {

bool WriteFile(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
    return static_cast<bool>(out);
}

int WriteReport(const Result<kpi::ReportTable>& table, const std::string& out_dir, const std::string& name) {
    if (!table) {
        std::cerr << "错误: " << table.error().message << "\n";
        for (const auto& f : table.error().fields) std::cerr << "  " << f.field << ": " << f.message << "\n";
        return 1;
    }
    TableWriter writer(TableWriter::Format::kXlsx, "报告", table->header);
    for (const auto& row : table->rows) writer.Add(row);
    auto xlsx = writer.Finish();
    if (!xlsx) return std::cerr << "错误: " << xlsx.error().message << "\n", 1;
    std::filesystem::create_directories(out_dir);
    const auto base = std::filesystem::path(out_dir) / name;
    if (!WriteFile(base.string() + ".xlsx", *xlsx) || !WriteFile(base.string() + ".html", kpi::ReportHtml(*table))) {
        std::cerr << "错误: 无法写入 " << base.string() << ".*\n";
        return 1;
    }
    std::cout << table->title << "（" << table->rows.size() << " 行）\n  " << base.string() << ".xlsx\n  " << base.string()
              << ".html\n";
    return 0;
}

}  // namespace

int RunReport(const CommonOptions& options, const ReportCliOptions& report) {
    auto config = LoadConfig(options.config_path, ProcessEnvironment());
    if (!config) return std::cerr << config.error().message << "\n", 2;
    SetupLogging(config->log);
    SystemClock clock(config->clock.offset_days * 86'400'000LL);
    auto db = http::OpenAndMigrate(*config, clock);
    if (!db) return std::cerr << "错误: " << db.error().message << "\n", 1;
    audit::CommandPipeline pipeline(**db, clock);
    kpi::KpiService service(**db, clock, pipeline);
    if (report.kind == "annual")
        return WriteReport(service.AnnualReport(report.year), report.out_dir, "pilot-report-" + std::to_string(report.year));
    return WriteReport(service.MonthlyTracking(report.month), report.out_dir, "key-industry-tracking-" + report.month);
}

}  // namespace chanrong::app

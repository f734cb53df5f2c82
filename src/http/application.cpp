#include "http/application.hpp"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <mutex>
#include <unistd.h>

#include "registry/reference.hpp"
#include "storage/migrations.hpp"

namespace chanrong::http {
namespace {

// This instance as the runner of its import jobs: host name and port, the same after a restart.
std::string RunnerName(const ServerConfig& server) {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    return std::string(host) + ":" + std::to_string(server.port);
}

}  // namespace

Result<std::unique_ptr<storage::Database>> OpenAndMigrate(const Config& config, const Clock& clock,
                                                          const std::function<void(const std::string&)>& progress) {
    auto db = storage::Database::Open(config.database);
    if (!db) return Fail(db.error());
    auto applied = storage::Migrate(**db, clock, progress);
    if (!applied) return Fail(applied.error());
    audit::CommandPipeline pipeline(**db, clock);
    auto roles = auth::EnsureBuiltInRoles({**db, clock, config.auth, pipeline});
    if (!roles) return Fail(roles.error());
    if (*roles > 0 && progress) progress("built-in roles: " + std::to_string(*roles));
    if (auto refs = registry::LoadReferenceData(**db, clock.NowMs()); !refs) return Fail(refs.error());
    const TimestampMs now = clock.NowMs();
    auto shipped = (*db)->Write([&](soci::session& s) -> Status {
        if (auto credit = credit::SyncShippedCreditData(s, now); !credit) return credit;
        if (auto targets = kpi::SyncShippedTargets(s, now); !targets) return targets;
        return matching::SyncShippedMatchingModel(s, now);
    });
    if (!shipped) return Fail(shipped.error());
    return std::move(*db);
}

Result<std::unique_ptr<Application>> Application::Create(const Config& config, std::unique_ptr<Clock> clock) {
    std::unique_ptr<Application> app(new Application());
    app->config_ = config;
    app->clock_ = std::move(clock);
    auto db = OpenAndMigrate(app->config_, *app->clock_);
    if (!db) return Fail(db.error());
    app->db_ = std::move(*db);
    app->pipeline_ = std::make_unique<audit::CommandPipeline>(*app->db_, *app->clock_);
    const auth::AuthContext ctx{*app->db_, *app->clock_, app->config_.auth, *app->pipeline_};
    app->sessions_ = std::make_unique<auth::SessionService>(ctx);
    app->users_ = std::make_unique<auth::UserService>(ctx, app->sessions_->cache());
    app->roles_ = std::make_unique<auth::RoleService>(ctx, app->sessions_->cache());
    app->departments_ = std::make_unique<auth::DepartmentService>(ctx);
    app->api_keys_ = std::make_unique<auth::ApiKeyService>(ctx, app->sessions_->cache());
    auto cipher = FieldCipher::FromKeyFile(app->config_.security.data_key_file);
    if (!cipher) return Fail(cipher.error());
    app->cipher_ = std::make_unique<FieldCipher>(std::move(*cipher));
    app->institutions_ = std::make_unique<registry::InstitutionService>(*app->db_, *app->clock_, *app->pipeline_);
    app->enterprises_ =
        std::make_unique<registry::EnterpriseService>(*app->db_, *app->clock_, *app->pipeline_, *app->cipher_);
    app->directories_ = std::make_unique<registry::DirectoryService>(*app->db_, *app->clock_, *app->pipeline_);
    app->imports_ =
        std::make_unique<registry::ImportService>(*app->db_, *app->clock_, *app->pipeline_, *app->cipher_);
    app->import_jobs_ = std::make_unique<registry::ImportJobs>(*app->db_, *app->clock_, *app->pipeline_,
                                                               *app->imports_, app->config_.import,
                                                               RunnerName(app->config_.server));
    if (auto started = app->import_jobs_->Start(); !started) return Fail(started.error());
    app->products_ = std::make_unique<finance::ProductService>(*app->db_, *app->clock_, *app->pipeline_, app->config_.finance);
    app->demands_ = std::make_unique<finance::DemandService>(*app->db_, *app->clock_, *app->pipeline_);
    app->applications_ =
        std::make_unique<finance::ApplicationService>(*app->db_, *app->clock_, *app->pipeline_, app->config_.finance);
    app->loans_ = std::make_unique<finance::LoanService>(*app->db_, *app->clock_, *app->pipeline_);
    app->campaigns_ = std::make_unique<finance::CampaignService>(*app->db_, *app->clock_, *app->pipeline_);
    app->scorecards_ = std::make_unique<credit::ScorecardModels>();
    app->credit_ = std::make_unique<credit::CreditService>(*app->db_, *app->clock_, *app->pipeline_, *app->scorecards_);
    app->credit_loader_ =
        std::make_unique<credit::CreditLoader>(*app->db_, *app->clock_, *app->pipeline_, *app->scorecards_);
    app->whitelist_ = std::make_unique<credit::WhitelistService>(*app->db_, *app->clock_, *app->pipeline_);
    app->kpi_ = std::make_unique<kpi::KpiService>(*app->db_, *app->clock_, *app->pipeline_);
    app->matching_ = std::make_unique<matching::MatchingService>(*app->db_, *app->clock_, *app->pipeline_);
    app->metrics_ = std::make_unique<Metrics>();
    app->static_files_ = std::make_unique<StaticFiles>(app->config_.server.web_root);
    app->services_.reset(new Services{app->config_, *app->db_, *app->clock_, *app->pipeline_, *app->sessions_,
                                      *app->users_, *app->roles_, *app->departments_, *app->api_keys_,
                                      *app->institutions_, *app->enterprises_, *app->directories_, *app->imports_,
                                      *app->import_jobs_,
                                      *app->products_, *app->demands_, *app->applications_, *app->loans_,
                                      *app->campaigns_, *app->credit_, *app->credit_loader_, *app->whitelist_, *app->kpi_, *app->matching_,
                                      *app->cipher_, *app->metrics_});
    RouterOptions options{.max_body_bytes = app->config_.server.max_body_bytes,
                          .max_upload_bytes = app->config_.server.max_import_bytes,
                          .trust_proxy = app->config_.server.trust_proxy,
                          .access_log = app->config_.log.access_log};
    app->router_ = std::make_unique<Router>(options, *app->sessions_, *app->metrics_, app->static_files_.get());
    RegisterOpsRoutes(*app->router_, *app->services_);
    RegisterCreditRoutes(*app->router_, *app->services_);
    RegisterKpiRoutes(*app->router_, *app->services_);
    RegisterMatchingRoutes(*app->router_, *app->services_);
    RegisterAuthRoutes(*app->router_, *app->services_);
    RegisterSystemRoutes(*app->router_, *app->services_);
    RegisterAuditRoutes(*app->router_, *app->services_);
    RegisterRegistryRoutes(*app->router_, *app->services_);
    RegisterReferenceRoutes(*app->router_, *app->services_);
    RegisterEnterpriseRoutes(*app->router_, *app->services_);
    RegisterDirectoryRoutes(*app->router_, *app->services_);
    RegisterImportRoutes(*app->router_, *app->services_);
    RegisterFinanceRoutes(*app->router_, *app->services_);
    return app;
}

void Application::StartScheduledJobs() {
    if (!db_->is_sqlite()) matching_->StartListening(config_.database.url);
    scheduler_ = std::jthread([this](std::stop_token stop) {
        if (auto built = matching_->CatchUp(); !built)
            spdlog::warn("matching index not built: {}", built.error().message);
        std::mutex mutex;
        std::condition_variable_any wake;
        while (!stop.stop_requested()) {
            auto taken = kpi_->TakeDueSnapshot();
            if (!taken) spdlog::warn("scheduled KPI snapshot failed: {}", taken.error().message);
            else if (*taken) spdlog::info("scheduled KPI snapshot taken for last month");
            if (auto rescored = credit_->RescoreChangedFigures(); !rescored)
                spdlog::warn("rescoring after changed yearly figures failed: {}", rescored.error().message);
            std::unique_lock lock(mutex);
            wake.wait_for(lock, stop, std::chrono::minutes(5), [] { return false; });
        }
    });
}

}  // namespace chanrong::http

#pragma once
// Wires storage, services and routes together for a running server (or an in-process test).

#include <memory>
#include <thread>

#include "audit/command_pipeline.hpp"
#include "auth/api_key_service.hpp"
#include "auth/role_service.hpp"
#include "auth/session_service.hpp"
#include "auth/user_service.hpp"
#include "common/clock.hpp"
#include "common/config.hpp"
#include "finance/application_service.hpp"
#include "finance/campaign_service.hpp"
#include "finance/demand_service.hpp"
#include "finance/loan_service.hpp"
#include "finance/product_service.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"
#include "common/field_cipher.hpp"
#include "credit/credit_load.hpp"
#include "credit/credit_service.hpp"
#include "credit/whitelist_service.hpp"
#include "kpi/kpi_service.hpp"
#include "matching/matching_service.hpp"
#include "registry/directory_service.hpp"
#include "registry/enterprise_service.hpp"
#include "registry/import_jobs.hpp"
#include "registry/import_service.hpp"
#include "registry/institution_service.hpp"
#include "storage/database.hpp"

namespace chanrong::http {

/// Every service of the platform, for the endpoint files.
struct Services {
    const Config& config;
    storage::Database& db;
    const Clock& clock;
    audit::CommandPipeline& pipeline;
    auth::SessionService& sessions;
    auth::UserService& users;
    auth::RoleService& roles;
    auth::DepartmentService& departments;
    auth::ApiKeyService& api_keys;
    registry::InstitutionService& institutions;
    registry::EnterpriseService& enterprises;
    registry::DirectoryService& directories;
    registry::ImportService& imports;
    registry::ImportJobs& import_jobs;
    finance::ProductService& products;
    finance::DemandService& demands;
    finance::ApplicationService& applications;
    finance::LoanService& loans;
    finance::CampaignService& campaigns;
    credit::CreditService& credit;
    credit::CreditLoader& credit_loader;
    credit::WhitelistService& whitelist;
    kpi::KpiService& kpi;
    matching::MatchingService& matching;
    const FieldCipher& cipher;
    Metrics& metrics;
};

class Application {
public:
    /// Opens the database, applies migrations and built-in roles, and builds the router.
    static Result<std::unique_ptr<Application>> Create(const Config& config, std::unique_ptr<Clock> clock);

    const Router& router() const { return *router_; }
    storage::Database& db() { return *db_; }
    Services& services() { return *services_; }

    /// Starts the background jobs of a serving instance: building the matching index, last month's KPI snapshot when
    /// it is missing (checked hourly) and, on PostgreSQL, the matching index's change listener; they stop when the
    /// application is destroyed.
    void StartScheduledJobs();

private:
    Application() = default;

    Config config_;
    std::unique_ptr<Clock> clock_;
    std::unique_ptr<storage::Database> db_;
    std::unique_ptr<audit::CommandPipeline> pipeline_;
    std::unique_ptr<auth::SessionService> sessions_;
    std::unique_ptr<auth::UserService> users_;
    std::unique_ptr<auth::RoleService> roles_;
    std::unique_ptr<auth::DepartmentService> departments_;
    std::unique_ptr<auth::ApiKeyService> api_keys_;
    std::unique_ptr<FieldCipher> cipher_;
    std::unique_ptr<registry::InstitutionService> institutions_;
    std::unique_ptr<registry::EnterpriseService> enterprises_;
    std::unique_ptr<registry::DirectoryService> directories_;
    std::unique_ptr<registry::ImportService> imports_;
    std::unique_ptr<registry::ImportJobs> import_jobs_;  // after the services it uses: stopped before them
    std::unique_ptr<finance::ProductService> products_;
    std::unique_ptr<finance::DemandService> demands_;
    std::unique_ptr<finance::ApplicationService> applications_;
    std::unique_ptr<finance::LoanService> loans_;
    std::unique_ptr<finance::CampaignService> campaigns_;
    std::unique_ptr<credit::ScorecardModels> scorecards_;
    std::unique_ptr<credit::CreditService> credit_;
    std::unique_ptr<credit::CreditLoader> credit_loader_;
    std::unique_ptr<credit::WhitelistService> whitelist_;
    std::unique_ptr<kpi::KpiService> kpi_;
    std::unique_ptr<matching::MatchingService> matching_;
    std::unique_ptr<Metrics> metrics_;
    std::unique_ptr<StaticFiles> static_files_;
    std::unique_ptr<Services> services_;
    std::unique_ptr<Router> router_;
    std::jthread scheduler_;  // last: stopped and joined before anything it uses is destroyed
};

/// Opens the database and applies migrations and built-in roles (CLI `migrate` and server start-up).
Result<std::unique_ptr<storage::Database>> OpenAndMigrate(const Config& config, const Clock& clock,
                                                          const std::function<void(const std::string&)>& progress = {});

// Endpoint groups, one file each under http/api/.
void RegisterAuthRoutes(Router& router, Services& services);
void RegisterSystemRoutes(Router& router, Services& services);
void RegisterAuditRoutes(Router& router, Services& services);
void RegisterRegistryRoutes(Router& router, Services& services);
void RegisterReferenceRoutes(Router& router, Services& services);
void RegisterEnterpriseRoutes(Router& router, Services& services);
void RegisterDirectoryRoutes(Router& router, Services& services);
void RegisterImportRoutes(Router& router, Services& services);
void RegisterFinanceRoutes(Router& router, Services& services);
void RegisterOpsRoutes(Router& router, Services& services);
void RegisterCreditRoutes(Router& router, Services& services);
void RegisterKpiRoutes(Router& router, Services& services);
void RegisterMatchingRoutes(Router& router, Services& services);

}  // namespace chanrong::http

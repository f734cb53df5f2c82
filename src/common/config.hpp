#pragma once
// Configuration: defaults, then a TOML file, then CHANRONG_* environment variables. Unknown keys are errors.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace chanrong {

struct ServerConfig {
    std::string host = "0.0.0.0";
    std::int64_t port = 8080;
    std::int64_t threads = 0;  ///< 0: one per core
    std::int64_t max_body_bytes = 1 << 20;
    std::int64_t max_import_bytes = 64 << 20;  ///< body limit of file uploads (imports)
    std::int64_t read_timeout_ms = 15000;
    std::int64_t write_timeout_ms = 15000;
    std::int64_t handle_timeout_ms = 30000;
    std::string web_root = "web/dist";
    bool trust_proxy = false;  ///< take the client address from X-Forwarded-For
};

struct DatabaseConfig {
    std::string url = "sqlite:var/chanrong.db";  ///< or postgresql://user:pass@host:port/db
    std::int64_t pool_size = 8;
    std::int64_t busy_timeout_ms = 5000;
};

struct AuthConfig {
    std::int64_t session_ttl_minutes = 480;
    std::int64_t lockout_threshold = 5;
    std::int64_t lockout_minutes = 10;
    std::int64_t password_min_length = 10;
    bool cookie_secure = false;  ///< set true behind HTTPS
};

struct LogConfig {
    std::string level = "info";
    bool access_log = true;
    std::string file;  ///< empty: standard output
};

struct ClockConfig {
    std::int64_t offset_days = 0;  ///< shifts the business date; for demos and tests
};

struct FinanceConfig {
    bool require_product_review = false;  ///< products go to an officer before publication
    std::int64_t accept_days = 1;         ///< service promise: accept within N working days of submission
    std::int64_t contact_days = 3;        ///< … contact within N working days of submission
    std::int64_t decide_days = 5;         ///< … decide within N working days after documents are complete
    std::int64_t consent_max_days = 180;  ///< longest credit-profile consent an enterprise may give
};

struct ImportConfig {
    std::string spool_dir = "var/imports";  ///< uploaded files wait here for the import worker
    std::int64_t workers = 1;               ///< imports run at the same time (1–4); others wait in the queue
};

struct SecurityConfig {
    std::string data_key_file = "var/data.key";  ///< 32-byte key for encrypted fields; shared by all instances
};

struct Config {
    ServerConfig server;
    DatabaseConfig database;
    AuthConfig auth;
    LogConfig log;
    ClockConfig clock;
    SecurityConfig security;
    FinanceConfig finance;
    ImportConfig import;
};

/// One documented configuration key, e.g. "server.port".
struct ConfigKeyInfo {
    std::string name;
    std::string type;  ///< "string", "integer" or "boolean"
    std::string default_value;
};

/// Every key with its type and default, in file order; the example file is checked against it.
std::vector<ConfigKeyInfo> ListConfigKeys();

/// Builds the configuration. `toml_path` may be empty (defaults only). `environment` holds the process
/// environment; every CHANRONG_<SECTION>_<KEY> variable overrides the key, and an unknown CHANRONG_ variable
/// (other than CHANRONG_CONFIG) is an error, as is an unknown key or a wrong type in the file.
Result<Config> LoadConfig(const std::string& toml_path, const std::map<std::string, std::string>& environment);

/// The process environment as a map.
std::map<std::string, std::string> ProcessEnvironment();

}  // namespace chanrong

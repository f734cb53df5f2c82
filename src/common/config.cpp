#include "common/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <variant>

extern char** environ;

namespace chanrong {
namespace {

using ValueRef = std::variant<std::string*, std::int64_t*, bool*>;

struct KeyDef {
    const char* name;
    std::function<ValueRef(Config&)> ref;
};

const std::vector<KeyDef>& KeyDefs() {
    static const std::vector<KeyDef> defs = {
        {"server.host", [](Config& c) -> ValueRef { return &c.server.host; }},
        {"server.port", [](Config& c) -> ValueRef { return &c.server.port; }},
        {"server.threads", [](Config& c) -> ValueRef { return &c.server.threads; }},
        {"server.max_body_bytes", [](Config& c) -> ValueRef { return &c.server.max_body_bytes; }},
        {"server.max_import_bytes", [](Config& c) -> ValueRef { return &c.server.max_import_bytes; }},
        {"server.read_timeout_ms", [](Config& c) -> ValueRef { return &c.server.read_timeout_ms; }},
        {"server.write_timeout_ms", [](Config& c) -> ValueRef { return &c.server.write_timeout_ms; }},
        {"server.handle_timeout_ms", [](Config& c) -> ValueRef { return &c.server.handle_timeout_ms; }},
        {"server.web_root", [](Config& c) -> ValueRef { return &c.server.web_root; }},
        {"server.trust_proxy", [](Config& c) -> ValueRef { return &c.server.trust_proxy; }},
        {"database.url", [](Config& c) -> ValueRef { return &c.database.url; }},
        {"database.pool_size", [](Config& c) -> ValueRef { return &c.database.pool_size; }},
        {"database.busy_timeout_ms", [](Config& c) -> ValueRef { return &c.database.busy_timeout_ms; }},
        {"auth.session_ttl_minutes", [](Config& c) -> ValueRef { return &c.auth.session_ttl_minutes; }},
        {"auth.lockout_threshold", [](Config& c) -> ValueRef { return &c.auth.lockout_threshold; }},
        {"auth.lockout_minutes", [](Config& c) -> ValueRef { return &c.auth.lockout_minutes; }},
        {"auth.password_min_length", [](Config& c) -> ValueRef { return &c.auth.password_min_length; }},
        {"auth.cookie_secure", [](Config& c) -> ValueRef { return &c.auth.cookie_secure; }},
        {"log.level", [](Config& c) -> ValueRef { return &c.log.level; }},
        {"log.access_log", [](Config& c) -> ValueRef { return &c.log.access_log; }},
        {"log.file", [](Config& c) -> ValueRef { return &c.log.file; }},
        {"clock.offset_days", [](Config& c) -> ValueRef { return &c.clock.offset_days; }},
        {"finance.require_product_review", [](Config& c) -> ValueRef { return &c.finance.require_product_review; }},
        {"finance.accept_days", [](Config& c) -> ValueRef { return &c.finance.accept_days; }},
        {"finance.contact_days", [](Config& c) -> ValueRef { return &c.finance.contact_days; }},
        {"finance.decide_days", [](Config& c) -> ValueRef { return &c.finance.decide_days; }},
        {"finance.consent_max_days", [](Config& c) -> ValueRef { return &c.finance.consent_max_days; }},
        {"security.data_key_file", [](Config& c) -> ValueRef { return &c.security.data_key_file; }},
        {"import.spool_dir", [](Config& c) -> ValueRef { return &c.import.spool_dir; }},
        {"import.workers", [](Config& c) -> ValueRef { return &c.import.workers; }},
    };
    return defs;
}

const KeyDef* FindKey(std::string_view name) {
    for (const auto& def : KeyDefs())
        if (name == def.name) return &def;
    return nullptr;
}

std::string EnvName(std::string_view key) {
    std::string env = "CHANRONG_";
    for (char c : key) env += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return env;
}

Error ConfigError(std::string message) { return Error::InvalidArgument("配置错误: " + std::move(message)); }

Status SetFromToml(Config& config, const std::string& key, const toml::node& node) {
    const KeyDef* def = FindKey(key);
    if (!def) return Fail(ConfigError("未知配置项 '" + key + "'"));
    return std::visit(
        [&](auto* target) -> Status {
            using T = std::remove_pointer_t<decltype(target)>;
            bool type_ok = false;
            if constexpr (std::is_same_v<T, std::string>) type_ok = node.is_string();
            else if constexpr (std::is_same_v<T, bool>) type_ok = node.is_boolean();
            else type_ok = node.is_integer();
            if (!type_ok) return Fail(ConfigError("配置项 '" + key + "' 类型错误"));
            *target = *node.value<T>();
            return {};
        },
        def->ref(config));
}

Status SetFromString(Config& config, const KeyDef& def, const std::string& text) {
    const std::string env = EnvName(def.name);
    return std::visit(
        [&](auto* target) -> Status {
            using T = std::remove_pointer_t<decltype(target)>;
            if constexpr (std::is_same_v<T, std::string>) {
                *target = text;
            } else if constexpr (std::is_same_v<T, bool>) {
                if (text != "true" && text != "false")
                    return Fail(ConfigError("环境变量 " + env + " 应为 true 或 false"));
                *target = text == "true";
            } else {
                std::int64_t v = 0;
                auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
                if (ec != std::errc() || end != text.data() + text.size())
                    return Fail(ConfigError("环境变量 " + env + " 应为整数"));
                *target = v;
            }
            return {};
        },
        def.ref(config));
}

Status ApplyTomlFile(Config& config, const std::string& path) {
    toml::table root;
    try {
        root = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        return Fail(ConfigError("无法读取配置文件 " + path + ": " + std::string(e.description())));
    }
    for (const auto& [section, node] : root) {
        const auto* table = node.as_table();
        if (!table) return Fail(ConfigError("未知配置项 '" + std::string(section.str()) + "'"));
        for (const auto& [key, value] : *table) {
            auto status = SetFromToml(config, std::string(section.str()) + "." + std::string(key.str()), value);
            if (!status) return status;
        }
    }
    return {};
}

Status ApplyEnvironment(Config& config, const std::map<std::string, std::string>& environment) {
    for (const auto& [name, value] : environment) {
        // Not configuration keys: the config file path and init-admin's password.
        if (!name.starts_with("CHANRONG_") || name == "CHANRONG_CONFIG" || name == "CHANRONG_ADMIN_PASSWORD") continue;
        const auto& defs = KeyDefs();
        auto it = std::find_if(defs.begin(), defs.end(), [&](const KeyDef& d) { return EnvName(d.name) == name; });
        if (it == defs.end()) return Fail(ConfigError("未知环境变量 " + name));
        auto status = SetFromString(config, *it, value);
        if (!status) return status;
    }
    return {};
}

Status Validate(const Config& c) {
    auto range = [](std::int64_t v, std::int64_t lo, std::int64_t hi, const char* key) -> Status {
        if (v < lo || v > hi)
            return Fail(ConfigError(std::string(key) + " 超出范围 [" + std::to_string(lo) + ", " +
                                    std::to_string(hi) + "]"));
        return {};
    };
    for (auto s : {range(c.server.port, 1, 65535, "server.port"), range(c.server.threads, 0, 256, "server.threads"),
                   range(c.server.max_body_bytes, 1024, 1ll << 30, "server.max_body_bytes"),
                   range(c.server.max_import_bytes, 1024, 1ll << 32, "server.max_import_bytes"),
                   range(c.database.pool_size, 1, 256, "database.pool_size"),
                   range(c.auth.lockout_threshold, 1, 100, "auth.lockout_threshold"),
                   range(c.auth.session_ttl_minutes, 1, 60 * 24 * 30, "auth.session_ttl_minutes"),
                   range(c.auth.password_min_length, 8, 128, "auth.password_min_length"),
                   range(c.finance.accept_days, 0, 60, "finance.accept_days"),
                   range(c.finance.contact_days, 0, 60, "finance.contact_days"),
                   range(c.finance.decide_days, 0, 60, "finance.decide_days"),
                   range(c.finance.consent_max_days, 1, 3650, "finance.consent_max_days"),
                   range(c.import.workers, 1, 4, "import.workers")})
        if (!s) return s;
    static const std::vector<std::string> levels = {"trace", "debug", "info", "warn", "error", "off"};
    if (std::find(levels.begin(), levels.end(), c.log.level) == levels.end())
        return Fail(ConfigError("log.level 应为 trace/debug/info/warn/error/off 之一"));
    const auto& url = c.database.url;
    if (!url.starts_with("sqlite:") && !url.starts_with("postgresql://") && !url.starts_with("postgres://"))
        return Fail(ConfigError("database.url 应以 sqlite: 或 postgresql:// 开头"));
    return {};
}

std::string ValueToString(const ValueRef& ref) {
    return std::visit(
        [](auto* v) -> std::string {
            using T = std::remove_pointer_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string>) return "\"" + *v + "\"";
            else if constexpr (std::is_same_v<T, bool>) return *v ? "true" : "false";
            else return std::to_string(*v);
        },
        ref);
}

}  // namespace

std::vector<ConfigKeyInfo> ListConfigKeys() {
    Config defaults;
    std::vector<ConfigKeyInfo> out;
    for (const auto& def : KeyDefs()) {
        const ValueRef ref = def.ref(defaults);
        const char* type = std::holds_alternative<std::string*>(ref) ? "string"
                           : std::holds_alternative<bool*>(ref)      ? "boolean"
                                                                     : "integer";
        out.push_back({def.name, type, ValueToString(ref)});
    }
    return out;
}

Result<Config> LoadConfig(const std::string& toml_path, const std::map<std::string, std::string>& environment) {
    Config config;
    if (!toml_path.empty())
        if (auto s = ApplyTomlFile(config, toml_path); !s) return Fail(s.error());
    if (auto s = ApplyEnvironment(config, environment); !s) return Fail(s.error());
    if (auto s = Validate(config); !s) return Fail(s.error());
    return config;
}

std::map<std::string, std::string> ProcessEnvironment() {
    std::map<std::string, std::string> env;
    for (char** e = environ; e && *e; ++e) {
        std::string_view kv(*e);
        const size_t eq = kv.find('=');
        if (eq != std::string_view::npos) env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
    }
    return env;
}

}  // namespace chanrong

#pragma once
// What every auth service needs: storage, time, configuration and the write pipeline.

#include "audit/command_pipeline.hpp"
#include "common/clock.hpp"
#include "common/config.hpp"
#include "storage/database.hpp"

namespace chanrong::auth {

struct AuthContext {
    storage::Database& db;
    const Clock& clock;
    const AuthConfig& config;
    audit::CommandPipeline& pipeline;
};

}  // namespace chanrong::auth

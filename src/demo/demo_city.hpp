#pragma once
// The demo city (Xiamen): government departments, institutions, enterprises across the 4+4+6 industries with
// yearly figures, tags and directory memberships, and one login for every role, each with a password
// generated now and returned once.

#include <functional>
#include <string>
#include <vector>

#include "auth/auth_context.hpp"
#include "common/field_cipher.hpp"

namespace chanrong::demo {

struct DemoLogin {
    std::string username;
    std::string password;
    std::string role_name;
    std::string bound_to;  ///< department, institution or enterprise name
};

struct SeedReport {
    int departments = 0;
    int institutions = 0;
    int enterprises = 0;
    int directory_entries = 0;
    std::vector<DemoLogin> logins;
};

/// Seeds what is missing (every write audited as the system) and sets fresh passwords for the demo users,
/// so running it again prints logins that work. `progress` is told what it is doing.
Result<SeedReport> SeedDemoCity(auth::AuthContext ctx, const FieldCipher& cipher,
                                const std::function<void(const std::string&)>& progress);

/// One load of public credit records for the demo enterprises (scored as they load).
Status SeedCredit(auth::AuthContext ctx, const std::vector<long long>& enterprises);

/// Loans reported month by month since January 2025, matchmaking events and confirmed reported figures (run
/// after the demo users exist: a second officer confirms the figures).
Status SeedKpi(auth::AuthContext ctx, const std::vector<long long>& institutions, const std::vector<long long>& enterprises);

}  // namespace chanrong::demo

#include "auth/password_policy.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace chanrong::auth {

Status CheckPasswordPolicy(std::string_view password, std::string_view username, long long min_length,
                           std::string_view field) {
    auto fail = [&](const std::string& message) { return Fail(Error::Field(std::string(field), "weak_password", message)); };
    if (static_cast<long long>(password.size()) < min_length)
        return fail("密码至少 " + std::to_string(min_length) + " 位");
    if (password.size() > 128) return fail("密码不能超过 128 位");
    bool lower = false, upper = false, digit = false, symbol = false;
    for (unsigned char c : password) {
        if (std::islower(c)) lower = true;
        else if (std::isupper(c)) upper = true;
        else if (std::isdigit(c)) digit = true;
        else symbol = true;
    }
    if (lower + upper + digit + symbol < 3) return fail("密码须包含小写字母、大写字母、数字、符号中的至少三类");
    if (!username.empty()) {
        std::string p(password), u(username);
        std::transform(p.begin(), p.end(), p.begin(), ::tolower);
        std::transform(u.begin(), u.end(), u.begin(), ::tolower);
        if (p.find(u) != std::string::npos) return fail("密码不能包含用户名");
    }
    return {};
}

}  // namespace chanrong::auth

#pragma once
// The password policy: length, character classes, not the username.

#include <string_view>

#include "common/error.hpp"

namespace chanrong::auth {

/// Ok, or 400 naming `field` with the rule broken. Rules: at least `min_length` and at most 128 characters;
/// at least three of lower case, upper case, digits and symbols; must not contain the username.
Status CheckPasswordPolicy(std::string_view password, std::string_view username, long long min_length,
                           std::string_view field = "password");

}  // namespace chanrong::auth

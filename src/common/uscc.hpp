#pragma once
// The Unified Social Credit Code (统一社会信用代码, GB 32100-2015): 18 characters, two check characters.

#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace chanrong {

/// Why a code is not valid, or ok. Checks length, character set, the embedded organisation code's check
/// character (position 17, GB 11714) and the code's own check character (position 18).
Status ValidateUscc(std::string_view code, std::string_view field = "uscc");

/// The check character (position 18) for the first 17 characters, or nullopt if they use invalid characters.
std::optional<char> UsccCheckCharacter(std::string_view first17);

/// The organisation-code check character (position 17) for positions 9–16, or nullopt if invalid.
std::optional<char> OrganisationCheckCharacter(std::string_view eight);

/// Builds a valid code from an 8-character prefix (authority, type, division; e.g. "91350203") and an
/// 8-character organisation body; for generated demo and benchmark data.
std::optional<std::string> MakeUscc(std::string_view prefix8, std::string_view organisation_body8);

}  // namespace chanrong

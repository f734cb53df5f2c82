#pragma once
// Money as integer fen (分). Never binary floating point.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chanrong {

/// An amount in fen. 1 yuan = 100 fen.
struct Fen {
    std::int64_t value = 0;
    friend auto operator<=>(const Fen&, const Fen&) = default;
};

/// Parses "1234", "1234.5", "1234.56" or "-0.01" yuan into fen; nullopt for anything else
/// (more than two decimals, exponents, overflow, empty).
std::optional<Fen> ParseYuan(std::string_view text);

/// "1234.56"; negative amounts keep their sign.
std::string FormatYuan(Fen amount);

/// In 万元 (1 万元 = 1,000,000 fen), exact: two decimals at least, six at most ("12.50", "0.000001").
std::string FormatWan(Fen amount);

}  // namespace chanrong

#include "common/money.hpp"

#include <limits>

namespace chanrong {

std::optional<Fen> ParseYuan(std::string_view s) {
    bool negative = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    const size_t dot = s.find('.');
    const std::string_view whole = s.substr(0, dot);
    const std::string_view frac = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
    if (whole.empty() || frac.size() > 2 || (dot != std::string_view::npos && frac.empty())) return std::nullopt;
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max() / 100 - 1;
    std::int64_t yuan = 0;
    for (char c : whole) {
        if (c < '0' || c > '9' || yuan > kMax / 10) return std::nullopt;
        yuan = yuan * 10 + (c - '0');
    }
    std::int64_t fen = 0;
    for (size_t i = 0; i < 2; ++i) {
        const char c = i < frac.size() ? frac[i] : '0';
        if (c < '0' || c > '9') return std::nullopt;
        fen = fen * 10 + (c - '0');
    }
    const std::int64_t total = yuan * 100 + fen;
    return Fen{negative ? -total : total};
}

std::string FormatYuan(Fen amount) {
    const bool negative = amount.value < 0;
    const std::uint64_t abs = negative ? 0 - static_cast<std::uint64_t>(amount.value) : amount.value;
    std::string cents = std::to_string(abs % 100);
    if (cents.size() == 1) cents.insert(0, "0");
    return (negative ? "-" : "") + std::to_string(abs / 100) + "." + cents;
}

std::string FormatWan(Fen amount) {
    const bool negative = amount.value < 0;
    const std::uint64_t abs = negative ? 0 - static_cast<std::uint64_t>(amount.value) : amount.value;
    std::string fraction = std::to_string(abs % 1'000'000);
    fraction.insert(0, 6 - fraction.size(), '0');
    while (fraction.size() > 2 && fraction.back() == '0') fraction.pop_back();
    return (negative ? "-" : "") + std::to_string(abs / 1'000'000) + "." + fraction;
}

}  // namespace chanrong

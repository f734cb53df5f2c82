#pragma once
// Small helpers for building JSON answers.

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/time_format.hpp"

namespace chanrong {

inline boost::json::value OptionalInt(const std::optional<long long>& v) {
    return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

inline boost::json::value OptionalTime(const std::optional<TimestampMs>& v) {
    return v ? boost::json::value(FormatIsoUtc(*v)) : boost::json::value(nullptr);
}

/// The string at `key` in `o` ('' when absent or not a string).
inline std::string TextOf(const boost::json::object& o, std::string_view key) {
    const boost::json::value* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

/// {"items": items, "total": total, "offset": offset, "limit": limit}
inline boost::json::object PageJson(boost::json::array items, long long total, long long offset, long long limit) {
    return {{"items", std::move(items)}, {"total", total}, {"offset", offset}, {"limit", limit}};
}

}  // namespace chanrong

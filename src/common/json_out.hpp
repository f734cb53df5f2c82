#pragma once
// Small helpers for building JSON answers.

#include <boost/json/value.hpp>

#include <optional>
#include <string>

#include "common/clock.hpp"
#include "common/time_format.hpp"

namespace chanrong {

inline boost::json::value OptionalInt(const std::optional<long long>& v) {
    return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

inline boost::json::value OptionalTime(const std::optional<TimestampMs>& v) {
    return v ? boost::json::value(FormatIsoUtc(*v)) : boost::json::value(nullptr);
}

/// {"items": items, "total": total, "offset": offset, "limit": limit}
inline boost::json::object PageJson(boost::json::array items, long long total, long long offset, long long limit) {
    return {{"items", std::move(items)}, {"total", total}, {"offset", offset}, {"limit", limit}};
}

}  // namespace chanrong

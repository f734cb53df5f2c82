#pragma once
// Reading nullable columns. Include only from .cpp files: it pulls in SOCI.

#include <soci/soci.h>

#include <optional>

namespace chanrong::storage {

/// A nullable BIGINT bound with its indicator: `NullableInt x; s << "…", soci::into(x.value, x.ind);`
struct NullableInt {
    long long value = 0;
    soci::indicator ind = soci::i_null;
    std::optional<long long> get() const { return ind == soci::i_ok ? std::optional(value) : std::nullopt; }
};

/// Binds an optional value for use(): `auto p = Nullable(opt); soci::use(p.value, p.ind)`.
inline NullableInt Nullable(const std::optional<long long>& v) {
    return v ? NullableInt{*v, soci::i_ok} : NullableInt{0, soci::i_null};
}

}  // namespace chanrong::storage

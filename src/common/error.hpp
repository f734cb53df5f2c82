#pragma once
// Error and Result: how every expected failure travels through Chanrong.

#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace chanrong {

/// The small, closed set of failure kinds. Each maps to exactly one HTTP status (http/errors.cpp).
enum class ErrorCode {
    kInvalidArgument,     // 400: malformed input, wrong type, unknown field
    kUnauthenticated,     // 401
    kPermissionDenied,    // 403
    kNotFound,            // 404
    kConflict,            // 409: duplicate, stale version, illegal transition
    kPayloadTooLarge,     // 413
    kFailedPrecondition,  // 422: a business rule refuses the request
    kResourceExhausted,   // 429: rate or lock-out
    kUnavailable,         // 503: database busy or connection lost (never client input)
    kInternal,            // 500: a bug
};

/// Stable snake_case name of a code, as sent to clients ("invalid_argument").
std::string_view ErrorCodeName(ErrorCode code);

/// One problem with one input field.
struct FieldError {
    std::string field;    ///< JSON path of the field, e.g. "role_ids[2]"
    std::string code;     ///< machine code: required, wrong_type, too_long, unknown_field, invalid …
    std::string message;  ///< human message (Chinese)
};

struct Error {
    ErrorCode code = ErrorCode::kInternal;
    std::string message;
    std::vector<FieldError> fields;
    std::string reason;  ///< optional machine sub-reason, e.g. "unique_violation" from storage

    static Error InvalidArgument(std::string message, std::vector<FieldError> fields = {});
    static Error Field(std::string field, std::string code, std::string message);
    static Error NotFound(std::string message);
    static Error Conflict(std::string message);
    static Error PermissionDenied(std::string message = "无权执行此操作");
    static Error Unauthenticated(std::string message = "请先登录");
    static Error FailedPrecondition(std::string message);
    static Error ResourceExhausted(std::string message);
    static Error Unavailable(std::string message);
    static Error Internal(std::string message);
};

template <class T>
using Result = std::expected<T, Error>;

/// Result of an operation that yields nothing on success.
using Status = std::expected<void, Error>;

inline std::unexpected<Error> Fail(Error error) { return std::unexpected<Error>(std::move(error)); }

}  // namespace chanrong

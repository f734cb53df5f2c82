#pragma once
// Strict reading of a JSON request body: unknown fields, wrong types and missing fields are reported per field.

#include <boost/json/value.hpp>

#include <climits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace chanrong {

/// Reads one JSON object. Getters record a FieldError instead of failing at once, so a client learns about
/// every bad field in one answer; call Finish() last.
class JsonInput {
public:
    /// Parses `body`; fails with 400 naming "body" if it is not a JSON object, or naming each unknown field.
    static Result<JsonInput> Parse(std::string_view body, std::vector<std::string_view> allowed_fields);

    bool Has(std::string_view key) const;

    std::optional<std::string> String(std::string_view key, bool required, size_t max_length = 200,
                                      size_t min_length = 0);
    std::optional<long long> Int(std::string_view key, bool required, long long min = LLONG_MIN,
                                    long long max = LLONG_MAX);
    std::optional<bool> Bool(std::string_view key, bool required);
    std::optional<std::vector<long long>> IntArray(std::string_view key, bool required, size_t max_items = 1000);
    std::optional<std::vector<std::string>> StringArray(std::string_view key, bool required,
                                                        size_t max_items = 1000, size_t max_length = 200);
    /// A string that must be one of `allowed`.
    std::optional<std::string> Enum(std::string_view key, bool required, const std::vector<std::string_view>& allowed);

    /// Adds a finding of the caller's own (e.g. a cross-field rule).
    void AddError(std::string field, std::string code, std::string message);

    /// Ok when no getter found a problem; otherwise 400 with every field error.
    Status Finish() const;

    /// The object as parsed (e.g. for the audit payload).
    const boost::json::object& object() const { return object_; }

private:
    const boost::json::value* Get(std::string_view key, bool required);
    void WrongType(std::string_view key, const char* expected);

    boost::json::object object_;
    std::vector<FieldError> errors_;
};

/// Serialises a JSON value to a compact string.
std::string ToJson(const boost::json::value& value);

}  // namespace chanrong

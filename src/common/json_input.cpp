#include "common/json_input.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace chanrong {
namespace json = boost::json;

Result<JsonInput> JsonInput::Parse(std::string_view body, std::vector<std::string_view> allowed_fields) {
    json::error_code ec;
    json::parse_options options;
    options.max_depth = 32;
    json::value parsed = json::parse(body, ec, {}, options);
    if (ec) return Fail(Error::Field("body", "malformed_json", "请求体不是合法的 JSON: " + ec.message()));
    if (!parsed.is_object()) return Fail(Error::Field("body", "wrong_type", "请求体应为 JSON 对象"));
    JsonInput input;
    input.object_ = std::move(parsed.as_object());
    for (const auto& [key, _] : input.object_) {
        if (std::find(allowed_fields.begin(), allowed_fields.end(), std::string_view(key)) == allowed_fields.end())
            input.AddError(std::string(key), "unknown_field", "未知字段");
    }
    return input;
}

bool JsonInput::Has(std::string_view key) const { return object_.contains(key); }

const json::value* JsonInput::Get(std::string_view key, bool required) {
    const json::value* v = object_.if_contains(key);
    if (!v || v->is_null()) {
        if (required) AddError(std::string(key), "required", "必填");
        return nullptr;
    }
    return v;
}

void JsonInput::WrongType(std::string_view key, const char* expected) {
    AddError(std::string(key), "wrong_type", std::string("类型错误，应为") + expected);
}

std::optional<std::string> JsonInput::String(std::string_view key, bool required, size_t max_length,
                                             size_t min_length) {
    const json::value* v = Get(key, required);
    if (!v) return std::nullopt;
    if (!v->is_string()) return WrongType(key, "字符串"), std::nullopt;
    std::string s(v->as_string());
    const size_t chars = std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; });
    if (chars > max_length) return AddError(std::string(key), "too_long", "长度不能超过 " + std::to_string(max_length)), std::nullopt;
    if (chars < min_length) {
        AddError(std::string(key), chars == 0 ? "required" : "too_short",
                 chars == 0 ? "必填" : "长度不能少于 " + std::to_string(min_length));
        return std::nullopt;
    }
    return s;
}

std::optional<long long> JsonInput::Int(std::string_view key, bool required, long long min, long long max) {
    const json::value* v = Get(key, required);
    if (!v) return std::nullopt;
    long long n;
    if (v->is_int64()) n = v->as_int64();
    else if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(LLONG_MAX)) n = static_cast<long long>(v->as_uint64());
    else return WrongType(key, "整数"), std::nullopt;
    if (n < min || n > max) {
        AddError(std::string(key), "out_of_range", "应在 " + std::to_string(min) + " 到 " + std::to_string(max) + " 之间");
        return std::nullopt;
    }
    return n;
}

std::optional<bool> JsonInput::Bool(std::string_view key, bool required) {
    const json::value* v = Get(key, required);
    if (!v) return std::nullopt;
    if (!v->is_bool()) return WrongType(key, "布尔值"), std::nullopt;
    return v->as_bool();
}

std::optional<std::vector<long long>> JsonInput::IntArray(std::string_view key, bool required, size_t max_items) {
    const json::value* v = Get(key, required);
    if (!v) return std::nullopt;
    if (!v->is_array()) return WrongType(key, "整数数组"), std::nullopt;
    const auto& arr = v->as_array();
    if (arr.size() > max_items) return AddError(std::string(key), "too_many", "元素过多"), std::nullopt;
    std::vector<long long> out;
    for (size_t i = 0; i < arr.size(); ++i) {
        if (!arr[i].is_int64()) {
            AddError(std::string(key) + "[" + std::to_string(i) + "]", "wrong_type", "类型错误，应为整数");
            return std::nullopt;
        }
        out.push_back(arr[i].as_int64());
    }
    return out;
}

std::optional<std::vector<std::string>> JsonInput::StringArray(std::string_view key, bool required, size_t max_items,
                                                               size_t max_length) {
    const json::value* v = Get(key, required);
    if (!v) return std::nullopt;
    if (!v->is_array()) return WrongType(key, "字符串数组"), std::nullopt;
    const auto& arr = v->as_array();
    if (arr.size() > max_items) return AddError(std::string(key), "too_many", "元素过多"), std::nullopt;
    std::vector<std::string> out;
    for (size_t i = 0; i < arr.size(); ++i) {
        const std::string field = std::string(key) + "[" + std::to_string(i) + "]";
        if (!arr[i].is_string()) return AddError(field, "wrong_type", "类型错误，应为字符串"), std::nullopt;
        if (arr[i].as_string().size() > max_length) return AddError(field, "too_long", "过长"), std::nullopt;
        out.emplace_back(arr[i].as_string());
    }
    return out;
}

std::optional<std::string> JsonInput::Enum(std::string_view key, bool required,
                                           const std::vector<std::string_view>& allowed) {
    auto s = String(key, required);
    if (!s) return std::nullopt;
    if (std::find(allowed.begin(), allowed.end(), *s) == allowed.end()) {
        std::string list;
        for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        AddError(std::string(key), "invalid", "取值应为: " + list);
        return std::nullopt;
    }
    return s;
}

void JsonInput::AddError(std::string field, std::string code, std::string message) {
    errors_.push_back({std::move(field), std::move(code), std::move(message)});
}

Status JsonInput::Finish() const {
    if (errors_.empty()) return {};
    std::string summary = "请求参数有误: ";
    for (size_t i = 0; i < errors_.size(); ++i) summary += (i ? "; " : "") + errors_[i].field + " " + errors_[i].message;
    return Fail(Error::InvalidArgument(std::move(summary), errors_));
}

std::string ToJson(const json::value& value) { return json::serialize(value); }

}  // namespace chanrong

#pragma once
// Reference data files shipped inside the binary (data/*.json, data/*.csv), by file name.

#include <string_view>
#include <utility>
#include <vector>

namespace chanrong {

/// Every embedded data file as (file name, content), in name order.
extern const std::vector<std::pair<std::string_view, std::string_view>> kEmbeddedData;

/// The content of the embedded file `name` ("working-calendar.csv"), or empty when there is none.
inline std::string_view EmbeddedFile(std::string_view name) {
    for (const auto& [file, content] : kEmbeddedData)
        if (file == name) return content;
    return {};
}

}  // namespace chanrong

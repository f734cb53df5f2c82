#include "matching/catalogue.hpp"

#include <boost/json.hpp>

#include <map>

#include "common/crypto.hpp"

namespace chanrong::matching {
namespace json = boost::json;

std::string CatalogueHash(const CatalogueEntries& entries) {
    std::string text;
    text.reserve(entries.size() * 24);
    for (const auto& [id, hash] : entries) text.append(std::to_string(id)).append(":").append(hash).append("\n");
    return crypto::Sha256Hex(text).substr(0, 16);
}

CatalogueEntries CatalogueDelta(const CatalogueEntries& root, const CatalogueEntries& entries) {
    CatalogueEntries delta;
    auto r = root.begin();
    auto e = entries.begin();
    while (r != root.end() || e != entries.end()) {
        if (e == entries.end() || (r != root.end() && r->first < e->first)) {
            delta.emplace_back(r++->first, "");  // removed
        } else if (r == root.end() || e->first < r->first) {
            delta.push_back(*e++);  // added
        } else {
            if (r->second != e->second) delta.push_back(*e);
            ++r, ++e;
        }
    }
    return delta;
}

std::string CatalogueBody(const CatalogueEntries& entries) {
    json::array out;
    out.reserve(entries.size());
    for (const auto& [id, hash] : entries)
        out.push_back(json::array{id, hash.empty() ? json::value(nullptr) : json::value(hash)});
    return json::serialize(out);
}

Result<CatalogueEntries> ParseCatalogueBody(std::string_view body) {
    try {
        const json::value parsed = json::parse(body);
        CatalogueEntries entries;
        for (const auto& item : parsed.as_array()) {
            const auto& pair = item.as_array();
            entries.emplace_back(pair.at(0).as_int64(), pair.at(1).is_null() ? "" : std::string(pair.at(1).as_string()));
        }
        return entries;
    } catch (const std::exception& e) {
        return Fail(Error::InvalidArgument(std::string("产品目录格式不正确: ") + e.what()));
    }
}

CatalogueEntries ApplyCatalogueDelta(const CatalogueEntries& root, const CatalogueEntries& delta) {
    std::map<long long, std::string> merged(root.begin(), root.end());
    for (const auto& [id, hash] : delta) {
        if (hash.empty()) merged.erase(id);
        else merged[id] = hash;
    }
    return {merged.begin(), merged.end()};
}

}  // namespace chanrong::matching

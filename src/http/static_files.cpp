#include "http/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace chanrong::http {

std::string ContentTypeFor(const std::string& path) {
    static const std::map<std::string, std::string> types = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
        {".ico", "image/x-icon"}, {".woff2", "font/woff2"}, {".woff", "font/woff"}, {".ttf", "font/ttf"},
        {".map", "application/json"}, {".txt", "text/plain; charset=utf-8"}};
    const auto ext = std::filesystem::path(path).extension().string();
    auto it = types.find(ext);
    return it == types.end() ? "application/octet-stream" : it->second;
}

std::shared_ptr<const std::string> StaticFiles::Load(const std::string& relative) const {
    {
        std::lock_guard lock(mutex_);
        if (auto it = cache_.find(relative); it != cache_.end()) return it->second;
    }
    const std::filesystem::path full = std::filesystem::path(root_) / relative;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(full, ec)) return nullptr;
    std::ifstream in(full, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    auto content = std::make_shared<const std::string>(buf.str());
    std::lock_guard lock(mutex_);
    cache_[relative] = content;
    return content;
}

Response StaticFiles::Serve(const std::string& path) const {
    std::string relative = path.substr(1);
    const bool unsafe = relative.find("..") != std::string::npos || relative.find('\0') != std::string::npos;
    if (relative.empty() || relative.back() == '/') relative += "index.html";
    auto content = unsafe ? nullptr : Load(relative);
    Response r;
    if (content) {
        r.body = *content;
        r.content_type = ContentTypeFor(relative);
        r.headers.emplace_back("Cache-Control", relative.starts_with("assets/") ? "public, max-age=31536000, immutable" : "no-cache");
        return r;
    }
    // A missing file with an extension is a missing asset, not a client-side route.
    auto index = std::filesystem::path(relative).has_extension() ? nullptr : Load("index.html");
    if (!index) {
        r.status = 404;
        r.content_type = "text/plain; charset=utf-8";
        r.body = "Not found (web app root: " + root_ + "; build it with `make web`)\n";
        return r;
    }
    r.body = *index;
    r.content_type = "text/html; charset=utf-8";
    r.headers.emplace_back("Cache-Control", "no-cache");
    return r;
}

}  // namespace chanrong::http

#pragma once
// Serves the built web app from a directory; unknown paths fall back to index.html for client-side routes.

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "http/router.hpp"

namespace chanrong::http {

class StaticFiles {
public:
    explicit StaticFiles(std::string root) : root_(std::move(root)) {}
    Response Serve(const std::string& path) const;

private:
    std::shared_ptr<const std::string> Load(const std::string& relative) const;

    std::string root_;
    mutable std::mutex mutex_;
    mutable std::map<std::string, std::shared_ptr<const std::string>> cache_;
};

/// Content type by file extension.
std::string ContentTypeFor(const std::string& path);

}  // namespace chanrong::http

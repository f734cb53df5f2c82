#include "http/metrics.hpp"

#include <fmt/format.h>

#include <fstream>
#include <unistd.h>

namespace chanrong::http {
namespace {

long long ResidentBytes() {
    std::ifstream statm("/proc/self/statm");
    long long pages_total = 0, pages_resident = 0;
    statm >> pages_total >> pages_resident;
    return pages_resident * sysconf(_SC_PAGESIZE);
}

}  // namespace

void Metrics::Observe(const std::string& method, const std::string& route, int status, double seconds) {
    std::lock_guard lock(mutex_);
    Series& s = series_[{method, route, status}];
    ++s.count;
    s.sum += seconds;
    for (size_t i = 0; i < kBuckets.size(); ++i)
        if (seconds <= kBuckets[i]) ++s.buckets[i];
}

std::string Metrics::Render() const {
    std::string out;
    out += "# HELP chanrong_http_requests_total HTTP requests by method, route and status.\n";
    out += "# TYPE chanrong_http_requests_total counter\n";
    std::lock_guard lock(mutex_);
    for (const auto& [key, s] : series_) {
        const auto& [method, route, status] = key;
        out += fmt::format("chanrong_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n", method,
                           route, status, s.count);
    }
    out += "# HELP chanrong_http_request_duration_seconds Request latency by method, route and status.\n";
    out += "# TYPE chanrong_http_request_duration_seconds histogram\n";
    for (const auto& [key, s] : series_) {
        const auto& [method, route, status] = key;
        const std::string labels = fmt::format("method=\"{}\",route=\"{}\",status=\"{}\"", method, route, status);
        for (size_t i = 0; i < kBuckets.size(); ++i)
            out += fmt::format("chanrong_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels,
                               kBuckets[i], s.buckets[i]);
        out += fmt::format("chanrong_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", labels, s.count);
        out += fmt::format("chanrong_http_request_duration_seconds_sum{{{}}} {}\n", labels, s.sum);
        out += fmt::format("chanrong_http_request_duration_seconds_count{{{}}} {}\n", labels, s.count);
    }
    out += "# HELP process_resident_memory_bytes Resident memory size in bytes.\n";
    out += "# TYPE process_resident_memory_bytes gauge\n";
    out += fmt::format("process_resident_memory_bytes {}\n", ResidentBytes());
    return out;
}

}  // namespace chanrong::http

#pragma once
// Request counts and latency histograms by method, route and status, in Prometheus text format.

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace chanrong::http {

class Metrics {
public:
    static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05,   0.1,   0.25,   0.5,   1,    5};

    void Observe(const std::string& method, const std::string& route, int status, double seconds);

    /// The exposition text served at /metrics.
    std::string Render() const;

private:
    struct Series {
        long long count = 0;
        double sum = 0;
        std::array<long long, kBuckets.size()> buckets{};
    };
    mutable std::mutex mutex_;
    std::map<std::tuple<std::string, std::string, int>, Series> series_;
};

}  // namespace chanrong::http

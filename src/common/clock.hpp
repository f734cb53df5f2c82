#pragma once
// The injectable clock: all business time flows from here, so tests can set the business date.

#include <atomic>
#include <cstdint>

namespace chanrong {

/// Milliseconds since the Unix epoch, UTC.
using TimestampMs = long long;  // long long, not int64_t: the type SOCI binds

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimestampMs NowMs() const = 0;
};

/// Wall-clock time, optionally shifted by a fixed offset (config `clock.offset_days`, for demos and tests).
class SystemClock final : public Clock {
public:
    explicit SystemClock(std::int64_t offset_ms = 0) : offset_ms_(offset_ms) {}
    TimestampMs NowMs() const override;

private:
    std::int64_t offset_ms_;
};

/// A clock that moves only when told to; for unit tests.
class ManualClock final : public Clock {
public:
    explicit ManualClock(TimestampMs start) : now_(start) {}
    TimestampMs NowMs() const override { return now_.load(); }
    void Set(TimestampMs t) { now_.store(t); }
    void Advance(std::int64_t ms) { now_.fetch_add(ms); }

private:
    std::atomic<TimestampMs> now_;
};

}  // namespace chanrong

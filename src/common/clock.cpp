#include "common/clock.hpp"

#include <chrono>

namespace chanrong {

TimestampMs SystemClock::NowMs() const {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count() + offset_ms_;
}

}  // namespace chanrong

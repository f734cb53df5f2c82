#pragma once
// Batches handed from one producer thread to one consumer thread through a bounded queue, and a job run that way.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "common/error.hpp"

namespace chanrong {

/// A bounded queue of batches between one producer and one consumer. Push waits while `capacity` batches are
/// waiting, Pop while none is. Close (from either side) ends the hand-off: Push then returns false at once, and
/// Pop returns false once the batches already queued have been taken.
template <class T>
class BatchHandoff {
public:
    explicit BatchHandoff(std::size_t capacity) : capacity_(capacity) {}

    /// Queues `batch`; false when the hand-off was closed (the batch is dropped).
    bool Push(std::vector<T>&& batch) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return closed_ || queue_.size() < capacity_; });
        if (closed_) return false;
        queue_.push_back(std::move(batch));
        changed_.notify_all();
        return true;
    }

    /// Takes the oldest batch into `batch`; false when closed and empty.
    bool Pop(std::vector<T>& batch) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return closed_ || !queue_.empty(); });
        if (queue_.empty()) return false;
        batch = std::move(queue_.front());
        queue_.pop_front();
        changed_.notify_all();
        return true;
    }

    void Close() {
        std::lock_guard lock(mutex_);
        closed_ = true;
        changed_.notify_all();
    }

private:
    const std::size_t capacity_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::vector<T>> queue_;
    bool closed_ = false;
};

/// Runs `produce(handoff)` on a helper thread while this thread passes each batch it hands over to `consume(batch)`,
/// so that the two halves of a job overlap. Either side failing stops both (an exception from `consume` too, after
/// the helper has stopped); the consumer's failure is returned first, then the producer's.
template <class T, class Produce, class Consume>
Status RunPipelined(Produce produce, Consume consume, std::size_t capacity = 4) {
    BatchHandoff<T> handoff(capacity);
    Status produced;
    std::jthread producer([&] {
        try {
            produced = produce(handoff);
        } catch (const std::exception& e) {
            produced = Fail(Error::Internal(e.what()));
        }
        handoff.Close();
    });
    struct CloseFirst {  // runs before the producer is joined, so a blocked Push returns
        BatchHandoff<T>& handoff;
        ~CloseFirst() { handoff.Close(); }
    } close_first{handoff};
    Status consumed;
    std::vector<T> batch;
    while (consumed && handoff.Pop(batch)) consumed = consume(batch);
    handoff.Close();
    producer.join();
    if (!consumed) return consumed;
    return produced;
}

}  // namespace chanrong

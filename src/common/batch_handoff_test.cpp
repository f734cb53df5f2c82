#include "common/batch_handoff.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <stdexcept>

namespace chanrong {
namespace {

// Pushes batches of consecutive numbers until `batches` are sent or the consumer stops listening.
auto Numbers(int batches, int* pushed = nullptr) {
    return [=](BatchHandoff<int>& out) -> Status {
        for (int b = 0; b < batches; ++b) {
            std::vector<int> batch(10);
            std::iota(batch.begin(), batch.end(), b * 10);
            if (!out.Push(std::move(batch))) return {};
            if (pushed) ++*pushed;
        }
        return {};
    };
}

TEST(RunPipelined, HandsEveryBatchOverInOrder) {
    std::vector<int> seen;
    auto done = RunPipelined<int>(Numbers(1'000), [&](const std::vector<int>& batch) -> Status {
        seen.insert(seen.end(), batch.begin(), batch.end());
        return {};
    });
    ASSERT_TRUE(done);
    ASSERT_EQ(seen.size(), 10'000u);
    for (int i = 0; i < 10'000; ++i) ASSERT_EQ(seen[i], i);
}

TEST(RunPipelined, AConsumerThatFailsStopsTheProducerAndItsErrorIsReturned) {
    int pushed = 0, consumed = 0;
    auto done = RunPipelined<int>(
        Numbers(1'000'000, &pushed),
        [&](const std::vector<int>&) -> Status {
            return ++consumed == 3 ? Status(Fail(Error::Conflict("stop"))) : Status{};
        },
        2);
    ASSERT_FALSE(done);
    EXPECT_EQ(done.error().message, "stop");
    EXPECT_LE(pushed, 3 + 2 + 1) << "the producer stopped once the queue was closed";
}

TEST(RunPipelined, TheProducersErrorComesAfterTheBatchesItSent) {
    int consumed = 0;
    auto done = RunPipelined<int>(
        [](BatchHandoff<int>& out) -> Status {
            out.Push({1});
            out.Push({2});
            return Fail(Error::InvalidArgument("bad line"));
        },
        [&](const std::vector<int>&) -> Status {
            ++consumed;
            return {};
        });
    ASSERT_FALSE(done);
    EXPECT_EQ(done.error().message, "bad line");
    EXPECT_EQ(consumed, 2);
}

TEST(RunPipelined, ExceptionsOnEitherSideEndTheRunWithoutHanging) {
    auto thrown_by_producer = RunPipelined<int>([](BatchHandoff<int>&) -> Status { throw std::runtime_error("disk"); },
                                                [](const std::vector<int>&) -> Status { return {}; });
    ASSERT_FALSE(thrown_by_producer);
    EXPECT_EQ(thrown_by_producer.error().code, ErrorCode::kInternal);
    EXPECT_THROW((void)RunPipelined<int>(Numbers(1'000'000),
                                         [](const std::vector<int>&) -> Status { throw std::runtime_error("db"); }, 1),
                 std::runtime_error);
}

}  // namespace
}  // namespace chanrong

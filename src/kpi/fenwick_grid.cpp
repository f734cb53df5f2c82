#include "kpi/fenwick_grid.hpp"

#include <cassert>

namespace chanrong::kpi {

FenwickGrid::FenwickGrid(std::size_t series, std::size_t buckets)
    : series_(series), buckets_(buckets), cells_(series * buckets, 0) {}

void FenwickGrid::Add(std::size_t s, std::size_t b, long long delta) {
    assert(s < series_ && b < buckets_);
    if (in_batch_) {
        Cell(b + 1, s) += delta;
        return;
    }
    for (std::size_t node = b + 1; node <= buckets_; node += node & (~node + 1)) Cell(node, s) += delta;
}

long long FenwickGrid::Prefix(std::size_t s, long long b) const {
    assert(!in_batch_ && s < series_);
    if (b < 0) return 0;
    std::size_t node = static_cast<std::size_t>(b) + 1;
    if (node > buckets_) node = buckets_;
    long long sum = 0;
    for (; node > 0; node &= node - 1) sum += CellAt(node, s);
    return sum;
}

// Tree → plain deltas: undo the linear construction, highest node first.
void FenwickGrid::BeginBatch() {
    if (in_batch_) return;
    for (std::size_t node = buckets_; node >= 1; --node) {
        const std::size_t parent = node + (node & (~node + 1));
        if (parent > buckets_) continue;
        long long* to = &Cell(parent, 0);
        const long long* from = &Cell(node, 0);
        for (std::size_t s = 0; s < series_; ++s) to[s] -= from[s];
    }
    in_batch_ = true;
}

// Plain deltas → tree in O(n): each node passes its (already complete) sum to its parent.
void FenwickGrid::EndBatch() {
    if (!in_batch_) return;
    for (std::size_t node = 1; node <= buckets_; ++node) {
        const std::size_t parent = node + (node & (~node + 1));
        if (parent > buckets_) continue;
        long long* to = &Cell(parent, 0);
        const long long* from = &Cell(node, 0);
        for (std::size_t s = 0; s < series_; ++s) to[s] += from[s];
    }
    in_batch_ = false;
}

}  // namespace chanrong::kpi

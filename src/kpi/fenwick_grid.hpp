#pragma once
// A grid of running sums: `series` independent sequences over `buckets` time buckets (days or months), each a
// Fenwick tree so both adding at a bucket and reading the sum of buckets [0, b] take O(log buckets). Stored
// bucket-major (one row of all series per bucket) so the several series a single fact touches share cache lines.
//
// Bulk loading: between BeginBatch() and EndBatch() additions go to plain per-bucket deltas (O(1) each) and the
// trees are rebuilt in one O(series × buckets) pass at EndBatch(). Reading during a batch is not allowed.

#include <cstddef>
#include <vector>

namespace chanrong::kpi {

class FenwickGrid {
public:
    FenwickGrid() = default;
    FenwickGrid(std::size_t series, std::size_t buckets);

    std::size_t series() const { return series_; }
    std::size_t buckets() const { return buckets_; }

    /// Adds `delta` to series `s` at bucket `b` (both in range).
    void Add(std::size_t s, std::size_t b, long long delta);

    /// Sum of series `s` over buckets [0, b]; b < 0 gives 0 and b ≥ buckets() the whole series.
    long long Prefix(std::size_t s, long long b) const;

    /// Sum of series `s` over buckets [first, last] (empty when last < first).
    long long Range(std::size_t s, long long first, long long last) const {
        return last < first ? 0 : Prefix(s, last) - Prefix(s, first - 1);
    }

    void BeginBatch();
    void EndBatch();
    bool in_batch() const { return in_batch_; }

    /// Bytes held.
    std::size_t MemoryBytes() const { return cells_.capacity() * sizeof(long long); }

private:
    long long& Cell(std::size_t node, std::size_t s) { return cells_[(node - 1) * series_ + s]; }
    long long CellAt(std::size_t node, std::size_t s) const { return cells_[(node - 1) * series_ + s]; }

    std::size_t series_ = 0;
    std::size_t buckets_ = 0;
    bool in_batch_ = false;
    std::vector<long long> cells_;  // 1-based tree nodes, row (node − 1) holds every series
};

}  // namespace chanrong::kpi

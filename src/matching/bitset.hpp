#pragma once
// Dense bitsets over product slots and the interner of rule values, used inside the match index.

#include <bit>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace chanrong::matching::detail {

using Words = std::vector<std::uint64_t>;

inline void SetBit(Words& w, std::uint32_t i) { w[i >> 6] |= 1ull << (i & 63); }
inline void ClearBit(Words& w, std::uint32_t i) { w[i >> 6] &= ~(1ull << (i & 63)); }
inline bool TestBit(const Words& w, std::uint32_t i) { return (w[i >> 6] >> (i & 63)) & 1; }

/// Calls fn(slot) for every set bit, in increasing slot order.
template <class Fn>
void ForEachBit(std::span<const std::uint64_t> w, Fn&& fn) {
    for (size_t k = 0; k < w.size(); ++k)
        for (std::uint64_t bits = w[k]; bits; bits &= bits - 1)
            fn(static_cast<std::uint32_t>(k * 64 + std::countr_zero(bits)));
}

inline size_t PopCount(std::span<const std::uint64_t> w) {
    size_t n = 0;
    for (auto x : w) n += std::popcount(x);
    return n;
}

/// Strings ↔ dense ids (0 is never used, so 0 can mean "none").
class Interner {
public:
    std::uint32_t Intern(std::string_view s) {
        auto it = ids_.find(std::string(s));
        if (it != ids_.end()) return it->second;
        names_.emplace_back(s);
        return ids_[std::string(s)] = static_cast<std::uint32_t>(names_.size());
    }
    /// 0 when never seen.
    std::uint32_t Find(std::string_view s) const {
        auto it = ids_.find(std::string(s));
        return it == ids_.end() ? 0 : it->second;
    }
    const std::string& Name(std::uint32_t id) const { return names_[id - 1]; }
    size_t MemoryBytes() const { return names_.size() * 64 + ids_.size() * 64; }

private:
    std::unordered_map<std::string, std::uint32_t> ids_;
    std::vector<std::string> names_;
};

/// An "any of these values" rule over all products: products without the rule pass; otherwise a product passes
/// when one of the query's values is in its list. Pass = unrestricted | ⋃ by_value[v].
class LabelRule {
public:
    void Resize(size_t words) {
        unrestricted_.resize(words, 0);
        for (auto& [v, w] : by_value_) w.resize(words, 0);
        words_ = words;
    }
    void Add(std::uint32_t slot, std::span<const std::uint32_t> values) {
        if (values.empty()) return SetBit(unrestricted_, slot);
        for (auto v : values) {
            auto& w = by_value_[v];
            w.resize(words_, 0);
            SetBit(w, slot);
        }
    }
    void Remove(std::uint32_t slot, std::span<const std::uint32_t> values) {
        ClearBit(unrestricted_, slot);
        for (auto v : values)
            if (auto it = by_value_.find(v); it != by_value_.end()) ClearBit(it->second, slot);
    }
    /// out = products passing for a query holding `values`.
    void Pass(std::span<const std::uint32_t> values, Words& out) const {
        out.assign(unrestricted_.begin(), unrestricted_.end());
        for (auto v : values)
            if (auto it = by_value_.find(v); it != by_value_.end())
                for (size_t k = 0; k < words_; ++k) out[k] |= it->second[k];
    }
    const Words* Listing(std::uint32_t value) const {
        auto it = by_value_.find(value);
        return it == by_value_.end() ? nullptr : &it->second;
    }
    const std::unordered_map<std::uint32_t, Words>& by_value() const { return by_value_; }
    size_t MemoryBytes() const { return (by_value_.size() + 1) * (words_ * 8 + 48); }

private:
    size_t words_ = 0;
    Words unrestricted_;
    std::unordered_map<std::uint32_t, Words> by_value_;
};

}  // namespace chanrong::matching::detail

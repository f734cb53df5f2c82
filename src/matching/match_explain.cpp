// Counterfactuals (what an enterprise can change to open more products) and near misses, from the per-rule pass
// bitsets that a full query leaves in the scratch space.
#include <algorithm>
#include <fmt/format.h>

#include "matching/match_index.hpp"
#include "matching/match_internal.hpp"

namespace chanrong::matching {
using detail::Words;
namespace {

// others[r] = AND of every rule's pass bitset except r's.
std::array<Words, kRuleCount> AllBut(const std::array<Words, kRuleCount>& pass, size_t words) {
    std::array<Words, kRuleCount> prefix, others;
    Words acc(words, ~0ull);
    for (int r = 0; r < kRuleCount; ++r) {
        prefix[r] = acc;
        for (size_t k = 0; k < words; ++k) acc[k] &= pass[r][k];
    }
    acc.assign(words, ~0ull);
    for (int r = kRuleCount - 1; r >= 0; --r) {
        others[r] = prefix[r];
        for (size_t k = 0; k < words; ++k) others[r][k] &= acc[k];
        for (size_t k = 0; k < words; ++k) acc[k] &= pass[r][k];
    }
    return others;
}

// Products that fail only `rule`: others & ~pass[rule].
Words FailOnly(const std::array<Words, kRuleCount>& pass, const std::array<Words, kRuleCount>& others, Rule rule) {
    const int r = static_cast<int>(rule);
    Words out = others[r];
    for (size_t k = 0; k < out.size(); ++k) out[k] &= ~pass[r][k];
    return out;
}

Words And(const Words& a, const Words& b) {
    Words out = a;
    for (size_t k = 0; k < out.size(); ++k) out[k] &= b[k];
    return out;
}

// The point closest to `at` among those covered by the most intervals [lo_i, hi_i] (none of which contains `at`).
std::pair<long long, int> BestPoint(std::vector<long long> lo, std::vector<long long> hi, long long at) {
    std::vector<long long> candidates = lo;
    candidates.insert(candidates.end(), hi.begin(), hi.end());
    std::sort(lo.begin(), lo.end());
    std::sort(hi.begin(), hi.end());
    long long best = 0;
    int best_cover = 0;
    for (long long x : candidates) {
        const int cover = static_cast<int>((std::upper_bound(lo.begin(), lo.end(), x) - lo.begin()) -
                                           (std::lower_bound(hi.begin(), hi.end(), x) - hi.begin()));
        const auto dist = [&](long long v) { return v > at ? v - at : at - v; };
        if (cover > best_cover || (cover == best_cover && cover > 0 && (dist(x) < dist(best) || (dist(x) == dist(best) && x < best)))) {
            best = x;
            best_cover = cover;
        }
    }
    return {best, best_cover};
}

}  // namespace

void MatchIndex::AddCounterfactuals(const Facts& f, MatchResult& out) const {
    const auto& pass = ScratchSpace().pass;
    const auto others = AllBut(pass, words_);
    auto ids = [&](const Words& w) {
        std::vector<long long> v;
        detail::ForEachBit(w, [&](std::uint32_t s) { v.push_back(products_[s].id); });
        std::sort(v.begin(), v.end());
        return v;
    };
    auto emit = [&](std::string change, std::string value, std::string text_head, const Words& opened) {
        auto list = ids(opened);
        if (list.empty()) return;
        out.counterfactuals.push_back({std::move(change), std::move(value),
                                       fmt::format("{}，可多匹配 {} 个产品", text_head, list.size()), std::move(list)});
    };
    // Credit grade: each better grade that opens more than the previous one reported (at most three steps).
    const int grade = static_cast<int>(f.grade);
    const Words grade_only = FailOnly(pass, others, Rule::kCreditGrade);
    size_t last = 0;
    int steps = 0;
    for (int g = std::min(grade, kGradeCount - 1) - 1; g >= 0 && steps < 3; --g) {
        const Words opened = And(grade_only, grade_pass_[g]);
        const size_t n = detail::PopCount(opened);
        if (n <= last) continue;
        last = n;
        ++steps;
        const auto name = std::string(ToString(static_cast<CreditGrade>(g)));
        emit("credit_grade", name, "信用等级提升至 " + name, opened);
    }
    // Security: the city's credit-enhancement fund as guarantor; offering collateral.
    const Words collateral_only = FailOnly(pass, others, Rule::kCollateral);
    Words with;
    if (f.demand->guarantee != kFundGuarantee) {
        CollateralPass(f.has_collateral, true, strings_.Find(kFundGuarantee), with);
        emit("guarantee", std::string(kFundGuarantee), "获得市增信基金担保", And(collateral_only, with));
    }
    if (!f.has_collateral) {
        CollateralPass(true, f.has_guarantee, f.guarantee_id, with);
        emit("collateral", "yes", "提供抵押物", And(collateral_only, with));
    }
    // Directories and tags: the two that open the most.
    auto labels = [&](const detail::LabelRule& rule, Rule r, const char* change, const char* head, const char* tail) {
        const Words only = FailOnly(pass, others, r);
        std::vector<std::pair<size_t, std::string>> best;
        for (const auto& [value, listing] : rule.by_value())
            if (size_t n = detail::PopCount(And(only, listing))) best.push_back({n, strings_.Name(value)});
        std::sort(best.begin(), best.end(), [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
        for (size_t i = 0; i < best.size() && i < 2; ++i)
            emit(change, best[i].second, head + best[i].second + tail, And(only, *rule.Listing(strings_.Find(best[i].second))));
    };
    labels(dirs_, Rule::kDirectories, "directory", "列入「", "」名录");
    labels(tags_, Rule::kTags, "tag", "取得「", "」认定");
    // Amount and term: the nearest value that opens the most products failing only that rule.
    auto range = [&](Rule r, const char* change, long long at, auto lo_of, auto hi_of, auto head) {
        const Words only = FailOnly(pass, others, r);
        std::vector<long long> lo, hi;
        detail::ForEachBit(only, [&](std::uint32_t s) { lo.push_back(lo_of(s)); hi.push_back(hi_of(s)); });
        if (lo.empty()) return;
        const auto [x, cover] = BestPoint(lo, hi, at);
        Words opened(words_, 0);
        detail::ForEachBit(only, [&](std::uint32_t s) { if (lo_of(s) <= x && x <= hi_of(s)) detail::SetBit(opened, s); });
        emit(change, std::to_string(x), head(x), opened);
    };
    range(Rule::kAmount, "amount", f.demand->amount_fen, [&](auto s) { return amount_min_[s]; }, [&](auto s) { return amount_max_[s]; },
          [](long long x) { return fmt::format("申请金额调整为 {:.2f} 万元", static_cast<double>(x) / 1e6); });
    range(Rule::kTerm, "term", f.demand->term_months, [&](auto s) { return static_cast<long long>(term_min_[s]); },
          [&](auto s) { return static_cast<long long>(term_max_[s]); }, [](long long x) { return fmt::format("期限调整为 {} 个月", x); });
    // Rate ceiling: raising it to the highest minimum rate among products failing only the rate opens them all.
    const Words rate_only = FailOnly(pass, others, Rule::kRate);
    int ceiling = 0;
    detail::ForEachBit(rate_only, [&](std::uint32_t s) { ceiling = std::max(ceiling, rate_min_[s]); });
    emit("max_rate", std::to_string(ceiling), fmt::format("可接受利率上限提高至 {} bp", ceiling), rate_only);
}

void MatchIndex::AddNearMisses(const Facts&, int limit, MatchResult& out) const {
    const auto& pass = ScratchSpace().pass;
    Words one(words_, 0), two(words_, 0);
    for (int r = 0; r < kRuleCount; ++r)
        for (size_t k = 0; k < words_; ++k) {
            const std::uint64_t fail = active_[k] & ~pass[r][k];
            two[k] |= one[k] & fail;
            one[k] |= fail;
        }
    std::vector<std::pair<long long, std::uint32_t>> near;
    for (size_t k = 0; k < words_; ++k)
        for (std::uint64_t bits = one[k] & ~two[k]; bits; bits &= bits - 1) {
            const auto s = static_cast<std::uint32_t>(k * 64 + std::countr_zero(bits));
            near.push_back({products_[s].id, s});
        }
    std::sort(near.begin(), near.end());
    if (static_cast<int>(near.size()) > limit) near.resize(limit);
    for (const auto& [id, s] : near) {
        NearMiss miss{id, {}};
        for (int r = 0; r < kRuleCount; ++r)
            if (!detail::TestBit(pass[r], s)) miss.failed.push_back(static_cast<Rule>(r));
        out.near_misses.push_back(std::move(miss));
    }
}

}  // namespace chanrong::matching

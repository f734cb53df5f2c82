#pragma once
// Definitions private to the match index's source files.

#include <array>
#include <cstdint>
#include <vector>

#include "matching/match_index.hpp"

namespace chanrong::matching {

struct MatchIndex::Facts {
    const Demand* demand = nullptr;
    std::uint32_t class_id = 0, district_id = 0, guarantee_id = 0;
    SizeClass size = SizeClass::kUnknown;
    Stage stage = Stage::kUnknown;
    CreditGrade grade = CreditGrade::kUnknown;
    int years = 0;
    bool has_collateral = false, has_guarantee = false;
    std::vector<std::uint32_t> tags, dirs, prefixes;
    FeatureList features;
    double profile = 0;
    double ln_amount = 0;
};

struct MatchIndex::Scratch {
    struct Ranked {
        double score;
        long long product_id;
        std::uint32_t slot;
    };
    detail::Words eligible;
    std::array<detail::Words, kRuleCount> pass;
    std::vector<Ranked> ranked;
    std::vector<double> memo;          // logit per model column for the current query
    std::vector<std::uint32_t> stamp;  // query epoch that filled memo[column]
    std::uint32_t epoch = 0;
    bool all_logits = false;           // memo holds every column's logit for this query
};

}  // namespace chanrong::matching

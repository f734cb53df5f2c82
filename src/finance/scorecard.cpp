#include "finance/scorecard.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace chanrong::finance {
namespace {

Durations Summarise(const std::vector<long long>& ms) {
    return {PercentileHours(ms, 50), PercentileHours(ms, 90), static_cast<long long>(ms.size())};
}

void Collect(std::vector<long long>& into, const std::optional<long long>& from, const std::optional<long long>& to) {
    if (from && to && *to >= *from) into.push_back(*to - *from);
}

std::vector<Scorecard> Score(const std::vector<ScoredApplication>& apps,
                             const std::function<std::optional<std::pair<long long, std::string>>(const ScoredApplication&)>& key) {
    struct Acc {
        Scorecard card;
        std::vector<long long> accept, contact, decide, disburse;
    };
    std::map<long long, Acc> groups;
    for (const auto& a : apps) {
        const auto k = key(a);
        if (!k) continue;
        Acc& g = groups[k->first];
        g.card.key = k->first;
        g.card.name = k->second;
        ++g.card.leads;
        if (a.accepted_at) ++g.card.accepted;
        if (a.decided_at && (a.status == "approved" || a.status == "rejected" || a.status == "disbursed")) ++g.card.decided;
        if (a.status == "approved" || a.status == "disbursed") ++g.card.approved;
        if (a.status == "disbursed") ++g.card.disbursed, g.card.disbursed_fen += a.disbursed_fen;
        Collect(g.accept, a.submitted_at, a.accepted_at);
        Collect(g.contact, a.submitted_at, a.contacted_at);
        Collect(g.decide, a.docs_complete_at, a.decided_at);
        Collect(g.disburse, a.decided_at, a.disbursed_at);
    }
    std::vector<Scorecard> out;
    for (auto& [_, g] : groups) {
        if (g.card.decided > 0) g.card.approval_rate = static_cast<double>(g.card.approved) / g.card.decided;
        g.card.to_accept = Summarise(g.accept);
        g.card.to_contact = Summarise(g.contact);
        g.card.to_decide = Summarise(g.decide);
        g.card.to_disburse = Summarise(g.disburse);
        out.push_back(std::move(g.card));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
}

}  // namespace

std::optional<double> PercentileHours(std::vector<long long> values, int p) {
    if (values.empty() || p <= 0 || p > 100) return std::nullopt;
    std::sort(values.begin(), values.end());
    const size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * values.size()));
    return values[std::max<size_t>(rank, 1) - 1] / 3'600'000.0;
}

std::vector<Scorecard> ScoreByInstitution(const std::vector<ScoredApplication>& apps) {
    return Score(apps, [](const ScoredApplication& a) {
        return std::optional(std::pair(a.institution_id, a.institution_name));
    });
}

std::vector<Scorecard> ScoreByProduct(const std::vector<ScoredApplication>& apps) {
    return Score(apps, [](const ScoredApplication& a) -> std::optional<std::pair<long long, std::string>> {
        if (!a.product_id) return std::nullopt;
        return std::pair(*a.product_id, a.product_name + "（" + a.institution_name + "）");
    });
}

}  // namespace chanrong::finance

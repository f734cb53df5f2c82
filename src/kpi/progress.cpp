#include "kpi/progress.hpp"

#include <array>

#include "kpi/calendar.hpp"

namespace chanrong::kpi {
namespace {

constexpr std::array<std::string_view, 6> kStatusNames = {"met", "on_track", "at_risk", "behind", "missed", "no_data"};

long long Abs(long long v) {
    return v < 0 ? -v : v;
}

long long AboutTolerance(const Target& target, ValueType value_type, const ProgressRule& rule) {
    if (value_type == ValueType::kPartsPerMillion) return rule.about_tolerance_ppm;
    return static_cast<long long>(static_cast<__int128>(Abs(target.value)) * rule.about_tolerance_percent / 100);
}

bool Near(const Target& target, long long projected, const ProgressRule& rule) {
    const __int128 t = target.value;
    if (target.comparator == Comparator::kAbout)
        return static_cast<__int128>(Abs(projected - target.value)) * 100 <= (t < 0 ? -t : t) * rule.about_band_percent;
    return static_cast<__int128>(projected) * 100 >= t * rule.at_risk_percent;
}

}  // namespace

std::string_view TargetStatusName(TargetStatus status) {
    return kStatusNames[static_cast<int>(status)];
}

bool Satisfies(const Target& target, ValueType value_type, long long value, const ProgressRule& rule) {
    switch (target.comparator) {
        case Comparator::kAtLeast: return value >= target.value;
        case Comparator::kMoreThan: return value > target.value;
        case Comparator::kAbout: return Abs(value - target.value) <= AboutTolerance(target, value_type, rule);
    }
    return false;
}

std::optional<long long> Project(const ProgressInput& input, int due) {
    if (!input.current) return std::nullopt;
    const auto& s = input.levels;
    if (s.size() < 2 || s.front().day == s.back().day) return input.current;
    const __int128 rise = static_cast<__int128>(s.back().level) - s.front().level;
    const __int128 run = DayNumber(s.back().day) - DayNumber(s.front().day);
    const auto level_at = [&](int day) {
        return static_cast<__int128>(s.back().level) + rise * (DayNumber(day) - DayNumber(input.as_of)) / run;
    };
    if (input.kind != Kind::kInYear) return static_cast<long long>(level_at(due));
    const int baseline_day = YearEnd(YearOf(due) - 1);
    const __int128 baseline = input.year_start_level && baseline_day <= input.as_of
                                  ? static_cast<__int128>(*input.year_start_level)
                                  : level_at(baseline_day);
    return static_cast<long long>(level_at(due) - baseline);
}

Progress Assess(const Target& target, const ProgressInput& input, const ProgressRule& rule) {
    Progress p;
    p.target = target.value;
    p.due = YearEnd(target.year);
    p.current = input.current;
    if (input.as_of >= p.due) {
        p.status = input.current && Satisfies(target, input.value_type, *input.current, rule) ? TargetStatus::kMet
                                                                                              : TargetStatus::kMissed;
        return p;
    }
    if (!input.current) return p;
    p.projected = Project(input, p.due);
    if (Satisfies(target, input.value_type, *input.current, rule))
        p.status = TargetStatus::kMet;
    else if (Satisfies(target, input.value_type, *p.projected, rule))
        p.status = TargetStatus::kOnTrack;
    else if (Near(target, *p.projected, rule))
        p.status = TargetStatus::kAtRisk;
    else
        p.status = TargetStatus::kBehind;
    return p;
}

}  // namespace chanrong::kpi

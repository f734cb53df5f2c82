#include "common/uscc.hpp"

#include <array>

namespace chanrong {
namespace {

constexpr std::string_view kCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> kWeights = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
constexpr std::array<int, 8> kOrgWeights = {3, 7, 9, 10, 5, 8, 4, 2};

int CharsetValue(char c) {
    const size_t pos = kCharset.find(c);
    return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

// Organisation codes use the full alphabet: 0-9 then A=10 … Z=35.
int OrgValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::optional<char> UsccCheckCharacter(std::string_view first17) {
    if (first17.size() != 17) return std::nullopt;
    int sum = 0;
    for (size_t i = 0; i < 17; ++i) {
        const int v = CharsetValue(first17[i]);
        if (v < 0) return std::nullopt;
        sum += v * kWeights[i];
    }
    const int check = (31 - sum % 31) % 31;
    return kCharset[check];
}

std::optional<char> OrganisationCheckCharacter(std::string_view eight) {
    if (eight.size() != 8) return std::nullopt;
    int sum = 0;
    for (size_t i = 0; i < 8; ++i) {
        const int v = OrgValue(eight[i]);
        if (v < 0) return std::nullopt;
        sum += v * kOrgWeights[i];
    }
    const int check = 11 - sum % 11;
    if (check == 10) return 'X';
    if (check == 11) return '0';
    return static_cast<char>('0' + check);
}

Status ValidateUscc(std::string_view code, std::string_view field) {
    auto fail = [&](std::string code_name, std::string message) {
        return Fail(Error::Field(std::string(field), std::move(code_name), std::move(message)));
    };
    if (code.size() != 18) return fail("wrong_length", "统一社会信用代码应为 18 位，实际 " + std::to_string(code.size()) + " 位");
    for (size_t i = 0; i < code.size(); ++i)
        if (CharsetValue(code[i]) < 0)
            return fail("bad_character", "第 " + std::to_string(i + 1) + " 位字符 '" + std::string(1, code[i]) +
                                             "' 不允许（不使用 I、O、S、V、Z 及小写字母）");
    const auto org_check = OrganisationCheckCharacter(code.substr(8, 8));
    if (!org_check || *org_check != code[16])
        return fail("bad_organisation_check", "第 17 位（组织机构代码校验码）应为 '" +
                                                  std::string(1, org_check.value_or('?')) + "'，实际为 '" +
                                                  std::string(1, code[16]) + "'");
    const auto check = UsccCheckCharacter(code.substr(0, 17));
    if (*check != code[17])
        return fail("bad_check_character", "第 18 位校验码应为 '" + std::string(1, *check) + "'，实际为 '" +
                                               std::string(1, code[17]) + "'");
    return {};
}

std::optional<std::string> MakeUscc(std::string_view prefix8, std::string_view organisation_body8) {
    if (prefix8.size() != 8) return std::nullopt;
    const auto org_check = OrganisationCheckCharacter(organisation_body8);
    if (!org_check || CharsetValue(*org_check) < 0) return std::nullopt;
    std::string code = std::string(prefix8) + std::string(organisation_body8) + *org_check;
    const auto check = UsccCheckCharacter(code);
    if (!check) return std::nullopt;
    return code + *check;
}

}  // namespace chanrong

#include "common/text_normalize.hpp"

#include <opencc/opencc.h>
#include <spdlog/spdlog.h>

#include <exception>
#include <memory>
#include <mutex>

namespace chanrong {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

bool IsSpace(char32_t c) {
    switch (c) {
        case U' ':
        case U'\t':
        case U'\n':
        case U'\v':
        case U'\f':
        case U'\r':
        case 0x85:
        case 0xA0:
        case 0x1680:
        case 0x2028:
        case 0x2029:
        case 0x202F:
        case 0x205F:
        case 0x3000: return true;
        default: return c >= 0x2000 && c <= 0x200A;
    }
}

// Control characters (other than whitespace) and invisible zero-width characters carry nothing a search needs.
bool IsDropped(char32_t c) {
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x200B || c == 0x2060 || c == 0xFEFF;
}

char32_t FoldCharacter(char32_t c) {
    if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // full-width ASCII → ASCII
    if (c >= U'A' && c <= U'Z') c += U'a' - U'A';
    return c;
}

// Everything except the Chinese conversion; sets `ascii_only` when OpenCC has nothing to do.
std::string FoldWidthCaseAndSpace(std::string_view utf8, bool& ascii_only) {
    std::string out;
    out.reserve(utf8.size());
    ascii_only = true;
    bool pending_space = false;
    for (size_t i = 0; i < utf8.size();) {
        const Utf8Char ch = DecodeUtf8(utf8, i);
        i += ch.length;
        const char32_t c = ch.valid ? ch.code_point : kReplacement;
        if (IsSpace(c)) {
            pending_space = !out.empty();
            continue;
        }
        if (IsDropped(c)) continue;
        if (pending_space) out += ' ';
        pending_space = false;
        const char32_t folded = FoldCharacter(c);
        if (folded >= 0x80) ascii_only = false;
        AppendUtf8(out, folded);
    }
    return out;
}

constexpr char32_t kCjkBegin = 0x4E00, kCjkEnd = 0xA000;  // CJK Unified Ideographs

// OpenCC does not document SimpleConverter::Convert as thread-safe, so each thread loads its own converter
// (the t2s dictionaries are about 60 KB).
const opencc::SimpleConverter* ThreadConverter() {
    thread_local std::unique_ptr<opencc::SimpleConverter> converter;
    thread_local bool tried = false;
    if (!tried) {
        tried = true;
        try {
            converter = std::make_unique<opencc::SimpleConverter>(OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP);
        } catch (const std::exception& e) {
            static std::once_flag logged;
            std::call_once(logged, [&] {
                spdlog::error("OpenCC t2s.json could not be loaded; search keys keep traditional characters: {}",
                              e.what());
            });
        }
    }
    return converter.get();
}

// The CJK characters that t2s changes on their own, found once by converting each of them. Text without any of
// them is already simplified, so the phrase converter (the costly part) is skipped for it.
const std::vector<bool>& ConvertibleCharacters(const opencc::SimpleConverter& converter) {
    static const std::vector<bool> table = [&] {
        std::vector<bool> changes(kCjkEnd - kCjkBegin, false);
        std::string one;
        for (char32_t c = kCjkBegin; c < kCjkEnd; ++c) {
            one.clear();
            AppendUtf8(one, c);
            try {
                changes[c - kCjkBegin] = converter.Convert(one) != one;
            } catch (const std::exception&) {
                changes[c - kCjkBegin] = true;
            }
        }
        return changes;
    }();
    return table;
}

// Whether `text` holds a character t2s would change, or one outside the table (to be safe).
bool MayNeedConversion(std::string_view text, const opencc::SimpleConverter& converter) {
    const std::vector<bool>& table = ConvertibleCharacters(converter);
    for (size_t i = 0; i < text.size();) {
        const Utf8Char ch = DecodeUtf8(text, i);
        i += ch.length == 0 ? 1 : ch.length;
        if (ch.code_point < 0x80) continue;
        if (ch.code_point < kCjkBegin || ch.code_point >= kCjkEnd) {
            // Other CJK blocks (extensions, compatibility) go to OpenCC; CJK punctuation (U+3000–303F) does not.
            if (ch.code_point >= 0x2E80 && !(ch.code_point >= 0x3000 && ch.code_point < 0x3040)) return true;
            continue;
        }
        if (table[ch.code_point - kCjkBegin]) return true;
    }
    return false;
}

}  // namespace

Utf8Char DecodeUtf8(std::string_view bytes, size_t offset) {
    const auto byte = [&](size_t i) { return static_cast<unsigned char>(bytes[i]); };
    const unsigned char lead = byte(offset);
    if (lead < 0x80) return {lead, 1, true, false};
    size_t continuation = 0;
    char32_t code_point = 0;
    unsigned char low = 0x80, high = 0xBF;  // allowed range of the first continuation byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        continuation = 1;
        code_point = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        continuation = 2;
        code_point = lead & 0x0F;
        if (lead == 0xE0) low = 0xA0;   // overlong
        if (lead == 0xED) high = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        continuation = 3;
        code_point = lead & 0x07;
        if (lead == 0xF0) low = 0x90;   // overlong
        if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
    } else {
        return {kReplacement, 1, false, false};
    }
    for (size_t k = 1; k <= continuation; ++k) {
        if (offset + k >= bytes.size()) return {kReplacement, k, false, true};
        const unsigned char b = byte(offset + k);
        if (b < low || b > high) return {kReplacement, k, false, false};
        low = 0x80;
        high = 0xBF;
        code_point = (code_point << 6) | (b & 0x3F);
    }
    return {code_point, continuation + 1, true, false};
}

void AppendUtf8(std::string& out, char32_t c) {
    if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) c = kReplacement;
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

size_t Utf8Length(std::string_view utf8) {
    size_t count = 0;
    for (size_t i = 0; i < utf8.size(); ++count) i += DecodeUtf8(utf8, i).length;
    return count;
}

bool IsValidUtf8(std::string_view bytes) {
    for (size_t i = 0; i < bytes.size();) {
        if (static_cast<unsigned char>(bytes[i]) < 0x80) {
            ++i;
            continue;
        }
        const Utf8Char ch = DecodeUtf8(bytes, i);
        if (!ch.valid) return false;
        i += ch.length;
    }
    return true;
}

std::string SanitizeUtf8(std::string_view bytes) {
    if (IsValidUtf8(bytes)) return std::string(bytes);
    std::string out;
    out.reserve(bytes.size() + 8);
    for (size_t i = 0; i < bytes.size();) {
        const Utf8Char ch = DecodeUtf8(bytes, i);
        if (ch.valid)
            out.append(bytes.substr(i, ch.length));
        else
            AppendUtf8(out, kReplacement);
        i += ch.length;
    }
    return out;
}

std::string NormalizeForSearch(std::string_view utf8) {
    bool ascii_only = true;
    std::string folded = FoldWidthCaseAndSpace(utf8, ascii_only);
    if (ascii_only) return folded;
    const opencc::SimpleConverter* converter = ThreadConverter();
    if (!converter || !MayNeedConversion(folded, *converter)) return folded;
    try {
        return converter->Convert(folded.data(), folded.size());
    } catch (const std::exception& e) {
        spdlog::warn("OpenCC conversion failed, keeping the text unconverted: {}", e.what());
        return folded;
    }
}

}  // namespace chanrong

#pragma once
// Text folding for search keys (traditional → simplified Chinese, full-width → half-width, case, whitespace) and
// the small UTF-8 helpers the readers share.

#include <cstddef>
#include <string>
#include <string_view>

namespace chanrong {

/// The search key of a text, so that "廈門銀行　ＡＢＣ" and "厦门银行 abc" compare equal:
///  - ill-formed UTF-8 sequences become U+FFFD (never a crash or an exception);
///  - full-width ASCII U+FF01–U+FF5E becomes its half-width form;
///  - ASCII letters are lower-cased (other scripts are left alone);
///  - whitespace (ASCII, U+3000 ideographic space, NBSP, U+2000–U+200A, line/paragraph separators …) becomes a
///    space, runs of it collapse to one space, and the result is trimmed;
///  - other control characters and zero-width characters (U+200B, U+2060, U+FEFF) are dropped;
///  - traditional Chinese becomes simplified with OpenCC's "t2s.json" (phrase-aware: 乾隆 stays, 乾燥 → 干燥).
/// Thread-safe: each thread uses its own OpenCC converter. If OpenCC's data cannot be loaded the other steps
/// still apply and the failure is logged once.
std::string NormalizeForSearch(std::string_view utf8);

/// Number of code points in `utf8`; each ill-formed sequence counts as one (as SanitizeUtf8 would replace it).
size_t Utf8Length(std::string_view utf8);

/// True if `bytes` is well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF).
bool IsValidUtf8(std::string_view bytes);

/// `bytes` with each ill-formed sequence (its maximal subpart, as in the WHATWG decoder) replaced by U+FFFD.
std::string SanitizeUtf8(std::string_view bytes);

/// One step of a UTF-8 decoder.
struct Utf8Char {
    char32_t code_point = 0;  ///< U+FFFD when !valid
    size_t length = 1;        ///< bytes consumed, at least 1
    bool valid = false;
    bool truncated = false;  ///< ill-formed only because the input ends inside a well-begun sequence
};

/// Decodes the character starting at `bytes[offset]` (`offset < bytes.size()`).
Utf8Char DecodeUtf8(std::string_view bytes, size_t offset);

/// Appends the UTF-8 encoding of `code_point` (U+FFFD for surrogates and values above U+10FFFF).
void AppendUtf8(std::string& out, char32_t code_point);

}  // namespace chanrong

#pragma once
// Encryption of sensitive fields at rest (libsodium secretbox, XSalsa20-Poly1305) and masking for display.

#include <string>
#include <string_view>

#include "common/error.hpp"

namespace chanrong {

class FieldCipher {
public:
    /// Reads the 32-byte key from `path`, creating it (mode 0600, random) when it does not exist yet.
    /// Every server instance of one deployment must share the same key file.
    static Result<FieldCipher> FromKeyFile(const std::string& path);
    /// A cipher with a key given directly (tests).
    static FieldCipher FromKey(std::string key32);

    /// base64(nonce ‖ ciphertext); empty text stays empty.
    std::string Encrypt(std::string_view plain) const;
    /// The plain text, or an error when the text was not made with this key or was altered.
    Result<std::string> Decrypt(std::string_view sealed) const;

private:
    explicit FieldCipher(std::string key) : key_(std::move(key)) {}
    std::string key_;
};

/// "张三丰" → "张**"; "Li" → "L*"; keeps the first character (UTF-8 aware).
std::string MaskName(std::string_view name);
/// "13812345678" → "138****5678"; short numbers keep only the last two digits.
std::string MaskPhone(std::string_view phone);

}  // namespace chanrong

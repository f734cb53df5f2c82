#pragma once
// Thin, safe wrappers over libsodium: random tokens, SHA-256, argon2id password hashes.

#include <string>
#include <string_view>

namespace chanrong::crypto {

/// Initialises libsodium once; safe to call repeatedly. Aborts if the library cannot start.
void EnsureInitialized();

/// `bytes` random bytes, base64url without padding (URL- and cookie-safe).
std::string RandomToken(size_t bytes = 32);

/// Lower-case hexadecimal SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

/// argon2id hash in the libsodium string format (salt and parameters included).
std::string HashPassword(std::string_view password);

/// Constant-time verification of `password` against a stored argon2id string.
bool VerifyPassword(std::string_view stored_hash, std::string_view password);

/// Performs the same work as a failed verification; used when the user does not exist (timing safety).
void BurnPasswordVerification(std::string_view password);

}  // namespace chanrong::crypto

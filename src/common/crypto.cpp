#include "common/crypto.hpp"

#include <sodium.h>

#include <cstdlib>
#include <mutex>
#include <vector>

namespace chanrong::crypto {
namespace {

// OWASP's argon2id baseline (19 MiB, 2 passes): strong, yet a login costs tens of milliseconds on 2 cores.
constexpr unsigned long long kOpsLimit = 2;
constexpr size_t kMemLimit = 19ull * 1024 * 1024;

}  // namespace

void EnsureInitialized() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() < 0) std::abort();
    });
}

std::string RandomToken(size_t bytes) {
    EnsureInitialized();
    std::vector<unsigned char> raw(bytes);
    randombytes_buf(raw.data(), raw.size());
    std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

std::string Sha256Hex(std::string_view data) {
    EnsureInitialized();
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    std::string hex(crypto_hash_sha256_BYTES * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), digest, sizeof digest);
    hex.pop_back();
    return hex;
}

std::string HashPassword(std::string_view password) {
    EnsureInitialized();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        std::abort();  // out of memory: nothing sensible to do
    return out;
}

bool VerifyPassword(std::string_view stored_hash, std::string_view password) {
    EnsureInitialized();
    const std::string hash(stored_hash);  // must be NUL-terminated
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void BurnPasswordVerification(std::string_view password) {
    static const std::string dummy = HashPassword("chanrong-timing-equaliser");
    (void)VerifyPassword(dummy, password);
}

}  // namespace chanrong::crypto

#include "common/field_cipher.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/crypto.hpp"

namespace chanrong {

Result<FieldCipher> FieldCipher::FromKeyFile(const std::string& path) {
    crypto::EnsureInitialized();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        const auto parent = std::filesystem::path(path).parent_path();
        if (!parent.empty()) std::filesystem::create_directories(parent, ec);
        std::string key(crypto_secretbox_KEYBYTES, '\0');
        randombytes_buf(key.data(), key.size());
        {
            std::ofstream out(path, std::ios::binary);
            out << key;
            if (!out) return Fail(Error::Unavailable("无法写入数据密钥文件 " + path));
        }
        ::chmod(path.c_str(), 0600);
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    std::string key = buf.str();
    if (key.size() != crypto_secretbox_KEYBYTES)
        return Fail(Error::FailedPrecondition("数据密钥文件 " + path + " 长度不是 32 字节"));
    return FieldCipher(std::move(key));
}

FieldCipher FieldCipher::FromKey(std::string key32) {
    crypto::EnsureInitialized();
    key32.resize(crypto_secretbox_KEYBYTES, '\0');
    return FieldCipher(std::move(key32));
}

std::string FieldCipher::Encrypt(std::string_view plain) const {
    if (plain.empty()) return {};
    std::string sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
    auto* out = reinterpret_cast<unsigned char*>(sealed.data());
    randombytes_buf(out, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plain.data()),
                          plain.size(), out, reinterpret_cast<const unsigned char*>(key_.data()));
    std::string b64(sodium_base64_ENCODED_LEN(sealed.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(b64.data(), b64.size(), out, sealed.size(), sodium_base64_VARIANT_ORIGINAL);
    b64.resize(std::char_traits<char>::length(b64.c_str()));
    return b64;
}

Result<std::string> FieldCipher::Decrypt(std::string_view text) const {
    if (text.empty()) return std::string();
    std::string raw(text.size(), '\0');
    size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), text.data(), text.size(), nullptr,
                          &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        return Fail(Error::Internal("密文格式错误"));
    const auto* in = reinterpret_cast<const unsigned char*>(raw.data());
    std::string plain(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), in + crypto_secretbox_NONCEBYTES,
                                   len - crypto_secretbox_NONCEBYTES, in,
                                   reinterpret_cast<const unsigned char*>(key_.data())) != 0)
        return Fail(Error::Internal("密文无法解密（密钥不符或数据被改动）"));
    return plain;
}

std::string MaskName(std::string_view name) {
    if (name.empty()) return {};
    size_t first = 1;
    while (first < name.size() && (static_cast<unsigned char>(name[first]) & 0xC0) == 0x80) ++first;
    size_t rest = 0;
    for (size_t i = first; i < name.size(); ++i)
        if ((static_cast<unsigned char>(name[i]) & 0xC0) != 0x80) ++rest;
    return std::string(name.substr(0, first)) + std::string(std::max<size_t>(rest, 1), '*');
}

std::string MaskPhone(std::string_view phone) {
    if (phone.size() >= 11)  // a mobile number: the first three and the last four digits stay
        return std::string(phone.substr(0, 3)) + std::string(phone.size() - 7, '*') +
               std::string(phone.substr(phone.size() - 4));
    if (phone.size() <= 2) return std::string(phone.size(), '*');
    return std::string(phone.size() - 2, '*') + std::string(phone.substr(phone.size() - 2));
}

}  // namespace chanrong

#include "common/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cassert>
#include <cstring>
#include <utility>

namespace storepilot {
namespace {

std::string Hex(const unsigned char* data, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * n, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0xf];
  }
  return out;
}

std::string Base64(const unsigned char* data, unsigned int n) {
  std::string out(4 * ((n + 2) / 3) + 1, '\0');
  const int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, n);
  out.resize(len);
  return out;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return Hex(digest, sizeof(digest));
}

std::string HmacSha256Base64(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &mac_len);
  return Base64(mac, mac_len);
}

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &mac_len);
  return Hex(mac, mac_len);
}

HmacSha256Key::HmacSha256Key(std::string_view key)
    : key_(key), inner_(EVP_MD_CTX_new()), outer_(EVP_MD_CTX_new()) {
  constexpr size_t kBlock = 64;  // SHA-256's block size
  unsigned char block[kBlock] = {};
  if (key_.size() > kBlock) {
    unsigned int n = 0;
    ok_ = EVP_Digest(key_.data(), key_.size(), block, &n, EVP_sha256(), nullptr) == 1;
  } else {
    std::memcpy(block, key_.data(), key_.size());
  }
  unsigned char pad[kBlock];
  for (auto [ctx, x] : {std::pair{inner_, 0x36}, std::pair{outer_, 0x5c}}) {
    for (size_t i = 0; i < kBlock; ++i) pad[i] = block[i] ^ x;
    ok_ = ok_ && ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
          EVP_DigestUpdate(ctx, pad, kBlock) == 1;
  }
}

HmacSha256Key::~HmacSha256Key() {
  EVP_MD_CTX_free(inner_);
  EVP_MD_CTX_free(outer_);
}

bool HmacSha256Key::Mac(std::string_view data, unsigned char* mac, unsigned int* len) const {
  unsigned char inner[EVP_MAX_MD_SIZE];
  unsigned int inner_len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = ok_ && ctx != nullptr && EVP_MD_CTX_copy_ex(ctx, inner_) == 1 &&
                  EVP_DigestUpdate(ctx, data.data(), data.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx, inner, &inner_len) == 1 &&
                  EVP_MD_CTX_copy_ex(ctx, outer_) == 1 &&
                  EVP_DigestUpdate(ctx, inner, inner_len) == 1 &&
                  EVP_DigestFinal_ex(ctx, mac, len) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

std::string HmacSha256Key::Hex(std::string_view data) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!Mac(data, mac, &len)) return HmacSha256Hex(key_, data);  // OpenSSL said no
  return storepilot::Hex(mac, len);
}

std::string HmacSha256Key::Base64(std::string_view data) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!Mac(data, mac, &len)) return HmacSha256Base64(key_, data);
  return storepilot::Base64(mac, len);
}

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  int ok = RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes));
  assert(ok == 1 && "the OS random source failed");
  (void)ok;
  return Hex(reinterpret_cast<const unsigned char*>(raw.data()), bytes);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace storepilot

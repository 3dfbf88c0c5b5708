#ifndef STOREPILOT_COMMON_CRYPTO_H_
#define STOREPILOT_COMMON_CRYPTO_H_

// Thin wrappers over OpenSSL for tokens and signatures.

#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX

namespace storepilot {

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);
// Base64 of HMAC-SHA256(key, data), as Shopify signs webhooks.
std::string HmacSha256Base64(std::string_view key, std::string_view data);
// Lower-case hex of HMAC-SHA256(key, data) (keyed hashes of personal data).
std::string HmacSha256Hex(std::string_view key, std::string_view data);
// HMAC-SHA256 (RFC 2104) under one key, with the SHA-256 states after the
// key's inner and outer pads computed once: a MAC then costs two copies of a
// digest context and the data's blocks, where the one-shot HMAC() sets the
// key up and fetches the digest on every call (3.4 of 7 us for a 3.3 KB
// webhook body). Thread-safe: the prepared states are only read.
class HmacSha256Key {
 public:
  explicit HmacSha256Key(std::string_view key);
  ~HmacSha256Key();
  HmacSha256Key(const HmacSha256Key&) = delete;
  HmacSha256Key& operator=(const HmacSha256Key&) = delete;

  // Exactly HmacSha256Hex(key, data) and HmacSha256Base64(key, data).
  std::string Hex(std::string_view data) const;
  std::string Base64(std::string_view data) const;

 private:
  // The MAC into `mac` (EVP_MAX_MD_SIZE bytes), its length into `*len`;
  // false when OpenSSL failed (the callers then take the one-shot path).
  bool Mac(std::string_view data, unsigned char* mac, unsigned int* len) const;

  const std::string key_;
  evp_md_ctx_st* inner_;
  evp_md_ctx_st* outer_;
  bool ok_ = true;
};

// `bytes` random bytes from the OS CSPRNG, hex-encoded (2 * bytes chars).
std::string RandomHex(size_t bytes);
// Compares in time that depends only on the lengths, not on the contents.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace storepilot

#endif  // STOREPILOT_COMMON_CRYPTO_H_

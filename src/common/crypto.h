#ifndef STOREPILOT_COMMON_CRYPTO_H_
#define STOREPILOT_COMMON_CRYPTO_H_

// Thin wrappers over OpenSSL for tokens and signatures.

#include <string>
#include <string_view>

namespace storepilot {

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);
// Base64 of HMAC-SHA256(key, data), as Shopify signs webhooks.
std::string HmacSha256Base64(std::string_view key, std::string_view data);
// Lower-case hex of HMAC-SHA256(key, data) (keyed hashes of personal data).
std::string HmacSha256Hex(std::string_view key, std::string_view data);
// `bytes` random bytes from the OS CSPRNG, hex-encoded (2 * bytes chars).
std::string RandomHex(size_t bytes);
// Compares in time that depends only on the lengths, not on the contents.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace storepilot

#endif  // STOREPILOT_COMMON_CRYPTO_H_

#include "ingest/shopify_delivery.h"

#include <cctype>
#include <cstring>
#include <utility>

#include <openssl/evp.h>

#include "common/binary_codec.h"
#include "common/crypto.h"

namespace storepilot::ingest {
namespace {

constexpr uint8_t kDeliveryVersion = 1;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string EncodeDelivery(const ShopifyDelivery& d) {
  std::string out;
  out.reserve(d.body.size() + d.topic.size() + d.shop_domain.size() + 96);
  BinaryWriter w(&out);
  w.PutU8(kDeliveryVersion);
  for (const std::string* s : {&d.topic, &d.shop_domain, &d.webhook_id, &d.event_id,
                               &d.triggered_at, &d.api_version}) {
    w.PutString(*s);
  }
  out.append(d.body);
  return out;
}

absl::StatusOr<ShopifyDelivery> DecodeDelivery(std::string_view payload) {
  BinaryReader r(payload);
  uint8_t version = 0;
  if (!r.GetU8(&version) || version != kDeliveryVersion) {
    return absl::DataLossError("webhook record: unknown version");
  }
  ShopifyDelivery d;
  for (std::string* s : {&d.topic, &d.shop_domain, &d.webhook_id, &d.event_id,
                         &d.triggered_at, &d.api_version}) {
    if (!r.GetString(s)) return absl::DataLossError("webhook record: truncated");
  }
  d.body = std::string(r.rest());
  return d;
}

std::string DeliveryDedupKey(const ShopifyDelivery& d) {
  if (!d.event_id.empty()) return "shopify-event:" + d.topic + ":" + d.event_id;
  if (!d.webhook_id.empty()) return "shopify-webhook:" + d.webhook_id;
  return "";
}

std::optional<ShopInfo> ResolveShopDomain(const ShopRegistry& shops, std::string_view domain) {
  const std::string lower = Lower(domain);
  if (lower.empty()) return std::nullopt;
  if (auto exact = shops.Find(lower)) return exact;
  constexpr std::string_view kSuffix = ".myshopify.com";
  if (lower.size() > kSuffix.size() && lower.ends_with(kSuffix)) {
    return shops.Find(lower.substr(0, lower.size() - kSuffix.size()));
  }
  return std::nullopt;
}

bool VerifyShopifyHmac(std::string_view secret, std::string_view body,
                       std::string_view signature) {
  if (secret.empty() || signature.empty()) return false;
  return ConstantTimeEquals(HmacSha256Base64(secret, body), signature);
}

// HMAC-SHA256 (RFC 2104) under one key, with the SHA-256 states after the
// key's inner and outer pads computed once: a MAC then costs two copies of a
// digest context and four compression blocks, where the one-shot HMAC()
// set the key up (and looked the digest up) on every call, twice per order.
class PiiHasher::Key {
 public:
  explicit Key(std::string key) : key_(std::move(key)) {
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
  ~Key() {
    EVP_MD_CTX_free(inner_);
    EVP_MD_CTX_free(outer_);
  }
  Key(const Key&) = delete;
  Key& operator=(const Key&) = delete;

  // Lower-case hex of HMAC-SHA256(key, data), as HmacSha256Hex gives it.
  // Thread-safe: the prepared states are only read.
  std::string MacHex(std::string_view data) const {
    unsigned char inner[EVP_MAX_MD_SIZE];
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int inner_len = 0, mac_len = 0;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const bool ok = ok_ && ctx != nullptr && EVP_MD_CTX_copy_ex(ctx, inner_) == 1 &&
                    EVP_DigestUpdate(ctx, data.data(), data.size()) == 1 &&
                    EVP_DigestFinal_ex(ctx, inner, &inner_len) == 1 &&
                    EVP_MD_CTX_copy_ex(ctx, outer_) == 1 &&
                    EVP_DigestUpdate(ctx, inner, inner_len) == 1 &&
                    EVP_DigestFinal_ex(ctx, mac, &mac_len) == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok) return HmacSha256Hex(key_, data);  // OpenSSL said no: the slow way
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(2 * mac_len, '0');
    for (unsigned int i = 0; i < mac_len; ++i) {
      out[2 * i] = kDigits[mac[i] >> 4];
      out[2 * i + 1] = kDigits[mac[i] & 0xf];
    }
    return out;
  }

 private:
  const std::string key_;
  EVP_MD_CTX* inner_ = EVP_MD_CTX_new();
  EVP_MD_CTX* outer_ = EVP_MD_CTX_new();
  bool ok_ = true;
};

std::shared_ptr<const PiiHasher::Key> PiiHasher::KeyOf(std::string_view shop) const {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = keys_.find(std::string(shop));
    if (it != keys_.end()) return it->second;
  }
  auto info = shops_->Find(std::string(shop));
  std::string secret;
  if (info) secret = info->webhook_secret.empty() ? info->token_sha256 : info->webhook_secret;
  // A derived key: the webhook secret itself never signs anything stored.
  auto key = std::make_shared<const Key>(
      HmacSha256Hex(secret, "storepilot-pii-v1:" + std::string(shop)));
  if (info) {
    std::lock_guard<std::mutex> lock(mu_);
    keys_.emplace(std::string(shop), key);
  }
  return key;
}

std::string PiiHasher::Hash(std::string_view shop, std::string_view value) const {
  return KeyOf(shop)->MacHex(value);
}

std::string PiiHasher::HashEmail(std::string_view shop, std::string_view email) const {
  size_t b = 0, e = email.size();
  while (b < e && std::isspace(static_cast<unsigned char>(email[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(email[e - 1]))) --e;
  if (b == e) return "";
  return Hash(shop, Lower(email.substr(b, e - b)));
}

}  // namespace storepilot::ingest

#ifndef STOREPILOT_INGEST_SHOPIFY_DELIVERY_H_
#define STOREPILOT_INGEST_SHOPIFY_DELIVERY_H_

// One Shopify webhook delivery as the receiver stores it (kWebhook records):
// the headers that matter and the raw body bytes, unparsed. Verifying and
// storing a delivery needs no JSON parsing; translation happens later, from
// the log (ingest/shopify_translator.h).

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "absl/status/statusor.h"
#include "common/crypto.h"
#include "ingest/shop_registry.h"

namespace storepilot::ingest {

struct ShopifyDelivery {
  std::string topic;         // "orders/create", ...
  std::string shop_domain;   // X-Shopify-Shop-Domain
  std::string webhook_id;    // X-Shopify-Webhook-Id
  std::string event_id;      // X-Shopify-Event-Id (may be empty)
  std::string triggered_at;  // X-Shopify-Triggered-At (RFC 3339, may be empty)
  std::string api_version;   // X-Shopify-API-Version
  std::string body;          // raw bytes as signed
};

// The kWebhook payload for `d`, and back. DecodeDelivery: DataLoss on
// truncated or unknown-version input.
std::string EncodeDelivery(const ShopifyDelivery& d);
absl::StatusOr<ShopifyDelivery> DecodeDelivery(std::string_view payload);

// The idempotency key: topic and event id (one merchant action can fire
// several topics), or the webhook id when Shopify sent no event id; "" when
// neither is present (no deduplication possible).
std::string DeliveryDedupKey(const ShopifyDelivery& d);

// The shop a Shopify shop domain belongs to: the shop whose name is exactly
// the domain ("demo.myshopify.com"), else, for "{name}.myshopify.com", the
// shop called "{name}". Domains are compared lower-cased.
std::optional<ShopInfo> ResolveShopDomain(const ShopRegistry& shops, std::string_view domain);

// Verifies Shopify's signatures with each secret's HMAC key prepared once (a
// shop's secret signs every delivery of the shop: the one-shot HMAC set the
// key up again each time). Thread-safe.
class ShopifyHmacVerifier {
 public:
  // True when `signature` is base64(HMAC-SHA256(secret, body)); constant time
  // in the contents. False for an empty secret or signature.
  bool Verify(std::string_view secret, std::string_view body, std::string_view signature) const;

 private:
  static constexpr size_t kMaxKeys = 100'000;

  struct Hash : std::hash<std::string_view> {
    using is_transparent = void;
  };
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, std::shared_ptr<const HmacSha256Key>, Hash,
                             std::equal_to<>>
      keys_;  // by secret; guarded by mu_
};

// Keyed hashes of personal data (emails, IPs): hex HMAC-SHA256 under a key
// derived from the shop's webhook secret (its token hash when it has none),
// so equal values match within a shop but cannot be looked up across shops
// or reversed with a dictionary without the key. Emails are trimmed and
// lower-cased first. Thread-safe.
class PiiHasher {
 public:
  explicit PiiHasher(const ShopRegistry* shops) : shops_(shops) {}
  std::string Hash(std::string_view shop, std::string_view value) const;
  std::string HashEmail(std::string_view shop, std::string_view email) const;

 private:
  // The shop's derived key, ready to MAC with.
  std::shared_ptr<const HmacSha256Key> KeyOf(std::string_view shop) const;

  const ShopRegistry* shops_;
  mutable std::mutex mu_;
  // Derived keys of shops that exist (a shop's secret never changes).
  mutable std::unordered_map<std::string, std::shared_ptr<const HmacSha256Key>> keys_;  // guarded by mu_
};

}  // namespace storepilot::ingest

#endif  // STOREPILOT_INGEST_SHOPIFY_DELIVERY_H_

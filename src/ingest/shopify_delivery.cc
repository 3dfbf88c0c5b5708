#include "ingest/shopify_delivery.h"

#include <cctype>
#include <utility>

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

bool ShopifyHmacVerifier::Verify(std::string_view secret, std::string_view body,
                                 std::string_view signature) const {
  if (secret.empty() || signature.empty()) return false;
  std::shared_ptr<const HmacSha256Key> key;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = keys_.find(secret);
    if (it == keys_.end()) {
      // Secrets of shops since removed or re-created stay until this bound.
      if (keys_.size() >= kMaxKeys) keys_.clear();
      it = keys_.emplace(std::string(secret), std::make_shared<const HmacSha256Key>(secret))
               .first;
    }
    key = it->second;
  }
  return ConstantTimeEquals(key->Base64(body), signature);
}

std::shared_ptr<const HmacSha256Key> PiiHasher::KeyOf(std::string_view shop) const {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = keys_.find(std::string(shop));
    if (it != keys_.end()) return it->second;
  }
  auto info = shops_->Find(std::string(shop));
  std::string secret;
  if (info) secret = info->webhook_secret.empty() ? info->token_sha256 : info->webhook_secret;
  // A derived key: the webhook secret itself never signs anything stored.
  auto key = std::make_shared<const HmacSha256Key>(
      HmacSha256Hex(secret, "storepilot-pii-v1:" + std::string(shop)));
  if (info) {
    std::lock_guard<std::mutex> lock(mu_);
    keys_.emplace(std::string(shop), key);
  }
  return key;
}

std::string PiiHasher::Hash(std::string_view shop, std::string_view value) const {
  return KeyOf(shop)->Hex(value);
}

std::string PiiHasher::HashEmail(std::string_view shop, std::string_view email) const {
  size_t b = 0, e = email.size();
  while (b < e && std::isspace(static_cast<unsigned char>(email[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(email[e - 1]))) --e;
  if (b == e) return "";
  return Hash(shop, Lower(email.substr(b, e - b)));
}

}  // namespace storepilot::ingest

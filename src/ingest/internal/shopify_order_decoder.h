#ifndef STOREPILOT_INGEST_INTERNAL_SHOPIFY_ORDER_DECODER_H_
#define STOREPILOT_INGEST_INTERNAL_SHOPIFY_ORDER_DECODER_H_

// The canonical order of a Shopify orders/* delivery, two ways:
//
// - CanonicalShopifyOrder: from the parsed body (nlohmann), the reference.
// - ShopifyOrderDecoder: straight from the body's bytes with simdjson, for
//   the shapes Shopify sends. It builds exactly what the reference builds
//   (same fields, same JSON types, so the stored order and its events are
//   byte-identical), at a fraction of the CPU: no DOM of the whole 3 KB body,
//   no deep copy of it. When it cannot be sure it answers nullopt and the
//   caller takes the reference path, which then decides "malformed" or
//   "invalid" with the messages it always gave.

#include <memory>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "ingest/shopify_delivery.h"
#include "nlohmann/json.hpp"

namespace storepilot::ingest {

// The order of delivery body `body` (a JSON object) of topic `topic`:
// Shopify's refunds summed into refunded_amount / refund_ids (unless the body
// has refunded_amount), cancelled_at defaulting to `triggered_at` for
// orders/cancelled, then CanonicalOrder (ingest/order.h) for `shop`.
absl::StatusOr<nlohmann::json> CanonicalShopifyOrder(const nlohmann::json& body,
                                                     std::string_view topic,
                                                     std::string_view triggered_at,
                                                     std::string_view shop,
                                                     const PiiHasher& hasher);

// Not thread-safe: one decoder per thread at a time (it keeps its parser's
// buffers from one delivery to the next).
class ShopifyOrderDecoder {
 public:
  ShopifyOrderDecoder();
  ~ShopifyOrderDecoder();

  // CanonicalShopifyOrder(json::parse(body), ...) when that is a valid order
  // and `body` has none of what is left to the reference path: JSON that
  // simdjson rejects (nlohmann then decides), a \uD800-\uDFFF escape, a
  // non-empty `refunds` array or a `refund_ids` field, a float where an
  // integer is read, a negative zero, an invalid field. nullopt then.
  std::optional<nlohmann::json> Decode(std::string_view body, std::string_view topic,
                                       std::string_view triggered_at, std::string_view shop,
                                       const PiiHasher& hasher);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace storepilot::ingest

#endif  // STOREPILOT_INGEST_INTERNAL_SHOPIFY_ORDER_DECODER_H_

#ifndef STOREPILOT_INGEST_INTERNAL_SHOPIFY_JSON_H_
#define STOREPILOT_INGEST_INTERNAL_SHOPIFY_JSON_H_

// Small readers for Shopify's REST JSON (ids as numbers or strings, money as
// strings, comma-separated tags) shared by the translator's parts.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/event.h"
#include "nlohmann/json.hpp"

namespace storepilot::ingest {

enum class KnownTopic {
  kUnknown,
  kOrder,           // orders/create|updated|paid|cancelled
  kRefund,          // refunds/create
  kProductUpsert,   // products/create|update
  kProductDelete,   // products/delete
  kInventoryLevel,  // inventory_levels/update
  kCart,            // carts/create|update
  kCheckout,        // checkouts/create|update
  kCustomer,        // customers/create|update
  kCustomersDataRequest,
  kCustomersRedact,
  kShopRedact,
  kAppUninstalled,
};
KnownTopic ClassifyTopic(std::string_view topic);
// A bounded metric label for the topic ("orders", "products", ..., "other").
const char* TopicLabel(KnownTopic topic);

// Epoch ms of an RFC 3339 string (or an integer of epoch ms); 0 when absent
// or malformed.
int64_t JsonMillis(const nlohmann::json& v);
int64_t TimeMillis(std::string_view rfc3339);
// An id as a string ("" for null or anything else).
std::string IdString(const nlohmann::json& v);
// A number or numeric string; 0 otherwise.
double NumberOf(const nlohmann::json& v);
// "a, b,c" (or an array) -> ["a", "b", "c"].
nlohmann::json SplitTags(const nlohmann::json& v);
// The amount refunded by a Shopify refund: its successful refund
// transactions, else the subtotals of its refund line items.
double RefundAmount(const nlohmann::json& refund);
// A cart's or checkout's line items, keyed by variant id (else product id).
std::map<std::string, LineItem> CartLines(const nlohmann::json& cart);
// add_to_cart / remove_from_cart events (type, product_id, quantity, price)
// turning `before` into `after`.
std::vector<Event> DiffCart(const std::map<std::string, LineItem>& before,
                            const std::map<std::string, LineItem>& after);

}  // namespace storepilot::ingest

#endif  // STOREPILOT_INGEST_INTERNAL_SHOPIFY_JSON_H_

#ifndef STOREPILOT_FRAUD_ORDER_JSON_H_
#define STOREPILOT_FRAUD_ORDER_JSON_H_

// The storepilot order JSON (the shared contract of the orders API and of
// POST /v1/shops/{shop}/orders/{order_id}/risk; field names follow Shopify's
// REST Order resource) mapped to what the fraud engine reads.

#include "absl/status/statusor.h"
#include "fraud/order.h"
#include "nlohmann/json.hpp"

namespace storepilot::fraud {

// Maps an order document to a fraud::Order:
//   id (string or integer)            -> order_id          (required)
//   created_at (RFC 3339 or epoch ms) -> time_ms           (required)
//   total_price (number or numeric string) -> amount       (required)
//   customer_id, email, browser_ip, ip_country, client_details.device_id,
//   payment.card_fingerprint          -> the entities of the same meaning
//   shipping_address                  -> shipping_address (normalised
//       "address1|zip|city|country", lower case), shipping_country,
//       shipping_lat/lon (latitude/longitude)
//   billing_address.country_code      -> billing_country
//   payment.attempts (this one included) -> payment_attempts = attempts - 1
//   total_discounts, else the sum of discount_codes[].amount -> discount_amount
//   customer_orders_count             -> customer_orders_count
// Unknown fields are ignored; a known field of the wrong type is an error.
// Errors: InvalidArgument naming the field; the result also passes
// ValidateOrder.
absl::StatusOr<Order> OrderFromJson(const nlohmann::json& j);

}  // namespace storepilot::fraud

#endif  // STOREPILOT_FRAUD_ORDER_JSON_H_

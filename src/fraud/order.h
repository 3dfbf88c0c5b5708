#ifndef STOREPILOT_FRAUD_ORDER_H_
#define STOREPILOT_FRAUD_ORDER_H_

#include <cmath>
#include <cstdint>
#include <string>

#include "absl/status/status.h"

namespace storepilot::fraud {

// What the fraud engine knows about one order (or card transaction). Only
// `order_id`, `time_ms` and `amount` are required; every other field may be
// empty / NaN / negative when unknown, and the features that depend on it are
// then missing (NaN) rather than zero.
struct Order {
  std::string order_id;
  int64_t time_ms = 0;  // Milliseconds since the Unix epoch (UTC).
  double amount = 0;    // In the shop's currency.

  // Entities whose velocity and risk are tracked. For card-transaction data
  // the customer is the card and the terminal is the merchant.
  std::string customer_id;
  std::string card_fingerprint;
  std::string email;
  std::string ip;  // Dotted IPv4 also yields an "ip_prefix" (/24) entity.
  std::string device_id;
  std::string shipping_address;  // Normalised address line, as the caller has it.
  std::string terminal_id;       // Terminal, merchant or storefront.

  // ISO 3166 alpha-2 codes.
  std::string billing_country;
  std::string shipping_country;
  std::string ip_country;

  // Degrees; NaN when unknown.
  double ip_lat = NAN, ip_lon = NAN;
  double shipping_lat = NAN, shipping_lon = NAN;

  int payment_attempts = -1;  // Payment tries before this one succeeded; -1 unknown.
  double discount_amount = NAN;
  // Orders the customer has placed with the shop before, as the shop counts
  // them (usable in rules as customer.orders_count); -1 unknown.
  int customer_orders_count = -1;
};

// OK when `order` can be scored: a non-empty id (at most 256 bytes), a finite,
// non-negative amount, and a time after 2000-01-01; InvalidArgument naming
// the field otherwise.
absl::Status ValidateOrder(const Order& order);

}  // namespace storepilot::fraud

#endif  // STOREPILOT_FRAUD_ORDER_H_

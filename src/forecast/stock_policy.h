#ifndef STOREPILOT_FORECAST_STOCK_POLICY_H_
#define STOREPILOT_FORECAST_STOCK_POLICY_H_

// A shop's replenishment policy for inventory alerts: the lead time, service
// level and alert threshold for the whole shop, and overrides per product
// (a product shipped from far away has a longer lead time; a best-seller may
// deserve a higher service level). Set with
// PUT /v1/shops/{shop}/inventory/policy, kept in the log as a
// kInventoryPolicy record, applied by ForecastHub.
//
// Document:
//   {"lead_time_days": 7, "service_level": 0.95, "threshold": 0.2,
//    "products": {"p1": {"lead_time_days": 30}, "p2": {"service_level": 0.99}}}
// Every field is optional; a missing shop field keeps the built-in default
// (StockPolicy's), a missing product field the shop's.

#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "store/event_log.h"

namespace storepilot::forecast {

// Stock-out parameters of one product.
struct StockPolicy {
  int lead_time_days = 7;      // Replenishment lead time.
  double service_level = 0.95; // The reorder quantity covers demand to this quantile.
  double threshold = 0.2;      // Alert when P(stock-out within the lead time) exceeds it.
};

struct StockPolicyOverride {
  std::optional<int> lead_time_days;
  std::optional<double> service_level;
  std::optional<double> threshold;

  // `base` with the fields this override sets.
  StockPolicy Over(StockPolicy base) const;
};

struct ShopStockPolicy {
  StockPolicyOverride shop;  // Over the built-in defaults.
  absl::flat_hash_map<std::string, StockPolicyOverride> products;

  // The policy of `product_id`: its override over the shop's over `base`.
  StockPolicy For(const std::string& product_id, StockPolicy base = {}) const;
};

// At most this many per-product overrides in one document.
inline constexpr size_t kMaxPolicyProducts = 100'000;

// Parses and validates a policy document: lead_time_days in [1, 366],
// service_level in [0.5, 0.9999], threshold in [0, 0.99]; InvalidArgument
// naming the field otherwise.
absl::StatusOr<ShopStockPolicy> ParseStockPolicy(const nlohmann::json& document);
nlohmann::json StockPolicyToJson(const ShopStockPolicy& policy);

// The record PUT /v1/shops/{shop}/inventory/policy appends (REQUIRES:
// ParseStockPolicy accepts the document).
store::AppendItem StockPolicyRecord(const nlohmann::json& document);

}  // namespace storepilot::forecast

#endif  // STOREPILOT_FORECAST_STOCK_POLICY_H_

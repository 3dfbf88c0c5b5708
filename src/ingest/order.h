#ifndef STOREPILOT_INGEST_ORDER_H_
#define STOREPILOT_INGEST_ORDER_H_

// Orders: the canonical order JSON (docs/orders.md; field names follow
// Shopify's REST Order resource) and the per-shop order store built from the
// log (kOrderUpsert records and Shopify order webhooks).
//
// Personal data is minimised on the way in: "email" is stored as
// "<keyed hash of the address>@<domain>" and "browser_ip" as the keyed hash
// of the IP (PiiHasher), so identity and velocity features still work.

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest/shopify_delivery.h"
#include "nlohmann/json.hpp"

namespace storepilot::ingest {

// Validates `in` (storepilot's order schema, or a Shopify REST order, which
// uses the same names) and returns the canonical order: ids as strings,
// money as numbers, timestamps as RFC 3339 UTC, personal data hashed with
// `hasher` for `shop`. InvalidArgument naming the field on bad input.
// Required: id, created_at, total_price.
absl::StatusOr<nlohmann::json> CanonicalOrder(const nlohmann::json& in, std::string_view shop,
                                              const PiiHasher& hasher);

// Epoch ms of the canonical order's version (updated_at, else created_at).
int64_t OrderVersionMillis(const nlohmann::json& order);

// The orders of every shop. Thread-safe; Upsert is called from the log's
// apply path (one thread per partition at a time).
class OrderStore {
 public:
  // Told the canonical order each time an order is created or replaced by a
  // newer version; called on the applying thread, so keep it quick.
  using Listener = std::function<void(std::string_view shop, const nlohmann::json& order)>;
  // REQUIRES: called before the log opens.
  void AddListener(Listener listener) { listeners_.push_back(std::move(listener)); }

  // Stores `order` (canonical) unless a newer version of it is stored already
  // (an equal version replaces it). Returns whether it was stored, and
  // whether the order is new to the store in `*created`.
  bool Upsert(std::string_view shop, const nlohmann::json& order, bool* created = nullptr);
  std::optional<nlohmann::json> Get(std::string_view shop, std::string_view id) const;
  size_t Count(std::string_view shop) const;
  // Orders of a customer: those with customer_id == `customer_id` (if not
  // empty), email hashed to `email_hash` (if not empty), or an id in `ids`.
  std::vector<nlohmann::json> Find(std::string_view shop, std::string_view customer_id,
                                   std::string_view email_hash,
                                   const std::vector<std::string>& ids) const;
  // Removes what Find returns; returns the removed order ids.
  std::vector<std::string> Erase(std::string_view shop, std::string_view customer_id,
                                 std::string_view email_hash,
                                 const std::vector<std::string>& ids);
  void EraseShop(std::string_view shop);

 private:
  struct Stored {
    int64_t version_ms = 0;
    std::string json;  // serialised: a third of the memory of a parsed tree
  };
  using Orders = std::unordered_map<std::string, Stored>;
  static bool Matches(const nlohmann::json& order, std::string_view customer_id,
                      std::string_view email_hash, const std::vector<std::string>& ids);

  mutable std::mutex mu_;
  std::unordered_map<std::string, Orders> shops_;  // guarded by mu_
  std::vector<Listener> listeners_;
};

}  // namespace storepilot::ingest

#endif  // STOREPILOT_INGEST_ORDER_H_

#ifndef STOREPILOT_INGEST_REDACTION_H_
#define STOREPILOT_INGEST_REDACTION_H_

// The privacy hooks every engine that keeps per-customer state implements
// (recommendations' user state, fraud feature windows, search
// personalisation): forget a customer or a whole shop, and contribute to a
// customer's data export. The Shopify translator calls them from the log's
// apply path when customers/redact, shop/redact or customers/data_request
// arrive (or from the admin API).

#include <string>
#include <string_view>
#include <vector>

#include "nlohmann/json.hpp"

namespace storepilot::ingest {

// Who is being redacted or exported, by every key an engine may hold.
struct CustomerRef {
  std::string customer_id;              // the shop's customer id ("user_id" in events)
  std::string email_hash;               // PiiHasher::HashEmail, "" when unknown
  std::vector<std::string> order_ids;   // their orders
  std::vector<std::string> session_ids; // their cart / checkout tokens (event session ids)
};

class RedactionListener {
 public:
  virtual ~RedactionListener() = default;
  // A short stable name ("recommend", "fraud", "search"): the key of this
  // listener's part of a data export.
  virtual std::string name() const = 0;
  // Forget everything that identifies `customer` in `shop`; aggregates that
  // cannot identify them may stay. Called on a log apply thread: be quick.
  virtual void OnCustomerRedacted(std::string_view shop, const CustomerRef& customer) = 0;
  // Forget everything of `shop`.
  virtual void OnShopRedacted(std::string_view shop) = 0;
  // What this engine holds about `customer` (JSON), or null when nothing.
  virtual nlohmann::json ExportCustomer(std::string_view shop, const CustomerRef& customer) {
    (void)shop;
    (void)customer;
    return nullptr;
  }
};

}  // namespace storepilot::ingest

#endif  // STOREPILOT_INGEST_REDACTION_H_

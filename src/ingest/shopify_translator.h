#ifndef STOREPILOT_INGEST_SHOPIFY_TRANSLATOR_H_
#define STOREPILOT_INGEST_SHOPIFY_TRANSLATOR_H_

// Translates the log's Shopify deliveries (kWebhook) and platform-neutral
// orders (kOrderUpsert) into storepilot's state, on the log's apply path:
//
//   orders/*, refunds/create        -> OrderStore + one `purchase` event per line item
//   products/*, inventory_levels/update -> catalog::Catalog
//   carts/*, checkouts/*            -> add_to_cart / remove_from_cart / checkout events
//                                      (line items diffed against the previous cart)
//   customers/create|update         -> customer profiles (email as keyed hash)
//   customers/data_request          -> a JSON export (DataRequest)
//   customers/redact, shop/redact   -> state erased, listeners told, the log rewritten
//   app/uninstalled                 -> the shop's later deliveries are stored, not applied
//   anything else                   -> counted (storepilot_shopify_unknown_topic_total)
//
// Derived events are not appended to the log again: they are handed, as
// kEvent LogRecords carrying the delivery's partition and sequence number, to
// `event_sinks`, in order (decoded, through ApplyEvent, to those that are
// EventSinks: ingest/event_sink.h). A replay of the log derives the same events, so
// every engine sees each exactly once per state rebuild, and removing a
// delivery from the log (redaction) removes its events too.
//
// Out-of-order deliveries: orders, products, customers and carts keep the
// version (updated_at) they were built from; an older version is ignored.
//
// Redaction: state is erased at once on the apply thread; a privacy worker
// (started by AttachLog) then rewrites every log record that holds the
// customer's data into a kRedacted record, turns the redact delivery itself
// into a kRedactionAudit record (who, what, when, counts: no personal data)
// and compacts the store so the old bytes leave the disk.
//
// Thread safety: Apply runs on partition strands; everything else may be
// called from any thread.

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "catalog/catalog.h"
#include "common/clock.h"
#include "ingest/event.h"
#include "ingest/event_sink.h"
#include "ingest/order.h"
#include "ingest/redaction.h"
#include "ingest/shop_registry.h"
#include "ingest/shopify_delivery.h"
#include "nlohmann/json.hpp"
#include "observe/metrics.h"
#include "store/event_log.h"

namespace storepilot::ingest {

class ShopifyOrderDecoder;  // internal/shopify_order_decoder.h

struct ShopifyTranslatorDeps {
  OrderStore* orders = nullptr;
  catalog::Catalog* catalog = nullptr;
  const ShopRegistry* shops = nullptr;
  observe::MetricsRegistry* metrics = nullptr;
  const Clock* clock = nullptr;
  // Receive the derived events; those that are EventSinks get them decoded.
  std::vector<store::RecordSink*> event_sinks;
};

class ShopifyTranslator : public store::RecordSink {
 public:
  // Every pointer in `deps` must outlive the translator.
  explicit ShopifyTranslator(ShopifyTranslatorDeps deps);
  ~ShopifyTranslator() override;  // Stop()

  void Apply(const store::LogRecord& record) override;

  // REQUIRES: called before the log opens. `listener` must outlive this.
  void AddRedactionListener(RedactionListener* listener) { listeners_.push_back(listener); }
  // Starts the privacy worker on `log` (after EventLog::Open). Stop() must be
  // called before the log shuts down.
  void AttachLog(store::EventLog* log);
  // Stops the worker; jobs not done yet are redone by the next replay (their
  // deliveries are still in the log). Idempotent.
  void Stop();
  // Blocks until the privacy worker has no job left or `timeout_ms` passes.
  bool WaitPrivacyIdle(int timeout_ms) const;

  // The export of data request `id` of `shop`: {"status": "pending"|"complete", ...}.
  std::optional<nlohmann::json> DataRequest(const std::string& shop, const std::string& id) const;
  // The shop's redaction audit entries, oldest first.
  nlohmann::json Audit(const std::string& shop) const;
  std::optional<nlohmann::json> Customer(const std::string& shop, const std::string& id) const;
  bool Uninstalled(const std::string& shop) const;

  const PiiHasher& hasher() const { return hasher_; }

 private:
  struct Cart {
    int64_t version_ms = 0;
    std::map<std::string, LineItem> lines;  // by variant (else product) id
    std::string customer_id;
  };
  struct Variant {
    std::string id, inventory_item_id;
    std::optional<int64_t> quantity;
    std::map<std::string, std::pair<int64_t, int64_t>> levels;  // location -> (ms, available)
  };
  struct ProductState {
    int64_t version_ms = 0;
    int64_t inventory_ms = 0;
    bool deleted = false;
    nlohmann::json product;  // catalog JSON without inventory
    std::vector<Variant> variants;
  };
  struct Export {
    std::string customer_id, email_hash;
    nlohmann::json body;
  };
  struct ShopState {
    bool uninstalled = false;
    std::unordered_map<std::string, Cart> carts;  // by cart token
    std::unordered_set<std::string> checkouts;    // checkout tokens seen
    std::unordered_map<std::string, nlohmann::json> customers;
    std::unordered_map<std::string, ProductState> products;
    std::unordered_map<std::string, std::pair<std::string, size_t>> inventory_items;
    std::unordered_map<std::string, Export> exports;  // by data request id
    std::vector<nlohmann::json> audit;
  };
  // A privacy worker job: finish an export, or rewrite the log for a redaction.
  struct Job {
    enum class Kind { kExport, kRedactCustomer, kRedactShop } kind = Kind::kExport;
    std::string shop;
    uint16_t partition = 0;
    uint64_t seq = 0;  // the delivery that asked for this
    CustomerRef ref;
    std::string email;  // lower-cased, to match raw payloads; held in memory only
    std::string request_id;
    nlohmann::json audit;
  };

  void ApplyDelivery(const store::LogRecord& record, const ShopifyDelivery& d);
  // The canonical order of an orders/* delivery decoded from its bytes
  // (ShopifyOrderDecoder); nullopt: take the nlohmann path.
  std::optional<nlohmann::json> DecodeOrder(const ShopifyDelivery& d, std::string_view shop);
  void ApplyOrder(const store::LogRecord& record, const nlohmann::json& order);
  void ApplyOrderWebhook(const store::LogRecord& record, const ShopifyDelivery& d,
                         const nlohmann::json& body);
  void ApplyRefund(const store::LogRecord& record, const nlohmann::json& body);
  void ApplyCustomer(const std::string& shop, const nlohmann::json& body);
  void ApplyCart(const store::LogRecord& record, const nlohmann::json& body, bool checkout);
  void ApplyProduct(const std::string& shop, const nlohmann::json& body);
  void ApplyProductDelete(const std::string& shop, const nlohmann::json& body, int64_t ms);
  void ApplyInventoryLevel(const std::string& shop, const nlohmann::json& body);
  void PublishProduct(const std::string& shop, const std::string& id, const ProductState& p);
  void ApplyDataRequest(const store::LogRecord& record, const ShopifyDelivery& d,
                        const nlohmann::json& body);
  void ApplyCustomerRedact(const store::LogRecord& record, const ShopifyDelivery& d,
                           const nlohmann::json& body);
  void ApplyShopRedact(const store::LogRecord& record, const ShopifyDelivery& d);
  void Emit(const store::LogRecord& source, const Event& event);

  void WorkerLoop();
  void RunJob(Job& job);
  void Count(const char* topic, const char* result);

  ShopifyTranslatorDeps deps_;
  std::vector<EventSink*> decoded_sinks_;  // per event sink: itself as an EventSink, or null
  PiiHasher hasher_;
  std::vector<RedactionListener*> listeners_;

  mutable std::mutex mu_;
  std::unordered_map<std::string, ShopState> shops_;  // guarded by mu_

  // Decoders not in use; partitions apply concurrently, each takes one.
  std::mutex decoders_mu_;
  std::vector<std::unique_ptr<ShopifyOrderDecoder>> decoders_;  // guarded by decoders_mu_

  mutable std::mutex jobs_mu_;
  mutable std::condition_variable jobs_cv_;
  std::deque<std::unique_ptr<Job>> jobs_;  // guarded by jobs_mu_
  bool job_running_ = false;               // guarded by jobs_mu_
  bool stopping_ = false;                  // guarded by jobs_mu_
  store::EventLog* log_ = nullptr;
  std::thread worker_;

  std::mutex metrics_mu_;
  std::unordered_map<std::string, observe::Counter*> counters_;  // guarded by metrics_mu_
  observe::Counter* unknown_topics_ = nullptr;
  observe::Histogram* redaction_seconds_ = nullptr;
};

}  // namespace storepilot::ingest

#endif  // STOREPILOT_INGEST_SHOPIFY_TRANSLATOR_H_

#ifndef STOREPILOT_STORE_LOG_RECORD_H_
#define STOREPILOT_STORE_LOG_RECORD_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace storepilot::store {

// What a log record holds. Values are persisted: never renumber.
enum class RecordType : uint8_t {
  kEvent = 1,          // payload: ingest::EncodeEvent
  kProductUpsert = 2,  // payload: product JSON (catalog)
  kProductDelete = 3,  // payload: product id
  kShopCreate = 4,     // payload: shop record (ingest::ShopRegistry)
  kWebhook = 5,        // payload: ingest::EncodeDelivery (raw Shopify delivery)
  kOrderUpsert = 6,    // payload: canonical order JSON (ingest/order.h)
  kRedactionAudit = 7, // payload: redaction audit JSON, no personal data
  kRedacted = 8,       // payload: empty; a record removed by a redaction
  // 9-14: reserved for the Shopify/privacy work.
  kInventoryPolicy = 15,  // payload: stock policy JSON (forecast/stock_policy.h)
  // 16-19: recommendations and search configuration (api/shop_engines.h).
  kMerchandisingRules = 16,  // payload: merchandising document JSON (api/merchandising_doc.h)
  kSearchSynonyms = 17,      // payload: synonyms JSON (search::SynonymSet::FromJson)
  kSearchServed = 18,  // payload: a served search's first page (api/search_learning.h)
  // 20-24: fraud and forecasting.
  kFraudOrder = 20,    // payload: order id '\n' order JSON (fraud::FraudHub)
  kFraudLabel = 21,    // payload: {"order_id", "fraud", "source", "time_ms"}
  kFraudRules = 22,    // payload: the shop's rules text
  kShopCalendar = 23,  // payload: shop calendar JSON (forecast::CalendarStore)
  kPlatformCalendar = 24,  // payload: platform calendar JSON (forecast::ForecastHub)
  // 30-34: autoscaling.
  kAutoscaleDecision = 30,  // payload: a planner decision JSON (autoscale/decision_log.h)
};

// One applied record, as handed to every RecordSink. The views are valid only
// during the call.
struct LogRecord {
  uint16_t partition = 0;
  uint64_t seq = 0;  // 1-based, dense per partition
  RecordType type = RecordType::kEvent;
  std::string_view shop;
  std::string_view payload;
};

// A consumer of the log: an engine, the catalog, the shop registry.
// Apply is called for each record of a partition in sequence order, by one
// thread at a time per partition; different partitions may be applied
// concurrently, so state shared across shops needs its own synchronisation.
// Apply must not fail: a record it cannot use is counted and skipped.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void Apply(const LogRecord& record) = 0;
};

}  // namespace storepilot::store

#endif  // STOREPILOT_STORE_LOG_RECORD_H_

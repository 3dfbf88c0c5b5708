#ifndef STOREPILOT_FRAUD_FRAUD_HUB_H_
#define STOREPILOT_FRAUD_FRAUD_HUB_H_

// The fraud engines of every shop of a node: one FraudEngine per shop (tenant
// isolation: no feature, label, rule or model is shared between shops), fed
// by the event log (orders scored on demand, labels, rules), with models
// persisted per shop under a directory, hot-swapped, and retrained on a
// schedule in a background thread behind the validation gate. Free of HTTP:
// api/fraud_routes.cc is its wire.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "common/periodic_task.h"
#include "fraud/engine.h"
#include "fraud/order_record_buffer.h"
#include "nlohmann/json.hpp"
#include "observe/metrics.h"
#include "store/event_log.h"
#include "store/log_record.h"

namespace storepilot::fraud {

struct FraudHubOptions {
  EngineOptions engine;
  // Where models are persisted: DIR/<shop>/<version>.model and DIR/<shop>/CURRENT
  // (the version in service). Empty: nothing is persisted.
  std::string model_dir;
  // The model a shop uses until it has one of its own (for example one
  // trained by `storepilot fraud predict --model-out`). Empty: none, and
  // scoring answers Unavailable until the first retrain succeeds.
  std::string default_model_path;
  // Scheduled retraining per shop; 0 disables it. Measured on the Clock, so
  // a FakeClock drives it in tests.
  int64_t retrain_interval_ms = 24 * kMillisPerHour;
  // How often (real time) the scheduler thread looks at the clock.
  int scheduler_tick_ms = 1000;
  // Order records (RecordOrder) are gathered this long and appended to the
  // log in one batch (see OrderRecordBuffer).
  int order_record_delay_ms = 10;
  TrainOptions train;
  double validation_fraction = 0.2;
};

// Records the API appends, and what Apply does with them. Every record is
// applied in log order on the shop's partition, at startup replay too.
// kFraudOrder payload: the order id, '\n', the order JSON (the id first lets
// the live path skip orders it has recorded already without parsing them).
store::AppendItem FraudOrderRecord(const std::string& order_id, const nlohmann::json& order);
// The same from the order JSON as received (an object; its "id" may be
// missing, Apply then takes the record's).
store::AppendItem FraudOrderRecordFromText(const std::string& order_id,
                                           std::string_view order_json);
store::AppendItem FraudLabelRecord(const std::string& order_id, bool fraud,
                                   const std::string& source, int64_t time_ms);
store::AppendItem FraudRulesRecord(std::string rules_text);

class FraudHub : public store::RecordSink {
 public:
  // Loads the default model when one is configured (InvalidArgument or
  // NotFound when it cannot be loaded). `clock` and `metrics` must outlive the
  // hub; `metrics` may be null. The scheduler starts with StartScheduler().
  static absl::StatusOr<std::unique_ptr<FraudHub>> Create(FraudHubOptions options,
                                                          const Clock* clock,
                                                          observe::MetricsRegistry* metrics);
  ~FraudHub() override;  // Stops the scheduler.

  // The log that RecordOrder appends to. AttachLog before serving; DetachLog
  // (flushes, then stops the batching thread) before the log shuts down.
  void AttachLog(store::EventLog* log);
  void DetachLog();
  // Buffers `record` (a FraudOrderRecord) for `shop`; it reaches the log in a
  // batch within order_record_delay_ms. Dropped when no log is attached.
  void RecordOrder(const std::string& shop, store::AppendItem record);
  // Hands every buffered order record to the log now: a record appended
  // after this returns (a label) comes after them in the log.
  void FlushOrderRecords();

  // kFraudOrder: observes the order unless its engine already knows it (it
  // was scored live, see ScoreOrder); kFraudLabel: adds the label at its
  // recorded time; kFraudRules: installs the rules. Other types are ignored.
  void Apply(const store::LogRecord& record) override;

  // Scores `order` for `shop` and, the first time its id is seen, records it
  // in the shop's engine (the caller then appends FraudOrderRecord so that a
  // restart observes it again). Unavailable when the shop has no model yet
  // (the order is still recorded).
  absl::StatusOr<RiskAssessment> ScoreOrder(const std::string& shop, const Order& order);
  // The order's last assessment; a remembered order without one (after a
  // restart, or scored before a model existed) is scored from the features
  // it had when observed. NotFound when the order is not remembered.
  absl::StatusOr<RiskAssessment> StoredAssessment(const std::string& shop,
                                                  const std::string& order_id);
  // Scores a remembered order again with the current model and rules.
  absl::StatusOr<RiskAssessment> Rescore(const std::string& shop, const std::string& order_id);
  bool KnowsOrder(const std::string& shop, const std::string& order_id);
  // The shop's rules text as last installed ("" when none).
  std::string RulesText(const std::string& shop);

  // Retrains `shop` now (version "<shop>-<n>-<epoch ms>"); on a swap the model
  // is saved and becomes the shop's CURRENT one. FailedPrecondition when the
  // settled orders lack a class.
  absl::StatusOr<RetrainResult> Retrain(const std::string& shop);
  // Retrains every shop whose last attempt is at least retrain_interval_ms
  // old by the clock. Returns how many were attempted.
  int RetrainDue();
  void StartScheduler();
  void StopScheduler();

  // The engine of `shop`, created on first use. Never null.
  FraudEngine* EngineFor(const std::string& shop);

  // Hook for the orders store (see docs/fraud.md): an order created or
  // updated through webhooks or the orders API, in the order JSON contract.
  // Scores and records it as ScoreOrder does; invalid orders are counted.
  void OnOrder(std::string_view shop, const nlohmann::json& order);

  // Privacy (shop/redact): forgets everything of `shop` -- orders, windows,
  // labels, rules and its trained models, the persisted ones too; the shop
  // scores with the default model again, if there is one. A customer is
  // forgotten through EngineFor(shop)->ForgetCustomer.
  void ForgetShop(const std::string& shop);

 private:
  struct Shop;
  FraudHub(FraudHubOptions options, const Clock* clock, observe::MetricsRegistry* metrics);
  Shop* ShopFor(const std::string& shop);
  void CountAssessment(Shop* s, const RiskAssessment& a);
  void SetModelVersionMetric(Shop* s, const std::string& version);
  absl::Status Persist(const std::string& shop, const FraudModel& model);

  FraudHubOptions options_;
  const Clock* clock_;
  observe::MetricsRegistry* metrics_;
  std::shared_ptr<const FraudModel> default_model_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<Shop>> shops_ ABSL_GUARDED_BY(mu_);
  observe::Counter* bad_records_ = nullptr;

  PeriodicTask scheduler_;
  absl::Mutex buffer_mu_;
  std::unique_ptr<OrderRecordBuffer> order_records_ ABSL_GUARDED_BY(buffer_mu_);
};

}  // namespace storepilot::fraud

#endif  // STOREPILOT_FRAUD_FRAUD_HUB_H_

#ifndef STOREPILOT_API_SHOP_ENGINES_H_
#define STOREPILOT_API_SHOP_ENGINES_H_

// The recommendation and search engines of every shop, fed from the log:
//  - catalog products (through catalog::Catalog's listener, so out-of-order
//    updates are already resolved) -> RecommendEngine::UpsertProduct and the
//    search index;
//  - kEvent records -> RecommendEngine::Observe (view, cart, purchase), search
//    popularity (click, cart, purchase) and online quality (impression,
//    click, purchase citing a request_id);
//  - kMerchandisingRules / kSearchSynonyms records -> both engines' config;
//  - kSearchServed records and search/click/cart/purchase events -> search's
//    query signals and learning-to-rank data (api/search_learning.h).
// The engines know nothing of the log or HTTP; this is the adapter.
// Thread safety: Apply and the listener run on partition strands (one shop's
// records in order); readers call ForShop from any thread.

#include <atomic>
#include <functional>
#include <limits>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "api/serving_quality.h"
#include "catalog/catalog.h"
#include "common/clock.h"
#include "common/periodic_task.h"
#include "ingest/event.h"
#include "ingest/event_sink.h"
#include "observe/metrics.h"
#include "recommend/engine.h"
#include "search/search_engine.h"
#include "store/log_record.h"

namespace storepilot::api {

struct ShopEnginesOptions {
  recommend::EngineOptions recommend;
  search::SearchEngineOptions search;
  // Background retraining of each shop's sequential user model, behind the
  // engine's validation gate; 0 disables it. Measured on the Clock.
  int64_t retrain_interval_ms = 3600 * 1000;
  // How often (real time) the scheduler thread looks at the clock.
  int scheduler_tick_ms = 10'000;
};

// One shop's engines. Pointers stay valid until ShopEngines is destroyed.
struct ShopEngineSet {
  std::unique_ptr<recommend::RecommendEngine> recommend;
  std::unique_ptr<search::SearchEngine> search;
  ServingQuality quality;
  // The documents last applied, as GET returns them ("" = none yet).
  absl::Mutex config_mu;
  std::string merchandising_json ABSL_GUARDED_BY(config_mu);
  std::string synonyms_json ABSL_GUARDED_BY(config_mu);
  // Search popularity learnt from events, kept here so a product update
  // (which re-indexes the product) does not reset it. Strand-only.
  absl::flat_hash_map<std::string, double> popularity;
  // Clock time of the last retrain attempt (scheduler bookkeeping).
  std::atomic<int64_t> last_retrain_ms{std::numeric_limits<int64_t>::min() / 2};
};

class ShopEngines : public ingest::EventSink {
 public:
  // Subscribes to `catalog`: construct before the log opens. Every pointer
  // must outlive this object.
  ShopEngines(const Clock* clock, catalog::Catalog* catalog,
              observe::MetricsRegistry* metrics, ShopEnginesOptions options = {});

  void Apply(const store::LogRecord& record) override;
  void ApplyEvent(const store::LogRecord& record, const ingest::Event& event) override;

  // The shop's engines, created empty on first use. Internal when the
  // search engine cannot be created (bad analyzer options).
  absl::StatusOr<ShopEngineSet*> ForShop(const std::string& shop);
  // Shops with engines, and whether `shop` has them (without creating).
  std::vector<std::string> ShopNames();
  bool HasShop(const std::string& shop);

  // Retrains `shop`'s user model now (RecommendEngine::RetrainUserModel),
  // counting the outcome in metrics and logging it.
  absl::StatusOr<recommend::RetrainReport> Retrain(const std::string& shop);
  // Retrains every shop whose last attempt is at least retrain_interval_ms
  // old on the clock; returns how many it attempted.
  int RetrainDue();
  // A thread calling RetrainDue every scheduler_tick_ms (no-op when the
  // interval is 0), at background CPU priority, once `ready` (e.g. the log's
  // startup replay is done: a model trained on half the history would be
  // refused or, worse, kept) returns true. Stop before destroying; both are
  // idempotent.
  void StartScheduler(std::function<bool()> ready = [] { return true; });
  void StopScheduler();

 private:
  void OnProduct(const std::string& shop, const std::string& id,
                 const std::shared_ptr<const catalog::Product>& product);
  void OnEvent(ShopEngineSet* set, const ingest::Event& event);
  void AddPopularity(ShopEngineSet* set, const std::string& product_id, double delta);

  const Clock* clock_;
  const ShopEnginesOptions options_;
  observe::MetricsRegistry* metrics_;
  PeriodicTask scheduler_;
  observe::Counter* skipped_;
  observe::Counter* observed_;
  std::shared_mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<ShopEngineSet>> shops_;  // guarded by mu_
};

// The catalog product as each engine sees it. Recommendations use the most
// specific category (the `category=` filter compares with it).
recommend::Product ToRecommendProduct(const catalog::Product& product);
search::Product ToSearchProduct(const catalog::Product& product, double popularity);

}  // namespace storepilot::api

#endif  // STOREPILOT_API_SHOP_ENGINES_H_

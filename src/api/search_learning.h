#ifndef STOREPILOT_API_SEARCH_LEARNING_H_
#define STOREPILOT_API_SEARCH_LEARNING_H_

// Search that learns from the shop's own logs (docs/search-learning.md):
//  - the search route appends a kSearchServed record per served query
//    (request_id, query, first page of product ids), so the served lists
//    survive a restart like every other state;
//  - ShopEngines feeds those records and the click / add_to_cart / purchase
//    events into search::SearchEngine's query signals;
//  - SearchLearning retrains each shop's learning-to-rank model on a
//    schedule in a background thread, behind the validation gate, and
//    exports what it did as metrics and for GET .../search/quality.

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "common/periodic_task.h"
#include "ingest/event.h"
#include "observe/metrics.h"
#include "search/search_engine.h"
#include "store/event_log.h"

namespace storepilot::api {

class ShopEngines;

// The kSearchServed record of a served search (JSON: request_id, query,
// time_ms, products).
store::AppendItem SearchServedRecord(const std::string& request_id, const std::string& query,
                                     int64_t time_ms, const std::vector<std::string>& products);
// Applies a kSearchServed payload; false when it does not parse.
bool ApplySearchServed(search::SearchEngine* engine, std::string_view payload);
// Feeds a shop event to the search signals: a `search` event citing a
// request_id, clicks citing one, and carts and purchases (conversions of a
// clicked result in the same session).
void ObserveSearchEvent(search::SearchEngine* engine, const ingest::Event& event);

struct SearchLearningOptions {
  // Retraining per shop, on the Clock; 0 disables the schedule.
  int64_t interval_ms = 3600 * 1000;
  int scheduler_tick_ms = 1000;  // Real time between looks at the clock.
  search::RankerTrainingOptions training;
};

// The last training attempt of a shop.
struct SearchTrainingAttempt {
  int64_t time_ms = 0;
  double seconds = 0;     // Wall time it took.
  std::string outcome;    // "accepted", "refused" or "skipped".
  std::string message;    // Why refused or skipped.
  search::RankerTrainingReport report;
};

class SearchLearning {
 public:
  // Every pointer must outlive this object. The scheduler starts with
  // Start().
  SearchLearning(SearchLearningOptions options, ShopEngines* engines, const Clock* clock,
                 observe::MetricsRegistry* metrics);
  ~SearchLearning();  // Stops the scheduler.

  // Trains `shop` now. NotFound for a shop without engines; otherwise the
  // attempt (skipped when there are too few labelled searches).
  absl::StatusOr<SearchTrainingAttempt> Train(const std::string& shop);
  // Trains every shop that has had no attempt yet (so a restarted engine
  // relearns its ranker from the replayed log at once instead of serving
  // without it for an interval), or whose last attempt is interval_ms old by
  // the clock (5 minutes when it was skipped for too few labelled searches);
  // returns how many were attempted.
  int TrainDue();
  std::optional<SearchTrainingAttempt> LastAttempt(const std::string& shop) const;
  // The scheduler: TrainDue every scheduler_tick_ms at background CPU
  // priority, once `ready` returns true (the log's startup replay is done).
  void Start(std::function<bool()> ready = [] { return true; });
  void Stop();

 private:

  const SearchLearningOptions options_;
  ShopEngines* const engines_;
  const Clock* const clock_;
  observe::MetricsRegistry* const metrics_;
  std::mutex train_mu_;  // One training at a time.
  mutable absl::Mutex mu_;
  std::map<std::string, SearchTrainingAttempt> attempts_ ABSL_GUARDED_BY(mu_);

  PeriodicTask scheduler_;
};

}  // namespace storepilot::api

#endif  // STOREPILOT_API_SEARCH_LEARNING_H_

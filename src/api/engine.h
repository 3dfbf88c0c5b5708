#ifndef STOREPILOT_API_ENGINE_H_
#define STOREPILOT_API_ENGINE_H_

// One running storepilot node: the event log and every engine consuming it,
// the API service and the HTTP server. `storepilot serve` is this object plus
// flag parsing and signal handling; integration tests start it in-process.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "api/autoscale_config.h"
#include "common/clock.h"
#include "forecast/calendar.h"

namespace storepilot::api {

struct ShopConfig {
  std::string shop;
  std::string api_token;
  std::string webhook_secret;
};

// Priority-aware admission control (src/overload, docs/overload.md).
struct AdmissionConfig {
  bool enabled = false;
  int target_queue_delay_ms = 20;  // overloaded above this standing queueing delay
  // Normal and low requests (the CPU-heavy ones) wait for a worker in a
  // priority queue instead of running on the HTTP threads (see
  // overload/priority_executor.h); one waiting longer than max_queue_ms is
  // answered 429 instead of served late.
  bool queue_heavy_requests = true;
  int max_queue_ms = 500;
  int worker_nice = 0;  // the workers' CPU priority below the HTTP threads (0-19)
  // The queueing-delay signal of the level when requests are queued:
  // "standing", the shortest wait of the work started since the last probe
  // (CoDel's sojourn test; with priorities, the wait of the most important
  // queued work), or "oldest", the oldest queued request's age (sheds more:
  // a low request waiting behind normal ones counts as overload).
  std::string queue_signal = "standing";
};

struct EngineConfig {
  std::string data_dir = "./data";
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 picks a free one
  int threads = 0;                        // 0: one per core
  std::string admin_token;                // empty: admin API disabled
  int partitions = 8;
  int apply_nice = 0;                     // CPU priority of the log's apply threads (0-19)
  bool log_background_low_priority = true;  // RocksDB flush/compaction threads at nice 19
  size_t max_body_bytes = 8 << 20;
  int idle_timeout_ms = 60'000;
  int max_connections = 10'000;
  bool sync = true;  // fsync each group commit; false is for throwaway tests only
  AdmissionConfig admission;
  std::vector<ShopConfig> shops;
  // Fraud: the model shops score with until they have their own (empty:
  // none until a shop's first retrain), and the retraining period (0: never).
  std::string fraud_model;
  int64_t fraud_retrain_interval_s = 24 * 3600;
  // Recommendations: how often each shop's user model is retrained in the
  // background, behind its validation gate (0: never).
  int64_t recommend_retrain_interval_s = 3600;
  AutoscaleConfig autoscale;  // docs/autoscale.md
  // Search learning to rank (docs/search-learning.md): the retraining period
  // (0: never) and the searches with a click a shop needs first.
  int64_t search_ltr_interval_s = 3600;
  size_t search_ltr_min_searches = 500;
  // Forecasting: dated platform events (campaigns, flash sales) applied to
  // every shop's demand and to traffic forecasts, besides the yearly ones
  // (Black Friday, Cyber Monday, ...) unless `yearly_platform_events` is off.
  std::vector<forecast::CalendarEvent> platform_calendar;
  bool yearly_platform_events = true;
};

// Splits "host:port" ("[::1]:80" for IPv6). InvalidArgument when malformed.
absl::Status ParseListen(const std::string& listen, std::string* host, uint16_t* port);

class Engine {
 public:
  // Opens the store, starts replay and the server. `clock` must outlive the
  // engine. Unavailable when the store cannot be opened or the port bound.
  static absl::StatusOr<std::unique_ptr<Engine>> Start(const EngineConfig& config,
                                                       const Clock* clock);
  ~Engine();

  uint16_t port() const;
  std::string address() const;  // "host:port" actually bound
  uint16_t keda_port() const;    // the KEDA external scaler's port; 0: not served
  // Waits up to `timeout_ms` for the startup replay; returns whether done.
  bool WaitReady(int timeout_ms) const;
  // Graceful: stop accepting, finish requests in flight, flush and close
  // the store. Idempotent.
  void Shutdown();

 private:
  struct Parts;
  Engine();
  std::unique_ptr<Parts> parts_;
};

}  // namespace storepilot::api

#endif  // STOREPILOT_API_ENGINE_H_

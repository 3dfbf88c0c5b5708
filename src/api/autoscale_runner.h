#ifndef STOREPILOT_API_AUTOSCALE_RUNNER_H_
#define STOREPILOT_API_AUTOSCALE_RUNNER_H_

// Drives the autoscale planner in a running node: a thread that ticks it
// every `tick_ms` (it decides each minute once that minute is over) and hands
// every changed plan to the Kubernetes actuator when one is configured.

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "api/autoscale_config.h"
#include "api/k8s_actuator.h"
#include "api/keda_scaler.h"
#include "autoscale/planner.h"
#include "common/clock.h"
#include "observe/metrics.h"
#include "store/event_log.h"

namespace storepilot::forecast {
class ForecastHub;
}

namespace storepilot::api {

class AutoscaleRunner {
 public:
  // `planner` must outlive the runner; `actuator` may be null (plans are
  // then only served: API, KEDA, metrics).
  AutoscaleRunner(autoscale::Planner* planner, std::unique_ptr<KubernetesActuator> actuator,
                  int tick_ms);
  ~AutoscaleRunner();  // Stop()

  void Start();
  void Stop();  // idempotent
  // One round: tick the planner and actuate the plans whose desired
  // replicas changed since they were last applied (a failed call is retried
  // after 30 s). Called by the thread; public for tests.
  void RunOnce();

 private:
  autoscale::Planner* planner_;
  std::unique_ptr<KubernetesActuator> actuator_;
  int tick_ms_;
  std::map<std::string, int> applied_;  // service -> replicas last applied
  // service -> when a failed call may be retried (not every tick).
  std::map<std::string, std::chrono::steady_clock::time_point> retry_after_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// The autoscaling parts of a node, in destruction order (the planner last).
struct AutoscaleParts {
  std::unique_ptr<autoscale::Planner> planner;
  store::EventLog* log = nullptr;  // decisions are made durable there when set
  std::unique_ptr<KedaScaler> keda;               // null: not served
  std::unique_ptr<AutoscaleRunner> runner;
  void Stop();  // the KEDA server and the runner; idempotent
};

// Builds the planner of `config`'s services (its counts also go to
// `forecast`, when not null, and it pre-warms for the platform calendar of
// `forecast`) into out->planner. Call before the log opens and give the
// planner to the log as a sink, so its decisions are replayed. Errors: an
// invalid service or self_service.
// The platform calendar of `forecast` as the planner's known events.
std::vector<autoscale::CalendarEvent> PlannerEvents(const forecast::ForecastHub& forecast);

absl::Status CreateAutoscalePlanner(const AutoscaleConfig& config, const Clock* clock,
                                   observe::MetricsRegistry* metrics,
                                   forecast::ForecastHub* forecast, AutoscaleParts* out);

// Creates the planner unless CreateAutoscalePlanner did; when out->log is
// set, appends every decision to it (and waits for its replay before
// deciding); serves the KEDA scaler when keda_listen is set and starts the
// runner with the actuator of config.actuator. Errors: an invalid service,
// a bad keda_listen, a port that cannot be bound, an actuator that cannot be
// set up.
absl::Status StartAutoscale(const AutoscaleConfig& config, const Clock* clock,
                            observe::MetricsRegistry* metrics, forecast::ForecastHub* forecast,
                            AutoscaleParts* out);

}  // namespace storepilot::api

#endif  // STOREPILOT_API_AUTOSCALE_RUNNER_H_

#ifndef STOREPILOT_AUTOSCALE_PLANNER_H_
#define STOREPILOT_AUTOSCALE_PLANNER_H_

// The live side of autoscaling: the services declared in config, their
// per-minute request counts as they arrive (pushed metrics or storepilot's
// own traffic), and once a minute, for each service, the same `predictive`
// policy the fleet simulator runs (with the `hpa` replica as the fallback
// while there is too little history), keeping the plan: current and desired
// replicas, the forecast band over the start-up window and a reason a person
// can read. Free of HTTP and gRPC: api/autoscale_routes.cc and
// api/keda_scaler.cc are its wire (docs/autoscale.md).

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "autoscale/calendar.h"
#include "autoscale/decision_log.h"
#include "autoscale/fleet.h"
#include "autoscale/hpa_policy.h"
#include "autoscale/predictive.h"
#include "common/clock.h"
#include "observe/metrics.h"
#include "store/log_record.h"

namespace storepilot::autoscale {

// One service to plan for (config `autoscale: services:`).
struct ServiceSpec {
  std::string name;                  // [A-Za-z0-9._-]{1,63}
  std::string k8s_namespace = "default";
  std::string deployment;            // scale target; empty: `name`
  // Requests per minute a ready pod serves within the SLO; 0: learn it from
  // pushed latency (the highest per-pod rate of a minute whose latency met
  // slo_ms, over at least kLearnMinutes such minutes).
  double capacity_per_pod = 0;
  int startup_minutes = 5;
  int min_replicas = 1;
  int max_replicas = 100;
  double target_utilization = 0.7;  // of the hpa fallback
  int slo_ms = 0;                   // required when capacity is learned
  double quantile = 0.97;           // planned-for quantile of demand
};

// Errors: InvalidArgument for a bad name, startup < 0, min < 0, max <
// max(min, 1), utilisation or quantile outside (0, 1), capacity < 0, a
// learned capacity without slo_ms > 0.
absl::Status ValidateServiceSpec(const ServiceSpec& spec);

// A service's plan as of its last decision.
struct ServicePlan {
  ServiceSpec spec;
  int current_replicas = 0;   // last pushed ready replicas (else desired)
  int desired_replicas = 0;   // 0 before the first decision
  double capacity_per_pod = 0;  // configured or learned; 0 while learning
  // Over the next start-up window [t+1, t+1+S], in requests per minute: the
  // point forecast of its maximum and the planned-for quantile.
  double forecast_p50 = 0;
  double forecast_upper = 0;
  double last_minute_requests = 0;  // demand of the last decided minute
  int64_t history_minutes = 0;      // minutes fed to the policy
  std::string policy;               // "predictive", "hpa", "none"
  std::string reason_code;          // forecast|reactive|event|hpa|learning|no-data
  std::string reason;               // for a person
  int64_t last_decision_ms = 0;     // 0: never
  // The last decisions, oldest first (at most Planner::kHistory; restored
  // from the log after a restart).
  std::vector<DecisionRecord> history;
};

struct PlannerOptions {
  // Minutes of history below which the hpa fallback decides (the predictive
  // policy is still fed, so it is calibrated when it takes over). 0: the
  // predictive policy's calibration length plus the start-up window.
  int min_history_minutes = 0;
  // At most this many missed minutes are caught up in one tick (a long
  // pause otherwise feeds days of zeros).
  int max_catch_up_minutes = 2 * 1440;
  // A declared service whose requests are storepilot's own API traffic
  // (CountOwnRequest); empty: none.
  std::string self_service;
};

class Planner : public store::RecordSink {
 public:
  static constexpr int kLearnMinutes = 10;
  static constexpr size_t kHistory = 1440;  // decisions kept per service

  // `clock` and `metrics` (may be null) must outlive the planner.
  // Errors: the first invalid spec, a duplicate name, a self_service that is
  // not declared.
  static absl::StatusOr<std::unique_ptr<Planner>> Create(std::vector<ServiceSpec> services,
                                                         PlannerOptions options,
                                                         const Clock* clock,
                                                         observe::MetricsRegistry* metrics);
  ~Planner() override;

  bool Has(const std::string& service) const;
  std::vector<std::string> ServiceNames() const;

  // Adds `count` requests of `service` in the minute holding `time_ms`.
  // NotFound for an undeclared service; InvalidArgument for count < 0;
  // FailedPrecondition for a minute already decided (too late to count).
  absl::Status AddRequests(const std::string& service, int64_t time_ms, double count);
  // Adds `count` requests spread evenly over [from_ms, to_ms) (a counter's
  // delta between two scrapes). Same errors; minutes already decided are
  // skipped silently.
  absl::Status AddRequestsOver(const std::string& service, int64_t from_ms, int64_t to_ms,
                               double count);
  // A cumulative request counter (e.g. http_requests_total) read at
  // `time_ms`: the increase since the previous sample is spread over the
  // minutes between them (AddRequestsOver). The first sample only sets the
  // baseline; a total below the previous one means the counter restarted,
  // and the increase is the total itself. Returns the requests counted.
  // NotFound, InvalidArgument for a negative or non-finite total.
  absl::StatusOr<double> AddCounterSample(const std::string& service, int64_t time_ms,
                                          double total);
  // Observed ready replicas of the scale target, and optionally the latency
  // of its requests in that minute (for a learned capacity). NotFound,
  // InvalidArgument for ready < 0.
  absl::Status ObserveReplicas(const std::string& service, int64_t time_ms, int ready,
                               std::optional<double> latency_ms = std::nullopt);

  // Called with each minute's share of the requests counted (minute start in
  // epoch ms), under the planner's lock: e.g. forecast::ForecastHub. Set it
  // before counting.
  using CountSink =
      std::function<void(const std::string& service, int64_t minute_ms, double count)>;
  void SetCountSink(CountSink sink) { sink_ = std::move(sink); }

  // Counts one request of storepilot's own API at `time_ms` for
  // options.self_service (nothing without one). Cheap: its own lock, merged
  // into the service's counts at the next Tick; a request of a minute
  // already decided counts for the next one.
  void CountOwnRequest(int64_t time_ms);

  // Durable decisions: every decision is handed to `append` (outside the
  // planner's lock, in minute order) as a kAutoscaleDecision record for
  // kAutoscaleShop. Set before the first Tick.
  using DecisionAppender = std::function<void(std::vector<store::AppendItem> items)>;
  void SetDecisionLog(DecisionAppender append) { append_ = std::move(append); }
  // Replays a kAutoscaleDecision record (other types are ignored): a
  // decision of a minute not decided yet in memory is fed to the policies
  // with its recorded fleet state, so after a restart the plan, its history
  // and the policies' state (calibration, scale-down windows) are those
  // before it. The planner's own records, applied back, change nothing.
  void Apply(const store::LogRecord& record) override;
  // Tick does nothing while `ready` returns false (the log's startup replay
  // is still running). Unset: always ready.
  void SetReadyCheck(std::function<bool()> ready) { ready_ = std::move(ready); }

  // Known events for the predictive policies' pre-warming (e.g. the
  // platform calendar of forecast::ForecastHub), read at each Tick that has
  // a minute to decide. Unset: no events.
  using CalendarSource = std::function<std::vector<CalendarEvent>()>;
  void SetCalendarSource(CalendarSource source) { calendar_ = std::move(source); }

  // Decides every complete minute not decided yet (minutes before `now`),
  // for every service. Cheap when nothing is due; safe to call often.
  void Tick();

  // The plans, after a Tick. NotFound for an unknown service.
  std::vector<ServicePlan> Plans();
  absl::StatusOr<ServicePlan> Plan(const std::string& service);

 private:
  struct State;
  Planner(PlannerOptions options, const Clock* clock, observe::MetricsRegistry* metrics);
  void Decide(State& s, int64_t minute) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void StartPolicies(State& s, double capacity, int64_t minute) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void LearnCapacity(State& s, int64_t minute) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Publish(State& s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  State* Find(const std::string& service) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Count(State& s, int64_t minute, double count) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void RunPolicies(State& s, const FleetState& st) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Remember(State& s, DecisionRecord record, bool to_log) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Restore(State& s, const DecisionRecord& r) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void MergeOwnRequests() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  PlannerOptions options_;
  const Clock* clock_;
  observe::MetricsRegistry* metrics_;
  CountSink sink_;
  DecisionAppender append_;
  std::function<bool()> ready_;
  CalendarSource calendar_;
  mutable absl::Mutex mu_;
  std::map<std::string, std::unique_ptr<State>> services_ ABSL_GUARDED_BY(mu_);
  std::vector<store::AppendItem> unlogged_ ABSL_GUARDED_BY(mu_);  // for append_
  std::vector<CalendarEvent> events_ ABSL_GUARDED_BY(mu_);        // last calendar read
  uint64_t calendar_version_ ABSL_GUARDED_BY(mu_) = 0;            // bumped when it changes
  absl::Mutex own_mu_;  // own requests: not behind the policies' work
  std::map<int64_t, double> own_counts_ ABSL_GUARDED_BY(own_mu_);  // minute -> requests
};

}  // namespace storepilot::autoscale

#endif  // STOREPILOT_AUTOSCALE_PLANNER_H_

#include "autoscale/planner.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"

namespace storepilot::autoscale {
namespace {

constexpr int64_t kMinuteMs = 60'000;

int64_t MinuteOf(int64_t time_ms) {
  return time_ms >= 0 ? time_ms / kMinuteMs : (time_ms - kMinuteMs + 1) / kMinuteMs;
}

bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > 63) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

}  // namespace

absl::Status ValidateServiceSpec(const ServiceSpec& s) {
  const std::string where = absl::StrCat("autoscale service '", s.name, "': ");
  if (!ValidName(s.name)) {
    return absl::InvalidArgumentError(where + "name must be 1-63 of [A-Za-z0-9._-]");
  }
  if (s.k8s_namespace.empty()) return absl::InvalidArgumentError(where + "namespace is empty");
  if (!(s.capacity_per_pod >= 0) || !std::isfinite(s.capacity_per_pod)) {
    return absl::InvalidArgumentError(where + "capacity_per_pod must be > 0 or 'learn'");
  }
  if (s.capacity_per_pod == 0 && s.slo_ms <= 0) {
    return absl::InvalidArgumentError(where + "a learned capacity needs slo_ms > 0");
  }
  if (s.startup_minutes < 0 || s.startup_minutes > 240) {
    return absl::InvalidArgumentError(where + "startup_minutes must be in [0, 240]");
  }
  if (s.min_replicas < 0 || s.max_replicas < std::max(s.min_replicas, 1)) {
    return absl::InvalidArgumentError(where +
                                      "need 0 <= min_replicas <= max_replicas, max >= 1");
  }
  if (!(s.target_utilization > 0 && s.target_utilization <= 1)) {
    return absl::InvalidArgumentError(where + "target_utilization must be in (0, 1]");
  }
  if (!(s.quantile > 0 && s.quantile < 1)) {
    return absl::InvalidArgumentError(where + "quantile must be in (0, 1)");
  }
  if (s.slo_ms < 0) return absl::InvalidArgumentError(where + "slo_ms must be >= 0");
  return absl::OkStatus();
}

struct Planner::State {
  ServicePlan plan;
  int64_t next_minute = -1;  // first minute not decided; -1: no data yet
  int64_t origin = 0;        // minute 0 of the policies
  std::map<int64_t, double> counts;  // minute -> requests, minutes >= next_minute
  int64_t counter_ms = -1;           // last counter sample; -1: none
  double counter_total = 0;
  int ready = -1;                    // last observed ready replicas; -1: unknown
  std::map<int64_t, double> latency;  // minute -> latency, while learning
  std::vector<double> good_rates;     // per-pod rates of minutes within the SLO
  std::vector<double> learning_demand;  // demand seen while learning
  std::unique_ptr<PredictivePolicy> predictive;
  std::unique_ptr<HpaFleetPolicy> hpa;
  FleetConfig fleet;
  observe::Gauge* desired_gauge = nullptr;
  observe::Gauge* current_gauge = nullptr;
  observe::Gauge* forecast_gauge = nullptr;
  observe::Gauge* upper_gauge = nullptr;
  observe::Gauge* actual_gauge = nullptr;
  std::deque<DecisionRecord> history;  // the last kHistory decisions
  uint64_t calendar_version = 0;       // of the events the policy was given
  int64_t calendar_origin = 0;         // with this minute 0
};

namespace {

bool SameEvents(const std::vector<CalendarEvent>& a, const std::vector<CalendarEvent>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const CalendarEvent& x, const CalendarEvent& y) {
                      return x.name == y.name && x.start_seconds == y.start_seconds &&
                             x.end_seconds == y.end_seconds && x.uplift == y.uplift;
                    });
}

}  // namespace

Planner::Planner(PlannerOptions options, const Clock* clock, observe::MetricsRegistry* metrics)
    : options_(options), clock_(clock), metrics_(metrics) {}

Planner::~Planner() = default;

absl::StatusOr<std::unique_ptr<Planner>> Planner::Create(std::vector<ServiceSpec> services,
                                                         PlannerOptions options,
                                                         const Clock* clock,
                                                         observe::MetricsRegistry* metrics) {
  if (options.min_history_minutes < 0 || options.max_catch_up_minutes < 1) {
    return absl::InvalidArgumentError("planner: bad history or catch-up minutes");
  }
  std::unique_ptr<Planner> planner(new Planner(options, clock, metrics));
  absl::MutexLock lock(&planner->mu_);
  for (ServiceSpec& spec : services) {
    if (absl::Status s = ValidateServiceSpec(spec); !s.ok()) return s;
    if (spec.deployment.empty()) spec.deployment = spec.name;
    auto state = std::make_unique<State>();
    state->plan.spec = spec;
    state->plan.capacity_per_pod = spec.capacity_per_pod;
    state->plan.policy = "none";
    state->plan.reason_code = "no-data";
    state->plan.reason = "no request counts received yet";
    if (metrics != nullptr) {
      const observe::Labels l = {{"service", spec.name}};
      state->desired_gauge = metrics->GetGauge("storepilot_autoscale_desired_replicas",
                                               "Replicas the plan asks for", l);
      state->current_gauge = metrics->GetGauge("storepilot_autoscale_current_replicas",
                                               "Ready replicas last reported", l);
      state->forecast_gauge = metrics->GetGauge(
          "storepilot_autoscale_forecast_requests_per_minute",
          "Point forecast of the peak requests/minute over the next start-up window", l);
      state->upper_gauge = metrics->GetGauge(
          "storepilot_autoscale_planned_requests_per_minute",
          "Requests/minute the plan provisions for (the forecast quantile)", l);
      state->actual_gauge = metrics->GetGauge("storepilot_autoscale_actual_requests_per_minute",
                                              "Requests in the last decided minute", l);
    }
    if (!planner->services_.emplace(spec.name, std::move(state)).second) {
      return absl::InvalidArgumentError("autoscale service '" + spec.name + "' declared twice");
    }
  }
  if (!options.self_service.empty() && !planner->services_.contains(options.self_service)) {
    return absl::InvalidArgumentError("autoscale.self_service '" + options.self_service +
                                      "' is not a declared service");
  }
  return planner;
}

Planner::State* Planner::Find(const std::string& service) const {
  auto it = services_.find(service);
  return it == services_.end() ? nullptr : it->second.get();
}

bool Planner::Has(const std::string& service) const {
  absl::MutexLock lock(&mu_);
  return services_.contains(service);
}

std::vector<std::string> Planner::ServiceNames() const {
  absl::MutexLock lock(&mu_);
  std::vector<std::string> names;
  for (const auto& [name, s] : services_) names.push_back(name);
  return names;
}

absl::Status Planner::AddRequests(const std::string& service, int64_t time_ms, double count) {
  if (!(count >= 0) || !std::isfinite(count)) {
    return absl::InvalidArgumentError("request count must be a finite number >= 0");
  }
  const int64_t minute = MinuteOf(time_ms);
  if (minute > MinuteOf(clock_->NowMillis()) + 1) {
    return absl::InvalidArgumentError("time_ms is in the future");
  }
  absl::MutexLock lock(&mu_);
  State* s = Find(service);
  if (s == nullptr) return absl::NotFoundError("unknown autoscale service '" + service + "'");
  if (s->next_minute < 0) s->next_minute = minute;
  if (minute < s->next_minute) {
    return absl::FailedPreconditionError(
        absl::StrCat("minute ", minute, " of '", service, "' was already decided"));
  }
  Count(*s, minute, count);
  return absl::OkStatus();
}

void Planner::Count(State& s, int64_t minute, double count) {
  s.counts[minute] += count;
  if (sink_) sink_(s.plan.spec.name, minute * kMinuteMs, count);
}

absl::Status Planner::AddRequestsOver(const std::string& service, int64_t from_ms,
                                      int64_t to_ms, double count) {
  if (to_ms <= from_ms) return AddRequests(service, to_ms, count);
  if (!(count >= 0) || !std::isfinite(count)) {
    return absl::InvalidArgumentError("request count must be a finite number >= 0");
  }
  absl::MutexLock lock(&mu_);
  State* s = Find(service);
  if (s == nullptr) return absl::NotFoundError("unknown autoscale service '" + service + "'");
  // Each minute gets the share of the interval it overlaps.
  const double per_ms = count / static_cast<double>(to_ms - from_ms);
  for (int64_t m = MinuteOf(from_ms); m <= MinuteOf(to_ms - 1); ++m) {
    const int64_t lo = std::max(from_ms, m * kMinuteMs);
    const int64_t hi = std::min(to_ms, (m + 1) * kMinuteMs);
    if (s->next_minute < 0) s->next_minute = m;
    if (m < s->next_minute || hi <= lo) continue;
    Count(*s, m, per_ms * static_cast<double>(hi - lo));
  }
  return absl::OkStatus();
}

absl::StatusOr<double> Planner::AddCounterSample(const std::string& service, int64_t time_ms,
                                                 double total) {
  if (!(total >= 0) || !std::isfinite(total)) {
    return absl::InvalidArgumentError("a counter total must be a finite number >= 0");
  }
  int64_t from = 0;
  double increase = 0;
  {
    absl::MutexLock lock(&mu_);
    State* s = Find(service);
    if (s == nullptr) return absl::NotFoundError("unknown autoscale service '" + service + "'");
    if (s->counter_ms >= 0 && time_ms <= s->counter_ms) {
      return absl::InvalidArgumentError("counter sample is not newer than the previous one");
    }
    const bool first = s->counter_ms < 0;
    from = s->counter_ms;
    increase = total >= s->counter_total ? total - s->counter_total : total;
    s->counter_ms = time_ms;
    s->counter_total = total;
    if (first) return 0.0;
  }
  RETURN_IF_ERROR(AddRequestsOver(service, from, time_ms, increase));
  return increase;
}

absl::Status Planner::ObserveReplicas(const std::string& service, int64_t time_ms, int ready,
                                      std::optional<double> latency_ms) {
  if (ready < 0) return absl::InvalidArgumentError("ready_replicas must be >= 0");
  if (latency_ms && !(*latency_ms >= 0)) {
    return absl::InvalidArgumentError("latency_ms must be >= 0");
  }
  absl::MutexLock lock(&mu_);
  State* s = Find(service);
  if (s == nullptr) return absl::NotFoundError("unknown autoscale service '" + service + "'");
  s->ready = ready;
  s->plan.current_replicas = ready;
  if (latency_ms && s->predictive == nullptr) {
    double& l = s->latency[MinuteOf(time_ms)];
    l = std::max(l, *latency_ms);
  }
  if (s->current_gauge != nullptr) s->current_gauge->Set(ready);
  return absl::OkStatus();
}

void Planner::CountOwnRequest(int64_t time_ms) {
  if (options_.self_service.empty()) return;
  absl::MutexLock lock(&own_mu_);
  own_counts_[MinuteOf(time_ms)] += 1;
}

void Planner::MergeOwnRequests() {
  if (options_.self_service.empty()) return;
  std::map<int64_t, double> counts;
  {
    absl::MutexLock lock(&own_mu_);
    counts.swap(own_counts_);
  }
  State* s = Find(options_.self_service);
  for (const auto& [minute, count] : counts) {
    if (s->next_minute < 0) s->next_minute = minute;
    // Not through Count: the engine's own requests already reach the
    // traffic forecaster (as "storepilot").
    s->counts[std::max(minute, s->next_minute)] += count;
  }
}

void Planner::Tick() {
  if (ready_ && !ready_()) return;
  const int64_t now_minute = MinuteOf(clock_->NowMillis());
  std::vector<CalendarEvent> events;
  if (calendar_) events = calendar_();
  std::vector<store::AppendItem> items;
  {
    absl::MutexLock lock(&mu_);
    MergeOwnRequests();
    if (!SameEvents(events, events_)) {
      events_ = std::move(events);
      ++calendar_version_;
    }
    for (auto& [name, state] : services_) {
      State& s = *state;
      if (s.next_minute < 0 || s.next_minute >= now_minute) continue;
      if (now_minute - s.next_minute > options_.max_catch_up_minutes) {
        const int64_t skip = now_minute - options_.max_catch_up_minutes - s.next_minute;
        s.next_minute += skip;
        s.origin += skip;  // the policies' minutes stay consecutive
        s.counts.erase(s.counts.begin(), s.counts.lower_bound(s.next_minute));
      }
      for (; s.next_minute < now_minute; ++s.next_minute) Decide(s, s.next_minute);
      Publish(s);
    }
    items.swap(unlogged_);
  }
  if (append_ && !items.empty()) append_(std::move(items));
}

void Planner::StartPolicies(State& s, double capacity, int64_t minute) {
  const ServiceSpec& spec = s.plan.spec;
  s.fleet = FleetConfig{capacity, spec.startup_minutes, spec.min_replicas, spec.max_replicas};
  PredictiveOptions po;
  po.quantile = spec.quantile;
  s.origin = minute;
  po.start_seconds = minute * 60;
  po.calendar = events_;
  s.predictive = std::make_unique<PredictivePolicy>(s.fleet, po);
  s.calendar_version = calendar_version_;
  s.calendar_origin = minute;
  s.hpa = std::make_unique<HpaFleetPolicy>(s.fleet, spec.target_utilization);
  s.plan.capacity_per_pod = capacity;
}

// While the capacity is learned: a minute whose latency met the SLO shows
// that its requests per ready pod can be served.
void Planner::LearnCapacity(State& s, int64_t minute) {
  const double demand = s.learning_demand.back();
  auto it = s.latency.find(minute);
  if (it != s.latency.end() && s.ready > 0 && demand > 0 &&
      it->second <= s.plan.spec.slo_ms) {
    s.good_rates.push_back(demand / s.ready);
  }
  s.latency.erase(s.latency.begin(), s.latency.upper_bound(minute));
  if (static_cast<int>(s.good_rates.size()) < kLearnMinutes) {
    s.plan.policy = "none";
    s.plan.reason_code = "learning";
    s.plan.reason = absl::StrFormat(
        "learning capacity: %d of %d minutes with latency within the %d ms SLO seen",
        s.good_rates.size(), kLearnMinutes, s.plan.spec.slo_ms);
    return;
  }
  // Replay what was seen so far, so the policies start with its history.
  const int64_t first = minute + 1 - static_cast<int64_t>(s.learning_demand.size());
  StartPolicies(s, *std::max_element(s.good_rates.begin(), s.good_rates.end()), first);
  std::vector<double> seen = std::move(s.learning_demand);
  s.learning_demand.clear();
  s.latency.clear();
  for (size_t t = 0; t + 1 < seen.size(); ++t) {
    FleetState st{static_cast<int>(t), seen[t], PodsNeeded(seen[t], s.fleet), 0};
    s.predictive->Decide(st);
    s.hpa->Decide(st);
  }
}

void Planner::Decide(State& s, int64_t minute) {
  double demand = 0;
  if (auto it = s.counts.find(minute); it != s.counts.end()) {
    demand = it->second;
    s.counts.erase(it);
  }
  s.plan.last_minute_requests = demand;
  if (s.predictive == nullptr) {
    if (s.plan.spec.capacity_per_pod > 0) {
      StartPolicies(s, s.plan.spec.capacity_per_pod, minute);
    } else {
      s.learning_demand.push_back(demand);
      LearnCapacity(s, minute);
      if (s.predictive == nullptr) return;
    }
  }
  const int t = static_cast<int>(minute - s.origin);
  const int last = s.plan.desired_replicas;
  FleetState st;
  st.t = t;
  st.demand = demand;
  if (s.ready >= 0) {
    st.ready = s.ready;
    st.pending = std::max(0, last - s.ready);
  } else {
    // Nothing reported: the plan is taken as followed.
    st.ready = last > 0 ? last : PodsNeeded(demand, s.fleet);
  }
  RunPolicies(s, st);
  if (metrics_ != nullptr) {  // decisions replayed from the log are not counted again
    metrics_
        ->GetCounter("storepilot_autoscale_decisions_total",
                     "Autoscaling decisions (one per service and minute) by reason",
                     {{"service", s.plan.spec.name}, {"reason", s.plan.reason_code}})
        ->Inc();
  }
  s.plan.last_decision_ms = clock_->NowMillis();
  DecisionRecord r;
  r.minute_ms = minute * kMinuteMs;
  r.ready = st.ready;
  r.pending = st.pending;
  r.ready_reported = s.ready >= 0;
  Remember(s, std::move(r), true);
}

// The policies' decisions for fleet state `st`, and the plan made of them.
void Planner::RunPolicies(State& s, const FleetState& st) {
  if (s.predictive != nullptr && (s.calendar_version != calendar_version_ ||
                                  s.calendar_origin != s.origin)) {
    s.predictive->SetCalendar(events_, s.origin * 60);
    s.calendar_version = calendar_version_;
    s.calendar_origin = s.origin;
  }
  const double demand = st.demand;
  const int t = st.t;
  const int predicted = std::clamp(s.predictive->Decide(st), s.fleet.min_replicas,
                                   s.fleet.max_replicas);
  const int reactive = std::clamp(s.hpa->Decide(st), s.fleet.min_replicas,
                                  s.fleet.max_replicas);
  s.plan.history_minutes = t + 1;
  const int needed = options_.min_history_minutes > 0
                         ? options_.min_history_minutes
                         : PredictiveOptions{}.min_errors + s.fleet.startup_minutes + 1;
  const PredictivePolicy::Explanation& e = s.predictive->explanation();
  s.plan.forecast_p50 = e.forecast_max;
  s.plan.forecast_upper = e.planned_demand;
  if (s.plan.history_minutes < needed) {
    s.plan.desired_replicas = reactive;
    s.plan.policy = "hpa";
    s.plan.reason_code = "hpa";
    s.plan.reason = absl::StrFormat(
        "hpa fallback (%d of %d minutes of history): %.0f requests in the last minute on %d "
        "ready pods, target %.0f per pod -> %d pods (%s)",
        s.plan.history_minutes, needed, demand, st.ready,
        s.plan.spec.target_utilization * s.fleet.capacity_per_pod, reactive,
        HpaReasonName(s.hpa->last().reason));
  } else {
    s.plan.desired_replicas = predicted;
    s.plan.policy = "predictive";
    s.plan.reason_code = e.reason;
    const std::string why =
        std::string(e.reason) == "reactive"
            ? absl::StrFormat("reactive floor: %.0f requests in the last minute need %d pods now",
                              demand, e.reactive_floor)
        : std::string(e.reason) == "event"
            ? absl::StrFormat("pre-warming for a known event: planned %.0f requests/min",
                              e.planned_demand)
            : absl::StrFormat(
                  "forecast: the next %d minutes may peak at %.0f requests/min; planned for "
                  "%.0f (q%.2f, margin x%.2f)",
                  s.fleet.startup_minutes + 1, e.forecast_max, e.planned_demand,
                  s.plan.spec.quantile, e.margin);
    s.plan.reason = absl::StrFormat("%s -> %d pods of %.0f requests/min", why, predicted,
                                    s.fleet.capacity_per_pod);
  }
  if (s.ready < 0) s.plan.current_replicas = s.plan.desired_replicas;
  s.plan.last_minute_requests = demand;
}

// Keeps decision `r` (its fleet state filled in) in the service's history
// and, when `to_log`, queues it for the durable log.
void Planner::Remember(State& s, DecisionRecord r, bool to_log) {
  r.service = s.plan.spec.name;
  r.decided_ms = s.plan.last_decision_ms;
  r.demand = s.plan.last_minute_requests;
  r.current = s.plan.current_replicas;
  r.desired = s.plan.desired_replicas;
  r.capacity = s.predictive != nullptr ? s.fleet.capacity_per_pod : 0;
  r.forecast_p50 = s.plan.forecast_p50;
  r.forecast_upper = s.plan.forecast_upper;
  r.policy = s.plan.policy;
  r.reason_code = s.plan.reason_code;
  r.reason = s.plan.reason;
  if (to_log && append_) unlogged_.push_back(EncodeDecision(r));
  s.history.push_back(std::move(r));
  if (s.history.size() > kHistory) s.history.pop_front();
}

void Planner::Apply(const store::LogRecord& record) {
  if (record.type != store::RecordType::kAutoscaleDecision) return;
  absl::StatusOr<DecisionRecord> r = DecodeDecision(record.payload);
  if (!r.ok()) return;
  absl::MutexLock lock(&mu_);
  State* s = Find(r->service);
  // A service no longer declared, or a minute decided in memory already
  // (this planner's own record coming back from the log).
  if (s == nullptr || MinuteOf(r->minute_ms) < s->next_minute) return;
  Restore(*s, *r);
}

void Planner::Restore(State& s, const DecisionRecord& r) {
  const int64_t minute = MinuteOf(r.minute_ms);
  s.counts.erase(s.counts.begin(), s.counts.upper_bound(minute));
  if (r.ready_reported) s.ready = r.ready;
  s.plan.last_minute_requests = r.demand;
  s.plan.last_decision_ms = r.decided_ms;
  if (s.predictive == nullptr) {
    const double capacity =
        s.plan.spec.capacity_per_pod > 0 ? s.plan.spec.capacity_per_pod : r.capacity;
    if (capacity > 0) StartPolicies(s, capacity, minute);
  } else if (minute > s.next_minute) {
    s.origin += minute - s.next_minute;  // minutes the planner skipped
  }
  s.next_minute = minute + 1;
  if (s.predictive == nullptr) {
    // Decided while the capacity was learned: the plan only (learning
    // starts over).
    s.plan.policy = r.policy;
    s.plan.reason_code = r.reason_code;
    s.plan.reason = r.reason;
    s.plan.desired_replicas = r.desired;
    s.plan.current_replicas = r.current;
  } else {
    RunPolicies(s, FleetState{static_cast<int>(minute - s.origin), r.demand, r.ready, r.pending});
  }
  Remember(s, r, false);
}

void Planner::Publish(State& s) {
  if (s.desired_gauge == nullptr) return;
  s.desired_gauge->Set(s.plan.desired_replicas);
  s.current_gauge->Set(s.plan.current_replicas);
  s.forecast_gauge->Set(s.plan.forecast_p50);
  s.upper_gauge->Set(s.plan.forecast_upper);
  s.actual_gauge->Set(s.plan.last_minute_requests);
}

std::vector<ServicePlan> Planner::Plans() {
  Tick();
  absl::MutexLock lock(&mu_);
  std::vector<ServicePlan> plans;
  for (const auto& [name, s] : services_) plans.push_back(s->plan);
  return plans;
}

absl::StatusOr<ServicePlan> Planner::Plan(const std::string& service) {
  Tick();
  absl::MutexLock lock(&mu_);
  State* s = Find(service);
  if (s == nullptr) return absl::NotFoundError("unknown autoscale service '" + service + "'");
  ServicePlan plan = s->plan;
  plan.history.assign(s->history.begin(), s->history.end());
  return plan;
}

}  // namespace storepilot::autoscale

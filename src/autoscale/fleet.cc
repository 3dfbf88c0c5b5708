#include "autoscale/fleet.h"

#include <algorithm>
#include <cmath>
#include <deque>

namespace storepilot::autoscale {

absl::Status ValidateFleetConfig(const FleetConfig& c) {
  if (!(c.capacity_per_pod > 0) || !std::isfinite(c.capacity_per_pod)) {
    return absl::InvalidArgumentError("capacity per pod must be > 0");
  }
  if (c.startup_minutes < 0) {
    return absl::InvalidArgumentError("startup minutes must be >= 0");
  }
  if (c.min_replicas < 0 || c.max_replicas < std::max(c.min_replicas, 1)) {
    return absl::InvalidArgumentError(
        "need 0 <= min replicas <= max replicas, max >= 1");
  }
  return absl::OkStatus();
}

int PodsNeeded(double demand, const FleetConfig& c) {
  double pods = std::ceil(demand / c.capacity_per_pod);
  // Guard the int conversion; the caller clamps to max replicas.
  pods = std::min(pods, 1e9);
  return std::max(c.min_replicas, static_cast<int>(pods));
}

std::vector<int> PerfectForesightPlan(absl::Span<const double> demand,
                                      const FleetConfig& c) {
  const int n = static_cast<int>(demand.size());
  std::vector<int> need(demand.size());
  for (int t = 0; t < n; ++t) need[t] = PodsNeeded(demand[t], c);
  // Sliding-window maximum over [t+1, t+1+S] with a monotone deque.
  std::vector<int> plan(demand.size(), c.min_replicas);
  std::deque<int> window;  // indices, need[] decreasing
  int next = 1;
  for (int t = 0; t < n; ++t) {
    int hi = std::min(n - 1, t + 1 + c.startup_minutes);
    for (; next <= hi; ++next) {
      while (!window.empty() && need[window.back()] <= need[next]) {
        window.pop_back();
      }
      window.push_back(next);
    }
    while (!window.empty() && window.front() < t + 1) window.pop_front();
    int best = window.empty() ? c.min_replicas : need[window.front()];
    plan[t] = std::clamp(best, c.min_replicas, c.max_replicas);
  }
  return plan;
}

int PlannedPolicy::Decide(const FleetState& state) {
  return plan_[static_cast<size_t>(state.t)];
}

SimulatedFleet::SimulatedFleet(const FleetConfig& c, double demand0)
    : startup_minutes_(c.startup_minutes),
      ready_(std::min(c.max_replicas, PodsNeeded(demand0, c))) {}

void SimulatedFleet::Advance(int64_t t) {
  while (!pending_.empty() && pending_.front().ready_at <= t) {
    ready_ += pending_.front().pods;
    pending_pods_ -= pending_.front().pods;
    pending_.pop_front();
  }
}

void SimulatedFleet::Apply(int64_t t, int desired) {
  const int total = ready_ + pending_pods_;
  if (desired > total) {
    pending_.push_back({t + 1 + startup_minutes_, desired - total});
    pending_pods_ += desired - total;
  }
  int remove = total - desired;
  while (remove > 0 && !pending_.empty()) {  // newest pending first
    int k = std::min(remove, pending_.back().pods);
    pending_.back().pods -= k;
    pending_pods_ -= k;
    remove -= k;
    if (pending_.back().pods == 0) pending_.pop_back();
  }
  ready_ -= std::max(remove, 0);
}

absl::StatusOr<FleetRun> SimulateFleet(absl::Span<const double> demand,
                                       const FleetConfig& c,
                                       ScalingPolicy& policy,
                                       int warmup_minutes) {
  if (absl::Status s = ValidateFleetConfig(c); !s.ok()) return s;
  if (demand.empty()) return absl::InvalidArgumentError("empty demand");
  if (warmup_minutes < 0) {
    return absl::InvalidArgumentError("warm-up must be >= 0");
  }
  const size_t n = demand.size();
  FleetRun run;
  run.desired.resize(n);
  run.ready.resize(n);
  run.pending.resize(n);
  SimulatedFleet fleet(c, demand[0]);
  FleetSummary& sum = run.summary;
  for (size_t t = 0; t < n; ++t) {
    fleet.Advance(static_cast<int64_t>(t));
    const int ready = fleet.ready(), pending_pods = fleet.pending();
    run.ready[t] = ready;
    run.pending[t] = pending_pods;
    if (static_cast<int64_t>(t) >= warmup_minutes) {
      double capacity = ready * c.capacity_per_pod;
      ++sum.minutes;
      sum.demand += demand[t];
      if (demand[t] > capacity) {
        ++sum.violation_minutes;
        sum.unserved += demand[t] - capacity;
      }
      sum.pod_minutes += ready + pending_pods;
      sum.max_pods = std::max<double>(sum.max_pods, ready + pending_pods);
    }
    FleetState state{static_cast<int>(t), demand[t], ready, pending_pods};
    int desired =
        std::clamp(policy.Decide(state), c.min_replicas, c.max_replicas);
    run.desired[t] = desired;
    fleet.Apply(static_cast<int64_t>(t), desired);
  }
  sum.unserved_percent = sum.demand > 0 ? 100.0 * sum.unserved / sum.demand : 0;
  return run;
}

absl::StatusOr<AdmissionReplay> ReplayAdmission(absl::Span<const double> demand,
                                                const FleetRun& run,
                                                const FleetConfig& c,
                                                absl::Span<const double> shares,
                                                int warmup_minutes) {
  if (run.ready.size() != demand.size()) {
    return absl::InvalidArgumentError("the fleet run does not match the demand");
  }
  double total_share = 0;
  for (double s : shares) {
    if (!(s >= 0) || !std::isfinite(s)) {
      return absl::InvalidArgumentError("class shares must be finite and >= 0");
    }
    total_share += s;
  }
  if (!(total_share > 0)) {
    return absl::InvalidArgumentError("class shares must not all be 0");
  }
  AdmissionReplay replay;
  replay.classes.resize(shares.size());
  // A request count is whole, but the shares split a minute's demand into
  // fractions; a class counts as served entirely within this slack.
  constexpr double kSlack = 1e-9;
  for (size_t t = static_cast<size_t>(std::max(warmup_minutes, 0)); t < demand.size();
       ++t) {
    const double capacity = run.ready[t] * c.capacity_per_pod;
    if (!(demand[t] > capacity)) continue;
    ++replay.violation_minutes;
    const double fair = capacity / demand[t];
    double left = capacity;
    for (size_t k = 0; k < shares.size(); ++k) {
      const double want = demand[t] * shares[k] / total_share;
      const double served = std::min(want, left);
      left -= served;
      ClassOutcome& o = replay.classes[k];
      o.demand += want;
      o.served_admission += served;
      o.served_fair += want * fair;
      if (served >= want * (1 - kSlack)) ++o.minutes_whole;
    }
  }
  return replay;
}

}  // namespace storepilot::autoscale

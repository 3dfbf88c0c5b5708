#ifndef STOREPILOT_AUTOSCALE_FLEET_H_
#define STOREPILOT_AUTOSCALE_FLEET_H_

#include <cstdint>
#include <deque>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace storepilot::autoscale {

// The fleet of the simulator (docs/autoscale.md):
//  - minute t is served by R(t) ready pods of C requests/minute each; the SLO
//    is violated when demand(t) > R(t)·C and the excess is unserved;
//  - after minute t the policy, having seen demand up to t, outputs
//    desired(t), clamped to [min, max]; new pods become ready at t + 1 + S;
//    removals (pending pods first, the newest first) take effect at t + 1;
//  - cost is ready plus pending pod-minutes;
//  - at minute 0 the fleet has max(min, ceil(demand(0)/C)) ready pods.
struct FleetConfig {
  double capacity_per_pod = 1;  // C, requests per minute per ready pod
  int startup_minutes = 0;      // S
  int min_replicas = 1;         // A
  int max_replicas = 100;       // B
};

// Errors: InvalidArgument for C <= 0 or non-finite, S < 0, A < 0, B < max(A, 1).
absl::Status ValidateFleetConfig(const FleetConfig& config);

// What a policy sees after minute t.
struct FleetState {
  int t = 0;
  double demand = 0;  // demand(t)
  int ready = 0;      // R(t)
  int pending = 0;    // pods started but not ready during minute t
};

// A scaling policy: a causal function of the states seen so far.
class ScalingPolicy {
 public:
  virtual ~ScalingPolicy() = default;
  // Called once per minute, t = 0, 1, ...; returns desired(t) (the simulator
  // clamps it to [min, max]).
  virtual int Decide(const FleetState& state) = 0;
};

struct FleetSummary {
  int64_t minutes = 0;            // minutes scored (after the warm-up)
  int64_t violation_minutes = 0;
  double demand = 0;              // requests in the scored minutes
  double unserved = 0;            // requests above R(t)·C
  double unserved_percent = 0;
  double pod_minutes = 0;         // ready + pending
  double max_pods = 0;
};

struct FleetRun {
  std::vector<int> desired;  // desired(t) for every minute (clamped)
  std::vector<int> ready;    // R(t)
  std::vector<int> pending;  // pending pods during minute t
  FleetSummary summary;      // over t >= warmup_minutes
};

// The pods of a simulated fleet under the rules above, between decisions.
// SimulateFleet runs one; the predictive policy runs another for its
// shadow HPA.
class SimulatedFleet {
 public:
  // The fleet at minute 0: max(A, ceil(demand0/C)) ready pods, at most B.
  SimulatedFleet(const FleetConfig& config, double demand0);
  // Makes the pods due by minute t ready. REQUIRES: t never decreases.
  void Advance(int64_t t);
  // Applies desired(t) (already clamped): starts pods ready at t + 1 + S, or
  // removes pods, pending first (the newest first), then ready ones.
  void Apply(int64_t t, int desired);
  int ready() const { return ready_; }
  int pending() const { return pending_pods_; }

 private:
  struct Batch {
    int64_t ready_at;
    int pods;
  };
  int startup_minutes_;
  int ready_;
  int pending_pods_ = 0;
  std::deque<Batch> pending_;  // oldest first
};

// Runs `policy` over `demand`. Errors: those of ValidateFleetConfig,
// InvalidArgument for an empty demand or warmup < 0.
absl::StatusOr<FleetRun> SimulateFleet(absl::Span<const double> demand,
                                       const FleetConfig& config,
                                       ScalingPolicy& policy,
                                       int warmup_minutes);

// What priority admission (docs/overload.md) would have kept alive in the
// minutes a fleet run was short of capacity. Demand is split into traffic
// classes by fixed shares, most important first (e.g. critical, high, normal,
// low = 5, 15, 50, 30); in a violation minute the R(t)·C requests the fleet
// can serve go to the classes in that order, the least important shed first.
// The comparison is a server without admission that serves every class the
// same fraction R(t)·C / demand(t) — the best a first-come server can do; a
// real overloaded one serves less, as its queue makes everything late.
struct ClassOutcome {
  double demand = 0;            // the class's requests in violation minutes
  double served_admission = 0;  // served, capacity to classes in priority order
  double served_fair = 0;       // served, every class the same fraction
  int64_t minutes_whole = 0;    // violation minutes served entirely, with admission
};

struct AdmissionReplay {
  int64_t violation_minutes = 0;       // scored minutes with demand > R·C
  std::vector<ClassOutcome> classes;   // in the order of the shares
};

// Over the minutes t >= warmup_minutes of `run` (ready pods per minute).
// Errors: InvalidArgument when a share is negative or not finite, they sum
// to 0, or `run` does not match `demand`.
absl::StatusOr<AdmissionReplay> ReplayAdmission(absl::Span<const double> demand,
                                                const FleetRun& run,
                                                const FleetConfig& config,
                                                absl::Span<const double> shares,
                                                int warmup_minutes);

// Pods needed to serve `demand` requests in a minute: max(A, ceil(demand/C)).
int PodsNeeded(double demand, const FleetConfig& config);

// The perfect-foresight reference: desired(t) = the largest PodsNeeded(u)
// over u in [t+1, t+1+S] (clamped to max) — no violations at the least cost
// the start-up delay allows. Not causal: it reads the future by design.
std::vector<int> PerfectForesightPlan(absl::Span<const double> demand,
                                      const FleetConfig& config);

// Replays a precomputed plan (e.g. PerfectForesightPlan).
class PlannedPolicy : public ScalingPolicy {
 public:
  explicit PlannedPolicy(std::vector<int> plan) : plan_(std::move(plan)) {}
  int Decide(const FleetState& state) override;

 private:
  std::vector<int> plan_;
};

}  // namespace storepilot::autoscale

#endif  // STOREPILOT_AUTOSCALE_FLEET_H_

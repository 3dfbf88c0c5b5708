#ifndef STOREPILOT_AUTOSCALE_HPA_H_
#define STOREPILOT_AUTOSCALE_HPA_H_

#include <cstdint>
#include <deque>
#include <vector>

#include "absl/status/status.h"

namespace storepilot::autoscale {

// A replica of the Kubernetes HorizontalPodAutoscaler v2 algorithm
// (pkg/controller/podautoscaler: replica_calculator.go calcPlainMetricReplicas
// and horizontal.go normalizeDesiredReplicasWithBehaviors), for one pods or
// external per-pod metric with an AverageValue target.

enum class HpaPolicyType { kPods, kPercent };
enum class HpaSelectPolicy { kMax, kMin, kDisabled };

struct HpaScalingPolicy {
  HpaPolicyType type = HpaPolicyType::kPercent;
  int value = 100;
  int period_seconds = 15;
};

struct HpaScalingRules {
  int stabilization_window_seconds = 0;
  HpaSelectPolicy select_policy = HpaSelectPolicy::kMax;
  std::vector<HpaScalingPolicy> policies;
};

// Kubernetes' defaults: scale up by max(4 pods, 100%) per 15 s with no
// stabilisation; scale down by up to 100% per 15 s after a 300 s window.
HpaScalingRules DefaultScaleUpRules();
HpaScalingRules DefaultScaleDownRules();

struct HpaConfig {
  int min_replicas = 1;
  int max_replicas = 10;
  double tolerance = 0.1;  // --horizontal-pod-autoscaler-tolerance
  HpaScalingRules scale_up = DefaultScaleUpRules();
  HpaScalingRules scale_down = DefaultScaleDownRules();
};

// Errors: InvalidArgument for min < 0, max < max(min, 1), tolerance < 0,
// a negative window, or a policy with value or period < 1.
absl::Status ValidateHpaConfig(const HpaConfig& config);

// What the controller sees at one sync.
struct HpaSample {
  int64_t now_seconds = 0;
  int current_replicas = 0;  // the scale target's spec.replicas
  int ready_pods = 0;        // pods reporting the metric
  int unready_pods = 0;      // pods still starting (phase Pending)
  double metric_total = 0;   // sum of the metric over the ready pods
  double target_per_pod = 1;  // the AverageValue target
};

// Why a recommendation came out as it did (the HPA's condition reasons).
enum class HpaReason {
  kWithinTolerance,
  kDesiredWithinRange,
  kScaleUpLimit,
  kScaleDownLimit,
  kTooManyReplicas,
  kTooFewReplicas,
  kNoMetrics,
};
const char* HpaReasonName(HpaReason reason);

struct HpaDecision {
  int raw_replicas = 0;  // from the replica calculator, before normalisation
  int desired_replicas = 0;
  HpaReason reason = HpaReason::kDesiredWithinRange;
};

// One HPA object's controller state: the recommendations of the stabilisation
// windows and the scale events the rate policies count. Not thread-safe.
class HpaController {
 public:
  // REQUIRES: ValidateHpaConfig(config).ok().
  explicit HpaController(HpaConfig config) : config_(std::move(config)) {}

  // One reconcile: the replica calculator, stabilisation, the behaviour rate
  // limits and min/max. Records the recommendation and, when the result
  // differs from current_replicas, a scale event (as the controller does
  // after a successful rescale). REQUIRES: now_seconds non-decreasing.
  HpaDecision Reconcile(const HpaSample& sample);

  const HpaConfig& config() const { return config_; }

 private:
  struct Timed {
    int64_t at;
    int value;
  };
  int Calculate(const HpaSample& s, bool* within_tolerance) const;
  int Stabilize(int64_t now, int current, int desired);
  int RateLimit(int64_t now, int current, int desired, HpaReason* reason) const;
  int ChangeInPeriod(const std::deque<Timed>& events, int64_t now,
                     int period) const;

  HpaConfig config_;
  std::vector<Timed> recommendations_;
  std::deque<Timed> up_events_, down_events_;
  bool initialised_ = false;
};

}  // namespace storepilot::autoscale

#endif  // STOREPILOT_AUTOSCALE_HPA_H_

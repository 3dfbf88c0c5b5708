#include "autoscale/hpa.h"

#include <algorithm>
#include <climits>
#include <cmath>

namespace storepilot::autoscale {

HpaScalingRules DefaultScaleUpRules() {
  return {0,
          HpaSelectPolicy::kMax,
          {{HpaPolicyType::kPods, 4, 15}, {HpaPolicyType::kPercent, 100, 15}}};
}

HpaScalingRules DefaultScaleDownRules() {
  return {300, HpaSelectPolicy::kMax, {{HpaPolicyType::kPercent, 100, 15}}};
}

namespace {

absl::Status ValidateRules(const HpaScalingRules& rules, const char* which) {
  if (rules.stabilization_window_seconds < 0) {
    return absl::InvalidArgumentError(
        std::string(which) + ": negative stabilization window");
  }
  for (const HpaScalingPolicy& p : rules.policies) {
    if (p.value < 1 || p.period_seconds < 1) {
      return absl::InvalidArgumentError(
          std::string(which) + ": policy value and period must be >= 1");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateHpaConfig(const HpaConfig& c) {
  if (c.min_replicas < 0 || c.max_replicas < std::max(c.min_replicas, 1)) {
    return absl::InvalidArgumentError("need 0 <= min replicas <= max, max >= 1");
  }
  if (!(c.tolerance >= 0)) {
    return absl::InvalidArgumentError("tolerance must be >= 0");
  }
  absl::Status s = ValidateRules(c.scale_up, "scale up");
  if (!s.ok()) return s;
  return ValidateRules(c.scale_down, "scale down");
}

const char* HpaReasonName(HpaReason reason) {
  switch (reason) {
    case HpaReason::kWithinTolerance: return "WithinTolerance";
    case HpaReason::kDesiredWithinRange: return "DesiredWithinRange";
    case HpaReason::kScaleUpLimit: return "ScaleUpLimit";
    case HpaReason::kScaleDownLimit: return "ScaleDownLimit";
    case HpaReason::kTooManyReplicas: return "TooManyReplicas";
    case HpaReason::kTooFewReplicas: return "TooFewReplicas";
    case HpaReason::kNoMetrics: return "NoMetrics";
  }
  return "Unknown";
}

// calcPlainMetricReplicas: pending pods are "unready"; they count as using
// nothing when the ready pods ask for a scale-up, and are ignored otherwise.
int HpaController::Calculate(const HpaSample& s, bool* within) const {
  *within = false;
  double usage_ratio = s.metric_total / (s.target_per_pod * s.ready_pods);
  auto in_tolerance = [&](double r) {
    return std::fabs(1.0 - r) <= config_.tolerance;
  };
  bool scale_up_with_unready = s.unready_pods > 0 && usage_ratio > 1.0;
  if (!scale_up_with_unready) {
    if (in_tolerance(usage_ratio)) {
      *within = true;
      return s.current_replicas;
    }
    return static_cast<int>(std::ceil(usage_ratio * s.ready_pods));
  }
  int pods = s.ready_pods + s.unready_pods;
  double new_ratio = s.metric_total / (s.target_per_pod * pods);
  if (in_tolerance(new_ratio) || new_ratio < 1.0) {
    *within = true;
    return s.current_replicas;
  }
  int replicas = static_cast<int>(std::ceil(new_ratio * pods));
  return std::max(replicas, s.current_replicas);
}

// stabilizeRecommendationWithBehaviors: the lowest recommendation of the
// scale-up window and the highest of the scale-down window bound the result.
int HpaController::Stabilize(int64_t now, int current, int desired) {
  int64_t up_cutoff = now - config_.scale_up.stabilization_window_seconds;
  int64_t down_cutoff = now - config_.scale_down.stabilization_window_seconds;
  int up = desired, down = desired;
  int old_index = -1;
  for (size_t i = 0; i < recommendations_.size(); ++i) {
    const Timed& r = recommendations_[i];
    if (r.at > up_cutoff) up = std::min(up, r.value);
    if (r.at > down_cutoff) down = std::max(down, r.value);
    if (r.at < up_cutoff && r.at < down_cutoff) old_index = static_cast<int>(i);
  }
  int result = std::max(current, up);
  result = std::min(result, down);
  if (old_index >= 0) {
    recommendations_[static_cast<size_t>(old_index)] = {now, desired};
  } else {
    recommendations_.push_back({now, desired});
  }
  return result;
}

int HpaController::ChangeInPeriod(const std::deque<Timed>& events, int64_t now,
                                  int period) const {
  int sum = 0;
  for (const Timed& e : events) {
    if (e.at > now - period) sum += e.value;
  }
  return sum;
}

// convertDesiredReplicasWithBehaviorRate with calculateScaleUpLimit... and
// calculateScaleDownLimitWithBehaviors.
int HpaController::RateLimit(int64_t now, int current, int desired,
                             HpaReason* reason) const {
  *reason = HpaReason::kDesiredWithinRange;
  if (desired > current) {
    const HpaScalingRules& r = config_.scale_up;
    int limit = current;
    if (r.select_policy != HpaSelectPolicy::kDisabled) {
      bool pick_min = r.select_policy == HpaSelectPolicy::kMin;
      int result = pick_min ? INT_MAX : INT_MIN;
      for (const HpaScalingPolicy& p : r.policies) {
        int start = current - ChangeInPeriod(up_events_, now, p.period_seconds);
        int proposed =
            p.type == HpaPolicyType::kPods
                ? start + p.value
                : static_cast<int>(std::ceil(start * (1.0 + p.value / 100.0)));
        result = pick_min ? std::min(result, proposed)
                          : std::max(result, proposed);
      }
      if (!r.policies.empty()) limit = std::max(result, current);
    }
    int max_allowed = config_.max_replicas;
    if (max_allowed > limit) {
      max_allowed = limit;
      if (desired > max_allowed) *reason = HpaReason::kScaleUpLimit;
    } else if (desired > max_allowed) {
      *reason = HpaReason::kTooManyReplicas;
    }
    return std::min(desired, max_allowed);
  }
  if (desired < current) {
    const HpaScalingRules& r = config_.scale_down;
    int limit = current;
    if (r.select_policy != HpaSelectPolicy::kDisabled) {
      // kMin picks the smallest change, i.e. the highest limit.
      bool pick_min = r.select_policy == HpaSelectPolicy::kMin;
      int result = pick_min ? INT_MIN : INT_MAX;
      for (const HpaScalingPolicy& p : r.policies) {
        int start =
            current + ChangeInPeriod(down_events_, now, p.period_seconds);
        int proposed =
            p.type == HpaPolicyType::kPods
                ? start - p.value
                : static_cast<int>(start * (1.0 - p.value / 100.0));
        result = pick_min ? std::max(result, proposed)
                          : std::min(result, proposed);
      }
      if (!r.policies.empty()) limit = std::min(result, current);
    }
    int min_allowed = config_.min_replicas;
    if (min_allowed < limit) {
      min_allowed = limit;
      if (desired < min_allowed) *reason = HpaReason::kScaleDownLimit;
    } else if (desired < min_allowed) {
      *reason = HpaReason::kTooFewReplicas;
    }
    return std::max(desired, min_allowed);
  }
  return desired;
}

HpaDecision HpaController::Reconcile(const HpaSample& s) {
  HpaDecision d;
  int64_t now = s.now_seconds;
  if (!initialised_) {
    // maybeInitScaleDownStabilizationWindow: a fresh controller remembers the
    // current scale so it does not scale down at once after a restart.
    initialised_ = true;
    if (config_.scale_down.stabilization_window_seconds > 0) {
      recommendations_.push_back({now, s.current_replicas});
    }
  }
  bool within = false;
  if (s.ready_pods <= 0) {
    d.raw_replicas = s.current_replicas;
    d.reason = HpaReason::kNoMetrics;
  } else {
    d.raw_replicas = Calculate(s, &within);
  }
  int stabilised = Stabilize(now, s.current_replicas, d.raw_replicas);
  HpaReason reason;
  int desired = RateLimit(now, s.current_replicas, stabilised, &reason);
  desired = std::clamp(desired, config_.min_replicas, config_.max_replicas);
  d.desired_replicas = desired;
  if (d.reason != HpaReason::kNoMetrics) {
    d.reason = within && desired == s.current_replicas
                   ? HpaReason::kWithinTolerance
                   : reason;
  }
  // Scale events older than the longest period are never counted again.
  int64_t keep = 0;
  for (const auto* rules : {&config_.scale_up, &config_.scale_down}) {
    for (const HpaScalingPolicy& p : rules->policies) {
      keep = std::max<int64_t>(keep, p.period_seconds);
    }
  }
  for (auto* events : {&up_events_, &down_events_}) {
    while (!events->empty() && events->front().at <= now - keep) {
      events->pop_front();
    }
  }
  if (desired > s.current_replicas) {
    up_events_.push_back({now, desired - s.current_replicas});
  } else if (desired < s.current_replicas) {
    down_events_.push_back({now, s.current_replicas - desired});
  }
  return d;
}

}  // namespace storepilot::autoscale

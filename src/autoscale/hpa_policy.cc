#include "autoscale/hpa_policy.h"

namespace storepilot::autoscale {

namespace {
HpaConfig WithBounds(HpaConfig c, const FleetConfig& fleet) {
  c.min_replicas = fleet.min_replicas;
  c.max_replicas = fleet.max_replicas;
  return c;
}
}  // namespace

HpaFleetPolicy::HpaFleetPolicy(const FleetConfig& fleet,
                               double target_utilization, HpaConfig config)
    : target_per_pod_(target_utilization * fleet.capacity_per_pod),
      controller_(WithBounds(std::move(config), fleet)) {}

int HpaFleetPolicy::Decide(const FleetState& s) {
  HpaSample sample;
  sample.now_seconds = static_cast<int64_t>(s.t) * 60;
  sample.current_replicas = s.ready + s.pending;
  sample.ready_pods = s.ready;
  sample.unready_pods = s.pending;
  sample.metric_total = s.demand;
  sample.target_per_pod = target_per_pod_;
  last_ = controller_.Reconcile(sample);
  return last_.desired_replicas;
}

}  // namespace storepilot::autoscale

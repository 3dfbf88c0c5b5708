#ifndef STOREPILOT_AUTOSCALE_HPA_POLICY_H_
#define STOREPILOT_AUTOSCALE_HPA_POLICY_H_

#include "autoscale/fleet.h"
#include "autoscale/hpa.h"

namespace storepilot::autoscale {

// The HPA on the simulated fleet: one sync per minute, the metric is the
// requests per minute the ready pods receive (a pods metric with an
// AverageValue target of target_utilization × C), pending pods are the
// unready ones, spec.replicas is ready + pending; Kubernetes' default
// behaviour and tolerance unless `config` says otherwise.
class HpaFleetPolicy : public ScalingPolicy {
 public:
  // REQUIRES: target_utilization > 0; min/max of `config` are overwritten
  // with the fleet's.
  HpaFleetPolicy(const FleetConfig& fleet, double target_utilization,
                 HpaConfig config = {});
  int Decide(const FleetState& state) override;
  const HpaDecision& last() const { return last_; }

 private:
  double target_per_pod_;
  HpaController controller_;
  HpaDecision last_;
};

}  // namespace storepilot::autoscale

#endif  // STOREPILOT_AUTOSCALE_HPA_POLICY_H_

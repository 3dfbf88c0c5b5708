#ifndef STOREPILOT_AUTOSCALE_DECISION_LOG_H_
#define STOREPILOT_AUTOSCALE_DECISION_LOG_H_

// The planner's decisions as durable log records (kAutoscaleDecision): one
// per service and decided minute, with the fleet state the policies were
// given, so a restarted planner replays them into fresh policies and ends in
// the same state (calibration, scale-down windows) with the same plan.

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "store/event_log.h"

namespace storepilot::autoscale {

// The log "shop" decisions are appended under (no real shop starts with '_').
inline constexpr char kAutoscaleShop[] = "_autoscale";

struct DecisionRecord {
  std::string service;
  int64_t minute_ms = 0;   // start of the decided minute (epoch ms)
  int64_t decided_ms = 0;  // when it was decided (the planner's clock)
  // The fleet state given to the policies for that minute.
  double demand = 0;
  int ready = 0;
  int pending = 0;
  bool ready_reported = false;  // `ready` was pushed (else the plan was assumed followed)
  // The plan that resulted.
  int current = 0;
  int desired = 0;
  double capacity = 0;  // requests/minute per pod; 0 while it was learned
  double forecast_p50 = 0;
  double forecast_upper = 0;
  std::string policy;
  std::string reason_code;
  std::string reason;
};

store::AppendItem EncodeDecision(const DecisionRecord& record);
// InvalidArgument for a payload that is not a decision record.
absl::StatusOr<DecisionRecord> DecodeDecision(std::string_view payload);

}  // namespace storepilot::autoscale

#endif  // STOREPILOT_AUTOSCALE_DECISION_LOG_H_

#ifndef STOREPILOT_API_KEDA_SCALER_H_
#define STOREPILOT_API_KEDA_SCALER_H_

// The KEDA external scaler (gRPC service externalscaler.ExternalScaler, from
// proto/externalscaler.proto) reporting the autoscale planner's plans, so a
// ScaledObject of type `external` scales its target to the predictive plan:
//  - the trigger's metadata key `service` names the storepilot service;
//  - GetMetricSpec: one metric `storepilot-<service>` with targetSize 1;
//  - GetMetrics: metricValue = the planned desired replicas, so the HPA's
//    AverageValue arithmetic, ceil(value / targetSize), is the plan;
//  - IsActive: the plan wants pods or the service had requests last minute;
//    StreamIsActive sends that every `stream_interval_ms` until cancelled.
// Errors: INVALID_ARGUMENT without `service`, NOT_FOUND for an unknown
// service or metric name.

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "autoscale/planner.h"

namespace storepilot::api {

struct KedaScalerOptions {
  std::string host = "0.0.0.0";
  uint16_t port = 0;  // 0: any free port (see port())
  int stream_interval_ms = 10'000;
};

class KedaScaler {
 public:
  // Starts serving. `planner` must outlive the scaler. Unavailable when the
  // port cannot be bound; InvalidArgument for a stream interval < 1.
  static absl::StatusOr<std::unique_ptr<KedaScaler>> Start(KedaScalerOptions options,
                                                           autoscale::Planner* planner);
  ~KedaScaler();  // Shutdown()

  uint16_t port() const { return port_; }
  // Ends open streams and stops the server. Idempotent.
  void Shutdown();

  // The metric name KEDA is told about for `service`.
  static std::string MetricName(const std::string& service);

 private:
  struct Impl;
  KedaScaler() = default;
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
};

}  // namespace storepilot::api

#endif  // STOREPILOT_API_KEDA_SCALER_H_

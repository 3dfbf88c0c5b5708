#ifndef STOREPILOT_API_AUTOSCALE_CONFIG_H_
#define STOREPILOT_API_AUTOSCALE_CONFIG_H_

// The `autoscale:` section of the config (docs/autoscale.md): the services
// to plan for, the KEDA external scaler and the Kubernetes actuator.

#include <string>
#include <vector>

#include "autoscale/planner.h"

namespace storepilot::api {

// How the plan reaches Kubernetes besides KEDA.
enum class ActuatorMode { kOff, kDryRun, kOn };

struct ActuatorConfig {
  ActuatorMode mode = ActuatorMode::kOff;
  // Base URL of the Kubernetes API; empty: in-cluster,
  // https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT. http:// is
  // accepted (for tests and kubectl proxy).
  std::string api_url;
  std::string token_file = "/var/run/secrets/kubernetes.io/serviceaccount/token";
  std::string ca_file = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";
  int timeout_ms = 5'000;
};

struct AutoscaleConfig {
  std::vector<autoscale::ServiceSpec> services;
  // HOST:PORT of the KEDA external scaler (gRPC); empty: not served. The
  // YAML key keda_port: N means "0.0.0.0:N" (0: off).
  std::string keda_listen;
  int keda_stream_interval_ms = 10'000;
  ActuatorConfig actuator;
  int tick_ms = 1'000;  // how often the planner checks for a finished minute
  // A declared service fed with storepilot's own API requests (the engine
  // plans its own replicas); empty: none.
  std::string self_service;
};

}  // namespace storepilot::api

#endif  // STOREPILOT_API_AUTOSCALE_CONFIG_H_

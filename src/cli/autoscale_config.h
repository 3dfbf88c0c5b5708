#ifndef STOREPILOT_CLI_AUTOSCALE_CONFIG_H_
#define STOREPILOT_CLI_AUTOSCALE_CONFIG_H_

// The `autoscale:` section of the YAML config (docs/autoscale.md):
//   keda_port (0: off) or keda_listen (HOST:PORT), keda_stream_interval_ms,
//   tick_ms, actuator (off | dry-run | on), kubernetes: {api_url, token_file,
//   ca_file, timeout_ms}, services: [{name, namespace, deployment,
//   capacity_per_pod (a number, or `learn`), startup_minutes, min_replicas,
//   max_replicas, target_utilization, slo_ms, quantile}].
// Unknown keys are an error, as in the rest of the file.

#include "absl/status/status.h"
#include "api/autoscale_config.h"
#include "yaml-cpp/yaml.h"

namespace storepilot::cli {

// InvalidArgument naming the key for a wrong value or an unknown key; the
// services are validated (autoscale::ValidateServiceSpec).
absl::Status LoadAutoscaleYaml(const YAML::Node& node, api::AutoscaleConfig* config);

}  // namespace storepilot::cli

#endif  // STOREPILOT_CLI_AUTOSCALE_CONFIG_H_

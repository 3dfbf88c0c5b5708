#ifndef STOREPILOT_CLI_CONFIG_H_
#define STOREPILOT_CLI_CONFIG_H_

// Reads the YAML config file of `storepilot serve` into an EngineConfig.
// Keys: listen, data_dir, admin_token, threads, partitions, max_body_bytes,
// idle_timeout_ms, max_connections, admission (bool), admission_queue_delay_ms,
// log_level, shops: a list of {shop, api_token, webhook_secret}, autoscale
// (cli/autoscale_config.h), and forecast: {platform_calendar: [{name, start,
// end, expected_uplift?}], yearly_platform_events: bool} (docs/forecast.md).
// Unknown keys are an error (typos should not pass silently).

#include <string>

#include "absl/status/status.h"
#include "api/engine.h"

namespace storepilot::cli {

absl::Status LoadYamlConfig(const std::string& path, api::EngineConfig* config,
                            std::string* log_level);

}  // namespace storepilot::cli

#endif  // STOREPILOT_CLI_CONFIG_H_

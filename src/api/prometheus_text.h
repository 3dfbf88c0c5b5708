#ifndef STOREPILOT_API_PROMETHEUS_TEXT_H_
#define STOREPILOT_API_PROMETHEUS_TEXT_H_

// A reader of the Prometheus text exposition format (version 0.0.4), enough
// for the samples pushed to POST /v1/autoscale/services/{name}/metrics:
// `name{label="value",...} value [timestamp_ms]` lines; `#` lines (HELP,
// TYPE, comments) and blank lines are skipped.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace storepilot::api {

struct PromSample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
  std::optional<int64_t> timestamp_ms;
};

// InvalidArgument naming the line for a malformed one (bad name, unclosed
// label set or string, missing or non-numeric value). Accepts NaN, +Inf, -Inf.
absl::StatusOr<std::vector<PromSample>> ParsePrometheusText(std::string_view text);

}  // namespace storepilot::api

#endif  // STOREPILOT_API_PROMETHEUS_TEXT_H_

#ifndef STOREPILOT_FORECAST_INTERNAL_CANDIDATES_H_
#define STOREPILOT_FORECAST_INTERNAL_CANDIDATES_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "forecast/forecaster.h"

namespace storepilot::forecast::internal {

// A point-forecasting model: (history, horizon) -> forecasts.
using PointModel = std::function<absl::StatusOr<std::vector<double>>(
    absl::Span<const double>, int)>;

struct Candidate {
  std::string name;
  PointModel run;
};

// The models `method` stands for on a series with seasonal `periods`
// (ascending, possibly empty) and known `season`: one for a named method,
// several for kAuto (chosen from the series' shape: intermittent demand gets
// Croston-type models, seasonal series decomposition-based ones).
std::vector<Candidate> CandidatesFor(Method method, absl::Span<const double> y,
                                     const std::vector<int>& periods,
                                     int season);

}  // namespace storepilot::forecast::internal

#endif  // STOREPILOT_FORECAST_INTERNAL_CANDIDATES_H_

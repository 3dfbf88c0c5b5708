#ifndef STOREPILOT_FORECAST_SERIES_CSV_H_
#define STOREPILOT_FORECAST_SERIES_CSV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace storepilot::forecast {

// One named time series (oldest value first).
struct NamedSeries {
  std::string id;
  std::vector<double> values;
};

// One row of a quantile file: `id,quantile,F1,...,FH`.
struct QuantileRow {
  std::string id;
  double level = 0;
  std::vector<double> values;
};

// Parses the M4 wide format: a header row, then `"id","v1","v2",...` where
// trailing fields may be empty (`""`) padding. Quotes are optional. The header
// is skipped. Errors: InvalidArgument on a non-numeric value, a value after
// padding, an empty id, or a row without values.
absl::StatusOr<std::vector<NamedSeries>> ParseWideCsv(const std::string& text);

// Parses a quantile file (`id,quantile,F1,...` with a header).
absl::StatusOr<std::vector<QuantileRow>> ParseQuantileCsv(
    const std::string& text);

// Formats `id,F1,...,FH` with a header; every series must have `horizon`
// values (InvalidArgument otherwise).
absl::StatusOr<std::string> FormatForecastCsv(
    absl::Span<const NamedSeries> forecasts, int horizon);

// Formats `id,quantile,F1,...,FH` with a header.
absl::StatusOr<std::string> FormatQuantileCsv(absl::Span<const QuantileRow> rows,
                                              int horizon);

// Whole-file helpers. Errors: NotFound / Internal from the file system.
absl::StatusOr<std::string> ReadTextFile(const std::string& path);
absl::Status WriteTextFile(const std::string& path, const std::string& text);

}  // namespace storepilot::forecast

#endif  // STOREPILOT_FORECAST_SERIES_CSV_H_

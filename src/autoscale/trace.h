#ifndef STOREPILOT_AUTOSCALE_TRACE_H_
#define STOREPILOT_AUTOSCALE_TRACE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace storepilot::autoscale {

// Requests per minute on a uniform one-minute grid.
struct MinuteTrace {
  int64_t start_seconds = 0;   // epoch seconds (UTC) of demand[0]'s minute
  std::vector<double> demand;  // demand[t]: requests in minute t
};

// Parses "YYYY-MM-DD HH:MM:SS" (UTC; a 'T' separator is accepted too) into
// epoch seconds. Errors: InvalidArgument for anything else.
absl::StatusOr<int64_t> ParseTraceTimestamp(absl::string_view text);
// Formats epoch seconds as "YYYY-MM-DD HH:MM:SS" (UTC).
std::string FormatTraceTimestamp(int64_t seconds);

// Parses a CSV with a header and rows `timestamp,count`. Every row is added
// to the minute that holds its timestamp, so a per-minute file is read as is
// and a finer one (e.g. per second) is aggregated to minutes. The grid runs
// from the first to the last minute seen; minutes without rows are 0.
// Rows may come in any order. Errors: InvalidArgument on a malformed row,
// a negative or non-finite count, or a file without data rows.
absl::StatusOr<MinuteTrace> ParseMinuteTrace(absl::string_view csv);
absl::StatusOr<MinuteTrace> LoadMinuteTrace(const std::string& path);

// `minute,count` CSV of a trace (the format ParseMinuteTrace reads).
std::string FormatMinuteTrace(const MinuteTrace& trace);

// Whole-file I/O. Errors: NotFound / Internal from the file system.
absl::StatusOr<std::string> ReadFile(const std::string& path);
absl::Status WriteFile(const std::string& path, absl::string_view text);

}  // namespace storepilot::autoscale

#endif  // STOREPILOT_AUTOSCALE_TRACE_H_

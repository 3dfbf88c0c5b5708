#ifndef STOREPILOT_COMMON_TIME_UTIL_H_
#define STOREPILOT_COMMON_TIME_UTIL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace storepilot {

// Parses an RFC 3339 timestamp ("2026-11-27T10:00:00Z", "...+02:00",
// fractional seconds allowed) into milliseconds since the Unix epoch.
// Returns InvalidArgument for anything else.
absl::StatusOr<int64_t> ParseRfc3339Millis(std::string_view text);

// Formats epoch milliseconds as RFC 3339 in UTC with millisecond precision.
std::string FormatRfc3339Millis(int64_t millis);

}  // namespace storepilot

#endif  // STOREPILOT_COMMON_TIME_UTIL_H_

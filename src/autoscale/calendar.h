#ifndef STOREPILOT_AUTOSCALE_CALENDAR_H_
#define STOREPILOT_AUTOSCALE_CALENDAR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace storepilot::autoscale {

// A known event (a sale, a match, a launch): traffic may surge from `start`.
struct CalendarEvent {
  std::string name;
  int64_t start_seconds = 0;  // epoch seconds, UTC
  int64_t end_seconds = 0;    // > start
  // The expected demand during the event relative to just before it; 0
  // means "learn it from past events".
  double uplift = 0;
};

// Parses the calendar CSV: a header, then `name,start,end[,uplift]` rows with
// timestamps as `YYYY-MM-DD HH:MM:SS` (UTC) and an optional uplift > 0.
// Lines starting with '#' are comments. Result sorted by start. Errors:
// InvalidArgument (with the line number) on a malformed row, end <= start or
// an uplift <= 0.
absl::StatusOr<std::vector<CalendarEvent>> ParseCalendar(absl::string_view csv);
absl::StatusOr<std::vector<CalendarEvent>> LoadCalendar(const std::string& path);

}  // namespace storepilot::autoscale

#endif  // STOREPILOT_AUTOSCALE_CALENDAR_H_

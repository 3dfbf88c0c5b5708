#include "autoscale/calendar.h"

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "autoscale/trace.h"

namespace storepilot::autoscale {

absl::StatusOr<std::vector<CalendarEvent>> ParseCalendar(absl::string_view csv) {
  std::vector<CalendarEvent> events;
  int line_no = 0;
  bool header = true;
  for (absl::string_view line : absl::StrSplit(csv, '\n')) {
    ++line_no;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat("calendar line ", line_no, ": ", why));
    };
    std::vector<absl::string_view> f = absl::StrSplit(line, ',');
    if (f.size() != 3 && f.size() != 4) {
      return bad("want name,start,end[,uplift]");
    }
    CalendarEvent e;
    e.name = std::string(absl::StripAsciiWhitespace(f[0]));
    if (e.name.empty()) return bad("empty name");
    absl::StatusOr<int64_t> start = ParseTraceTimestamp(f[1]);
    absl::StatusOr<int64_t> end = ParseTraceTimestamp(f[2]);
    if (!start.ok()) return bad(start.status().message());
    if (!end.ok()) return bad(end.status().message());
    if (*end <= *start) return bad("end must be after start");
    e.start_seconds = *start;
    e.end_seconds = *end;
    if (f.size() == 4 && !absl::StripAsciiWhitespace(f[3]).empty()) {
      if (!absl::SimpleAtod(absl::StripAsciiWhitespace(f[3]), &e.uplift) ||
          !std::isfinite(e.uplift) || e.uplift <= 0) {
        return bad("uplift must be a number > 0");
      }
    }
    events.push_back(std::move(e));
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const CalendarEvent& a, const CalendarEvent& b) {
                     return a.start_seconds < b.start_seconds;
                   });
  return events;
}

absl::StatusOr<std::vector<CalendarEvent>> LoadCalendar(
    const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseCalendar(*text);
}

}  // namespace storepilot::autoscale

#include "autoscale/trace.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace storepilot::autoscale {

absl::StatusOr<int64_t> ParseTraceTimestamp(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  int y, mo, d, h, mi, s;
  char sep;
  std::string copy(text);
  int consumed = 0;
  if (copy.size() != 19 ||
      std::sscanf(copy.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d%n", &y, &mo, &d, &sep,
                  &h, &mi, &s, &consumed) != 7 ||
      consumed != 19 || (sep != ' ' && sep != 'T')) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad timestamp '", text, "' (want YYYY-MM-DD HH:MM:SS)"));
  }
  absl::CivilSecond cs(y, mo, d, h, mi, s);
  if (cs.year() != y || cs.month() != mo || cs.day() != d || cs.hour() != h ||
      cs.minute() != mi || cs.second() != s) {
    return absl::InvalidArgumentError(
        absl::StrCat("timestamp out of range '", text, "'"));
  }
  return absl::ToUnixSeconds(absl::FromCivil(cs, absl::UTCTimeZone()));
}

std::string FormatTraceTimestamp(int64_t seconds) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", absl::FromUnixSeconds(seconds),
                          absl::UTCTimeZone());
}

absl::StatusOr<MinuteTrace> ParseMinuteTrace(absl::string_view csv) {
  std::map<int64_t, double> per_minute;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(csv, '\n')) {
    ++line_no;
    line = absl::StripAsciiWhitespace(line);
    if (line_no == 1 || line.empty()) continue;  // header
    std::vector<absl::string_view> f = absl::StrSplit(line, ',');
    if (f.size() != 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line_no, ": want timestamp,count"));
    }
    absl::StatusOr<int64_t> ts = ParseTraceTimestamp(f[0]);
    if (!ts.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line_no, ": ", ts.status().message()));
    }
    double count;
    if (!absl::SimpleAtod(absl::StripAsciiWhitespace(f[1]), &count) ||
        !std::isfinite(count) || count < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line_no, ": bad count '", f[1], "'"));
    }
    int64_t minute = *ts >= 0 ? *ts / 60 : (*ts - 59) / 60;
    per_minute[minute] += count;
  }
  if (per_minute.empty()) {
    return absl::InvalidArgumentError("trace has no data rows");
  }
  MinuteTrace trace;
  int64_t first = per_minute.begin()->first;
  int64_t last = per_minute.rbegin()->first;
  trace.start_seconds = first * 60;
  trace.demand.assign(static_cast<size_t>(last - first + 1), 0.0);
  for (const auto& [minute, count] : per_minute) {
    trace.demand[static_cast<size_t>(minute - first)] = count;
  }
  return trace;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

absl::Status WriteFile(const std::string& path, absl::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) return absl::InternalError(absl::StrCat("write failed: ", path));
  return absl::OkStatus();
}

absl::StatusOr<MinuteTrace> LoadMinuteTrace(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseMinuteTrace(*text);
}

std::string FormatMinuteTrace(const MinuteTrace& trace) {
  std::string out = "minute,count\n";
  for (size_t t = 0; t < trace.demand.size(); ++t) {
    absl::StrAppend(&out,
                    FormatTraceTimestamp(trace.start_seconds +
                                         static_cast<int64_t>(t) * 60),
                    ",", trace.demand[t], "\n");
  }
  return out;
}

}  // namespace storepilot::autoscale

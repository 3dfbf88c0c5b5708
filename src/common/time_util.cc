#include "common/time_util.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace storepilot {

absl::StatusOr<int64_t> ParseRfc3339Millis(std::string_view text) {
  absl::Time t;
  std::string err;
  // Debian's Abseil keeps its own string_view type, hence the std::string copies.
  if (text.size() < 20 || text.size() > 40 ||
      !absl::ParseTime(absl::RFC3339_full, std::string(text), &t, &err)) {
    return absl::InvalidArgumentError(
        absl::StrCat("not an RFC 3339 timestamp: '", std::string(text.substr(0, 40)), "'"));
  }
  return absl::ToUnixMillis(t);
}

std::string FormatRfc3339Millis(int64_t millis) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::FromUnixMillis(millis),
                          absl::UTCTimeZone());
}

}  // namespace storepilot

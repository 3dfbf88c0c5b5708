#include "common/time_util.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace storepilot {
namespace {

// Every order, event and webhook carries timestamps, and absl's general
// parser and formatter cost microseconds each on the apply path. The common
// shapes are handled here by hand; anything else (lower-case 't'/'z', a
// leap second, an out-of-range field, surrounding spaces, years outside
// 1970-9999 when formatting) goes to Abseil, so results never differ.

constexpr int64_t kMillisPerDay = 86'400'000;
// 10000-01-01T00:00:00Z: the first instant %Y no longer writes as 4 digits.
constexpr int64_t kYear10000Millis = 253'402'300'800'000;

// Days since 1970-01-01 of a proleptic Gregorian date (era arithmetic: a
// 400-year era has 146097 days; years start in March so the leap day is last).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// The inverse, for days >= 0.
void CivilFromDays(int64_t z, int64_t* y, int* m, int* d) {
  z += 719468;
  const int64_t era = z / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

bool IsLeap(int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

int DaysInMonth(int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// `n` decimal digits at `p` into `*out`; false unless all are digits.
bool Digits(const char* p, int n, int* out) {
  int v = 0;
  for (int i = 0; i < n; ++i) {
    const unsigned d = static_cast<unsigned char>(p[i]) - '0';
    if (d > 9) return false;
    v = v * 10 + static_cast<int>(d);
  }
  *out = v;
  return true;
}

// "YYYY-MM-DDTHH:MM:SS[.f+](Z|+hh:mm|-hh:mm)" with every field in range;
// false for anything else (not necessarily invalid: Abseil decides then).
bool ParseCommon(std::string_view s, int64_t* millis) {
  int year, month, day, hour, minute, second;
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
      s[16] != ':' || !Digits(&s[0], 4, &year) || !Digits(&s[5], 2, &month) ||
      !Digits(&s[8], 2, &day) || !Digits(&s[11], 2, &hour) || !Digits(&s[14], 2, &minute) ||
      !Digits(&s[17], 2, &second)) {
    return false;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 59) {
    return false;
  }
  size_t at = 19;
  int frac_ms = 0;
  if (s[at] == '.') {
    ++at;
    const size_t first = at;
    int scale = 100;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') {
      frac_ms += (s[at] - '0') * scale;  // digits past the third are truncated, as absl
      scale /= 10;
      ++at;
    }
    if (at == first || at - first > 15) return false;
  }
  int offset_minutes = 0;
  if (at < s.size() && s[at] == 'Z') {
    ++at;
  } else if (at + 6 == s.size() && (s[at] == '+' || s[at] == '-') && s[at + 3] == ':') {
    int oh, om;
    if (!Digits(&s[at + 1], 2, &oh) || !Digits(&s[at + 4], 2, &om) || oh > 23 || om > 59) {
      return false;
    }
    offset_minutes = (oh * 60 + om) * (s[at] == '-' ? -1 : 1);
    at += 6;
  } else {
    return false;
  }
  if (at != s.size()) return false;
  const int64_t seconds = DaysFromCivil(year, month, day) * 86400 + hour * 3600 +
                          minute * 60 + second - offset_minutes * 60;
  *millis = seconds * 1000 + frac_ms;
  return true;
}

void Put2(char* p, int v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}

}  // namespace

absl::StatusOr<int64_t> ParseRfc3339Millis(std::string_view text) {
  int64_t millis = 0;
  if (text.size() <= 40 && ParseCommon(text, &millis)) return millis;
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
  if (millis < 0 || millis >= kYear10000Millis) {
    return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::FromUnixMillis(millis),
                            absl::UTCTimeZone());
  }
  const int64_t days = millis / kMillisPerDay;
  const int64_t in_day = millis % kMillisPerDay;
  int64_t year;
  int month, day;
  CivilFromDays(days, &year, &month, &day);
  const int ms = static_cast<int>(in_day % 1000);
  const int sec = static_cast<int>(in_day / 1000);
  std::string out(24, '\0');  // YYYY-MM-DDTHH:MM:SS.mmmZ
  char* p = out.data();
  Put2(p, static_cast<int>(year / 100));
  Put2(p + 2, static_cast<int>(year % 100));
  p[4] = '-';
  Put2(p + 5, month);
  p[7] = '-';
  Put2(p + 8, day);
  p[10] = 'T';
  Put2(p + 11, sec / 3600);
  p[13] = ':';
  Put2(p + 14, sec / 60 % 60);
  p[16] = ':';
  Put2(p + 17, sec % 60);
  p[19] = '.';
  p[20] = static_cast<char>('0' + ms / 100);
  Put2(p + 21, ms % 100);
  p[23] = 'Z';
  return out;
}

}  // namespace storepilot

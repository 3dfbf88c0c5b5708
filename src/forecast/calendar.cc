#include "forecast/calendar.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "common/time_util.h"

namespace storepilot::forecast {
namespace {

using nlohmann::json;

absl::StatusOr<int64_t> ReadTime(const json& e, const char* field, size_t i) {
  auto it = e.find(field);
  if (it == e.end()) return absl::InvalidArgumentError(absl::StrCat("events[", i, "].", field, " is required"));
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_string()) {
    auto t = ParseRfc3339Millis(it->get<std::string>());
    if (t.ok()) return *t;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("events[", i, "].", field, " must be RFC 3339 or epoch ms"));
}

int64_t DayMs(absl::CivilDay d) { return absl::ToUnixMillis(absl::FromCivil(d, absl::UTCTimeZone())); }

// Days of the series or horizon ([0, n)) covered by `e`.
std::pair<int64_t, int64_t> DayRange(const CalendarEvent& e, int64_t first_day_ms) {
  const int64_t first = (e.start_ms - first_day_ms) >= 0
                            ? (e.start_ms - first_day_ms) / kMillisPerDay
                            : -((first_day_ms - e.start_ms + kMillisPerDay - 1) / kMillisPerDay);
  const int64_t last_excl = (e.end_ms - first_day_ms + kMillisPerDay - 1) >= 0
                                ? (e.end_ms - first_day_ms + kMillisPerDay - 1) / kMillisPerDay
                                : first;
  return {first, last_excl};
}

}  // namespace

absl::StatusOr<std::vector<CalendarEvent>> ParseCalendar(const json& body) {
  const json* list = &body;
  if (body.is_object()) {
    auto it = body.find("events");
    if (it == body.end()) return absl::InvalidArgumentError("expected {\"events\": [...]}");
    list = &*it;
  }
  if (!list->is_array()) return absl::InvalidArgumentError("events must be an array");
  if (list->size() > 1000) return absl::InvalidArgumentError("at most 1,000 events");
  std::vector<CalendarEvent> out;
  for (size_t i = 0; i < list->size(); ++i) {
    const json& e = (*list)[i];
    if (!e.is_object()) return absl::InvalidArgumentError(absl::StrCat("events[", i, "] must be an object"));
    CalendarEvent ev;
    auto name = e.find("name");
    if (name == e.end() || !name->is_string() || name->get<std::string>().empty() ||
        name->get<std::string>().size() > 128) {
      return absl::InvalidArgumentError(
          absl::StrCat("events[", i, "].name must be a string of 1 to 128 characters"));
    }
    ev.name = name->get<std::string>();
    ASSIGN_OR_RETURN(ev.start_ms, ReadTime(e, "start", i));
    ASSIGN_OR_RETURN(ev.end_ms, ReadTime(e, "end", i));
    if (ev.end_ms <= ev.start_ms) {
      return absl::InvalidArgumentError(absl::StrCat("events[", i, "]: end must be after start"));
    }
    auto uplift = e.find("expected_uplift");
    if (uplift != e.end() && !uplift->is_null()) {
      if (!uplift->is_number() || !std::isfinite(uplift->get<double>()) ||
          uplift->get<double>() <= -1 || uplift->get<double>() > 100) {
        return absl::InvalidArgumentError(
            absl::StrCat("events[", i, "].expected_uplift must be a number in (-1, 100]"));
      }
      ev.expected_uplift = uplift->get<double>();
    }
    out.push_back(std::move(ev));
  }
  return out;
}

json CalendarToJson(const std::vector<CalendarEvent>& events) {
  json list = json::array();
  for (const CalendarEvent& e : events) {
    json j = {{"name", e.name},
              {"start", FormatRfc3339Millis(e.start_ms)},
              {"end", FormatRfc3339Millis(e.end_ms)}};
    if (e.expected_uplift) j["expected_uplift"] = *e.expected_uplift;
    list.push_back(std::move(j));
  }
  return {{"events", std::move(list)}};
}

std::vector<CalendarEvent> PlatformCalendar(int first_year, int last_year) {
  std::vector<CalendarEvent> out;
  for (int y = first_year; y <= last_year; ++y) {
    absl::CivilDay nov1(y, 11, 1);
    // Thursday of the first week, then three weeks on.
    int to_thursday = (static_cast<int>(absl::Weekday::thursday) -
                       static_cast<int>(absl::GetWeekday(nov1)) + 7) % 7;
    absl::CivilDay black_friday = nov1 + to_thursday + 21 + 1;
    out.push_back({"black_friday", DayMs(black_friday), DayMs(black_friday + 1), 1.0});
    out.push_back({"cyber_monday", DayMs(black_friday + 3), DayMs(black_friday + 4), 0.8});
    out.push_back({"singles_day", DayMs(absl::CivilDay(y, 11, 11)),
                   DayMs(absl::CivilDay(y, 11, 12)), std::nullopt});
    out.push_back({"christmas_rush", DayMs(absl::CivilDay(y, 12, 15)),
                   DayMs(absl::CivilDay(y, 12, 25)), std::nullopt});
    out.push_back({"valentines_day", DayMs(absl::CivilDay(y, 2, 1)),
                   DayMs(absl::CivilDay(y, 2, 15)), std::nullopt});
  }
  return out;
}

DayMultipliers LearnEventEffects(absl::Span<const double> y, int64_t first_day_ms,
                                 int64_t h, const std::vector<CalendarEvent>& events) {
  const int64_t n = static_cast<int64_t>(y.size());
  // Days covered by any event (history and horizon).
  std::vector<bool> covered(n + h, false);
  std::map<std::string, std::vector<std::pair<int64_t, int64_t>>> by_name;
  std::map<std::string, std::optional<double>> given;
  for (const CalendarEvent& e : events) {
    auto [a, b] = DayRange(e, first_day_ms);
    a = std::max<int64_t>(a, 0);
    b = std::min<int64_t>(b, n + h);
    if (a >= b) continue;
    for (int64_t d = a; d < b; ++d) covered[d] = true;
    by_name[e.name].push_back({a, b});
    if (e.expected_uplift) given[e.name] = e.expected_uplift;
  }
  constexpr int64_t kBaselineDays = 14;
  DayMultipliers out;
  std::vector<double>& mult = out.multiplier;
  mult.assign(n + h, 1.0);
  for (const auto& [name, ranges] : by_name) {
    EventEffect effect{name, 1.0, "none", 0};
    double ratio_sum = 0;
    for (const auto& [a, b] : ranges) {
      if (b > n || a < kBaselineDays) continue;  // Not fully past, or no baseline.
      double base = 0, during = 0;
      bool clean = true;
      for (int64_t d = a - kBaselineDays; d < a; ++d) {
        clean = clean && !covered[d];
        base += y[d];
      }
      for (int64_t d = a; d < b; ++d) during += y[d];
      base /= kBaselineDays;
      during /= static_cast<double>(b - a);
      if (!clean || base <= 0) continue;
      ratio_sum += during / base;
      ++effect.occurrences_learned;
    }
    if (effect.occurrences_learned > 0) {
      effect.multiplier = std::clamp(ratio_sum / effect.occurrences_learned, 0.1, 20.0);
      effect.source = "learned";
    } else if (auto it = given.find(name); it != given.end() && it->second) {
      effect.multiplier = 1 + *it->second;
      effect.source = "given";
    }
    for (const auto& [a, b] : ranges) {
      for (int64_t d = a; d < b; ++d) mult[d] *= effect.multiplier;
    }
    out.effects.push_back(effect);
  }
  return out;
}

absl::StatusOr<CalendarForecast> ForecastWithCalendar(const Forecaster& forecaster,
                                                      absl::Span<const double> y,
                                                      int64_t first_day_ms,
                                                      const std::vector<CalendarEvent>& events) {
  const int64_t n = static_cast<int64_t>(y.size());
  const int64_t h = forecaster.options().horizon;
  DayMultipliers learned = LearnEventEffects(y, first_day_ms, h, events);
  const std::vector<double>& mult = learned.multiplier;
  CalendarForecast out;
  out.effects = std::move(learned.effects);
  std::vector<double> adjusted(y.begin(), y.end());
  for (int64_t d = 0; d < n; ++d) adjusted[d] /= mult[d];
  ASSIGN_OR_RETURN(out.result, forecaster.Forecast(adjusted));
  for (int64_t k = 0; k < h; ++k) {
    const double m = mult[n + k];
    out.result.point[k] *= m;
    for (auto& q : out.result.quantiles) q[k] *= m;
  }
  return out;
}

}  // namespace storepilot::forecast

#ifndef STOREPILOT_FORECAST_CALENDAR_H_
#define STOREPILOT_FORECAST_CALENDAR_H_

// Known events (Black Friday, a shop's flash sale) and their effect on daily
// series: the effect of an event is learned from its past occurrences in the
// series (or taken from the expected uplift given with it) and applied to its
// future occurrences.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "forecast/forecaster.h"
#include "nlohmann/json.hpp"

namespace storepilot::forecast {

inline constexpr int64_t kMillisPerDay = 86'400'000;

struct CalendarEvent {
  std::string name;  // Occurrences of one event share its name.
  int64_t start_ms = 0;
  int64_t end_ms = 0;  // Exclusive; > start_ms.
  // Expected relative change while the event runs (0.5 = +50%), used when the
  // series holds no past occurrence to learn from.
  std::optional<double> expected_uplift;
};

// Parses {"events": [{"name", "start", "end", "expected_uplift"?}]} (start and
// end RFC 3339 or epoch ms; at most 1,000 events). InvalidArgument naming the
// event index and field otherwise (end not after start, uplift <= -1, ...).
absl::StatusOr<std::vector<CalendarEvent>> ParseCalendar(const nlohmann::json& body);
nlohmann::json CalendarToJson(const std::vector<CalendarEvent>& events);

// The platform calendar for the years [first_year, last_year] (UTC days):
// black_friday (the day after the fourth Thursday of November),
// cyber_monday, singles_day (11 Nov), christmas_rush (15-24 Dec),
// valentines_day (1-14 Feb).
std::vector<CalendarEvent> PlatformCalendar(int first_year, int last_year);

// The effect applied for one event name.
struct EventEffect {
  std::string name;
  double multiplier = 1;  // Of the series level on the event's days.
  std::string source;     // "learned", "given" or "none".
  int occurrences_learned = 0;
};

// The multiplier of each day of a daily series `y` (first day at
// `first_day_ms`) and of the `horizon` days after it, with the effects
// behind them: see ForecastWithCalendar for how they are learned.
struct DayMultipliers {
  std::vector<double> multiplier;  // y.size() + horizon days
  std::vector<EventEffect> effects;
};
DayMultipliers LearnEventEffects(absl::Span<const double> y, int64_t first_day_ms,
                                 int64_t horizon, const std::vector<CalendarEvent>& events);

struct CalendarForecast {
  ForecastResult result;
  std::vector<EventEffect> effects;  // Events that touch the horizon or history.
};

// Forecasts a daily series `y` whose first value is the UTC day starting at
// `first_day_ms`, with the events' effects: each event's multiplier is the
// mean, over its past occurrences with two clean weeks before them, of the
// ratio of its days' mean to those weeks' mean (clamped to [0.1, 20]); without
// one, 1 + expected_uplift; else 1. Event days of the history are divided by
// their multipliers before forecasting, and forecast days (points and
// quantiles) multiplied by theirs. Errors: those of Forecaster::Forecast.
absl::StatusOr<CalendarForecast> ForecastWithCalendar(const Forecaster& forecaster,
                                                      absl::Span<const double> y,
                                                      int64_t first_day_ms,
                                                      const std::vector<CalendarEvent>& events);

}  // namespace storepilot::forecast

#endif  // STOREPILOT_FORECAST_CALENDAR_H_

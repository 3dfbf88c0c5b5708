#include "forecast/calendar.h"

#include <cmath>

#include "gtest/gtest.h"

namespace storepilot::forecast {
namespace {

using nlohmann::json;

constexpr int64_t kDay0 = 1'700'006'400'000;  // 2023-11-15T00:00:00Z, a UTC midnight.

TEST(Calendar, ParsesAndRejectsWithTheField) {
  auto ok = ParseCalendar(json::parse(R"({"events": [
      {"name": "spring_sale", "start": "2026-03-01T00:00:00Z", "end": "2026-03-04T00:00:00Z",
       "expected_uplift": 0.5},
      {"name": "drop", "start": 1700000000000, "end": 1700003600000}]})"));
  ASSERT_TRUE(ok.ok()) << ok.status();
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ((*ok)[0].expected_uplift, 0.5);
  EXPECT_FALSE((*ok)[1].expected_uplift.has_value());
  auto round_trip = ParseCalendar(CalendarToJson(*ok));
  ASSERT_TRUE(round_trip.ok());
  EXPECT_EQ((*round_trip)[0].start_ms, (*ok)[0].start_ms);

  struct Case {
    const char* body;
    const char* message;
  };
  const Case cases[] = {
      {R"([1])", "events[0] must be an object"},
      {R"({"evts": []})", "expected {\"events\""},
      {R"({"events": 3})", "must be an array"},
      {R"({"events": [{"start": 1, "end": 2}]})", "events[0].name"},
      {R"({"events": [{"name": "x", "end": 2}]})", "events[0].start is required"},
      {R"({"events": [{"name": "x", "start": "monday", "end": 2}]})", "events[0].start must"},
      {R"({"events": [{"name": "x", "start": 5, "end": 5}]})", "end must be after start"},
      {R"({"events": [{"name": "x", "start": 1, "end": 5, "expected_uplift": -1}]})",
       "expected_uplift"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    auto r = ParseCalendar(json::parse(c.body));
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find(c.message), std::string::npos) << r.status();
  }
}

TEST(Calendar, PlatformCalendarKnowsBlackFriday) {
  auto events = PlatformCalendar(2024, 2026);
  std::vector<int64_t> black_fridays;
  for (const auto& e : events) {
    if (e.name == "black_friday") black_fridays.push_back(e.start_ms);
  }
  // 2024-11-29, 2025-11-28, 2026-11-27.
  EXPECT_EQ(black_fridays, (std::vector<int64_t>{1'732'838'400'000, 1'764'288'000'000,
                                                 1'795'737'600'000}));
}

// A flat weekly series with a yearly event at 3x: the learned effect is
// applied to the next occurrence and nowhere else.
TEST(Calendar, LearnsAnEffectFromPastOccurrencesAndAppliesItToTheNext) {
  std::vector<double> y(400);
  for (size_t d = 0; d < y.size(); ++d) y[d] = 100 + (d % 7 == 0 ? 20 : 0);
  std::vector<CalendarEvent> events;
  for (int64_t start : {50, 190, 330, 410}) {  // Past: 50, 190, 330; future: 410.
    events.push_back({"sale", kDay0 + start * kMillisPerDay, kDay0 + (start + 2) * kMillisPerDay,
                      std::nullopt});
    if (start < 400) y[start] *= 3, y[start + 1] *= 3;
  }
  events.push_back({"new_campaign", kDay0 + 405 * kMillisPerDay, kDay0 + 406 * kMillisPerDay,
                    0.5});
  ForecastOptions fo;
  fo.horizon = 14;
  fo.season = 7;
  fo.quantiles = {0.05, 0.95};
  auto forecaster = Forecaster::Create(fo);
  ASSERT_TRUE(forecaster.ok());
  auto fc = ForecastWithCalendar(*forecaster, y, kDay0, events);
  ASSERT_TRUE(fc.ok()) << fc.status();
  ASSERT_EQ(fc->effects.size(), 2u);
  for (const EventEffect& e : fc->effects) {
    if (e.name == "sale") {
      EXPECT_EQ(e.source, "learned");
      EXPECT_EQ(e.occurrences_learned, 3);
      EXPECT_NEAR(e.multiplier, 3.0 * 100 / (100 + 20.0 / 7), 0.15);
    } else {
      EXPECT_EQ(e.source, "given");
      EXPECT_DOUBLE_EQ(e.multiplier, 1.5);
    }
  }
  const auto& p = fc->result.point;
  const double plain = p[2];  // Day 402: no event.
  EXPECT_NEAR(plain, 100 + (402 % 7 == 0 ? 20 : 0), 10);
  EXPECT_NEAR(p[10] / (100 + (410 % 7 == 0 ? 20 : 0)), 3.0, 0.4);  // The sale, day 410.
  EXPECT_NEAR(p[5] / (100 + (405 % 7 == 0 ? 20 : 0)), 1.5, 0.2);   // The campaign, day 405.
  EXPECT_GT(fc->result.quantiles[1][10], fc->result.quantiles[1][2] * 2);
  // Without the calendar the past spikes are not learned as an effect.
  auto plain_fc = forecaster->Forecast(y);
  ASSERT_TRUE(plain_fc.ok());
  EXPECT_LT(plain_fc->point[10], 200);
}

}  // namespace
}  // namespace storepilot::forecast

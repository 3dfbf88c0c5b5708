// The YAML config file: the forecast section (platform calendar).
#include "cli/config.h"

#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "temp_dir.h"

namespace storepilot::cli {
namespace {

using ::testing::HasSubstr;

absl::Status Load(const std::string& yaml, api::EngineConfig* config) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/storepilot.yaml";
  std::ofstream(path) << yaml;
  std::string log_level;
  return LoadYamlConfig(path, config, &log_level);
}

TEST(Config, ReadsThePlatformCalendar) {
  api::EngineConfig config;
  absl::Status s = Load(R"(
listen: 127.0.0.1:0
forecast:
  yearly_platform_events: false
  platform_calendar:
    - name: spring_campaign
      start: 2026-03-01T00:00:00Z
      end: 2026-03-08T00:00:00Z
      expected_uplift: 0.3
    - name: flash_sale
      start: 1795737600000
      end: 1795741200000
)",
                        &config);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_FALSE(config.yearly_platform_events);
  ASSERT_EQ(config.platform_calendar.size(), 2u);
  EXPECT_EQ(config.platform_calendar[0].name, "spring_campaign");
  EXPECT_EQ(config.platform_calendar[0].start_ms, 1'772'323'200'000);
  EXPECT_EQ(config.platform_calendar[0].end_ms - config.platform_calendar[0].start_ms,
            7 * 86'400'000LL);
  EXPECT_DOUBLE_EQ(config.platform_calendar[0].expected_uplift.value_or(0), 0.3);
  EXPECT_EQ(config.platform_calendar[1].start_ms, 1'795'737'600'000);
  EXPECT_FALSE(config.platform_calendar[1].expected_uplift.has_value());
}

TEST(Config, RejectsABadPlatformCalendar) {
  struct Case {
    const char* yaml;
    const char* message;
  };
  const Case cases[] = {
      {"forecast:\n  platform_calendar:\n    - name: x\n      start: 5\n      end: 1\n",
       "events[0]: end must be after start"},
      {"forecast:\n  platform_calendar:\n    - name: x\n      start: 1\n", "events[0].end"},
      {"forecast:\n  platform_calendar:\n    - name: x\n      start: 1\n      end: 2\n"
       "      expected_uplift: lots\n",
       "expected_uplift"},
      {"forecast:\n  platform_calendar:\n    - just text\n", "events[0] must be an object"},
      {"forecast:\n  calendar: []\n", "unknown key 'calendar'"},
      {"forecast: 3\n", "expected a mapping"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.yaml);
    api::EngineConfig config;
    absl::Status s = Load(c.yaml, &config);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.message));
  }
}

TEST(Config, ReadsTheAdmissionQueueSignal) {
  api::EngineConfig config;
  EXPECT_EQ(config.admission.queue_signal, "standing");
  ASSERT_TRUE(Load("admission: true\nadmission_queue_signal: oldest\n", &config).ok());
  EXPECT_EQ(config.admission.queue_signal, "oldest");
  absl::Status s = Load("admission_queue_signal: newest\n", &config);
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.message()), HasSubstr("\"standing\" or \"oldest\""));
}

}  // namespace
}  // namespace storepilot::cli

#include "api/prometheus_text.h"

#include <cmath>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace storepilot::api {
namespace {

using ::testing::HasSubstr;

TEST(PrometheusText, ReadsSamplesLabelsAndTimestamps) {
  auto samples = ParsePrometheusText(
      "# HELP http_requests_total Requests.\n"
      "# TYPE http_requests_total counter\n"
      "http_requests_total{code=\"200\",path=\"/a,b}\\\"c\"} 1027 1395066363000\n"
      "\n"
      "  ready_replicas 4\r\n"
      "up{} NaN\n"
      "latency_ms +Inf\n"
      "temp -3.5e2");
  ASSERT_TRUE(samples.ok()) << samples.status();
  ASSERT_EQ(samples->size(), 5u);
  const PromSample& a = (*samples)[0];
  EXPECT_EQ(a.name, "http_requests_total");
  ASSERT_EQ(a.labels.size(), 2u);
  EXPECT_EQ(a.labels[0], std::make_pair(std::string("code"), std::string("200")));
  EXPECT_EQ(a.labels[1].second, "/a,b}\"c");
  EXPECT_EQ(a.value, 1027);
  EXPECT_EQ(a.timestamp_ms, 1395066363000);
  EXPECT_EQ((*samples)[1].name, "ready_replicas");
  EXPECT_EQ((*samples)[1].value, 4);
  EXPECT_FALSE((*samples)[1].timestamp_ms.has_value());
  EXPECT_TRUE(std::isnan((*samples)[2].value));
  EXPECT_TRUE(std::isinf((*samples)[3].value));
  EXPECT_EQ((*samples)[4].value, -350);
}

TEST(PrometheusText, RejectsMalformedLines) {
  const struct {
    const char* text;
    const char* message;
  } cases[] = {
      {"9lives 1", "line 1: expected a metric name"},
      {"ok 1\n{a=\"b\"} 1", "line 2: expected a metric name"},
      {"m{a=\"b\" 1", "malformed labels"},
      {"m{a=b} 1", "malformed labels"},
      {"m{a=\"b} 1", "malformed labels"},
      {"m", "expected a value"},
      {"m 1 2 3", "expected a value"},
      {"m one", "not a number"},
      {"m 1 later", "timestamp"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto r = ParsePrometheusText(c.text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(r.status().message()), HasSubstr(c.message));
  }
}

}  // namespace
}  // namespace storepilot::api

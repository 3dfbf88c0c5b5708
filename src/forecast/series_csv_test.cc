#include "forecast/series_csv.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace storepilot::forecast {
namespace {

using ::testing::ElementsAre;

TEST(ParseWideCsv, ReadsM4RowsWithPadding) {
  auto series = ParseWideCsv(
      "\"V1\",\"V2\",\"V3\",\"V4\"\n"
      "\"H1\",\"1\",\"2.5\",\"3\"\r\n"
      "\"H2\",\"4\",\"\",\"\"\n\n");
  ASSERT_TRUE(series.ok()) << series.status();
  ASSERT_EQ(series->size(), 2u);
  EXPECT_EQ((*series)[0].id, "H1");
  EXPECT_THAT((*series)[0].values, ElementsAre(1, 2.5, 3));
  EXPECT_THAT((*series)[1].values, ElementsAre(4));
}

TEST(ParseWideCsv, RejectsBadRows) {
  struct Case {
    const char* text;
    const char* why;
  } cases[] = {
      {"h\nA,1,x\n", "not a number"},
      {"h\nA,1,,2\n", "value after padding"},
      {"h\n,1,2\n", "empty id"},
      {"h\nA,,\n", "no values"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.why);
    auto series = ParseWideCsv(c.text);
    EXPECT_EQ(series.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(ParseQuantileCsv, ReadsLevels) {
  auto rows = ParseQuantileCsv("id,quantile,F1,F2\nA,0.05,1,2\nA,0.95,3,4\n");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_DOUBLE_EQ((*rows)[1].level, 0.95);
  EXPECT_THAT((*rows)[1].values, ElementsAre(3, 4));
  EXPECT_FALSE(ParseQuantileCsv("h\nA,1.5,1\n").ok());
  EXPECT_FALSE(ParseQuantileCsv("h\nA,0.5\n").ok());
}

TEST(FormatForecastCsv, WritesHeaderAndRows) {
  std::vector<NamedSeries> f = {{"H1", {1.5, 2}}, {"H2", {3, 1e7}}};
  auto text = FormatForecastCsv(f, 2);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "id,F1,F2\nH1,1.5,2\nH2,3,10000000\n");
  EXPECT_FALSE(FormatForecastCsv(f, 3).ok());
}

TEST(FormatQuantileCsv, RoundTrips) {
  std::vector<QuantileRow> rows = {{"A", 0.05, {1, 2}}, {"A", 0.5, {2, 3}}};
  auto text = FormatQuantileCsv(rows, 2);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "id,quantile,F1,F2\nA,0.05,1,2\nA,0.5,2,3\n");
  auto back = ParseQuantileCsv(*text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->size(), 2u);
  EXPECT_FALSE(FormatQuantileCsv(rows, 1).ok());
}

TEST(TextFiles, ReportMissingFiles) {
  EXPECT_EQ(ReadTextFile("/nonexistent/x.csv").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_FALSE(WriteTextFile("/nonexistent/dir/x.csv", "x").ok());
}

}  // namespace
}  // namespace storepilot::forecast

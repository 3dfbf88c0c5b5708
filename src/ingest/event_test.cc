#include "ingest/event.h"

#include "gtest/gtest.h"

namespace storepilot::ingest {
namespace {

Event Sample() {
  Event e;
  e.event_id = "e-1";
  e.type = EventType::kPurchase;
  e.ts_ms = 1795773600000;
  e.session_id = "s1";
  e.user_id = "u1";
  e.order_id = "o-9";
  e.price = 19.99;
  e.currency = "USD";
  e.items = {{"p1", 2, 9.5}, {"p2", 1, 0.99}};
  e.context = {"mobile", "US", "203.0.113.7", "https://example.com/"};
  return e;
}

TEST(EventCodec, RoundTrips) {
  std::string buf;
  EncodeEvent(Sample(), &buf);
  auto back = DecodeEvent(buf);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, Sample());
}

TEST(EventCodec, RejectsEveryTruncation) {
  std::string buf;
  EncodeEvent(Sample(), &buf);
  for (size_t n = 0; n < buf.size(); ++n) {
    SCOPED_TRACE(n);
    EXPECT_EQ(DecodeEvent(std::string_view(buf.data(), n)).status().code(),
              absl::StatusCode::kDataLoss);
  }
  EXPECT_FALSE(DecodeEvent(buf + "x").ok());
}

TEST(EventType, NamesRoundTrip) {
  for (int i = 0; i < kNumEventTypes; ++i) {
    auto type = static_cast<EventType>(i);
    EXPECT_EQ(EventTypeFromName(EventTypeName(type)), type);
  }
  EXPECT_FALSE(EventTypeFromName("teleport").has_value());
}

}  // namespace
}  // namespace storepilot::ingest

#include "ingest/event_parser.h"

#include "gtest/gtest.h"

namespace storepilot::ingest {
namespace {

constexpr int64_t kNow = 1795773600000;  // 2026-11-27T10:00:00Z

TEST(EventParser, ParsesArrayOfValidEvents) {
  EventParser parser;
  ParsedBatch b = parser.Parse(R"([
    {"event_id": "e-1", "type": "view", "ts": "2026-11-27T10:00:00Z", "session_id": "s1",
     "user_id": "u1", "product_id": "p1", "query": null, "quantity": 1, "price": 19.99,
     "currency": "USD", "order_id": null,
     "context": {"device": "mobile", "country": "US", "ip": "203.0.113.7", "referrer": "x"},
     "unknown_field": {"ignored": true}},
    {"event_id": 42, "type": "purchase", "ts": 1795773600000, "user_id": 7, "order_id": 9,
     "items": [{"product_id": "p1", "quantity": 2, "price": 5}]},
    {"event_id": "e-3", "type": "search", "ts": 1795773600000, "session_id": "s1",
     "query": "lamp"}
  ])", false, kNow);
  ASSERT_TRUE(b.errors.empty()) << b.errors[0].field << ": " << b.errors[0].problem;
  ASSERT_EQ(b.events.size(), 3u);
  EXPECT_EQ(b.events[0].context.country, "US");
  EXPECT_EQ(*b.events[0].price, 19.99);
  EXPECT_EQ(b.events[1].event_id, "42");
  EXPECT_EQ(b.events[1].user_id, "7");
  EXPECT_EQ(b.events[1].items[0].quantity, 2);
  EXPECT_EQ(b.events[2].query, "lamp");
}

TEST(EventParser, ParsesNdjson) {
  EventParser parser;
  ParsedBatch b = parser.Parse(
      "{\"event_id\":\"a\",\"type\":\"login\",\"ts\":1,\"user_id\":\"u\"}\n\n"
      "{\"event_id\":\"b\",\"type\":\"login\",\"ts\":2,\"user_id\":\"u\"}\r\n",
      true, kNow);
  ASSERT_TRUE(b.errors.empty());
  EXPECT_EQ(b.events.size(), 2u);
}

struct BadCase {
  const char* name;
  const char* body;
  bool ndjson;
  int index;
  const char* field;
};

TEST(EventParser, ReportsEachProblemAndKeepsNothing) {
  const BadCase cases[] = {
      {"not json", "[{", false, -1, ""},
      {"not an array", "\"x\"", false, -1, ""},
      {"empty array", "[]", false, -1, ""},
      {"empty ndjson", "\n\n", true, -1, ""},
      {"bad ndjson line", "{\"event_id\":\"a\"}\n{oops", true, 1, ""},
      {"not an object", "[1]", false, 0, ""},
      {"missing id", R"([{"type":"login","ts":1,"user_id":"u"}])", false, 0, "event_id"},
      {"missing type", R"([{"event_id":"a","ts":1,"user_id":"u"}])", false, 0, "type"},
      {"unknown type", R"([{"event_id":"a","type":"x","ts":1,"user_id":"u"}])", false, 0,
       "type"},
      {"missing ts", R"([{"event_id":"a","type":"login","user_id":"u"}])", false, 0, "ts"},
      {"bad ts", R"([{"event_id":"a","type":"login","ts":"soon","user_id":"u"}])", false,
       0, "ts"},
      {"future ts",
       R"([{"event_id":"a","type":"login","ts":"2026-11-29T10:00:00Z","user_id":"u"}])",
       false, 0, "ts"},
      {"no session or user", R"([{"event_id":"a","type":"login","ts":1}])", false, 0,
       "session_id"},
      {"view without product", R"([{"event_id":"a","type":"view","ts":1,"user_id":"u"}])",
       false, 0, "product_id"},
      {"search without query", R"([{"event_id":"a","type":"search","ts":1,"user_id":"u"}])",
       false, 0, "query"},
      {"purchase without order",
       R"([{"event_id":"a","type":"purchase","ts":1,"user_id":"u","product_id":"p","quantity":1,"price":1}])",
       false, 0, "order_id"},
      {"purchase without items",
       R"([{"event_id":"a","type":"purchase","ts":1,"user_id":"u","order_id":"o"}])", false,
       0, "items"},
      {"negative price",
       R"([{"event_id":"a","type":"view","ts":1,"user_id":"u","product_id":"p","price":-1}])",
       false, 0, "price"},
      {"fractional quantity",
       R"([{"event_id":"a","type":"view","ts":1,"user_id":"u","product_id":"p","quantity":1.5}])",
       false, 0, "quantity"},
      {"bad item",
       R"([{"event_id":"a","type":"purchase","ts":1,"user_id":"u","order_id":"o","items":[{"quantity":1}]}])",
       false, 0, "items[0].product_id"},
      {"context not object",
       R"([{"event_id":"a","type":"login","ts":1,"user_id":"u","context":3}])", false, 0,
       "context"},
      {"second event bad",
       R"([{"event_id":"a","type":"login","ts":1,"user_id":"u"},{"event_id":"b","type":"login","ts":1}])",
       false, 1, "session_id"},
  };
  EventParser parser;
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.name);
    ParsedBatch b = parser.Parse(c.body, c.ndjson, kNow);
    ASSERT_FALSE(b.errors.empty());
    EXPECT_EQ(b.errors[0].index, c.index);
    EXPECT_EQ(b.errors[0].field, c.field);
    EXPECT_FALSE(b.errors[0].problem.empty());
  }
}

TEST(EventParser, EnforcesLimits) {
  ParseLimits limits;
  limits.max_events = 2;
  limits.max_id_bytes = 5;
  EventParser parser(limits);
  ParsedBatch too_many = parser.Parse(
      R"([{"event_id":"a","type":"login","ts":1,"user_id":"u"},
          {"event_id":"b","type":"login","ts":1,"user_id":"u"},
          {"event_id":"c","type":"login","ts":1,"user_id":"u"}])",
      false, kNow);
  EXPECT_TRUE(too_many.malformed);
  ParsedBatch long_id =
      parser.Parse(R"([{"event_id":"abcdef","type":"login","ts":1,"user_id":"u"}])", false,
                   kNow);
  ASSERT_EQ(long_id.errors.size(), 1u);
  EXPECT_EQ(long_id.errors[0].field, "event_id");
}

}  // namespace
}  // namespace storepilot::ingest

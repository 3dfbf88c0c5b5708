#include "api/http_types.h"

#include "api/engine.h"
#include "api/status_http.h"
#include "gtest/gtest.h"

namespace storepilot::api {
namespace {

TEST(HttpRequest, PathQueryAndHeaders) {
  HttpRequest r;
  r.target = "/v1/x?product_id=a%20b&horizon_days=28&flag&q=c+d";
  r.headers = {{"content-type", "application/json"}};
  EXPECT_EQ(r.Path(), "/v1/x");
  EXPECT_EQ(r.Query("product_id"), "a b");
  EXPECT_EQ(r.Query("horizon_days"), "28");
  EXPECT_EQ(r.Query("q"), "c d");
  EXPECT_EQ(r.Query("flag"), "");
  EXPECT_EQ(r.Query("missing"), "");
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_EQ(r.Header("accept"), "");
  EXPECT_EQ(PercentDecode("%zz%4"), "%zz%4");
}

TEST(StatusHttp, MapsCodes) {
  struct Case {
    absl::StatusCode code;
    int http;
  } cases[] = {{absl::StatusCode::kInvalidArgument, 400},
               {absl::StatusCode::kUnauthenticated, 401},
               {absl::StatusCode::kPermissionDenied, 403},
               {absl::StatusCode::kNotFound, 404},
               {absl::StatusCode::kAlreadyExists, 409},
               {absl::StatusCode::kResourceExhausted, 429},
               {absl::StatusCode::kUnavailable, 503},
               {absl::StatusCode::kInternal, 500}};
  for (const Case& c : cases) EXPECT_EQ(HttpStatusFor(c.code), c.http);
  HttpResponse r = ErrorResponse(absl::NotFoundError("gone"));
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["error"]["code"], "not_found");
  EXPECT_EQ(body["error"]["message"], "gone");
  EXPECT_TRUE(body["error"]["details"].is_array());
}

TEST(ParseListen, AcceptsHostPortAndRejectsOthers) {
  std::string host;
  uint16_t port = 1;
  ASSERT_TRUE(ParseListen("127.0.0.1:0", &host, &port).ok());
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 0);
  ASSERT_TRUE(ParseListen("[::1]:8080", &host, &port).ok());
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 8080);
  for (const char* bad : {"", "8080", ":80", "host:", "host:99999", "host:x"}) {
    EXPECT_FALSE(ParseListen(bad, &host, &port).ok()) << bad;
  }
}

}  // namespace
}  // namespace storepilot::api

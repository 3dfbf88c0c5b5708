// Randomised requests across several shops and tokens: a token reaches only its
// own shop, and every shop ends with exactly the data its own token wrote.
#include <map>
#include <random>
#include <set>

#include "api/engine.h"
#include "gtest/gtest.h"
#include "http_client.h"
#include "nlohmann/json.hpp"
#include "temp_dir.h"

namespace storepilot {
namespace {

using json = nlohmann::json;
constexpr char kAdmin[] = "admin-token-0123456789";

TEST(TenantIsolation, RandomRequestsNeverCrossShops) {
  testing::TempDir dir;
  SystemClock clock;
  api::EngineConfig config;
  config.data_dir = dir.path();
  config.listen = "127.0.0.1:0";
  config.admin_token = kAdmin;
  auto engine = api::Engine::Start(config, &clock);
  ASSERT_TRUE(engine.ok()) << engine.status();
  ASSERT_TRUE((*engine)->WaitReady(10'000));
  testing::HttpClient client((*engine)->port());

  const std::vector<std::string> shops = {"alpha", "beta", "gamma"};
  std::map<std::string, std::string> token;
  for (const auto& s : shops) {
    auto r = client.Send("POST", "/v1/admin/shops", json{{"shop", s}}.dump(), kAdmin);
    ASSERT_EQ(r.status, 201);
    token[s] = json::parse(r.body)["api_token"];
  }

  // What each shop should hold, from the requests that were allowed.
  std::map<std::string, std::set<std::string>> events, products;
  std::mt19937 rng(20261127);
  int next_id = 0;
  for (int i = 0; i < 400; ++i) {
    const std::string& caller = shops[rng() % shops.size()];
    // Mostly real tokens; sometimes none or a made-up one.
    int kind = static_cast<int>(rng() % 10);
    std::string tok = kind == 0 ? "" : kind == 1 ? "spt_forged" : token[caller];
    const std::string target = rng() % 8 == 0 ? "delta" : shops[rng() % shops.size()];
    int expected = tok.empty() || kind == 1 ? 401 : caller != target ? 403 : 200;
    std::string base = "/v1/shops/" + target;
    std::string tag = target + "-" + std::to_string(next_id++);
    int op = static_cast<int>(rng() % 4);
    testing::ClientResponse r;
    if (op == 0) {
      json ev = json::array({{{"event_id", tag},
                              {"type", "view"},
                              {"ts", 1'700'000'000'000},
                              {"user_id", "u"},
                              {"product_id", "p"}}});
      r = client.Send("POST", base + "/events", ev.dump(), tok);
      if (r.status == 200) events[target].insert(tag);
    } else if (op == 1) {
      r = client.Send("PUT", base + "/products/" + tag, json{{"title", tag}}.dump(), tok);
      if (r.status == 200) products[target].insert(tag);
    } else if (op == 2) {
      r = client.Send("GET", base + "/stats", "", tok);
      if (r.status == 200) {
        EXPECT_EQ(json::parse(r.body)["events"], events[target].size());
      }
    } else {
      // Try to read another shop's known product through this shop's path.
      const std::string& other = shops[rng() % shops.size()];
      if (products[other].empty()) continue;
      const std::string pid = *products[other].begin();
      r = client.Send("GET", base + "/products/" + pid, "", tok);
      if (r.status == 200) {
        EXPECT_EQ(target, other) << "read " << pid << " through " << target;
        EXPECT_EQ(json::parse(r.body)["title"], pid);
      } else if (expected == 200) {
        expected = 404;  // the product lives in another shop
      }
    }
    SCOPED_TRACE("request " + std::to_string(i) + " caller " + caller + " target " + target);
    EXPECT_EQ(r.status, expected) << r.body;
  }
  for (const auto& s : shops) {
    auto r = client.Send("GET", "/v1/shops/" + s + "/stats", "", token[s]);
    json stats = json::parse(r.body);
    EXPECT_EQ(stats["events"], events[s].size()) << s;
    EXPECT_EQ(stats["products"], products[s].size()) << s;
    for (const auto& pid : products[s]) {
      EXPECT_EQ(client.Send("GET", "/v1/shops/" + s + "/products/" + pid, "", token[s]).status,
                200);
    }
  }
}

}  // namespace
}  // namespace storepilot

// In-process latency of RecommendEngine with a 50,000-product catalog and
// 1,000,000 synthetic events (the serving target of issue 4, without HTTP).
//   build/bin/recommend_engine_benchmark --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true
#include <fstream>
#include <memory>
#include <random>
#include <string>

#include "benchmark/benchmark.h"
#include "common/clock.h"
#include "recommend/engine.h"

namespace storepilot::recommend {
namespace {

constexpr int kProducts = 50'000;
constexpr int kEvents = 1'000'000;
constexpr int kCategories = 200;
constexpr int64_t kStartMs = 1'700'000'000'000;

struct World {
  FakeClock clock{kStartMs * 1000};
  std::unique_ptr<RecommendEngine> engine = std::make_unique<RecommendEngine>(&clock);
  int64_t now_ms = kStartMs;
};

// Shoppers browse within a category (Zipf-like popularity inside it), a few
// add to cart and buy; sessions are 2-10 events, 3 seconds apart.
void Populate(World* w) {
  {
    std::mt19937_64 rng(42);
    for (int i = 0; i < kProducts; ++i) {
      Product p;
      p.id = "p" + std::to_string(i);
      p.category = "c" + std::to_string(i % kCategories);
      p.brand = "b" + std::to_string(i % 997);
      p.in_stock = i % 20 != 0;
      std::normal_distribution<float> g;
      for (int d = 0; d < 16; ++d) p.embedding.push_back(g(rng) + (i % kCategories == d));
      (void)w->engine->UpsertProduct(p);
    }
    const char* countries[] = {"DE", "FR", "US", "GB"};
    const char* devices[] = {"mobile", "desktop"};
    std::uniform_int_distribution<int> cat(0, kCategories - 1), len(2, 10), pct(0, 99);
    std::geometric_distribution<int> rank(0.02);
    int64_t session = 0;
    for (int e = 0; e < kEvents;) {
      const int c = cat(rng);
      const std::string sid = "s" + std::to_string(session++);
      const Context ctx{countries[session % 4], devices[session % 2]};
      for (int k = len(rng); k > 0 && e < kEvents; --k, ++e) {
        const int item = (c + kCategories * (rank(rng) % (kProducts / kCategories))) % kProducts;
        const int roll = pct(rng);
        EventType type = roll < 90 ? EventType::kView
                         : roll < 97 ? EventType::kAddToCart
                                     : EventType::kPurchase;
        w->now_ms += 3000;
        (void)w->engine->Observe(
            {type, "", sid, "p" + std::to_string(item), w->now_ms, ctx});
      }
    }
    w->clock.SetMicros(w->now_ms * 1000);
  }
}

// Built once per process and shared by every benchmark.
World* Build() {
  static World world;
  static const bool populated = (Populate(&world), true);
  (void)populated;
  return &world;
}

long RssKb() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

void BM_Recommend(benchmark::State& state, Placement placement) {
  World* w = Build();
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> item(0, kProducts - 1);
  int64_t i = 0;
  for (auto _ : state) {
    // A live session: one more view, then the request (as a storefront does).
    const std::string sid = "live" + std::to_string(i++ % 1000);
    const std::string pid = "p" + std::to_string(item(rng) / 20 * 20 + 1);
    (void)w->engine->Observe({EventType::kView, "", sid, pid, w->now_ms, {}});
    RecommendRequest r;
    r.placement = placement;
    r.session_id = sid;
    r.product_id = placement == Placement::kProduct ? pid : "";
    r.n = 10;
    r.context = {"DE", "mobile"};
    auto response = w->engine->Recommend(r);
    benchmark::DoNotOptimize(response);
  }
  state.counters["rss_mb"] = RssKb() / 1024.0;
}

BENCHMARK_CAPTURE(BM_Recommend, home, Placement::kHome)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Recommend, product, Placement::kProduct)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Recommend, cart, Placement::kCart)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace storepilot::recommend

BENCHMARK_MAIN();

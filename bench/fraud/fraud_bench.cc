// Google Benchmark of the fraud engine's hot path pieces on synthetic data:
// feature lookup, single-row prediction (inplace, one thread), SHAP
// contributions, and the whole FraudEngine::Score.
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "common/clock.h"
#include "fraud/engine.h"
#include "fraud/feature_store.h"
#include "fraud/model.h"

namespace storepilot::fraud {
namespace {

constexpr int64_t kT0 = 1'530'000'000'000;

// 5,000 customers and 10,000 terminals, ~10k orders a day for 40 days,
// with ~1% fraud labels: the shape of the handbook simulation.
struct World {
  FeatureStore store;
  std::vector<Order> probes;
  std::shared_ptr<const FraudModel> model;
  World() {
    std::mt19937 rng(1);
    std::uniform_int_distribution<int> customer(0, 4999), terminal(0, 9999);
    std::exponential_distribution<double> amount(1.0 / 50);
    std::bernoulli_distribution fraud(0.01);
    Dataset data{FeatureStore::NumFeatures(), {}, {}};
    std::vector<float> row(FeatureStore::NumFeatures());
    const int64_t step = kMillisPerDay / 10000;
    for (int64_t i = 0; i < 400000; ++i) {
      Order o;
      o.order_id = std::to_string(i);
      o.time_ms = kT0 + i * step;
      o.amount = amount(rng);
      o.customer_id = std::to_string(customer(rng));
      o.terminal_id = std::to_string(terminal(rng));
      const bool is_fraud = fraud(rng) || o.amount > 220;
      if (i > 300000 && i % 5 == 0) {
        store.Compute(o, row.data());
        data.AddRow(row.data(), is_fraud);
      }
      if (i >= 399000) probes.push_back(o);
      store.Observe(o, is_fraud);
    }
    model = FraudModel::Train(data, FeatureStore::FeatureNames(), "bench").value();
  }
};

World& GetWorld() {
  static World* world = new World();
  return *world;
}

void BM_FeatureCompute(benchmark::State& state) {
  World& w = GetWorld();
  std::vector<float> row(FeatureStore::NumFeatures());
  size_t i = 0;
  for (auto _ : state) {
    w.store.Compute(w.probes[i++ % w.probes.size()], row.data());
    benchmark::DoNotOptimize(row.data());
  }
}
BENCHMARK(BM_FeatureCompute);

void BM_Predict(benchmark::State& state) {
  World& w = GetWorld();
  std::vector<float> row(FeatureStore::NumFeatures());
  w.store.Compute(w.probes[0], row.data());
  for (auto _ : state) benchmark::DoNotOptimize(w.model->Predict(row.data()));
}
BENCHMARK(BM_Predict);

void BM_Contributions(benchmark::State& state) {
  World& w = GetWorld();
  std::vector<float> row(FeatureStore::NumFeatures());
  w.store.Compute(w.probes[0], row.data());
  for (auto _ : state) benchmark::DoNotOptimize(w.model->Contributions(row.data()));
}
BENCHMARK(BM_Contributions);

void BM_EngineScore(benchmark::State& state) {
  World& w = GetWorld();
  FakeClock clock(kT0 * 1000);
  FraudEngine engine(EngineOptions{}, &clock);
  (void)engine.SetModel(w.model);
  for (const Order& o : w.probes) engine.Observe(o);
  size_t i = 0;
  const bool explain = state.range(0) != 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(engine.Score(w.probes[i++ % w.probes.size()], explain));
  }
}
BENCHMARK(BM_EngineScore)->Arg(0)->Arg(1);

}  // namespace
}  // namespace storepilot::fraud

BENCHMARK_MAIN();

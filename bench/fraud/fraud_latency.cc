// In-process latency of FraudEngine scoring, feature lookup included.
//
//   fraud_latency --transactions DIR --model MODEL --warm-start D --test-day D
//
// Replays the transactions from --warm-start up to --test-day through the
// engine (Observe), then scores every order of --test-day one at a time and
// reports p50 / p90 / p99 / max in microseconds for: the score alone, the
// score with reasons (SHAP), and score-with-reasons followed by Observe --
// as wall time and as the thread's CPU time (which leaves out the time the
// thread was preempted on a busy machine).
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "common/clock.h"
#include "fraud/engine.h"
#include "fraud/transaction_csv.h"

namespace {

namespace fraud = storepilot::fraud;
using Clock = std::chrono::steady_clock;

void Report(const char* name, std::vector<double> us) {
  std::sort(us.begin(), us.end());
  auto q = [&](double p) { return us[static_cast<size_t>(p * (us.size() - 1))]; };
  std::printf("%-28s n=%zu p50=%.1f p90=%.1f p99=%.1f max=%.1f us\n", name, us.size(), q(0.5),
              q(0.9), q(0.99), us.back());
}

double ThreadCpuMicros() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fraud engine scoring latency"};
  std::string dir, model_path, warm_start_s, test_day_s;
  app.add_option("--transactions", dir)->required();
  app.add_option("--model", model_path)->required();
  app.add_option("--warm-start", warm_start_s)->required();
  app.add_option("--test-day", test_day_s)->required();
  int show = 0;
  app.add_option("--show", show, "print the assessments of this many HIGH-risk orders");
  CLI11_PARSE(app, argc, argv);

  auto model = fraud::FraudModel::Load(model_path);
  auto warm_start = fraud::ParseDateMs(warm_start_s);
  auto test_day = fraud::ParseDateMs(test_day_s);
  auto files = fraud::ListDailyFiles(dir);
  if (!model.ok() || !warm_start.ok() || !test_day.ok() || !files.ok()) {
    std::cerr << "fraud_latency: bad model, date or directory\n";
    return 1;
  }
  storepilot::SystemClock clock;
  fraud::FraudEngine engine(fraud::EngineOptions{}, &clock);
  if (auto s = engine.SetModel(std::move(*model)); !s.ok()) {
    std::cerr << s << "\n";
    return 1;
  }
  std::vector<fraud::Order> test;
  for (const auto& file : *files) {
    if (file.day_start_ms < *warm_start || file.day_start_ms > *test_day) continue;
    auto txs = fraud::ReadTransactionsCsv(file.path);
    if (!txs.ok()) {
      std::cerr << txs.status() << "\n";
      return 1;
    }
    for (const auto& tx : *txs) {
      if (file.day_start_ms == *test_day) {
        test.push_back(tx.ToOrder());
      } else {
        engine.Observe(tx.ToOrder());
      }
    }
  }
  std::vector<double> score_only, with_reasons, score_observe, cpu[3];
  for (const auto& order : test) {
    const double c0 = ThreadCpuMicros();
    auto t0 = Clock::now();
    auto a = engine.Score(order, /*explain=*/false);
    auto t1 = Clock::now();
    const double c1 = ThreadCpuMicros();
    auto b = engine.Score(order, /*explain=*/true);
    auto t2 = Clock::now();
    const double c2 = ThreadCpuMicros();
    auto c = engine.ScoreAndObserve(order);
    auto t3 = Clock::now();
    const double c3 = ThreadCpuMicros();
    cpu[0].push_back(c1 - c0);
    cpu[1].push_back(c2 - c1);
    cpu[2].push_back(c3 - c2);
    if (!a.ok() || !b.ok() || !c.ok()) {
      std::cerr << "scoring failed\n";
      return 1;
    }
    if (show > 0 && c->level == fraud::RiskLevel::kHigh) {
      --show;
      std::printf("order %s amount %.2f: score %.1f %s %s (base %.1f)\n", order.order_id.c_str(),
                  order.amount, c->score, fraud::RiskLevelName(c->level),
                  fraud::RecommendationName(c->recommendation), c->base_score);
      for (const auto& r : c->reasons) {
        std::printf("  %+6.1f %-8s %s\n", r.contribution, fraud::SentimentName(r.sentiment),
                    r.message.c_str());
      }
    }
    score_only.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    with_reasons.push_back(std::chrono::duration<double, std::micro>(t2 - t1).count());
    score_observe.push_back(std::chrono::duration<double, std::micro>(t3 - t2).count());
  }
  if (test.empty()) {
    std::cerr << "no orders on the test day\n";
    return 1;
  }
  Report("score", score_only);
  Report("score+reasons", with_reasons);
  Report("score+reasons+observe", score_observe);
  Report("cpu: score", cpu[0]);
  Report("cpu: score+reasons", cpu[1]);
  Report("cpu: score+reasons+observe", cpu[2]);
  const auto memory = engine.Memory();
  std::printf("tracked keys %zu, %.0f bytes/key\n", memory.tracked_keys, memory.BytesPerKey());
  return 0;
}

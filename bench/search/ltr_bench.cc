// The learned ranking stages, measured:
//  --wands DIR: a synthetic click model on WANDS. Shoppers search the
//    labelled queries of half A (the first half in file order), look at the
//    top 10 with position bias and click with a probability set by the human
//    label (Exact 0.9, Partial 0.5, else 0.05); a clicked Exact result is
//    bought a third of the time. The learning-to-rank model trains on those
//    logs; nDCG@10 is then measured on half B, whose labels are used for
//    evaluation only (no click is drawn from them), with and without it.
//  --synthetic N: N shopper searches on the generated 50,000-product
//    catalog (shoppers click the cheapest of the first five results), the
//    training time, and the in-process search latency with the stages on.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "catalog_generator.h"
#include "wands_labels.h"
#include "common/clock.h"
#include "search/batch_predict.h"
#include "search/search_engine.h"

namespace {

using namespace storepilot::search;  // NOLINT: a benchmark's main file.
using Clock = std::chrono::steady_clock;
constexpr int64_t kStartMs = 1'700'000'000'000;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

std::unique_ptr<SearchEngine> Build(const std::vector<Product>& products,
                                    const storepilot::Clock* clock) {
  auto engine = *SearchEngine::Create(SearchEngineOptions(), clock);
  for (const Product& p : products) (void)engine->Upsert(p);
  return engine;
}

std::vector<std::string> Top(const SearchEngine& engine, const std::string& query, size_t k,
                             size_t min_results = kBatchMinResults) {
  SearchRequest request = BatchRequest(k, min_results);
  request.query = query;
  auto r = engine.Search(request);
  std::vector<std::string> out;
  if (!r.ok()) return out;
  for (const SearchHit& h : r->hits) out.push_back(h.product_id);
  return out;
}

void PrintReport(const char* what, const absl::StatusOr<RankerTrainingReport>& r, double s) {
  if (!r.ok()) {
    std::printf("%s: %s\n", what, std::string(r.status().message()).c_str());
    return;
  }
  std::printf(
      "%s: %s (%s) in %.2f s; %zu labelled, %zu train / %zu validation groups, "
      "held-out nDCG@10 candidate %.4f vs in service %.4f\n",
      what, r->accepted ? "accepted" : "refused", r->reason.c_str(), s, r->labelled_searches,
      r->training_searches, r->validation_searches, r->validation_ndcg, r->serving_ndcg);
}

int Wands(const std::string& dir, int sessions_per_query, uint64_t seed) {
  auto products = ReadProductsJsonl(dir + "/products.jsonl");
  auto queries = ReadQueriesTsv(dir + "/queries_dev.tsv");
  if (!products.ok() || !queries.ok()) {
    std::cerr << products.status() << " " << queries.status() << "\n";
    return 1;
  }
  bench::Labels labels = bench::ReadLabels(dir + "/labels_dev.tsv");
  storepilot::FakeClock clock(kStartMs * 1000);
  auto engine = Build(*products, &clock);
  const size_t half = queries->size() / 2;
  size_t boosted = 0;
  auto evaluate = [&](size_t from, size_t to) {
    double sum = 0;
    for (size_t q = from; q < to; ++q) {
      SearchRequest request = BatchRequest(10);
      request.query = (*queries)[q].text;
      auto r = engine->Search(request);
      boosted += r.ok() && r->conversion_boost;
      sum += bench::Ndcg(Top(*engine, (*queries)[q].text, 10), labels[(*queries)[q].id], 10);
    }
    return sum / static_cast<double>(to - from);
  };
  const double a_before = evaluate(0, half), b_before = evaluate(half, queries->size());
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  int n = 0;
  // Shoppers interleave the half-A queries; only half A's labels are read.
  for (int s = 0; s < sessions_per_query; ++s) {
    for (size_t q = 0; q < half; ++q) {
      const std::string rid = absl::StrCat("r", n), session = absl::StrCat("s", n);
      const int64_t t = kStartMs + n * 1000LL;
      ++n;
      const std::vector<std::string> served = Top(*engine, (*queries)[q].text, 10, 1);
      engine->RecordServed(rid, (*queries)[q].text, served, t);
      const auto& judged = labels[(*queries)[q].id];
      for (size_t i = 0; i < served.size(); ++i) {
        if (u(rng) > 1.0 / std::pow(i + 1.0, 0.8)) continue;  // Not looked at.
        auto it = judged.find(served[i]);
        const int label = it == judged.end() ? 0 : it->second;
        const double p_click = label == 2 ? 0.9 : label == 1 ? 0.5 : 0.05;
        if (u(rng) >= p_click) continue;
        engine->RecordClick(rid, served[i], session, t + 10 + i);
        if (label == 2 && u(rng) < 1.0 / 3) engine->RecordConversion(session, served[i], t + 500);
      }
    }
  }
  const double a_boost = evaluate(0, half), b_boost = evaluate(half, queries->size());
  RankerTrainingOptions training;
  training.min_labelled_searches = 100;
  auto start = Clock::now();
  auto report = engine->TrainRanker(training, kStartMs);
  PrintReport("training", report, Seconds(start));
  const double a_after = evaluate(0, half), b_after = evaluate(half, queries->size());
  std::printf("%d simulated searches on the %zu half-A queries; %zu evaluations had the conversion signal\n", n, half, boosted);
  std::printf("nDCG@10              half A (clicks drawn here)   half B (held out)\n");
  std::printf("no logs              %.4f                       %.4f\n", a_before, b_before);
  std::printf("+ conversion signal  %.4f                       %.4f\n", a_boost, b_boost);
  std::printf("+ learning to rank   %.4f                       %.4f\n", a_after, b_after);
  return 0;
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

void Latency(const SearchEngine& engine, const std::vector<std::string>& queries,
             const char* label) {
  std::vector<double> ms;
  size_t ltr = 0;
  for (const std::string& q : queries) {
    SearchRequest request;
    request.query = q;
    request.facets = {"brand", "category"};
    const auto start = Clock::now();
    auto r = engine.Search(request);
    ms.push_back(Seconds(start) * 1000);
    if (r.ok() && r->ranker_version > 0) ++ltr;
  }
  std::printf("%-28s p50 %.2f ms  p99 %.2f ms  (%zu/%zu served by the model)\n", label,
              Percentile(ms, 0.5), Percentile(ms, 0.99), ltr, queries.size());
}

int Synthetic(size_t searches, size_t products_count, uint64_t seed) {
  const std::vector<Product> products = bench::GenerateCatalog(products_count, seed);
  std::map<std::string, double> price;
  for (const Product& p : products) price[p.id] = p.price;
  const std::vector<std::string> queries = bench::GenerateQueries(products, 2000, 0.3, seed + 1);
  storepilot::FakeClock clock(kStartMs * 1000);
  auto engine = Build(products, &clock);
  Latency(*engine, queries, "no logs");
  auto start = Clock::now();
  for (size_t n = 0; n < searches; ++n) {
    const std::string& q = queries[n % queries.size()];
    const std::string rid = absl::StrCat("r", n), session = absl::StrCat("s", n);
    const int64_t t = kStartMs + static_cast<int64_t>(n) * 1000;
    const std::vector<std::string> served = Top(*engine, q, 20, 1);
    engine->RecordServed(rid, q, served, t);
    std::string best;
    for (size_t i = 0; i < served.size() && i < 5; ++i) {
      if (best.empty() || price[served[i]] < price[best]) best = served[i];
    }
    if (best.empty()) continue;
    engine->RecordClick(rid, best, session, t + 10);
    if (n % 4 == 0) engine->RecordConversion(session, best, t + 500);
  }
  std::printf("simulated %zu searches in %.1f s\n", searches, Seconds(start));
  Latency(*engine, queries, "conversion signal only");
  RankerTrainingOptions training;
  for (int run = 1; run <= 3; ++run) {
    start = Clock::now();
    auto report = engine->TrainRanker(training, kStartMs + run);
    PrintReport(absl::StrCat("training run ", run).c_str(), report, Seconds(start));
  }
  Latency(*engine, queries, "conversion + learning to rank");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string wands;
  size_t synthetic = 0, products = 50000;
  int sessions = 60;
  uint64_t seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i], value = argv[i + 1];
    if (arg == "--wands") wands = value;
    else if (arg == "--synthetic") synthetic = std::stoul(value);
    else if (arg == "--products") products = std::stoul(value);
    else if (arg == "--sessions") sessions = std::stoi(value);
    else if (arg == "--seed") seed = std::stoull(value);
    else {
      std::cerr << "unknown flag " << arg << "\n";
      return 2;
    }
  }
  if (!wands.empty()) return Wands(wands, sessions, seed);
  if (synthetic > 0) return Synthetic(synthetic, products, seed);
  std::cerr << "usage: search_ltr_bench --wands DIR [--sessions 60] | --synthetic N\n";
  return 2;
}

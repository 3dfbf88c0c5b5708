// In-process speed of the search engine on a generated catalog: indexing
// throughput, memory per product and query latency for typo-tolerant,
// as-you-type queries with two facets.
//
//   search_speed_bench [--products 50000] [--queries 2000] [--runs 5]
//                      [--typo-share 0.3] [--threads 2]
//
// Every figure is the median over --runs runs, each on a fresh engine.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "catalog_generator.h"
#include "common/clock.h"
#include "search/search_engine.h"

namespace {

using Clock = std::chrono::steady_clock;
using storepilot::search::Product;
using storepilot::search::SearchEngine;
using storepilot::search::SearchRequest;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

// Resident set size in bytes (Linux).
size_t RssBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * 4096;
}

SearchRequest MakeRequest(const std::string& q) {
  SearchRequest request;
  request.query = q;
  request.facets = {"brand", "category"};
  request.per_page = 20;
  return request;
}

}  // namespace

int main(int argc, char** argv) {
  size_t n_products = 50000, n_queries = 2000, runs = 5, threads = 2;
  double typo_share = 0.3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const double v = std::atof(argv[i + 1]);
    if (flag == "--products") n_products = static_cast<size_t>(v);
    else if (flag == "--queries") n_queries = static_cast<size_t>(v);
    else if (flag == "--runs") runs = static_cast<size_t>(v);
    else if (flag == "--typo-share") typo_share = v;
    else if (flag == "--threads") threads = static_cast<size_t>(v);
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  const std::vector<Product> catalog =
      storepilot::search::bench::GenerateCatalog(n_products, 42);
  const std::vector<std::string> queries =
      storepilot::search::bench::GenerateQueries(catalog, n_queries, typo_share, 7);
  std::printf("catalog: %zu products (e.g. \"%s\"); %zu queries (e.g. \"%s\", \"%s\")\n",
              catalog.size(), catalog[0].title.c_str(), queries.size(),
              queries[0].c_str(), queries[1].c_str());
  std::vector<double> index_rate, bytes_per_product, rss_per_product, p50, p95, p99,
      mean_ms, qps_parallel, avg_hits;
  storepilot::SystemClock clock;
  for (size_t run = 0; run < runs; ++run) {
    const size_t rss_before = RssBytes();
    auto engine = *SearchEngine::Create({}, &clock);
    const auto t0 = Clock::now();
    for (const Product& p : catalog) {
      if (!engine->Upsert(p).ok()) return 1;
    }
    index_rate.push_back(catalog.size() / Seconds(Clock::now() - t0));
    bytes_per_product.push_back(
        static_cast<double>(engine->Stats().memory_bytes) / catalog.size());
    rss_per_product.push_back(static_cast<double>(RssBytes() - rss_before) / catalog.size());

    std::vector<double> latencies;
    double hits = 0;
    for (const std::string& q : queries) {
      const auto start = Clock::now();
      auto response = engine->Search(MakeRequest(q));
      latencies.push_back(Seconds(Clock::now() - start) * 1e3);
      if (!response.ok()) return 1;
      hits += response->total;
    }
    avg_hits.push_back(hits / queries.size());
    p50.push_back(Percentile(latencies, 0.50));
    p95.push_back(Percentile(latencies, 0.95));
    p99.push_back(Percentile(latencies, 0.99));
    double sum = 0;
    for (double l : latencies) sum += l;
    mean_ms.push_back(sum / latencies.size());

    // Throughput with concurrent searchers sharing the reader lock.
    const auto p0 = Clock::now();
    std::vector<std::thread> workers;
    for (size_t t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        for (size_t i = t; i < queries.size(); i += threads) {
          (void)engine->Search(MakeRequest(queries[i]));
        }
      });
    }
    for (std::thread& w : workers) w.join();
    qps_parallel.push_back(queries.size() / Seconds(Clock::now() - p0));
  }
  std::printf("medians over %zu runs:\n", runs);
  std::printf("  indexing            %.0f products/s\n", Median(index_rate));
  std::printf("  index memory        %.0f bytes/product (engine accounting), "
              "%.0f bytes/product (RSS growth)\n",
              Median(bytes_per_product), Median(rss_per_product));
  std::printf("  query latency       p50 %.3f ms, p95 %.3f ms, p99 %.3f ms, mean %.3f ms "
              "(1 thread, facets brand+category, %.0f%% with a typo, avg %.0f matches)\n",
              Median(p50), Median(p95), Median(p99), Median(mean_ms), typo_share * 100,
              Median(avg_hits));
  std::printf("  throughput          %.0f queries/s with %zu threads\n",
              Median(qps_parallel), threads);
  return 0;
}

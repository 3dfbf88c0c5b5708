// storepilot_shopify_translate: CPU time per Shopify orders/create delivery
// translated in process, through the code the log's apply thread runs.
//
//   storepilot_shopify_translate [--orders 20000] [--runs 5] [--no-fraud]
//                                [--fraud-model model.ubj]
//
// The engines are wired as api/engine.cc wires them (order store with the
// fraud listener, the translator's event sinks: shop stats, recommendations
// and search, forecasting, customer value), and each kWebhook record, encoded
// as the receiver encodes it, is handed to every sink of the log in the
// engine's order. The body is the HTTP benchmark's (bench/shopify_payload.h):
// a unique order id per delivery, customers and products cycling as there.
// Records are built before the clock starts; each run times `--orders`
// deliveries with the process CPU clock (user + system, every thread) and
// prints µs per delivery; the last line is the median over the runs, as JSON.
//
// --no-fraud leaves the fraud listener out (the difference is what scoring
// costs); --fraud-model gives the shop a model (`storepilot fraud predict
// --model-out`) so that every order is scored with explanations, as a
// production shop does; without it the shop has none, as in bench/shopify.sh,
// and each order is only recorded in the fraud windows.
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "api/shop_engines.h"
#include "catalog/catalog.h"
#include "common/clock.h"
#include "forecast/forecast_hub.h"
#include "fraud/fraud_hub.h"
#include "ingest/order.h"
#include "ingest/shop_registry.h"
#include "ingest/shop_stats.h"
#include "ingest/shopify_delivery.h"
#include "ingest/shopify_translator.h"
#include "observe/metrics.h"
#include "overload/customer_value.h"
#include "overload/customer_value_sink.h"
#include "shopify_payload.h"

namespace {

using namespace storepilot;

constexpr char kShop[] = "bench";

double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// The kWebhook payload the receiver (api/shopify_routes.cc) appends for
// delivery `n` of run `run`.
std::string Delivery(int run, uint64_t n) {
  const std::string id = "run" + std::to_string(run) + "-0-" + std::to_string(n);
  ingest::ShopifyDelivery d;
  d.topic = "orders/create";
  d.shop_domain = std::string(kShop) + ".myshopify.com";
  d.webhook_id = "wh-" + id;
  d.event_id = "ev-" + id;
  d.triggered_at = "2026-11-27T15:00:05Z";
  d.api_version = "2025-10";
  d.body = bench::ShopifyOrderBody(id, n);
  return ingest::EncodeDelivery(d);
}

struct Options {
  int orders = 20000;
  int runs = 5;
  bool fraud = true;
  std::string fraud_model;
  bool print_metrics = false;
};

int Run(const Options& o) {
  SystemClock clock;
  observe::MetricsRegistry metrics;
  ingest::ShopRegistry shops;
  shops.AddFromConfig(kShop, "bench-token-0123456789", "whsec_bench_0123456789abcdef");
  ingest::ShopStats stats;
  catalog::Catalog catalog;
  api::ShopEngines engines(&clock, &catalog, &metrics);
  fraud::FraudHubOptions fraud_options;
  fraud_options.default_model_path = o.fraud_model;
  fraud_options.retrain_interval_ms = 0;
  auto fraud = fraud::FraudHub::Create(fraud_options, &clock, &metrics);
  if (!fraud.ok()) {
    std::fprintf(stderr, "fraud: %s\n", fraud.status().ToString().c_str());
    return 1;
  }
  forecast::ForecastHubOptions forecast_options;
  forecast_options.categories = [&catalog](const std::string& shop, const std::string& id) {
    std::shared_ptr<const catalog::Product> p = catalog.Get(shop, id);
    return p == nullptr ? std::vector<std::string>{} : p->category;
  };
  auto forecast = forecast::ForecastHub::Create(forecast_options, &clock);
  if (!forecast.ok()) {
    std::fprintf(stderr, "forecast: %s\n", forecast.status().ToString().c_str());
    return 1;
  }
  overload::CustomerValueModel customer_values;
  overload::CustomerValueSink customer_value_sink(&customer_values);
  ingest::OrderStore orders;
  ingest::ShopifyTranslatorDeps deps;
  deps.orders = &orders;
  deps.catalog = &catalog;
  deps.shops = &shops;
  deps.metrics = &metrics;
  deps.clock = &clock;
  deps.event_sinks = {&stats, &engines, forecast->get(), &customer_value_sink};
  ingest::ShopifyTranslator translator(std::move(deps));
  fraud::FraudHub* hub = fraud->get();
  if (o.fraud) {
    orders.AddListener(
        [hub](std::string_view shop, const nlohmann::json& order) { hub->OnOrder(shop, order); });
  }
  // The log's sinks in api/engine.cc's order (the autoscale planner aside).
  const std::vector<store::RecordSink*> sinks = {&shops,       &catalog,    &stats,
                                                 &engines,     hub,         forecast->get(),
                                                 &customer_value_sink, &translator};

  std::vector<double> us_per_delivery;
  uint64_t seq = 0;
  for (int run = 0; run < o.runs; ++run) {
    std::vector<std::string> payloads;
    payloads.reserve(o.orders);
    for (int i = 0; i < o.orders; ++i) payloads.push_back(Delivery(run, i));
    const double start = ProcessCpuSeconds();
    for (const std::string& payload : payloads) {
      store::LogRecord record;
      record.partition = 0;
      record.seq = ++seq;
      record.type = store::RecordType::kWebhook;
      record.shop = kShop;
      record.payload = payload;
      for (store::RecordSink* sink : sinks) sink->Apply(record);
    }
    const double us = (ProcessCpuSeconds() - start) * 1e6 / o.orders;
    us_per_delivery.push_back(us);
    std::printf("run %d: %.1f us CPU per delivery (%d deliveries, %zu orders stored)\n", run + 1,
                us, o.orders, orders.Count(kShop));
  }
  std::vector<double> sorted = us_per_delivery;
  std::sort(sorted.begin(), sorted.end());
  std::printf(
      "{\"deliveries_per_run\":%d,\"runs\":%d,\"fraud\":\"%s\",\"median_us_cpu_per_delivery\":%.1f,"
      "\"min\":%.1f,\"max\":%.1f}\n",
      o.orders, o.runs, !o.fraud ? "off" : (o.fraud_model.empty() ? "no model" : "model"),
      sorted[sorted.size() / 2], sorted.front(), sorted.back());
  if (o.print_metrics) std::fputs(metrics.RenderText().c_str(), stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"CPU time per Shopify orders/create delivery translated in process"};
  app.add_option("--orders", o.orders, "Deliveries per run")->check(CLI::PositiveNumber);
  app.add_option("--runs", o.runs, "Runs (the median is reported)")->check(CLI::PositiveNumber);
  bool no_fraud = false;
  app.add_flag("--no-fraud", no_fraud, "Leave the fraud listener out");
  app.add_option("--fraud-model", o.fraud_model, "A fraud model the shop scores with");
  app.add_flag("--metrics", o.print_metrics, "Print the metrics at the end");
  CLI11_PARSE(app, argc, argv);
  o.fraud = !no_fraud;
  return Run(o);
}

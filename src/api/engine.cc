#include "api/engine.h"

#include <filesystem>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "api/admission_http.h"
#include "api/autoscale_runner.h"
#include "api/http_server.h"
#include "api/keda_scaler.h"
#include "api/privacy_listeners.h"
#include "api/service.h"
#include "api/search_learning.h"
#include "api/shop_engines.h"
#include "catalog/catalog.h"
#include "common/status_macros.h"
#include "forecast/forecast_hub.h"
#include "fraud/fraud_hub.h"
#include "ingest/shop_registry.h"
#include "ingest/order.h"
#include "ingest/shop_stats.h"
#include "ingest/shopify_translator.h"
#include "observe/metrics.h"
#include "overload/admission.h"
#include "overload/customer_value_sink.h"
#include "overload/priority_executor.h"
#include "store/event_log.h"

namespace storepilot::api {

absl::Status ParseListen(const std::string& listen, std::string* host, uint16_t* port) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) {
    return absl::InvalidArgumentError("--listen must be HOST:PORT, got '" + listen + "'");
  }
  *host = listen.substr(0, colon);
  if (host->size() > 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  uint32_t p = 0;
  if (!absl::SimpleAtoi(std::string(listen.substr(colon + 1)), &p) || p > 65535) {
    return absl::InvalidArgumentError("--listen port must be 0-65535, got '" + listen + "'");
  }
  *port = static_cast<uint16_t>(p);
  return absl::OkStatus();
}

namespace {

// Recommendation calendar entries from a shop calendar document: each event
// may name the products and categories it promotes and a boost
// (docs/recommend.md); fields are taken from the document's event of the same name.
std::vector<recommend::CalendarEntry> CalendarEntriesFor(
    const std::vector<forecast::CalendarEvent>& events, const nlohmann::json& document) {
  std::vector<recommend::CalendarEntry> entries;
  const nlohmann::json* docs = document.is_object() && document.contains("events") &&
                                       document["events"].is_array()
                                   ? &document["events"]
                                   : nullptr;
  for (size_t i = 0; i < events.size(); ++i) {
    recommend::CalendarEntry e;
    e.name = events[i].name;
    e.start_ms = events[i].start_ms;
    e.end_ms = events[i].end_ms;
    const nlohmann::json* found = nullptr;
    for (size_t j = 0; docs != nullptr && j < docs->size() && found == nullptr; ++j) {
      const nlohmann::json& d = (*docs)[j];
      if (d.is_object() && d.value("name", "") == e.name) found = &d;
    }
    if (found != nullptr) {
      const nlohmann::json& d = *found;
      for (const char* field : {"product_ids", "categories"}) {
        if (!d.contains(field) || !d[field].is_array()) continue;
        auto& out = std::string(field) == "product_ids" ? e.product_ids : e.categories;
        for (const auto& v : d[field]) {
          if (v.is_string()) out.push_back(v.get<std::string>());
        }
      }
      if (d.contains("boost") && d["boost"].is_number()) e.boost = d["boost"].get<double>();
    }
    entries.push_back(std::move(e));
  }
  return entries;
}

}  // namespace

// Destruction order matters: the server goes first, then the service, the
// log (which still applies into the sinks), and the sinks last.
struct Engine::Parts {
  std::string host;
  observe::MetricsRegistry metrics;
  ingest::ShopRegistry shops;
  ingest::ShopStats stats;
  catalog::Catalog catalog;
  std::unique_ptr<ShopEngines> engines;  // recommendations and search
  std::unique_ptr<SearchLearning> search_learning;  // search's learning-to-rank schedule
  std::unique_ptr<fraud::FraudHub> fraud;
  std::unique_ptr<forecast::ForecastHub> forecast;
  AutoscaleParts autoscale;  // its planner feeds `forecast`
  ingest::OrderStore orders;
  std::unique_ptr<ingest::ShopifyTranslator> shopify;
  overload::CustomerValueModel customer_values;
  overload::CustomerValueSink customer_value_sink{&customer_values};
  // Each engine's part of customers/redact, shop/redact and data requests.
  std::vector<std::unique_ptr<ingest::RedactionListener>> privacy;
  std::unique_ptr<store::EventLog> log;
  std::unique_ptr<overload::AdmissionController> admission;
  std::unique_ptr<ApiService> service;
  // Declared after the service: destroyed (workers joined) before it.
  std::unique_ptr<overload::PriorityExecutor> heavy_requests;
  std::unique_ptr<HttpServer> server;
  bool shut_down = false;
};

Engine::Engine() : parts_(std::make_unique<Parts>()) {}

Engine::~Engine() { Shutdown(); }

absl::StatusOr<std::unique_ptr<Engine>> Engine::Start(const EngineConfig& config,
                                                      const Clock* clock) {
  std::unique_ptr<Engine> engine(new Engine());
  Parts& p = *engine->parts_;
  uint16_t port = 0;
  RETURN_IF_ERROR(ParseListen(config.listen, &p.host, &port));
  for (const ShopConfig& s : config.shops) {
    RETURN_IF_ERROR(ingest::ShopRegistry::ValidateShopName(s.shop));
    if (s.api_token.size() < 16) {
      return absl::InvalidArgumentError("shop " + s.shop +
                                        ": api_token must have at least 16 characters");
    }
    p.shops.AddFromConfig(s.shop, s.api_token, s.webhook_secret);
  }
  const int threads = config.threads > 0
                          ? config.threads
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));

  store::EventLogOptions log_options;
  log_options.dir = config.data_dir + "/log";
  log_options.partitions = config.partitions;
  log_options.sync = config.sync;
  log_options.apply_threads = std::max(1, threads / 2);
  log_options.apply_nice = std::clamp(config.apply_nice, 0, 19);
  log_options.background_low_priority = config.log_background_low_priority;
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    return absl::UnavailableError("cannot create --data-dir " + config.data_dir + ": " +
                                  ec.message());
  }
  ShopEnginesOptions engines_options;
  engines_options.retrain_interval_ms = config.recommend_retrain_interval_s * 1000;
  p.engines = std::make_unique<ShopEngines>(clock, &p.catalog, &p.metrics, engines_options);
  SearchLearningOptions search_learning_options;
  search_learning_options.interval_ms = config.search_ltr_interval_s * 1000;
  search_learning_options.training.min_labelled_searches = config.search_ltr_min_searches;
  p.search_learning = std::make_unique<SearchLearning>(search_learning_options, p.engines.get(),
                                                       clock, &p.metrics);
  fraud::FraudHubOptions fraud_options;
  fraud_options.model_dir = config.data_dir + "/fraud";
  fraud_options.default_model_path = config.fraud_model;
  fraud_options.retrain_interval_ms = config.fraud_retrain_interval_s * 1000;
  ASSIGN_OR_RETURN(p.fraud, fraud::FraudHub::Create(fraud_options, clock, &p.metrics));
  forecast::ForecastHubOptions forecast_options;
  forecast_options.platform_calendar = config.platform_calendar;
  forecast_options.yearly_platform_events = config.yearly_platform_events;
  // Per-category sales: the catalog applies a product before the purchases
  // that follow it in the log (it is an earlier sink).
  forecast_options.categories = [catalog = &p.catalog](const std::string& shop,
                                                       const std::string& product_id) {
    std::shared_ptr<const catalog::Product> product = catalog->Get(shop, product_id);
    return product == nullptr ? std::vector<std::string>{} : product->category;
  };
  ASSIGN_OR_RETURN(p.forecast, forecast::ForecastHub::Create(forecast_options, clock));
  // The shop calendar is shared: the forecaster learns event effects from it
  // and the recommendations boost the products and categories an event names.
  ShopEngines* engines = p.engines.get();
  p.forecast->AddCalendarListener([engines](const std::string& shop,
                                            const std::vector<forecast::CalendarEvent>& events,
                                            const nlohmann::json& document) {
    auto set = engines->ForShop(shop);
    if (!set.ok()) return;
    (*set)->recommend->SetCalendar(CalendarEntriesFor(events, document)).IgnoreError();
  });
  // Shopify deliveries and orders become events for every event consumer
  // (the sinks listed in event_sinks), orders, products and profiles.
  ingest::ShopifyTranslatorDeps shopify_deps;
  shopify_deps.orders = &p.orders;
  shopify_deps.catalog = &p.catalog;
  shopify_deps.shops = &p.shops;
  shopify_deps.metrics = &p.metrics;
  shopify_deps.clock = clock;
  shopify_deps.event_sinks = {&p.stats, p.engines.get(), p.forecast.get(),
                             &p.customer_value_sink};
  p.shopify = std::make_unique<ingest::ShopifyTranslator>(std::move(shopify_deps));
  // Recommendations last: the others ask it which sessions were the customer's.
  p.privacy.push_back(std::make_unique<StatsPrivacy>(&p.stats, p.engines.get()));
  p.privacy.push_back(
      std::make_unique<CustomerValuePrivacy>(&p.customer_values, p.engines.get()));
  p.privacy.push_back(std::make_unique<FraudPrivacy>(p.fraud.get()));
  p.privacy.push_back(std::make_unique<RecommendPrivacy>(p.engines.get()));
  for (auto& listener : p.privacy) p.shopify->AddRedactionListener(listener.get());
  // Orders from webhooks and the orders API are scored for fraud as they arrive.
  fraud::FraudHub* fraud_hub = p.fraud.get();
  p.orders.AddListener([fraud_hub](std::string_view shop, const nlohmann::json& order) {
    fraud_hub->OnOrder(shop, order);
  });
  // The planner replays its durable decisions from the log.
  RETURN_IF_ERROR(CreateAutoscalePlanner(config.autoscale, clock, &p.metrics, p.forecast.get(),
                                         &p.autoscale));
  ASSIGN_OR_RETURN(p.log, store::EventLog::Open(
                              log_options,
                              {&p.shops, &p.catalog, &p.stats, p.engines.get(), p.fraud.get(),
                               p.forecast.get(), &p.customer_value_sink, p.shopify.get(),
                               p.autoscale.planner.get()},
                              clock, &p.metrics));
  p.autoscale.log = p.log.get();
  p.shopify->AttachLog(p.log.get());
  p.fraud->AttachLog(p.log.get());
  p.fraud->StartScheduler();
  store::EventLog* log = p.log.get();
  auto replayed = [log] { return log->ready(); };
  p.engines->StartScheduler(replayed);
  p.search_learning->Start(replayed);

  overload::AdmissionOptions admission_options;
  admission_options.enabled = config.admission.enabled;
  admission_options.target_queue_delay_us = config.admission.target_queue_delay_ms * 1000LL;
  if (config.admission.queue_heavy_requests) {
    // Only normal and low requests wait in the queue whose age drives the
    // level: it sheds them, and high and critical requests (cheap, answered
    // on the HTTP threads) are bounded by their share of the concurrency
    // limit alone.
    admission_options.max_level = 2 * overload::kClassBand;
  }
  p.admission = std::make_unique<overload::AdmissionController>(
      admission_options, clock, &p.customer_values, &p.metrics);

  RETURN_IF_ERROR(StartAutoscale(config.autoscale, clock, &p.metrics, p.forecast.get(),
                                 &p.autoscale));

  ServiceDeps deps;
  deps.autoscale = p.autoscale.planner.get();
  deps.admission = p.admission.get();
  deps.customer_values = &p.customer_values;
  deps.log = p.log.get();
  deps.shops = &p.shops;
  deps.stats = &p.stats;
  deps.catalog = &p.catalog;
  deps.engines = p.engines.get();
  deps.search_learning = p.search_learning.get();
  deps.metrics = &p.metrics;
  deps.clock = clock;
  deps.fraud = p.fraud.get();
  deps.forecast = p.forecast.get();
  deps.admin_token = config.admin_token;
  deps.orders = &p.orders;
  deps.shopify = p.shopify.get();
  p.service = std::make_unique<ApiService>(std::move(deps));

  HttpServerOptions server_options;
  server_options.host = p.host;
  server_options.port = port;
  server_options.threads = threads;
  server_options.max_body_bytes = config.max_body_bytes;
  server_options.idle_timeout_ms = config.idle_timeout_ms;
  server_options.max_connections = config.max_connections;
  if (config.admission.enabled) {
    overload::AdmissionController* admission = p.admission.get();
    overload::PriorityExecutor* queue = nullptr;
    if (config.admission.queue_heavy_requests) {
      overload::PriorityExecutorOptions queue_options;
      queue_options.threads = threads;
      queue_options.nice = std::clamp(config.admission.worker_nice, 0, 19);
      queue_options.max_queue_delay_us = std::max(1, config.admission.max_queue_ms) * 1000LL;
      p.heavy_requests =
          std::make_unique<overload::PriorityExecutor>(queue_options, clock, &p.metrics);
      p.heavy_requests->Start();
      queue = p.heavy_requests.get();
      server_options.schedule = [queue](int priority, std::function<void(bool)> task) {
        queue->Submit(priority, std::move(task));
      };
    }
    server_options.admission = MakeAdmissionHook(admission, queue != nullptr);
    // The queueing delay is the event loop's lag, or, when heavy requests
    // wait for workers, the queue's standing delay (the shortest wait of the
    // work started since the last probe: the event loop then only reads,
    // sheds and answers cheap requests, and its lag is the workers' share of
    // the CPU, not a queue).
    const bool oldest = config.admission.queue_signal == "oldest";
    server_options.on_queue_delay = [admission, queue, oldest](int64_t us) {
      if (queue == nullptr) return admission->OnQueueDelay(us);
      admission->OnQueueDelay(oldest ? queue->OldestAgeUs() : queue->TakeStandingDelayUs());
    };
  }
  ApiService* service = p.service.get();
  p.server = std::make_unique<HttpServer>(
      server_options,
      [service](HttpRequest&& req, Responder respond) {
        service->Handle(std::move(req), std::move(respond));
      },
      &p.metrics);
  RETURN_IF_ERROR(p.server->Start().status());
  return engine;
}

uint16_t Engine::keda_port() const {
  return parts_->autoscale.keda ? parts_->autoscale.keda->port() : 0;
}

uint16_t Engine::port() const { return parts_->server ? parts_->server->port() : 0; }

std::string Engine::address() const {
  const std::string& h = parts_->host;
  return absl::StrCat(h.find(':') != std::string::npos ? "[" + h + "]" : h, ":", port());
}

bool Engine::WaitReady(int timeout_ms) const { return parts_->log->WaitReady(timeout_ms); }

void Engine::Shutdown() {
  Parts& p = *parts_;
  if (p.shut_down) return;
  p.shut_down = true;
  if (p.server) p.server->Shutdown();
  if (p.heavy_requests) p.heavy_requests->Stop();
  p.autoscale.Stop();
  if (p.fraud) p.fraud->StopScheduler();
  if (p.engines) p.engines->StopScheduler();
  if (p.search_learning) p.search_learning->Stop();
  if (p.shopify) p.shopify->Stop();
  if (p.fraud) p.fraud->DetachLog();  // Its batched order records first.
  if (p.log) p.log->Shutdown();
}

}  // namespace storepilot::api

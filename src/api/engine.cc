#include "api/engine.h"

#include <filesystem>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "api/admission_http.h"
#include "api/http_server.h"
#include "api/service.h"
#include "catalog/catalog.h"
#include "common/status_macros.h"
#include "ingest/shop_registry.h"
#include "ingest/shop_stats.h"
#include "observe/metrics.h"
#include "overload/admission.h"
#include "overload/customer_value_sink.h"
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

// Destruction order matters: the server goes first, then the service, the
// log (which still applies into the sinks), and the sinks last.
struct Engine::Parts {
  std::string host;
  observe::MetricsRegistry metrics;
  ingest::ShopRegistry shops;
  ingest::ShopStats stats;
  catalog::Catalog catalog;
  overload::CustomerValueModel customer_values;
  overload::CustomerValueSink customer_value_sink{&customer_values};
  std::unique_ptr<store::EventLog> log;
  std::unique_ptr<overload::AdmissionController> admission;
  std::unique_ptr<ApiService> service;
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
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    return absl::UnavailableError("cannot create --data-dir " + config.data_dir + ": " +
                                  ec.message());
  }
  ASSIGN_OR_RETURN(p.log, store::EventLog::Open(log_options, {&p.shops, &p.catalog, &p.stats, &p.customer_value_sink},
                                                clock, &p.metrics));

  overload::AdmissionOptions admission_options;
  admission_options.enabled = config.admission.enabled;
  admission_options.target_queue_delay_us = config.admission.target_queue_delay_ms * 1000LL;
  p.admission = std::make_unique<overload::AdmissionController>(
      admission_options, clock, &p.customer_values, &p.metrics);

  ServiceDeps deps;
  deps.admission = p.admission.get();
  deps.customer_values = &p.customer_values;
  deps.log = p.log.get();
  deps.shops = &p.shops;
  deps.stats = &p.stats;
  deps.catalog = &p.catalog;
  deps.metrics = &p.metrics;
  deps.clock = clock;
  deps.admin_token = config.admin_token;
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
    server_options.admission = MakeAdmissionHook(admission);
    server_options.on_queue_delay = [admission](int64_t us) { admission->OnQueueDelay(us); };
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
  if (p.log) p.log->Shutdown();
}

}  // namespace storepilot::api

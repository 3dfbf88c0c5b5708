#ifndef STOREPILOT_API_SERVICE_H_
#define STOREPILOT_API_SERVICE_H_

// The HTTP API of storepilot: routes, authentication, the error format,
// request ids and per-route metrics. Handlers translate between the wire and
// the engines; they hold no state of their own.

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "absl/status/statusor.h"
#include "api/http_types.h"
#include "api/router.h"
#include "catalog/catalog.h"
#include "common/clock.h"
#include "ingest/shop_registry.h"
#include "ingest/shop_stats.h"
#include "ingest/shopify_delivery.h"
#include "observe/metrics.h"
#include "overload/admission.h"
#include "overload/customer_value.h"
#include "store/event_log.h"

namespace storepilot::fraud {
class FraudHub;
}
namespace storepilot::forecast {
class ForecastHub;
}
namespace storepilot::autoscale {
class Planner;
}
namespace storepilot::ingest {
class OrderStore;
class ShopifyTranslator;
}  // namespace storepilot::ingest

namespace storepilot::api {

class ShopEngines;
class SearchLearning;
struct ShopEngineSet;

struct ServiceDeps {
  store::EventLog* log = nullptr;
  ingest::ShopRegistry* shops = nullptr;
  ingest::ShopStats* stats = nullptr;
  catalog::Catalog* catalog = nullptr;
  observe::MetricsRegistry* metrics = nullptr;
  const Clock* clock = nullptr;
  std::string admin_token;      // empty: the admin API is disabled
  size_t max_batch_events = 10'000;
  ShopEngines* engines = nullptr;  // recommendations and search; null: routes answer 503
  SearchLearning* search_learning = nullptr;  // null: search/quality shows no training
  fraud::FraudHub* fraud = nullptr;  // null: the fraud routes answer 501
  forecast::ForecastHub* forecast = nullptr;  // null: the forecast routes answer 501
  ingest::OrderStore* orders = nullptr;          // orders API
  ingest::ShopifyTranslator* shopify = nullptr;  // webhooks, privacy
  // Optional (null: POST /v1/admission/decide and customer values answer 400).
  overload::AdmissionController* admission = nullptr;
  overload::CustomerValueModel* customer_values = nullptr;
  autoscale::Planner* autoscale = nullptr;  // null: the autoscale routes answer 501
};

class ApiService {
 public:
  // Every pointer in `deps` must outlive the service.
  explicit ApiService(ServiceDeps deps);
  ~ApiService();

  // The server's Handler: answers every request exactly once.
  void Handle(HttpRequest&& request, Responder respond);

  // A caller's view of one request in flight.
  struct Call {
    HttpRequest req;
    PathParams params;
    Responder respond;
    std::string Param(const std::string& name) const {
      auto it = params.find(name);
      return it == params.end() ? "" : it->second;
    }
  };
  using CallPtr = std::shared_ptr<Call>;

 private:
  using RouteFn = void (ApiService::*)(CallPtr);
  struct RouteMetrics;

  void AddRoutes();
  // OK, or the error that ends the call: 401 no or bad token, 403 another
  // shop's token, 404 unknown shop (checked after the token).
  absl::Status AuthorizeShop(const HttpRequest& req, const std::string& shop) const;
  absl::Status AuthorizeAdmin(const HttpRequest& req) const;
  std::string NewRequestId();
  RouteMetrics* MetricsFor(const std::string& route, const std::string& method, int status);

  void Healthz(CallPtr call);
  void Readyz(CallPtr call);
  void Metrics(CallPtr call);
  void CreateShop(CallPtr call);
  void ListShops(CallPtr call);
  void PostEvents(CallPtr call);
  void Stats(CallPtr call);
  void PutProduct(CallPtr call);
  void BatchProducts(CallPtr call);
  void GetProduct(CallPtr call);
  void DeleteProduct(CallPtr call);
  // recommend_routes.cc
  void GetRecommendations(CallPtr call);
  void GetRecommendationQuality(CallPtr call);
  void PostRecommendationRetrain(CallPtr call);
  void PutMerchandising(CallPtr call);
  void GetMerchandising(CallPtr call);
  // search_routes.cc
  void Search(CallPtr call);
  void SearchSuggest(CallPtr call);
  void PutSynonyms(CallPtr call);
  void GetSynonyms(CallPtr call);
  void GetSearchQuality(CallPtr call);  // search_quality_routes.cc
  // The shop's engines after authorisation, or the error that ends the call.
  absl::StatusOr<ShopEngineSet*> EnginesFor(const CallPtr& call);
  // fraud_routes.cc
  absl::Status AuthorizeFraud(const HttpRequest& req, const std::string& shop) const;
  void PostOrderRisk(CallPtr call);
  void GetOrderRisk(CallPtr call);
  void PostOrderLabel(CallPtr call);
  void PutFraudRules(CallPtr call);
  void GetFraudRules(CallPtr call);
  void PostFraudRetrain(CallPtr call);
  // forecast_routes.cc; an empty `shop` needs the admin token.
  absl::Status AuthorizeForecast(const HttpRequest& req, const std::string& shop) const;
  void PutCalendar(CallPtr call);
  void GetCalendar(CallPtr call);
  void GetDemandForecast(CallPtr call);
  void GetInventoryAlerts(CallPtr call);
  void PutInventoryPolicy(CallPtr call);
  void GetInventoryPolicy(CallPtr call);
  void GetTrafficForecast(CallPtr call);
  void PutPlatformCalendar(CallPtr call);
  void GetPlatformCalendar(CallPtr call);
  // shopify_routes.cc
  void ShopifyWebhook(CallPtr call);
  // storepilot_shopify_webhooks_total{result}: the series are looked up once
  // (the registry's lookup takes its lock and builds the name and labels).
  enum class WebhookResult { kAccepted, kDuplicate, kUnauthenticated, kBadRequest, kCount };
  void CountWebhook(WebhookResult result);
  void PostOrder(CallPtr call);
  void GetOrder(CallPtr call);
  void GetCustomer(CallPtr call);
  void GetDataRequest(CallPtr call);
  void GetRedactions(CallPtr call);
  void AdmissionDecide(CallPtr call);  // admission_routes.cc
  void CustomerValue(CallPtr call);
  // autoscale_routes.cc (admin token)
  absl::Status AuthorizeAutoscale(const HttpRequest& req) const;
  void PostAutoscaleMetrics(CallPtr call);
  void ListAutoscaleServices(CallPtr call);
  void GetAutoscaleService(CallPtr call);

  ServiceDeps deps_;
  ingest::ShopifyHmacVerifier webhook_verifier_;
  std::array<std::atomic<observe::Counter*>, size_t(WebhookResult::kCount)> webhook_counters_{};
  std::string admin_token_sha256_;
  Router<RouteFn> router_;
  std::string request_id_prefix_;
  std::atomic<uint64_t> request_counter_{0};
  std::mutex metrics_mu_;
  std::unordered_map<std::string, std::unique_ptr<RouteMetrics>> route_metrics_;
  // Per event type: accepted, duplicate, rejected.
  std::vector<observe::Counter*> events_accepted_, events_duplicate_, events_rejected_;
};

}  // namespace storepilot::api

#endif  // STOREPILOT_API_SERVICE_H_

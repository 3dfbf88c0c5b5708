#include "api/service.h"

#include "absl/strings/str_cat.h"
#include "api/status_http.h"
#include "autoscale/planner.h"
#include "common/crypto.h"
#include "forecast/forecast_hub.h"
#include "ingest/event.h"

namespace storepilot::api {

struct ApiService::RouteMetrics {
  observe::Counter* count;
  observe::Histogram* latency;
};

ApiService::ApiService(ServiceDeps deps) : deps_(std::move(deps)) {
  if (!deps_.admin_token.empty()) admin_token_sha256_ = Sha256Hex(deps_.admin_token);
  request_id_prefix_ = RandomHex(4);
  for (int t = 0; t <= ingest::kNumEventTypes; ++t) {
    std::string type = t < ingest::kNumEventTypes
                           ? std::string(ingest::EventTypeName(static_cast<ingest::EventType>(t)))
                           : "unknown";
    events_accepted_.push_back(deps_.metrics->GetCounter(
        "storepilot_events_accepted_total", "Events stored", {{"type", type}}));
    events_duplicate_.push_back(deps_.metrics->GetCounter(
        "storepilot_events_duplicate_total", "Events acknowledged as repeats",
        {{"type", type}}));
    events_rejected_.push_back(deps_.metrics->GetCounter(
        "storepilot_events_rejected_total", "Events in rejected batches", {{"type", type}}));
  }
  AddRoutes();
}

ApiService::~ApiService() = default;

void ApiService::AddRoutes() {
  router_.Add("GET", "/healthz", &ApiService::Healthz);
  router_.Add("GET", "/readyz", &ApiService::Readyz);
  router_.Add("GET", "/metrics", &ApiService::Metrics);
  router_.Add("POST", "/v1/admin/shops", &ApiService::CreateShop);
  router_.Add("GET", "/v1/admin/shops", &ApiService::ListShops);
  router_.Add("POST", "/v1/shops/{shop}/events", &ApiService::PostEvents);
  router_.Add("GET", "/v1/shops/{shop}/stats", &ApiService::Stats);
  router_.Add("POST", "/v1/shops/{shop}/products:batch", &ApiService::BatchProducts);
  router_.Add("PUT", "/v1/shops/{shop}/products/{id}", &ApiService::PutProduct);
  router_.Add("GET", "/v1/shops/{shop}/products/{id}", &ApiService::GetProduct);
  router_.Add("DELETE", "/v1/shops/{shop}/products/{id}", &ApiService::DeleteProduct);
  router_.Add("GET", "/v1/shops/{shop}/recommendations", &ApiService::GetRecommendations);
  router_.Add("POST", "/v1/shops/{shop}/recommendations/retrain",
              &ApiService::PostRecommendationRetrain);
  router_.Add("GET", "/v1/shops/{shop}/recommendations/quality",
              &ApiService::GetRecommendationQuality);
  router_.Add("PUT", "/v1/shops/{shop}/merchandising/rules", &ApiService::PutMerchandising);
  router_.Add("GET", "/v1/shops/{shop}/merchandising/rules", &ApiService::GetMerchandising);
  router_.Add("GET", "/v1/shops/{shop}/search", &ApiService::Search);
  router_.Add("GET", "/v1/shops/{shop}/search/suggest", &ApiService::SearchSuggest);
  router_.Add("PUT", "/v1/shops/{shop}/search/synonyms", &ApiService::PutSynonyms);
  router_.Add("GET", "/v1/shops/{shop}/search/synonyms", &ApiService::GetSynonyms);
  router_.Add("GET", "/v1/shops/{shop}/search/quality", &ApiService::GetSearchQuality);
  router_.Add("POST", "/v1/shops/{shop}/orders/{order_id}/risk", &ApiService::PostOrderRisk);
  router_.Add("GET", "/v1/shops/{shop}/orders/{order_id}/risk", &ApiService::GetOrderRisk);
  router_.Add("POST", "/v1/shops/{shop}/orders/{order_id}/label", &ApiService::PostOrderLabel);
  router_.Add("PUT", "/v1/shops/{shop}/fraud/rules", &ApiService::PutFraudRules);
  router_.Add("GET", "/v1/shops/{shop}/fraud/rules", &ApiService::GetFraudRules);
  router_.Add("POST", "/v1/shops/{shop}/fraud/retrain", &ApiService::PostFraudRetrain);
  router_.Add("PUT", "/v1/shops/{shop}/calendar", &ApiService::PutCalendar);
  router_.Add("GET", "/v1/shops/{shop}/calendar", &ApiService::GetCalendar);
  router_.Add("GET", "/v1/shops/{shop}/forecast/demand", &ApiService::GetDemandForecast);
  router_.Add("GET", "/v1/shops/{shop}/inventory/alerts", &ApiService::GetInventoryAlerts);
  router_.Add("PUT", "/v1/shops/{shop}/inventory/policy", &ApiService::PutInventoryPolicy);
  router_.Add("GET", "/v1/shops/{shop}/inventory/policy", &ApiService::GetInventoryPolicy);
  router_.Add("GET", "/v1/forecast/traffic", &ApiService::GetTrafficForecast);
  router_.Add("PUT", "/v1/platform/calendar", &ApiService::PutPlatformCalendar);
  router_.Add("GET", "/v1/platform/calendar", &ApiService::GetPlatformCalendar);
  router_.Add("POST", "/webhooks/shopify", &ApiService::ShopifyWebhook);
  router_.Add("POST", "/v1/shops/{shop}/orders", &ApiService::PostOrder);
  router_.Add("GET", "/v1/shops/{shop}/orders/{id}", &ApiService::GetOrder);
  router_.Add("GET", "/v1/shops/{shop}/customers/{id}", &ApiService::GetCustomer);
  router_.Add("GET", "/v1/admin/shops/{shop}/data-requests/{id}", &ApiService::GetDataRequest);
  router_.Add("GET", "/v1/admin/shops/{shop}/redactions", &ApiService::GetRedactions);
  router_.Add("POST", "/v1/admission/decide", &ApiService::AdmissionDecide);
  router_.Add("GET", "/v1/shops/{shop}/customers/{id}/value", &ApiService::CustomerValue);
  router_.Add("POST", "/v1/autoscale/services/{name}/metrics", &ApiService::PostAutoscaleMetrics);
  router_.Add("GET", "/v1/autoscale/services", &ApiService::ListAutoscaleServices);
  router_.Add("GET", "/v1/autoscale/services/{name}", &ApiService::GetAutoscaleService);
}

std::string ApiService::NewRequestId() {
  return absl::StrCat(request_id_prefix_, "-",
                      absl::Hex(request_counter_.fetch_add(1) + 1, absl::kZeroPad8));
}

ApiService::RouteMetrics* ApiService::MetricsFor(const std::string& route,
                                                 const std::string& method, int status) {
  std::string key = absl::StrCat(method, " ", route, " ", status);
  std::lock_guard<std::mutex> lock(metrics_mu_);
  auto& slot = route_metrics_[key];
  if (!slot) {
    observe::Labels labels = {{"route", route}, {"method", method},
                              {"status", std::to_string(status)}};
    slot = std::make_unique<RouteMetrics>(RouteMetrics{
        deps_.metrics->GetCounter("storepilot_http_requests_total", "HTTP requests",
                                  labels),
        deps_.metrics->GetHistogram("storepilot_http_request_duration_seconds",
                                    "HTTP request latency", observe::LatencyBuckets(),
                                    labels)});
  }
  return slot.get();
}

void ApiService::Handle(HttpRequest&& request, Responder respond) {
  std::string_view incoming = request.Header("x-request-id");
  bool usable = !incoming.empty() && incoming.size() <= 128 &&
                std::all_of(incoming.begin(), incoming.end(),
                            [](char c) { return c > 32 && c < 127; });
  request.request_id = usable ? std::string(incoming) : NewRequestId();

  auto match = router_.Find(request.method, request.Path());
  std::string route = match.pattern ? *match.pattern : "unmatched";
  const int64_t start_us = deps_.clock->NowMicros();
  if (deps_.forecast != nullptr) deps_.forecast->CountRequest("storepilot", start_us / 1000);
  if (deps_.autoscale != nullptr) deps_.autoscale->CountOwnRequest(start_us / 1000);
  auto call = std::make_shared<Call>();
  call->respond = [this, route, method = request.method, start_us,
                   id = request.request_id, respond = std::move(respond)](HttpResponse r) {
    r.headers.emplace_back("X-Request-Id", id);
    RouteMetrics* m = MetricsFor(route, method, r.status);
    m->count->Inc();
    m->latency->Observe((deps_.clock->NowMicros() - start_us) / 1e6);
    respond(std::move(r));
  };
  call->req = std::move(request);
  if (match.handler == nullptr) {
    if (!match.method_not_allowed) {
      return call->respond(ErrorResponse(absl::NotFoundError("no such route")));
    }
    HttpResponse r = ErrorResponse(absl::FailedPreconditionError("method not allowed"));
    r.status = 405;
    return call->respond(std::move(r));
  }
  call->params = std::move(match.params);
  (this->**match.handler)(std::move(call));
}

namespace {

// The token of "Authorization: Bearer <token>", or "".
std::string BearerToken(const HttpRequest& req) {
  std::string_view h = req.Header("authorization");
  constexpr std::string_view kPrefix = "bearer ";
  if (h.size() <= kPrefix.size()) return "";
  for (size_t i = 0; i < kPrefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(h[i])) != kPrefix[i]) return "";
  }
  return std::string(h.substr(kPrefix.size()));
}

}  // namespace

absl::Status ApiService::AuthorizeAdmin(const HttpRequest& req) const {
  std::string token = BearerToken(req);
  if (token.empty()) return absl::UnauthenticatedError("missing bearer token");
  if (!admin_token_sha256_.empty() &&
      ConstantTimeEquals(Sha256Hex(token), admin_token_sha256_)) {
    return absl::OkStatus();
  }
  if (deps_.shops->ShopForToken(token)) {
    return absl::PermissionDeniedError("a shop token cannot use the admin API");
  }
  return absl::UnauthenticatedError("invalid token");
}

absl::Status ApiService::AuthorizeShop(const HttpRequest& req, const std::string& shop) const {
  std::string token = BearerToken(req);
  if (token.empty()) return absl::UnauthenticatedError("missing bearer token");
  bool admin = !admin_token_sha256_.empty() &&
               ConstantTimeEquals(Sha256Hex(token), admin_token_sha256_);
  if (!admin) {
    auto owner = deps_.shops->ShopForToken(token);
    if (!owner) return absl::UnauthenticatedError("invalid token");
    if (*owner != shop) {
      return absl::PermissionDeniedError("this token belongs to another shop");
    }
  }
  if (!deps_.shops->Exists(shop)) return absl::NotFoundError("unknown shop '" + shop + "'");
  return absl::OkStatus();
}

void ApiService::Healthz(CallPtr call) {
  call->respond(JsonResponse(200, {{"status", "ok"}}));
}

void ApiService::Readyz(CallPtr call) {
  bool ready = deps_.log->ready();
  call->respond(JsonResponse(ready ? 200 : 503,
                             {{"status", ready ? "ready" : "replaying"}}));
}

void ApiService::Metrics(CallPtr call) {
  HttpResponse r;
  r.content_type = "text/plain; version=0.0.4";
  r.body = deps_.metrics->RenderText();
  call->respond(std::move(r));
}

}  // namespace storepilot::api

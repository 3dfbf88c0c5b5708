// The autoscaling API: metrics pushed for the declared services and the
// plans made from them. See docs/autoscale.md.
#include <algorithm>
#include <cmath>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "api/prometheus_text.h"
#include "api/service.h"
#include "api/status_http.h"
#include "autoscale/planner.h"
#include "common/status_macros.h"
#include "common/time_util.h"

namespace storepilot::api {
namespace {

using nlohmann::json;

// Metric names read from a Prometheus text push (docs/autoscale.md).
constexpr const char* kDefaultCounter = "http_requests_total";
constexpr const char* kDefaultGauge = "requests_last_minute";
constexpr const char* kReadyNames[] = {"ready_replicas",
                                       "kube_deployment_status_replicas_available"};
constexpr const char* kLatencyName = "request_latency_ms";

json PlanJson(const autoscale::ServicePlan& p) {
  const autoscale::ServiceSpec& s = p.spec;
  return {{"name", s.name},
          {"namespace", s.k8s_namespace},
          {"deployment", s.deployment},
          {"policy", p.policy},
          {"current_replicas", p.current_replicas},
          {"desired_replicas", p.desired_replicas},
          {"capacity_per_pod", p.capacity_per_pod},
          {"capacity_learned", s.capacity_per_pod == 0},
          {"startup_minutes", s.startup_minutes},
          {"min_replicas", s.min_replicas},
          {"max_replicas", s.max_replicas},
          {"forecast",
           {{"window_minutes", s.startup_minutes + 1},
            {"p50", p.forecast_p50},
            {"upper", p.forecast_upper},
            {"quantile", s.quantile}}},
          {"last_minute_requests", p.last_minute_requests},
          {"history_minutes", p.history_minutes},
          {"reason", {{"code", p.reason_code}, {"text", p.reason}}},
          {"last_decision_ms", p.last_decision_ms},
          {"last_decision",
           p.last_decision_ms > 0 ? json(FormatRfc3339Millis(p.last_decision_ms)) : json()}};
}

struct Pushed {
  double requests = 0;
  std::optional<int> ready;
};

// {"time_ms": T (default now), "requests": N, "ready_replicas": R, "latency_ms": L}:
// N requests in the minute holding T.
absl::StatusOr<Pushed> PushJson(autoscale::Planner& planner, const std::string& service,
                                const std::string& body, int64_t now_ms) {
  const json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return absl::InvalidArgumentError("malformed JSON: expected an object");
  }
  if (!doc.contains("requests") || !doc["requests"].is_number()) {
    return absl::InvalidArgumentError("'requests' (a number >= 0) is required");
  }
  int64_t time_ms = now_ms;
  if (doc.contains("time_ms")) {
    if (!doc["time_ms"].is_number_integer()) {
      return absl::InvalidArgumentError("'time_ms' must be an integer (epoch ms)");
    }
    time_ms = doc["time_ms"].get<int64_t>();
  }
  std::optional<double> latency;
  if (doc.contains("latency_ms")) {
    if (!doc["latency_ms"].is_number()) {
      return absl::InvalidArgumentError("'latency_ms' must be a number");
    }
    latency = doc["latency_ms"].get<double>();
  }
  Pushed out;
  if (doc.contains("ready_replicas")) {
    if (!doc["ready_replicas"].is_number_integer()) {
      return absl::InvalidArgumentError("'ready_replicas' must be an integer");
    }
    const int64_t r = doc["ready_replicas"].get<int64_t>();
    if (r < 0 || r > 1'000'000) {
      return absl::InvalidArgumentError("'ready_replicas' must be in [0, 1000000]");
    }
    out.ready = static_cast<int>(r);
  }
  out.requests = doc["requests"].get<double>();
  if (out.ready) RETURN_IF_ERROR(planner.ObserveReplicas(service, time_ms, *out.ready, latency));
  RETURN_IF_ERROR(planner.AddRequests(service, time_ms, out.requests));
  return out;
}

// Prometheus text: the counter (summed over its series) or the gauge of the
// last minute's requests, the ready replicas and the latency.
absl::StatusOr<Pushed> PushPrometheus(autoscale::Planner& planner, const std::string& service,
                                      const HttpRequest& req, int64_t now_ms) {
  ASSIGN_OR_RETURN(std::vector<PromSample> samples, ParsePrometheusText(req.body));
  std::string counter = req.Query("counter"), gauge = req.Query("gauge");
  if (counter.empty()) counter = kDefaultCounter;
  if (gauge.empty()) gauge = kDefaultGauge;
  struct Sum {
    bool seen = false;
    double value = 0;
    int64_t time_ms = 0;
    void Add(const PromSample& s, int64_t now_ms, bool max) {
      value = !seen ? s.value : max ? std::max(value, s.value) : value + s.value;
      time_ms = std::max(seen ? time_ms : 0, s.timestamp_ms.value_or(now_ms));
      seen = true;
    }
  } total, last_minute, ready, latency;
  for (const PromSample& s : samples) {
    if (!std::isfinite(s.value)) continue;
    if (s.name == counter) total.Add(s, now_ms, false);
    if (s.name == gauge) last_minute.Add(s, now_ms, false);
    if (s.name == kLatencyName) latency.Add(s, now_ms, true);
    for (const char* name : kReadyNames) {
      if (s.name == name) ready.Add(s, now_ms, false);
    }
  }
  if (!total.seen && !last_minute.seen) {
    return absl::InvalidArgumentError(absl::StrCat("no sample of the counter '", counter,
                                                   "' or the gauge '", gauge, "'"));
  }
  Pushed out;
  if (ready.seen) {
    if (!(ready.value >= 0 && ready.value <= 1e6)) {
      return absl::InvalidArgumentError("ready replicas must be in [0, 1000000]");
    }
    out.ready = static_cast<int>(std::lround(ready.value));
    RETURN_IF_ERROR(planner.ObserveReplicas(
        service, ready.time_ms, *out.ready,
        latency.seen ? std::optional<double>(latency.value) : std::nullopt));
  }
  if (total.seen) {
    ASSIGN_OR_RETURN(out.requests, planner.AddCounterSample(service, total.time_ms, total.value));
  } else {
    RETURN_IF_ERROR(planner.AddRequestsOver(service, last_minute.time_ms - 60'000,
                                            last_minute.time_ms, last_minute.value));
    out.requests = last_minute.value;
  }
  return out;
}

}  // namespace

absl::Status ApiService::AuthorizeAutoscale(const HttpRequest& req) const {
  if (deps_.autoscale == nullptr) return absl::UnimplementedError("autoscaling is not enabled");
  return AuthorizeAdmin(req);
}

void ApiService::PostAutoscaleMetrics(CallPtr call) {
  if (absl::Status s = AuthorizeAutoscale(call->req); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  const std::string service = call->Param("name");
  if (!deps_.autoscale->Has(service)) {
    return call->respond(
        ErrorResponse(absl::NotFoundError("unknown autoscale service '" + service + "'")));
  }
  const std::string_view type = call->req.Header("content-type");
  const size_t first = call->req.body.find_first_not_of(" \t\r\n");
  const bool is_json = type.starts_with("application/json") ||
                       (type.empty() && first != std::string::npos && call->req.body[first] == '{');
  const int64_t now_ms = deps_.clock->NowMillis();
  auto pushed = is_json ? PushJson(*deps_.autoscale, service, call->req.body, now_ms)
                        : PushPrometheus(*deps_.autoscale, service, call->req, now_ms);
  if (!pushed.ok()) return call->respond(ErrorResponse(pushed.status()));
  call->respond(JsonResponse(
      200, {{"service", service},
            {"requests_counted", pushed->requests},
            {"ready_replicas", pushed->ready ? json(*pushed->ready) : json()}}));
}

void ApiService::ListAutoscaleServices(CallPtr call) {
  if (absl::Status s = AuthorizeAutoscale(call->req); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  json list = json::array();
  for (const autoscale::ServicePlan& p : deps_.autoscale->Plans()) list.push_back(PlanJson(p));
  call->respond(JsonResponse(200, {{"services", std::move(list)}}));
}

void ApiService::GetAutoscaleService(CallPtr call) {
  if (absl::Status s = AuthorizeAutoscale(call->req); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  auto plan = deps_.autoscale->Plan(call->Param("name"));
  if (!plan.ok()) return call->respond(ErrorResponse(plan.status()));
  // ?history=N: the last N decisions (default 60, at most Planner::kHistory).
  size_t keep = 60;
  if (const std::string h = call->req.Query("history"); !h.empty()) {
    int64_t n = -1;
    if (!absl::SimpleAtoi(h, &n) || n < 0 ||
        n > static_cast<int64_t>(autoscale::Planner::kHistory)) {
      return call->respond(ErrorResponse(absl::InvalidArgumentError(
          absl::StrCat("history must be an integer in [0, ", autoscale::Planner::kHistory,
                       "]"))));
    }
    keep = static_cast<size_t>(n);
  }
  json body = PlanJson(*plan);
  json history = json::array();
  const auto& h = plan->history;
  for (size_t i = h.size() > keep ? h.size() - keep : 0; i < h.size(); ++i) {
    history.push_back({{"minute", FormatRfc3339Millis(h[i].minute_ms)},
                       {"minute_ms", h[i].minute_ms},
                       {"requests", h[i].demand},
                       {"current_replicas", h[i].current},
                       {"desired_replicas", h[i].desired},
                       {"forecast", {{"p50", h[i].forecast_p50}, {"upper", h[i].forecast_upper}}},
                       {"policy", h[i].policy},
                       {"reason", {{"code", h[i].reason_code}, {"text", h[i].reason}}}});
  }
  body["history"] = std::move(history);
  call->respond(JsonResponse(200, body));
}

}  // namespace storepilot::api

// The forecasting API: shop and platform calendars (through the log), daily
// demand forecasts per product or category, stock-out alerts and traffic
// forecasts. See docs/forecast.md.
#include "absl/strings/numbers.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "absl/strings/str_cat.h"
#include "api/service.h"
#include "api/status_http.h"
#include "common/time_util.h"
#include "forecast/forecast_hub.h"

namespace storepilot::api {
namespace {

using nlohmann::json;

// The query parameter `name` as a number in [lo, hi], or `fallback` when absent.
template <typename T>
absl::StatusOr<T> QueryNumber(const HttpRequest& req, const char* name, T fallback, T lo, T hi) {
  const std::string text = req.Query(name);
  if (text.empty()) return fallback;
  T v{};
  bool ok;
  if constexpr (std::is_integral_v<T>) {
    ok = absl::SimpleAtoi(text, &v);
  } else {
    ok = absl::SimpleAtod(text, &v);
  }
  if (!ok || !(v >= lo && v <= hi)) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " must be a number in [", lo, ", ", hi, "], got '", text, "'"));
  }
  return v;
}

json QuantilesJson(const forecast::ForecastResult& r, size_t h) {
  json q = json::object();
  for (size_t i = 0; i < r.levels.size(); ++i) {
    q[absl::StrCat(r.levels[i])] = r.quantiles[i][h];
  }
  return q;
}

json EffectsJson(const std::vector<forecast::EventEffect>& effects) {
  json out = json::array();
  for (const auto& e : effects) {
    out.push_back({{"name", e.name},
                   {"multiplier", e.multiplier},
                   {"source", e.source},
                   {"occurrences_learned", e.occurrences_learned}});
  }
  return out;
}

}  // namespace

absl::Status ApiService::AuthorizeForecast(const HttpRequest& req, const std::string& shop) const {
  if (deps_.forecast == nullptr) return absl::UnimplementedError("forecasting is not enabled");
  return shop.empty() ? AuthorizeAdmin(req) : AuthorizeShop(req, shop);
}

namespace {

// Validates a calendar document and appends it under `log_shop` as the record
// `make_record` builds; answers with the parsed calendar once applied.
void PutCalendarDocument(ApiService::CallPtr call, store::EventLog* log,
                         const std::string& log_shop,
                         store::AppendItem (*make_record)(const json&)) {
  json body = json::parse(call->req.body, nullptr, false);
  if (body.is_discarded()) {
    return call->respond(ErrorResponse(absl::InvalidArgumentError("malformed JSON")));
  }
  auto events = forecast::ParseCalendar(body);
  if (!events.ok()) return call->respond(ErrorResponse(events.status()));
  std::vector<store::AppendItem> items;
  items.push_back(make_record(body));
  log->Append(
      log_shop, std::move(items),
      [call, answer = forecast::CalendarToJson(*events)](
          absl::StatusOr<store::AppendResult> r) {
        call->respond(r.ok() ? JsonResponse(200, answer) : ErrorResponse(r.status()));
      },
      /*wait_applied=*/true);
}

}  // namespace

void ApiService::PutCalendar(CallPtr call) {
  const std::string shop = call->Param("shop");
  if (absl::Status s = AuthorizeForecast(call->req, shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  PutCalendarDocument(std::move(call), deps_.log, shop, &forecast::CalendarRecord);
}

void ApiService::PutPlatformCalendar(CallPtr call) {
  if (absl::Status s = AuthorizeForecast(call->req, ""); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  PutCalendarDocument(std::move(call), deps_.log, forecast::kPlatformShop,
                      &forecast::PlatformCalendarRecord);
}

void ApiService::GetPlatformCalendar(CallPtr call) {
  if (absl::Status s = AuthorizeForecast(call->req, ""); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  json out = forecast::CalendarToJson(deps_.forecast->PlatformEvents());
  const int year = static_cast<int>(
      absl::ToCivilYear(absl::FromUnixMillis(deps_.clock->NowMillis()), absl::UTCTimeZone())
          .year());
  out["yearly_events"] = deps_.forecast->options().yearly_platform_events
                             ? forecast::CalendarToJson(forecast::PlatformCalendar(year, year + 1))["events"]
                             : json::array();
  call->respond(JsonResponse(200, out));
}

void ApiService::GetCalendar(CallPtr call) {
  const std::string shop = call->Param("shop");
  if (absl::Status s = AuthorizeForecast(call->req, shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  call->respond(JsonResponse(200, forecast::CalendarToJson(deps_.forecast->ShopCalendar(shop))));
}

void ApiService::GetDemandForecast(CallPtr call) {
  const std::string shop = call->Param("shop");
  if (absl::Status s = AuthorizeForecast(call->req, shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  const std::string product_id = call->req.Query("product_id");
  const std::string category = call->req.Query("category");
  if (product_id.empty() == category.empty()) {
    return call->respond(ErrorResponse(
        absl::InvalidArgumentError("exactly one of product_id and category is required")));
  }
  auto horizon = QueryNumber<int>(call->req, "horizon_days", 28, 1, 366);
  if (!horizon.ok()) return call->respond(ErrorResponse(horizon.status()));
  auto fc = product_id.empty()
                ? deps_.forecast->CategoryDemandForecast(shop, category, *horizon)
                : deps_.forecast->DemandForecast(shop, product_id, *horizon);
  if (!fc.ok()) return call->respond(ErrorResponse(fc.status()));
  const int64_t today = deps_.clock->NowMillis() / forecast::kMillisPerDay * forecast::kMillisPerDay;
  json days = json::array();
  for (size_t h = 0; h < fc->result.point.size(); ++h) {
    days.push_back({{"date", FormatRfc3339Millis(today + h * forecast::kMillisPerDay).substr(0, 10)},
                    {"units", fc->result.point[h]},
                    {"quantiles", QuantilesJson(fc->result, h)}});
  }
  json out = {{"horizon_days", *horizon},
              {"model", fc->result.model},
              {"days", std::move(days)},
              {"events", EffectsJson(fc->effects)}};
  if (product_id.empty()) {
    out["category"] = category;
  } else {
    out["product_id"] = product_id;
  }
  call->respond(JsonResponse(200, out));
}

void ApiService::GetInventoryAlerts(CallPtr call) {
  const std::string shop = call->Param("shop");
  if (absl::Status s = AuthorizeForecast(call->req, shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  // Per product: a query parameter, when given, for every product; else the
  // product's override in the shop's policy; else the shop's; else the default.
  const forecast::ShopStockPolicy stored = deps_.forecast->StockPolicyOf(shop);
  const forecast::StockPolicy shop_policy = stored.shop.Over({});
  forecast::StockPolicyOverride query;
  auto lead = QueryNumber<int>(call->req, "lead_time_days", 0, 1, 366);
  auto level = QueryNumber<double>(call->req, "service_level", 0, 0.5, 0.9999);
  auto threshold = QueryNumber<double>(call->req, "threshold", 0, 0.0, 0.99);
  for (const absl::Status& s : {lead.status(), level.status(), threshold.status()}) {
    if (!s.ok()) return call->respond(ErrorResponse(s));
  }
  if (!call->req.Query("lead_time_days").empty()) query.lead_time_days = *lead;
  if (!call->req.Query("service_level").empty()) query.service_level = *level;
  if (!call->req.Query("threshold").empty()) query.threshold = *threshold;
  std::vector<forecast::ForecastHub::StockItem> stock;
  deps_.catalog->ForEach(shop, [&](const catalog::Product& p) {
    if (p.inventory.has_value()) {
      stock.push_back({p.id, *p.inventory, query.Over(stored.For(p.id))});
    }
  });
  auto alerts = deps_.forecast->InventoryAlerts(shop, stock);
  if (!alerts.ok()) return call->respond(ErrorResponse(alerts.status()));
  json list = json::array();
  for (const forecast::StockAlert& a : *alerts) {
    list.push_back({{"product_id", a.product_id},
                    {"inventory", a.inventory},
                    {"lead_time_days", a.policy.lead_time_days},
                    {"service_level", a.policy.service_level},
                    {"expected_demand", a.expected_demand},
                    {"stockout_probability", a.stockout_probability},
                    {"suggested_reorder_quantity", a.reorder_quantity}});
  }
  const forecast::StockPolicy shown = query.Over(shop_policy);
  call->respond(JsonResponse(200, {{"lead_time_days", shown.lead_time_days},
                                   {"service_level", shown.service_level},
                                   {"threshold", shown.threshold},
                                   {"product_overrides", stored.products.size()},
                                   {"products_checked", stock.size()},
                                   {"alerts", std::move(list)}}));
}

void ApiService::PutInventoryPolicy(CallPtr call) {
  const std::string shop = call->Param("shop");
  if (absl::Status s = AuthorizeForecast(call->req, shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  json body = json::parse(call->req.body, nullptr, false);
  if (body.is_discarded()) {
    return call->respond(ErrorResponse(absl::InvalidArgumentError("malformed JSON")));
  }
  auto policy = forecast::ParseStockPolicy(body);
  if (!policy.ok()) return call->respond(ErrorResponse(policy.status()));
  std::vector<store::AppendItem> items;
  items.push_back(forecast::StockPolicyRecord(body));
  deps_.log->Append(
      shop, std::move(items),
      [call, answer = forecast::StockPolicyToJson(*policy)](
          absl::StatusOr<store::AppendResult> r) {
        call->respond(r.ok() ? JsonResponse(200, answer) : ErrorResponse(r.status()));
      },
      /*wait_applied=*/true);
}

void ApiService::GetInventoryPolicy(CallPtr call) {
  const std::string shop = call->Param("shop");
  if (absl::Status s = AuthorizeForecast(call->req, shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  call->respond(
      JsonResponse(200, forecast::StockPolicyToJson(deps_.forecast->StockPolicyOf(shop))));
}

void ApiService::GetTrafficForecast(CallPtr call) {
  if (absl::Status s = AuthorizeForecast(call->req, ""); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  std::string service = call->req.Query("service");
  if (service.empty()) service = "storepilot";
  auto horizon = QueryNumber<int>(call->req, "horizon_minutes", 60, 1, 1440);
  if (!horizon.ok()) return call->respond(ErrorResponse(horizon.status()));
  auto fc = deps_.forecast->TrafficForecast(service, *horizon);
  if (!fc.ok()) return call->respond(ErrorResponse(fc.status()));
  const int64_t next_minute = (deps_.clock->NowMillis() / 60'000 + 1) * 60'000;
  json minutes = json::array();
  for (size_t h = 0; h < fc->point.size(); ++h) {
    minutes.push_back({{"minute", FormatRfc3339Millis(next_minute + h * 60'000)},
                       {"requests", fc->point[h]},
                       {"quantiles", QuantilesJson(*fc, h)}});
  }
  call->respond(JsonResponse(200, {{"service", service},
                                   {"horizon_minutes", *horizon},
                                   {"model", fc->model},
                                   {"minutes", std::move(minutes)}}));
}

}  // namespace storepilot::api

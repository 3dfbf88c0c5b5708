#ifndef STOREPILOT_FORECAST_FORECAST_HUB_H_
#define STOREPILOT_FORECAST_FORECAST_HUB_H_

// The live side of forecasting on a node: shop calendars and the platform
// calendar (through the log), per-day unit sales per product and per category
// from purchase events, per-minute request rates per service, and the
// forecasts and stock-out alerts computed from them. Free of HTTP:
// api/forecast_routes.cc is its wire.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "forecast/calendar.h"
#include "forecast/live_series.h"
#include "forecast/stock_policy.h"
#include "ingest/event_sink.h"
#include "store/event_log.h"
#include "store/log_record.h"

namespace storepilot::forecast {

// The category path of a product (broadest first, e.g. {"Home", "Lighting",
// "Lamps"}), or empty when unknown. Called from the log's apply threads.
using CategoryLookup =
    std::function<std::vector<std::string>(const std::string& shop, const std::string& product_id)>;

struct ForecastHubOptions {
  // Events of every shop besides its own calendar: the yearly platform events
  // (PlatformCalendar: Black Friday, Cyber Monday, ...) computed for every
  // year a forecast's history and horizon touch, when `yearly_platform_events`;
  // plus the dated events of `platform_calendar` (from the config file), plus
  // those of the latest PUT /v1/platform/calendar (a kPlatformCalendar record).
  bool yearly_platform_events = true;
  std::vector<CalendarEvent> platform_calendar;
  // Where purchases find their products' categories (unset: no per-category
  // series). A sale counts for every level of the path, by name.
  CategoryLookup categories;
  int demand_history_days = 365;   // At most 2 years (the sales rings).
  int traffic_history_minutes = 1440;  // At most 2 days (the per-minute rings).
  std::vector<double> quantiles = {0.05, 0.5, 0.95};
};

struct StockAlert {
  std::string product_id;
  StockPolicy policy;  // The policy the product was checked with.
  int64_t inventory = 0;
  double expected_demand = 0;        // Over the lead time.
  double stockout_probability = 0;   // P(demand over the lead time > inventory).
  int64_t reorder_quantity = 0;      // Brings stock to the service-level quantile.
};

// The calendar record appended by PUT /v1/shops/{shop}/calendar: the document
// as sent (REQUIRES: ParseCalendar accepts it), so fields the forecaster does
// not read (e.g. product_ids, categories, boost for recommendations) reach
// the listeners.
store::AppendItem CalendarRecord(const nlohmann::json& document);
// The platform calendar record appended by PUT /v1/platform/calendar
// (REQUIRES: ParseCalendar accepts `document`); its shop is kPlatformShop.
store::AppendItem PlatformCalendarRecord(const nlohmann::json& document);
// The log "shop" platform records are appended under: no real shop can have
// it (shop names start with a letter or digit).
inline constexpr char kPlatformShop[] = "_platform";

// P(D > stock) and the smallest q with P(D <= q) >= level, for a demand D with
// mean `mean` and variance `variance`: negative binomial when overdispersed,
// Poisson otherwise (counts of sparse sales), normal past 10^5 units.
double StockoutProbability(double mean, double variance, int64_t stock);
int64_t DemandQuantile(double mean, double variance, double level);

class ForecastHub : public ingest::EventSink {
 public:
  // `clock` must outlive the hub.
  static absl::StatusOr<std::unique_ptr<ForecastHub>> Create(ForecastHubOptions options,
                                                             const Clock* clock);

  // kShopCalendar: replaces the shop's calendar and tells the listeners;
  // kPlatformCalendar: replaces the PUT part of the platform calendar;
  // kInventoryPolicy: replaces the shop's stock policy;
  // kEvent of type purchase: adds its units (line items, or product_id and
  // quantity) to the products' (and their categories') daily sales. Other
  // records are ignored.
  void Apply(const store::LogRecord& record) override;
  void ApplyEvent(const store::LogRecord& record, const ingest::Event& event) override;

  // Called with a shop's whole calendar each time it changes (from the log's
  // apply thread, at replay too): the parsed events and the document as PUT.
  // Register before the log opens.
  using CalendarListener =
      std::function<void(const std::string& shop, const std::vector<CalendarEvent>& events,
                         const nlohmann::json& document)>;
  void AddCalendarListener(CalendarListener listener);
  std::vector<CalendarEvent> ShopCalendar(const std::string& shop) const;
  // The dated platform events: those of the options, then the latest PUT
  // ones (the yearly events are not listed).
  std::vector<CalendarEvent> PlatformEvents() const;

  // Adds `units` of `product_id` sold at `time_ms`, and to each category of
  // the product's path (options.categories).
  absl::Status AddSale(const std::string& shop, const std::string& product_id, int64_t time_ms,
                       double units);
  // Counts one request of `service` at `time_ms` (per-minute rates).
  void CountRequest(const std::string& service, int64_t time_ms);
  // Counts `count` requests of `service` at `time_ms` at once (pushed
  // metrics of another service, docs/autoscale.md); count <= 0 is ignored.
  void CountRequests(const std::string& service, int64_t time_ms, int64_t count);

  // Daily unit sales of the next `horizon_days` days, today (UTC) first, with
  // the configured quantiles and the shop's and platform's calendar effects.
  // Zero forecasts for a product that never sold. InvalidArgument for a
  // horizon outside [1, 366].
  absl::StatusOr<CalendarForecast> DemandForecast(const std::string& shop,
                                                  const std::string& product_id,
                                                  int horizon_days) const;
  // The same for the units sold of all products in `category` (any level of
  // their category path, by name; case-sensitive).
  absl::StatusOr<CalendarForecast> CategoryDemandForecast(const std::string& shop,
                                                          const std::string& category,
                                                          int horizon_days) const;
  // Products (id, units in stock) whose stock-out probability within the lead
  // time exceeds the policy's threshold, most likely first.
  absl::StatusOr<std::vector<StockAlert>> InventoryAlerts(
      const std::string& shop, const std::vector<std::pair<std::string, int64_t>>& stock,
      const StockPolicy& policy) const;
  // The same with a policy per product.
  struct StockItem {
    std::string product_id;
    int64_t units = 0;
    StockPolicy policy;
  };
  absl::StatusOr<std::vector<StockAlert>> InventoryAlerts(const std::string& shop,
                                                          const std::vector<StockItem>& stock) const;
  // The shop's stock policy (empty until one is PUT).
  ShopStockPolicy StockPolicyOf(const std::string& shop) const;
  // Requests per minute of `service` (any name counted, the engine's own
  // "storepilot" or a pushed one) for the next `horizon_minutes` minutes,
  // with the platform calendar's effects (learned from the service's daily
  // totals, else the given uplift) on the minutes of event days.
  // NotFound for a service never seen; FailedPrecondition with under 10
  // minutes of history; InvalidArgument for a horizon outside [1, 1440].
  absl::StatusOr<ForecastResult> TrafficForecast(const std::string& service,
                                                 int horizon_minutes) const;

  const ForecastHubOptions& options() const { return options_; }

 private:
  ForecastHub(ForecastHubOptions options, const Clock* clock,
              std::unique_ptr<LiveSeriesStore> sales,
              std::unique_ptr<LiveSeriesStore> category_sales,
              std::unique_ptr<LiveSeriesStore> traffic)
      : options_(std::move(options)),
        clock_(clock),
        sales_(std::move(sales)),
        category_sales_(std::move(category_sales)),
        traffic_(std::move(traffic)) {}
  // Platform events for the days [first_ms, end_ms), then the shop's.
  std::vector<CalendarEvent> EventsFor(const std::string& shop, int64_t first_ms,
                                       int64_t end_ms) const;
  // Calendar multipliers per UTC day, from `first_day_ms` on.
  struct DayEffect {
    int64_t first_day_ms = 0;
    std::vector<double> multiplier;
    double At(int64_t time_ms) const;  // 1 outside the days known
  };
  // The platform events' multipliers for a service's traffic on the days of
  // [first_ms, end_ms), learned from its daily totals.
  DayEffect TrafficDayEffects(const std::string& service, int64_t first_ms,
                              int64_t end_ms) const;
  absl::StatusOr<CalendarForecast> DailyForecast(const LiveSeriesStore& store,
                                                 const std::string& key,
                                                 const std::string& shop,
                                                 int horizon_days) const;

  ForecastHubOptions options_;
  const Clock* clock_;
  std::unique_ptr<LiveSeriesStore> sales_;    // key: shop '\x1f' product
  std::unique_ptr<LiveSeriesStore> category_sales_;  // key: shop '\x1f' category
  std::unique_ptr<LiveSeriesStore> traffic_;  // key: service
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::vector<CalendarEvent>> calendars_ ABSL_GUARDED_BY(mu_);
  std::vector<CalendarEvent> platform_put_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, ShopStockPolicy> stock_policies_ ABSL_GUARDED_BY(mu_);
  std::vector<CalendarListener> listeners_;
};

}  // namespace storepilot::forecast

#endif  // STOREPILOT_FORECAST_FORECAST_HUB_H_

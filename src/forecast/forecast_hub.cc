#include "forecast/forecast_hub.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "ingest/event.h"

namespace storepilot::forecast {
namespace {

std::string SalesKey(const std::string& shop, const std::string& product) {
  return absl::StrCat(shop, "\x1f", product);
}

// Leading buckets before the first non-zero one carry no information (the
// product or service did not exist yet).
std::vector<double> TrimLeadingZeros(std::vector<double> v, size_t keep_at_least) {
  size_t first = 0;
  while (first < v.size() && v[first] == 0) ++first;
  first = std::min(first, v.size() > keep_at_least ? v.size() - keep_at_least : 0);
  v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(first));
  return v;
}

// Probability mass function of the demand, term by term: calls f(k, pmf(k))
// until it returns false.
template <typename F>
void WalkPmf(double mean, double variance, F f) {
  if (mean <= 0) {
    f(0, 1.0);
    return;
  }
  const bool poisson = variance <= mean * (1 + 1e-9);
  // Negative binomial with mean m and variance v: r = m^2 / (v - m).
  const double r = poisson ? 0 : mean * mean / (variance - mean);
  const double q = poisson ? 0 : mean / (r + mean);
  double log_p0 = poisson ? -mean : r * std::log(r / (r + mean));
  double p = std::exp(log_p0);
  for (int64_t k = 0; k < 10'000'000; ++k) {
    if (!f(k, p)) return;
    p *= poisson ? mean / static_cast<double>(k + 1) : (k + r) / static_cast<double>(k + 1) * q;
  }
}

double NormalCdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// Inverse of NormalCdf by bisection; p in (0, 1).
double NormalQuantile(double p) {
  double lo = -10, hi = 10;
  for (int i = 0; i < 80; ++i) {
    const double mid = (lo + hi) / 2;
    (NormalCdf(mid) < p ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

absl::Status ValidateStockPolicy(const StockPolicy& policy) {
  if (policy.lead_time_days < 1 || policy.lead_time_days > 366) {
    return absl::InvalidArgumentError("lead_time_days must be in [1, 366]");
  }
  if (!(policy.service_level > 0 && policy.service_level < 1) ||
      !(policy.threshold >= 0 && policy.threshold < 1)) {
    return absl::InvalidArgumentError("service_level must be in (0, 1), threshold in [0, 1)");
  }
  return absl::OkStatus();
}

}  // namespace

store::AppendItem CalendarRecord(const nlohmann::json& document) {
  store::AppendItem item;
  item.type = store::RecordType::kShopCalendar;
  item.payload = document.dump();
  return item;
}

store::AppendItem PlatformCalendarRecord(const nlohmann::json& document) {
  store::AppendItem item;
  item.type = store::RecordType::kPlatformCalendar;
  item.payload = document.dump();
  return item;
}

double StockoutProbability(double mean, double variance, int64_t stock) {
  if (stock < 0) return 1;
  variance = std::max(variance, mean);
  if (mean > 1e5) return 1 - NormalCdf((stock + 0.5 - mean) / std::sqrt(variance));
  double cdf = 0;
  WalkPmf(mean, variance, [&](int64_t k, double p) {
    if (k > stock) return false;
    cdf += p;
    return true;
  });
  return std::clamp(1 - cdf, 0.0, 1.0);
}

int64_t DemandQuantile(double mean, double variance, double level) {
  variance = std::max(variance, mean);
  if (mean > 1e5) {
    return static_cast<int64_t>(std::ceil(mean + NormalQuantile(level) * std::sqrt(variance)));
  }
  double cdf = 0;
  int64_t answer = 0;
  WalkPmf(mean, variance, [&](int64_t k, double p) {
    cdf += p;
    answer = k;
    return cdf < level;
  });
  return answer;
}

absl::StatusOr<std::unique_ptr<ForecastHub>> ForecastHub::Create(ForecastHubOptions options,
                                                                 const Clock* clock) {
  if (options.demand_history_days < 14 || options.demand_history_days > 700) {
    return absl::InvalidArgumentError("demand_history_days must be in [14, 700]");
  }
  if (options.traffic_history_minutes < 10 || options.traffic_history_minutes > 2800) {
    return absl::InvalidArgumentError("traffic_history_minutes must be in [10, 2800]");
  }
  ASSIGN_OR_RETURN(auto sales, LiveSeriesStore::Create(DefaultSalesResolutions()));
  ASSIGN_OR_RETURN(auto category_sales, LiveSeriesStore::Create(DefaultSalesResolutions()));
  ASSIGN_OR_RETURN(auto traffic, LiveSeriesStore::Create(DefaultTrafficResolutions()));
  return std::unique_ptr<ForecastHub>(new ForecastHub(std::move(options), clock, std::move(sales),
                                                      std::move(category_sales),
                                                      std::move(traffic)));
}

void ForecastHub::AddCalendarListener(CalendarListener listener) {
  listeners_.push_back(std::move(listener));
}

void ForecastHub::Apply(const store::LogRecord& record) {
  if (record.type == store::RecordType::kShopCalendar) {
    const nlohmann::json document = nlohmann::json::parse(record.payload, nullptr, false);
    auto events = ParseCalendar(document);
    if (!events.ok()) return;
    const std::string shop(record.shop);
    {
      absl::MutexLock lock(&mu_);
      calendars_[shop] = *events;
    }
    for (const CalendarListener& l : listeners_) l(shop, *events, document);
    return;
  }
  if (record.type == store::RecordType::kInventoryPolicy) {
    auto policy = ParseStockPolicy(nlohmann::json::parse(record.payload, nullptr, false));
    if (!policy.ok()) return;
    absl::MutexLock lock(&mu_);
    stock_policies_[std::string(record.shop)] = std::move(*policy);
    return;
  }
  if (record.type == store::RecordType::kPlatformCalendar) {
    auto events = ParseCalendar(nlohmann::json::parse(record.payload, nullptr, false));
    if (!events.ok()) return;
    absl::MutexLock lock(&mu_);
    platform_put_ = std::move(*events);
    return;
  }
  if (record.type != store::RecordType::kEvent) return;
  // Only purchases matter here.
  auto event = ingest::DecodeEvent(record.payload);
  if (event.ok()) ApplyEvent(record, *event);
}

void ForecastHub::ApplyEvent(const store::LogRecord& record, const ingest::Event& event) {
  if (event.type != ingest::EventType::kPurchase) return;
  const std::string shop(record.shop);
  if (!event.items.empty()) {
    for (const ingest::LineItem& item : event.items) {
      AddSale(shop, item.product_id, event.ts_ms, static_cast<double>(item.quantity))
          .IgnoreError();
    }
  } else if (!event.product_id.empty()) {
    AddSale(shop, event.product_id, event.ts_ms,
            static_cast<double>(std::max<int64_t>(event.quantity, 1)))
        .IgnoreError();
  }
}

std::vector<CalendarEvent> ForecastHub::ShopCalendar(const std::string& shop) const {
  absl::MutexLock lock(&mu_);
  auto it = calendars_.find(shop);
  return it == calendars_.end() ? std::vector<CalendarEvent>{} : it->second;
}

std::vector<CalendarEvent> ForecastHub::PlatformEvents() const {
  std::vector<CalendarEvent> events = options_.platform_calendar;
  absl::MutexLock lock(&mu_);
  events.insert(events.end(), platform_put_.begin(), platform_put_.end());
  return events;
}

std::vector<CalendarEvent> ForecastHub::EventsFor(const std::string& shop, int64_t first_ms,
                                                  int64_t end_ms) const {
  std::vector<CalendarEvent> events;
  if (options_.yearly_platform_events) {
    auto year = [](int64_t ms) {
      return static_cast<int>(
          absl::ToCivilYear(absl::FromUnixMillis(ms), absl::UTCTimeZone()).year());
    };
    events = PlatformCalendar(year(first_ms), year(end_ms));
  }
  for (CalendarEvent& e : PlatformEvents()) events.push_back(std::move(e));
  if (!shop.empty()) {
    for (CalendarEvent& e : ShopCalendar(shop)) events.push_back(std::move(e));
  }
  return events;
}

absl::Status ForecastHub::AddSale(const std::string& shop, const std::string& product_id,
                                  int64_t time_ms, double units) {
  if (product_id.empty() || units <= 0) return absl::OkStatus();
  RETURN_IF_ERROR(sales_->Add(SalesKey(shop, product_id), time_ms, units));
  if (!options_.categories) return absl::OkStatus();
  std::vector<std::string> path = options_.categories(shop, product_id);
  // A name repeated along the path (e.g. "Sale" > "Sale") counts once.
  std::sort(path.begin(), path.end());
  path.erase(std::unique(path.begin(), path.end()), path.end());
  for (const std::string& category : path) {
    if (category.empty()) continue;
    RETURN_IF_ERROR(category_sales_->Add(SalesKey(shop, category), time_ms, units));
  }
  return absl::OkStatus();
}

void ForecastHub::CountRequest(const std::string& service, int64_t time_ms) {
  traffic_->Add(service, time_ms, 1).IgnoreError();
}

void ForecastHub::CountRequests(const std::string& service, int64_t time_ms, int64_t count) {
  if (count <= 0) return;
  traffic_->Add(service, time_ms, static_cast<double>(count)).IgnoreError();
}

absl::StatusOr<CalendarForecast> ForecastHub::DemandForecast(const std::string& shop,
                                                             const std::string& product_id,
                                                             int horizon_days) const {
  return DailyForecast(*sales_, SalesKey(shop, product_id), shop, horizon_days);
}

absl::StatusOr<CalendarForecast> ForecastHub::CategoryDemandForecast(
    const std::string& shop, const std::string& category, int horizon_days) const {
  return DailyForecast(*category_sales_, SalesKey(shop, category), shop, horizon_days);
}

absl::StatusOr<CalendarForecast> ForecastHub::DailyForecast(const LiveSeriesStore& store,
                                                            const std::string& key,
                                                            const std::string& shop,
                                                            int horizon_days) const {
  if (horizon_days < 1 || horizon_days > 366) {
    return absl::InvalidArgumentError("horizon_days must be in [1, 366]");
  }
  const int64_t today_ms = clock_->NowMillis() / kMillisPerDay * kMillisPerDay;
  auto window = store.Window(key, 0, today_ms - kMillisPerDay, options_.demand_history_days);
  CalendarForecast out;
  if (!window.ok()) {
    if (window.status().code() != absl::StatusCode::kNotFound) return window.status();
    out.result.point.assign(horizon_days, 0);
    out.result.levels = options_.quantiles;
    std::sort(out.result.levels.begin(), out.result.levels.end());
    out.result.quantiles.assign(out.result.levels.size(), std::vector<double>(horizon_days, 0));
    out.result.model = "no sales";
    return out;
  }
  std::vector<double> y = TrimLeadingZeros(std::move(*window), 14);
  ForecastOptions fo;
  fo.horizon = horizon_days;
  fo.season = y.size() >= 28 ? 7 : 1;
  fo.quantiles = options_.quantiles;
  ASSIGN_OR_RETURN(Forecaster forecaster, Forecaster::Create(fo));
  const int64_t first_day = today_ms - static_cast<int64_t>(y.size()) * kMillisPerDay;
  ASSIGN_OR_RETURN(out, ForecastWithCalendar(
                            forecaster, y, first_day,
                            EventsFor(shop, first_day, today_ms + horizon_days * kMillisPerDay)));
  // Unit sales are never negative.
  for (double& v : out.result.point) v = std::max(v, 0.0);
  for (auto& q : out.result.quantiles) {
    for (double& v : q) v = std::max(v, 0.0);
  }
  return out;
}

ShopStockPolicy ForecastHub::StockPolicyOf(const std::string& shop) const {
  absl::MutexLock lock(&mu_);
  auto it = stock_policies_.find(shop);
  return it == stock_policies_.end() ? ShopStockPolicy{} : it->second;
}

absl::StatusOr<std::vector<StockAlert>> ForecastHub::InventoryAlerts(
    const std::string& shop, const std::vector<std::pair<std::string, int64_t>>& stock,
    const StockPolicy& policy) const {
  RETURN_IF_ERROR(ValidateStockPolicy(policy));
  std::vector<StockItem> items;
  items.reserve(stock.size());
  for (const auto& [product_id, units] : stock) items.push_back({product_id, units, policy});
  return InventoryAlerts(shop, items);
}

absl::StatusOr<std::vector<StockAlert>> ForecastHub::InventoryAlerts(
    const std::string& shop, const std::vector<StockItem>& stock) const {
  for (const StockItem& item : stock) RETURN_IF_ERROR(ValidateStockPolicy(item.policy));
  std::vector<StockAlert> alerts;
  for (const StockItem& item : stock) {
    const std::string& product_id = item.product_id;
    const int64_t units = item.units;
    const StockPolicy& policy = item.policy;
    ASSIGN_OR_RETURN(CalendarForecast fc,
                     DemandForecast(shop, product_id, policy.lead_time_days));
    const ForecastResult& r = fc.result;
    double mean = 0, variance = 0;
    for (size_t h = 0; h < r.point.size(); ++h) {
      mean += r.point[h];
      // Each day's spread from its outer quantiles, days taken as independent.
      if (r.levels.size() >= 2) {
        const double width = r.quantiles.back()[h] - r.quantiles.front()[h];
        variance += std::pow(width / (NormalQuantile(r.levels.back()) -
                                      NormalQuantile(r.levels.front())),
                             2);
      }
    }
    StockAlert a;
    a.product_id = product_id;
    a.policy = policy;
    a.inventory = units;
    a.expected_demand = mean;
    a.stockout_probability = StockoutProbability(mean, variance, units);
    if (a.stockout_probability <= policy.threshold) continue;
    a.reorder_quantity =
        std::max<int64_t>(0, DemandQuantile(mean, variance, policy.service_level) - units);
    alerts.push_back(std::move(a));
  }
  std::sort(alerts.begin(), alerts.end(), [](const StockAlert& a, const StockAlert& b) {
    return a.stockout_probability > b.stockout_probability;
  });
  return alerts;
}

double ForecastHub::DayEffect::At(int64_t time_ms) const {
  const int64_t d = (time_ms - first_day_ms) / kMillisPerDay;
  if (time_ms < first_day_ms || d >= static_cast<int64_t>(multiplier.size())) return 1;
  return multiplier[d];
}

ForecastHub::DayEffect ForecastHub::TrafficDayEffects(const std::string& service,
                                                      int64_t first_ms, int64_t end_ms) const {
  constexpr int kDailyResolution = 2;  // DefaultTrafficResolutions: minute, hour, day.
  const int64_t today_ms = clock_->NowMillis() / kMillisPerDay * kMillisPerDay;
  auto daily = traffic_->Window(service, kDailyResolution, today_ms - kMillisPerDay,
                                options_.demand_history_days);
  std::vector<double> y = daily.ok() ? TrimLeadingZeros(std::move(*daily), 0)
                                     : std::vector<double>{};
  DayEffect out;
  out.first_day_ms = today_ms - static_cast<int64_t>(y.size()) * kMillisPerDay;
  const int64_t horizon_days = (end_ms - today_ms + kMillisPerDay - 1) / kMillisPerDay;
  const int64_t events_from = std::min(first_ms, out.first_day_ms);
  out.multiplier =
      LearnEventEffects(y, out.first_day_ms, std::max<int64_t>(horizon_days, 1),
                        EventsFor("", events_from, end_ms))
          .multiplier;
  return out;
}

absl::StatusOr<ForecastResult> ForecastHub::TrafficForecast(const std::string& service,
                                                            int horizon_minutes) const {
  if (horizon_minutes < 1 || horizon_minutes > 1440) {
    return absl::InvalidArgumentError("horizon_minutes must be in [1, 1440]");
  }
  constexpr int64_t kMinute = 60'000;
  const int64_t this_minute = clock_->NowMillis() / kMinute * kMinute;
  ASSIGN_OR_RETURN(std::vector<double> y,
                   traffic_->Window(service, 0, this_minute - kMinute,
                                    options_.traffic_history_minutes));
  y = TrimLeadingZeros(std::move(y), 0);
  if (y.size() < 10) {
    return absl::FailedPreconditionError(
        absl::StrCat("service '", service, "' has ", y.size(),
                     " complete minutes of history; 10 are needed"));
  }
  ForecastOptions fo;
  fo.horizon = horizon_minutes;
  fo.season = y.size() >= 120 ? 60 : 1;
  fo.quantiles = options_.quantiles;
  ASSIGN_OR_RETURN(Forecaster forecaster, Forecaster::Create(fo));
  // Calendar effects per day: minutes of the history are divided by their
  // day's multiplier and those of the horizon multiplied by theirs.
  const int64_t first_minute = this_minute - static_cast<int64_t>(y.size()) * kMinute;
  DayEffect effect = TrafficDayEffects(service, first_minute, this_minute + horizon_minutes * kMinute);
  for (size_t i = 0; i < y.size(); ++i) {
    y[i] /= effect.At(first_minute + static_cast<int64_t>(i) * kMinute);
  }
  ASSIGN_OR_RETURN(ForecastResult r, forecaster.Forecast(y));
  for (int h = 0; h < horizon_minutes; ++h) {
    const double m = effect.At(this_minute + h * kMinute);
    r.point[h] *= m;
    for (auto& q : r.quantiles) q[h] *= m;
  }
  for (double& v : r.point) v = std::max(v, 0.0);
  for (auto& q : r.quantiles) {
    for (double& v : q) v = std::max(v, 0.0);
  }
  return r;
}

}  // namespace storepilot::forecast

#include "api/search_learning.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "api/shop_engines.h"
#include "nlohmann/json.hpp"

namespace storepilot::api {
namespace {

// A training skipped for too few labelled searches is retried this soon.
constexpr int64_t kRetrySkippedMs = 5 * 60 * 1000;

}  // namespace

store::AppendItem SearchServedRecord(const std::string& request_id, const std::string& query,
                                     int64_t time_ms, const std::vector<std::string>& products) {
  store::AppendItem item;
  item.type = store::RecordType::kSearchServed;
  item.payload = nlohmann::json{{"request_id", request_id},
                                {"query", query},
                                {"time_ms", time_ms},
                                {"products", products}}
                     .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return item;
}

bool ApplySearchServed(search::SearchEngine* engine, std::string_view payload) {
  nlohmann::json doc = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return false;
  auto request_id = doc.find("request_id");
  auto query = doc.find("query");
  auto time_ms = doc.find("time_ms");
  auto products = doc.find("products");
  if (request_id == doc.end() || !request_id->is_string() || query == doc.end() ||
      !query->is_string() || time_ms == doc.end() || !time_ms->is_number_integer() ||
      products == doc.end() || !products->is_array()) {
    return false;
  }
  std::vector<std::string> ids;
  for (const auto& p : *products) {
    if (!p.is_string()) return false;
    ids.push_back(p.get<std::string>());
  }
  engine->RecordServed(request_id->get<std::string>(), query->get<std::string>(),
                       std::move(ids), time_ms->get<int64_t>());
  return true;
}

void ObserveSearchEvent(search::SearchEngine* engine, const ingest::Event& e) {
  using ingest::EventType;
  switch (e.type) {
    case EventType::kSearch:
      if (!e.request_id.empty() && !e.query.empty()) {
        engine->RecordServed(e.request_id, e.query, {}, e.ts_ms);
      }
      break;
    case EventType::kClick:
      if (!e.request_id.empty()) {
        engine->RecordClick(e.request_id, e.product_id, e.session_id, e.ts_ms);
      }
      break;
    case EventType::kAddToCart:
      engine->RecordConversion(e.session_id, e.product_id, e.ts_ms);
      break;
    case EventType::kPurchase:
      if (e.items.empty()) engine->RecordConversion(e.session_id, e.product_id, e.ts_ms);
      for (const ingest::LineItem& item : e.items) {
        engine->RecordConversion(e.session_id, item.product_id, e.ts_ms);
      }
      break;
    default: break;
  }
}

SearchLearning::SearchLearning(SearchLearningOptions options, ShopEngines* engines,
                               const Clock* clock, observe::MetricsRegistry* metrics)
    : options_(std::move(options)), engines_(engines), clock_(clock), metrics_(metrics) {}

SearchLearning::~SearchLearning() { Stop(); }

absl::StatusOr<SearchTrainingAttempt> SearchLearning::Train(const std::string& shop) {
  if (!engines_->HasShop(shop)) return absl::NotFoundError("no search engine for shop " + shop);
  auto set = engines_->ForShop(shop);
  if (!set.ok()) return set.status();
  std::lock_guard<std::mutex> training(train_mu_);
  SearchTrainingAttempt attempt;
  attempt.time_ms = clock_->NowMillis();
  const auto start = std::chrono::steady_clock::now();
  auto report = (*set)->search->TrainRanker(options_.training, attempt.time_ms);
  attempt.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!report.ok()) {
    attempt.outcome = "skipped";
    attempt.message = std::string(report.status().message());
    attempt.report.version = (*set)->search->Ranker().version;
  } else {
    attempt.report = *report;
    attempt.outcome = report->accepted ? "accepted" : "refused";
    attempt.message = report->reason;
  }
  const observe::Labels labels = {{"shop", shop}};
  metrics_
      ->GetCounter("storepilot_search_ltr_trainings_total",
                   "Learning-to-rank training attempts by outcome",
                   {{"shop", shop}, {"outcome", attempt.outcome}})
      ->Inc();
  if (attempt.outcome != "skipped") {
    metrics_
        ->GetGauge("storepilot_search_ltr_training_seconds",
                   "Wall time of the last learning-to-rank training", labels)
        ->Set(attempt.seconds);
  }
  const search::RankerStatus status = (*set)->search->Ranker();
  metrics_
      ->GetGauge("storepilot_search_ltr_model_version",
                 "Learning-to-rank model in service (0: none)", labels)
      ->Set(static_cast<double>(status.version));
  metrics_
      ->GetGauge("storepilot_search_ltr_training_searches",
                 "Searches the model in service was trained on", labels)
      ->Set(static_cast<double>(status.training_searches));
  metrics_
      ->GetGauge("storepilot_search_ltr_validation_ndcg",
                 "Held-out nDCG@10 of the model in service", labels)
      ->Set(status.validation_ndcg);
  absl::MutexLock lock(&mu_);
  attempts_[shop] = attempt;
  return attempt;
}

int SearchLearning::TrainDue() {
  if (options_.interval_ms <= 0) return 0;
  const int64_t now = clock_->NowMillis();
  int attempted = 0;
  for (const std::string& shop : engines_->ShopNames()) {
    {
      absl::MutexLock lock(&mu_);
      auto it = attempts_.find(shop);
      if (it != attempts_.end()) {
        const int64_t wait = it->second.outcome == "skipped"
                                 ? std::min(options_.interval_ms, kRetrySkippedMs)
                                 : options_.interval_ms;
        if (now - it->second.time_ms < wait) continue;
      }
    }
    if (Train(shop).ok()) ++attempted;
  }
  return attempted;
}

std::optional<SearchTrainingAttempt> SearchLearning::LastAttempt(const std::string& shop) const {
  absl::MutexLock lock(&mu_);
  auto it = attempts_.find(shop);
  if (it == attempts_.end()) return std::nullopt;
  return it->second;
}

void SearchLearning::Start(std::function<bool()> ready) {
  if (options_.interval_ms <= 0) return;
  scheduler_.Start(
      std::chrono::milliseconds(options_.scheduler_tick_ms),
      [this, ready = std::move(ready)] {
        if (ready()) TrainDue();
      },
      TaskPriority::kBackground);
}

void SearchLearning::Stop() { scheduler_.Stop(); }

}  // namespace storepilot::api

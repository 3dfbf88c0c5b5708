// The adapter from the log to the recommendation and search engines.
#include "api/shop_engines.h"

#include <mutex>

#include "absl/strings/str_cat.h"
#include "api/merchandising_doc.h"
#include "observe/log.h"
#include "api/search_learning.h"
#include "search/synonyms.h"

namespace storepilot::api {
namespace {

// Search popularity per interaction: a purchase says more than a click.
// How soon a retrain skipped for lack of data is tried again.
constexpr int64_t kRetrySkippedMs = 5 * 60 * 1000;
constexpr double kClickPopularity = 1.0, kCartPopularity = 2.0, kPurchasePopularity = 5.0;

recommend::Event ToRecommendEvent(const ingest::Event& e, recommend::EventType type,
                                  const std::string& product_id) {
  recommend::Event out;
  out.type = type;
  out.user_id = e.user_id;
  out.session_id = e.session_id;
  out.product_id = product_id;
  out.time_ms = e.ts_ms;
  out.context.country = e.context.country;
  out.context.device = e.context.device;
  return out;
}

}  // namespace

recommend::Product ToRecommendProduct(const catalog::Product& p) {
  recommend::Product out;
  out.id = p.id;
  if (!p.category.empty()) out.category = p.category.back();
  out.brand = p.brand;
  out.tags = p.tags;
  out.embedding = p.embedding;
  out.in_stock = p.in_stock;
  out.repeatable = p.repeatable;
  return out;
}

search::Product ToSearchProduct(const catalog::Product& p, double popularity) {
  search::Product out;
  out.id = p.id;
  out.title = p.title;
  out.description = p.description;
  out.brand = p.brand;
  out.category = p.category;
  out.product_type = p.product_type;
  out.tags = p.tags;
  for (const auto& [name, value] : p.attributes.items()) {
    if (value.is_string()) {
      out.attributes.emplace_back(name, value.get<std::string>());
    } else if (value.is_array()) {
      for (const auto& v : value) {
        out.attributes.emplace_back(name, v.is_string() ? v.get<std::string>() : v.dump());
      }
    } else if (!value.is_null()) {
      out.attributes.emplace_back(name, value.dump());
    }
  }
  out.price = p.price;
  out.in_stock = p.in_stock;
  out.created_at_ms = p.updated_at_ms;
  out.popularity = popularity;
  return out;
}

ShopEngines::ShopEngines(const Clock* clock, catalog::Catalog* catalog,
                         observe::MetricsRegistry* metrics, ShopEnginesOptions options)
    : clock_(clock), options_(std::move(options)), metrics_(metrics) {
  skipped_ = metrics->GetCounter("storepilot_recsearch_records_skipped_total",
                                 "Log records the recommendation/search feed could not use");
  observed_ = metrics->GetCounter("storepilot_recsearch_events_total",
                                  "Events fed to the recommendation and search engines");
  catalog->AddListener([this](const std::string& shop, const std::string& id,
                              std::shared_ptr<const catalog::Product> product) {
    OnProduct(shop, id, product);
  });
}

absl::StatusOr<recommend::RetrainReport> ShopEngines::Retrain(const std::string& shop) {
  auto set = ForShop(shop);
  if (!set.ok()) return set.status();
  auto report = (*set)->recommend->RetrainUserModel();
  // Too little new data: look again in a few minutes rather than a whole
  // interval, so a new shop gets its first model soon after its first users.
  const int64_t now = clock_->NowMillis();
  const int64_t retry_ms = std::min<int64_t>(options_.retrain_interval_ms, kRetrySkippedMs);
  (*set)->last_retrain_ms.store(
      report.ok() || report.status().code() != absl::StatusCode::kFailedPrecondition
          ? now
          : now - options_.retrain_interval_ms + retry_ms);
  const std::string result = !report.ok() ? (report.status().code() ==
                                                      absl::StatusCode::kFailedPrecondition
                                                  ? "skipped"
                                                  : "failed")
                             : report->replaced ? "replaced"
                                                : "kept";
  metrics_
      ->GetCounter("storepilot_recommend_retrains_total",
                   "Background retrains of the user model by outcome (replaced, kept by the "
                   "validation gate, skipped for lack of new data, failed)",
                   {{"shop", shop}, {"result", result}})
      ->Inc();
  if (report.ok()) {
    const char* help = "NDCG@10 on recent held-out events at the last retrain";
    metrics_->GetGauge("storepilot_recommend_validation_ndcg", help,
                       {{"shop", shop}, {"model", "candidate"}})
        ->Set(report->candidate_ndcg);
    if (report->serving_ndcg >= 0) {
      metrics_->GetGauge("storepilot_recommend_validation_ndcg", help,
                         {{"shop", shop}, {"model", "serving"}})
          ->Set(report->serving_ndcg);
    }
  }
  observe::LogInfo("recommendation retrain",
                   {{"shop", shop},
                    {"result", result},
                    {"detail", report.ok() ? absl::StrCat("candidate ndcg ",
                                                          report->candidate_ndcg, ", serving ",
                                                          report->serving_ndcg, " on ",
                                                          report->validation_users, " users")
                                           : std::string(report.status().message())}});
  return report;
}

int ShopEngines::RetrainDue() {
  if (options_.retrain_interval_ms <= 0) return 0;
  std::vector<std::string> due;
  const int64_t now = clock_->NowMillis();
  {
    std::shared_lock lock(mu_);
    for (const auto& [shop, set] : shops_) {
      if (now - set->last_retrain_ms.load() >= options_.retrain_interval_ms) due.push_back(shop);
    }
  }
  for (const std::string& shop : due) Retrain(shop).IgnoreError();
  return static_cast<int>(due.size());
}

void ShopEngines::StartScheduler(std::function<bool()> ready) {
  if (options_.retrain_interval_ms <= 0) return;
  scheduler_.Start(
      std::chrono::milliseconds(options_.scheduler_tick_ms),
      [this, ready = std::move(ready)] {
        if (ready()) RetrainDue();
      },
      TaskPriority::kBackground);
}

void ShopEngines::StopScheduler() { scheduler_.Stop(); }

absl::StatusOr<ShopEngineSet*> ShopEngines::ForShop(const std::string& shop) {
  {
    std::shared_lock lock(mu_);
    auto it = shops_.find(shop);
    if (it != shops_.end()) return it->second.get();
  }
  auto search = search::SearchEngine::Create(options_.search, clock_);
  if (!search.ok()) return absl::InternalError(search.status().message());
  std::unique_lock lock(mu_);
  auto& slot = shops_[shop];
  if (!slot) {
    slot = std::make_unique<ShopEngineSet>();
    slot->recommend = std::make_unique<recommend::RecommendEngine>(clock_, options_.recommend);
    slot->search = *std::move(search);
  }
  return slot.get();
}

std::vector<std::string> ShopEngines::ShopNames() {
  std::shared_lock lock(mu_);
  std::vector<std::string> out;
  for (const auto& [name, set] : shops_) out.push_back(name);
  return out;
}

bool ShopEngines::HasShop(const std::string& shop) {
  std::shared_lock lock(mu_);
  return shops_.contains(shop);
}

void ShopEngines::OnProduct(const std::string& shop, const std::string& id,
                            const std::shared_ptr<const catalog::Product>& product) {
  auto set = ForShop(shop);
  if (!set.ok()) return skipped_->Inc();
  ShopEngineSet* s = *set;
  if (product == nullptr) {
    s->recommend->RemoveProduct(id);
    (void)s->search->Remove(id);  // NotFound: never indexed
    return;
  }
  // An invalid embedding is reported but the rest of the product is stored.
  if (!s->recommend->UpsertProduct(ToRecommendProduct(*product)).ok()) skipped_->Inc();
  auto pop = s->popularity.find(id);
  if (!s->search->Upsert(ToSearchProduct(*product, pop == s->popularity.end() ? 0 : pop->second))
           .ok()) {
    skipped_->Inc();
  }
}

void ShopEngines::AddPopularity(ShopEngineSet* set, const std::string& product_id,
                                double delta) {
  if (product_id.empty()) return;
  double& pop = set->popularity[product_id];
  pop += delta;
  set->search->SetPopularity(product_id, pop);
}

void ShopEngines::OnEvent(ShopEngineSet* set, const ingest::Event& e) {
  using ingest::EventType;
  observed_->Inc();
  if (!e.request_id.empty()) {
    switch (e.type) {
      case EventType::kImpression: set->quality.Record(e.request_id, Outcome::kImpression); break;
      case EventType::kClick: set->quality.Record(e.request_id, Outcome::kClick); break;
      case EventType::kPurchase: set->quality.Record(e.request_id, Outcome::kPurchase); break;
      default: break;
    }
  }
  ObserveSearchEvent(set->search.get(), e);
  auto observe = [&](recommend::EventType type, const std::string& product_id) {
    if (product_id.empty()) return;
    // InvalidArgument only for events the parser already rejects.
    (void)set->recommend->Observe(ToRecommendEvent(e, type, product_id));
  };
  switch (e.type) {
    case EventType::kView: observe(recommend::EventType::kView, e.product_id); break;
    case EventType::kClick: AddPopularity(set, e.product_id, kClickPopularity); break;
    case EventType::kAddToCart:
      observe(recommend::EventType::kAddToCart, e.product_id);
      AddPopularity(set, e.product_id, kCartPopularity);
      break;
    case EventType::kRemoveFromCart:
      observe(recommend::EventType::kRemoveFromCart, e.product_id);
      break;
    case EventType::kPurchase:
      if (e.items.empty()) {
        observe(recommend::EventType::kPurchase, e.product_id);
        AddPopularity(set, e.product_id, kPurchasePopularity);
      }
      for (const ingest::LineItem& item : e.items) {
        observe(recommend::EventType::kPurchase, item.product_id);
        AddPopularity(set, item.product_id, kPurchasePopularity);
      }
      break;
    default: break;
  }
}

void ShopEngines::ApplyEvent(const store::LogRecord& record, const ingest::Event& event) {
  auto set = ForShop(std::string(record.shop));
  if (!set.ok()) return skipped_->Inc();
  OnEvent(*set, event);
}

void ShopEngines::Apply(const store::LogRecord& record) {
  using store::RecordType;
  if (record.type != RecordType::kEvent && record.type != RecordType::kMerchandisingRules &&
      record.type != RecordType::kSearchSynonyms && record.type != RecordType::kSearchServed) {
    return;
  }
  auto set = ForShop(std::string(record.shop));
  if (!set.ok()) return skipped_->Inc();
  ShopEngineSet* s = *set;
  switch (record.type) {
    case RecordType::kEvent: {
      auto event = ingest::DecodeEvent(record.payload);
      if (!event.ok()) return skipped_->Inc();
      return OnEvent(s, *event);
    }
    case RecordType::kMerchandisingRules: {
      // Validated before it was appended; a record that no longer parses
      // (written by a newer version) is skipped.
      auto doc = ParseMerchandisingDoc(record.payload);
      if (!doc.ok() || !s->recommend->SetMerchandising(doc->recommend).ok()) {
        return skipped_->Inc();
      }
      s->search->SetMerchandisingRules(std::move(doc->search));
      absl::MutexLock lock(&s->config_mu);
      s->merchandising_json = doc->canonical_json;
      return;
    }
    case RecordType::kSearchSynonyms: {
      auto synonyms = search::SynonymSet::FromJson(record.payload);
      if (!synonyms.ok()) return skipped_->Inc();
      s->search->SetSynonyms(*std::move(synonyms));
      absl::MutexLock lock(&s->config_mu);
      s->synonyms_json = std::string(record.payload);
      return;
    }
    case RecordType::kSearchServed:
      if (!ApplySearchServed(s->search.get(), record.payload)) skipped_->Inc();
      return;
    default: return;
  }
}

}  // namespace storepilot::api

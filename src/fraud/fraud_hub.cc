#include "fraud/fraud_hub.h"

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"
#include "fraud/order_json.h"
#include "observe/log.h"

namespace storepilot::fraud {

using nlohmann::json;

store::AppendItem FraudOrderRecord(const std::string& order_id, const json& order) {
  store::AppendItem item;
  item.type = store::RecordType::kFraudOrder;
  item.payload = absl::StrCat(order_id, "\n", order.dump());
  return item;
}

store::AppendItem FraudOrderRecordFromText(const std::string& order_id,
                                           std::string_view order_json) {
  store::AppendItem item;
  item.type = store::RecordType::kFraudOrder;
  item.payload.reserve(order_id.size() + 1 + order_json.size());
  item.payload.append(order_id).append("\n").append(order_json);
  return item;
}

store::AppendItem FraudLabelRecord(const std::string& order_id, bool fraud,
                                   const std::string& source, int64_t time_ms) {
  store::AppendItem item;
  item.type = store::RecordType::kFraudLabel;
  item.payload =
      json{{"order_id", order_id}, {"fraud", fraud}, {"source", source}, {"time_ms", time_ms}}
          .dump();
  return item;
}

store::AppendItem FraudRulesRecord(std::string rules_text) {
  store::AppendItem item;
  item.type = store::RecordType::kFraudRules;
  item.payload = std::move(rules_text);
  return item;
}

struct FraudHub::Shop {
  std::string name;
  std::unique_ptr<FraudEngine> engine;
  observe::Counter* scored[3] = {nullptr, nullptr, nullptr};
  std::mutex retrain_mu;  // One retrain of a shop at a time.
  absl::Mutex mu;
  std::string rules_text ABSL_GUARDED_BY(mu);
  int64_t last_retrain_ms ABSL_GUARDED_BY(mu) = 0;
  int64_t retrains ABSL_GUARDED_BY(mu) = 0;
  observe::Gauge* model_info ABSL_GUARDED_BY(mu) = nullptr;
};

FraudHub::FraudHub(FraudHubOptions options, const Clock* clock,
                   observe::MetricsRegistry* metrics)
    : options_(std::move(options)), clock_(clock), metrics_(metrics) {
  if (metrics_ != nullptr) {
    bad_records_ = metrics_->GetCounter("storepilot_fraud_bad_records_total",
                                        "Fraud log records that could not be applied");
  }
}

absl::StatusOr<std::unique_ptr<FraudHub>> FraudHub::Create(FraudHubOptions options,
                                                           const Clock* clock,
                                                           observe::MetricsRegistry* metrics) {
  std::unique_ptr<FraudHub> hub(new FraudHub(std::move(options), clock, metrics));
  if (!hub->options_.default_model_path.empty()) {
    ASSIGN_OR_RETURN(std::unique_ptr<FraudModel> model,
                     FraudModel::Load(hub->options_.default_model_path));
    if (model->feature_names() != FeatureStore::FeatureNames()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "fraud model ", hub->options_.default_model_path,
          " was trained on another feature layout"));
    }
    hub->default_model_ = std::move(model);
  }
  return hub;
}

FraudHub::~FraudHub() { StopScheduler(); }

FraudHub::Shop* FraudHub::ShopFor(const std::string& shop) {
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = shops_.find(shop);
    if (it != shops_.end()) return it->second.get();
  }
  absl::MutexLock lock(&mu_);
  auto& slot = shops_[shop];
  if (slot) return slot.get();
  slot = std::make_unique<Shop>();
  Shop* s = slot.get();
  s->name = shop;
  s->engine = std::make_unique<FraudEngine>(options_.engine, clock_);
  {
    absl::MutexLock shop_lock(&s->mu);
    s->last_retrain_ms = clock_->NowMillis();
  }
  std::shared_ptr<const FraudModel> model = default_model_;
  if (!options_.model_dir.empty()) {
    const std::filesystem::path dir = std::filesystem::path(options_.model_dir) / shop;
    std::ifstream current(dir / "CURRENT");
    std::string version;
    if (current && std::getline(current, version) && !version.empty()) {
      auto loaded = FraudModel::Load((dir / (version + ".model")).string());
      if (loaded.ok()) {
        model = std::move(*loaded);
      } else {
        observe::LogWarn("cannot load the shop's fraud model; using the default",
                         {{"shop", shop}, {"error", loaded.status().ToString()}});
      }
    }
  }
  if (model != nullptr && !s->engine->SetModel(model).ok()) {
    model = default_model_;  // A persisted model of an older feature layout.
    if (model != nullptr) s->engine->SetModel(model).IgnoreError();
  }
  if (metrics_ != nullptr) {
    for (RiskLevel level : {RiskLevel::kLow, RiskLevel::kMedium, RiskLevel::kHigh}) {
      s->scored[static_cast<int>(level)] =
          metrics_->GetCounter("storepilot_fraud_scores_total", "Orders scored, by risk level",
                               {{"shop", shop}, {"level", RiskLevelName(level)}});
    }
    const FraudEngine* engine = s->engine.get();
    metrics_->AddCallbackGauge(
        "storepilot_fraud_precision",
        "Labelled scored orders: fraud among those flagged MEDIUM or HIGH",
        [engine] { return engine->Stats().Precision(); }, {{"shop", shop}});
    metrics_->AddCallbackGauge(
        "storepilot_fraud_recall", "Labelled scored orders: frauds flagged MEDIUM or HIGH",
        [engine] { return engine->Stats().Recall(); }, {{"shop", shop}});
    metrics_->AddCallbackGauge(
        "storepilot_fraud_labels", "Labels received",
        [engine] { return static_cast<double>(engine->Stats().labels); }, {{"shop", shop}});
    if (model != nullptr) SetModelVersionMetric(s, model->version());
  }
  return s;
}

FraudEngine* FraudHub::EngineFor(const std::string& shop) { return ShopFor(shop)->engine.get(); }

void FraudHub::SetModelVersionMetric(Shop* s, const std::string& version) {
  if (metrics_ == nullptr) return;
  observe::Gauge* g = metrics_->GetGauge("storepilot_fraud_model_info",
                                         "1 for the model version a shop scores with",
                                         {{"shop", s->name}, {"version", version}});
  absl::MutexLock lock(&s->mu);
  if (s->model_info != nullptr && s->model_info != g) s->model_info->Set(0);
  g->Set(1);
  s->model_info = g;
}

void FraudHub::CountAssessment(Shop* s, const RiskAssessment& a) {
  if (metrics_ == nullptr) return;
  s->scored[static_cast<int>(a.level)]->Inc();
  for (const std::string& rule : a.fired_rules) {
    metrics_
        ->GetCounter("storepilot_fraud_rule_hits_total", "Orders on which a rule fired",
                     {{"shop", s->name}, {"rule", rule}})
        ->Inc();
  }
}

void FraudHub::Apply(const store::LogRecord& record) {
  auto bad = [this] {
    if (bad_records_ != nullptr) bad_records_->Inc();
  };
  switch (record.type) {
    case store::RecordType::kFraudOrder: {
      const size_t newline = record.payload.find('\n');
      if (newline == std::string_view::npos) return bad();
      FraudEngine* engine = EngineFor(std::string(record.shop));
      if (engine->Knows(std::string(record.payload.substr(0, newline)))) return;
      json body = json::parse(record.payload.substr(newline + 1), nullptr, false);
      if (body.is_object() && (!body.contains("id") || body["id"].is_null())) {
        body["id"] = std::string(record.payload.substr(0, newline));
      }
      auto order = OrderFromJson(body);
      if (!order.ok()) return bad();
      engine->Observe(*order);
      return;
    }
    case store::RecordType::kFraudLabel: {
      json j = json::parse(record.payload, nullptr, false);
      if (!j.is_object() || !j.value("order_id", json()).is_string() ||
          !j.value("fraud", json()).is_boolean() ||
          !j.value("time_ms", json()).is_number_integer()) {
        return bad();
      }
      FraudEngine* engine = EngineFor(std::string(record.shop));
      if (!engine
               ->AddLabel(j["order_id"].get<std::string>(), j["fraud"].get<bool>(),
                          j["time_ms"].get<int64_t>())
               .ok()) {
        bad();
      }
      return;
    }
    case store::RecordType::kFraudRules: {
      Shop* s = ShopFor(std::string(record.shop));
      if (!s->engine->SetRules(record.payload).ok()) return bad();
      absl::MutexLock lock(&s->mu);
      s->rules_text = std::string(record.payload);
      return;
    }
    default:
      return;
  }
}

void FraudHub::AttachLog(store::EventLog* log) {
  observe::Counter* lost =
      metrics_ == nullptr
          ? nullptr
          : metrics_->GetCounter("storepilot_fraud_order_records_lost_total",
                                 "Scored orders whose log record could not be appended");
  auto buffer = std::make_unique<OrderRecordBuffer>(
      log, std::chrono::milliseconds(options_.order_record_delay_ms), lost);
  absl::MutexLock lock(&buffer_mu_);
  order_records_ = std::move(buffer);
}

void FraudHub::DetachLog() {
  std::unique_ptr<OrderRecordBuffer> buffer;
  {
    absl::MutexLock lock(&buffer_mu_);
    buffer = std::move(order_records_);
  }
  buffer.reset();  // Flushes.
}

void FraudHub::RecordOrder(const std::string& shop, store::AppendItem record) {
  absl::ReaderMutexLock lock(&buffer_mu_);
  if (order_records_ != nullptr) order_records_->Add(shop, std::move(record));
}

void FraudHub::FlushOrderRecords() {
  absl::ReaderMutexLock lock(&buffer_mu_);
  if (order_records_ != nullptr) order_records_->Flush();
}

absl::StatusOr<RiskAssessment> FraudHub::ScoreOrder(const std::string& shop,
                                                    const Order& order) {
  Shop* s = ShopFor(shop);
  absl::StatusOr<RiskAssessment> result = s->engine->Knows(order.order_id)
                                               ? s->engine->Score(order)
                                               : s->engine->ScoreAndObserve(order);
  if (result.ok()) {
    CountAssessment(s, *result);
    return result;
  }
  if (result.status().code() != absl::StatusCode::kFailedPrecondition) return result;
  s->engine->Observe(order);
  return absl::UnavailableError(
      "this shop has no fraud model yet (it trains once labelled orders have settled); "
      "the order was recorded");
}

absl::StatusOr<RiskAssessment> FraudHub::StoredAssessment(const std::string& shop,
                                                          const std::string& order_id) {
  FraudEngine* engine = EngineFor(shop);
  auto stored = engine->Assessment(order_id);
  if (stored.ok() || !engine->Knows(order_id)) return stored;
  return Rescore(shop, order_id);
}

absl::StatusOr<RiskAssessment> FraudHub::Rescore(const std::string& shop,
                                                 const std::string& order_id) {
  Shop* s = ShopFor(shop);
  auto result = s->engine->Rescore(order_id);
  if (result.ok()) {
    CountAssessment(s, *result);
  } else if (result.status().code() == absl::StatusCode::kFailedPrecondition) {
    return absl::UnavailableError("this shop has no fraud model yet");
  }
  return result;
}

bool FraudHub::KnowsOrder(const std::string& shop, const std::string& order_id) {
  return EngineFor(shop)->Knows(order_id);
}

std::string FraudHub::RulesText(const std::string& shop) {
  Shop* s = ShopFor(shop);
  absl::MutexLock lock(&s->mu);
  return s->rules_text;
}

absl::Status FraudHub::Persist(const std::string& shop, const FraudModel& model) {
  if (options_.model_dir.empty()) return absl::OkStatus();
  const std::filesystem::path dir = std::filesystem::path(options_.model_dir) / shop;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::UnavailableError(absl::StrCat("cannot create ", dir.string()));
  RETURN_IF_ERROR(model.Save((dir / (model.version() + ".model")).string()));
  const std::filesystem::path tmp = dir / "CURRENT.tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << model.version() << "\n";
    if (!out.flush()) return absl::UnavailableError("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, dir / "CURRENT", ec);
  if (ec) return absl::UnavailableError("cannot install " + (dir / "CURRENT").string());
  return absl::OkStatus();
}

absl::StatusOr<RetrainResult> FraudHub::Retrain(const std::string& shop) {
  Shop* s = ShopFor(shop);
  std::lock_guard<std::mutex> one_at_a_time(s->retrain_mu);
  const int64_t now = clock_->NowMillis();
  std::string version;
  {
    absl::MutexLock lock(&s->mu);
    s->last_retrain_ms = now;
    version = absl::StrCat(shop, "-", now, "-", ++s->retrains);
  }
  auto result = s->engine->Retrain(options_.train, version, options_.validation_fraction);
  const char* outcome = !result.ok() ? "failed" : result->swapped ? "swapped" : "kept";
  if (metrics_ != nullptr) {
    metrics_
        ->GetCounter("storepilot_fraud_retrains_total", "Scheduled or requested retrainings",
                     {{"shop", shop}, {"result", outcome}})
        ->Inc();
  }
  if (!result.ok() || !result->swapped) return result;
  std::shared_ptr<const FraudModel> model = s->engine->model();
  if (absl::Status saved = Persist(shop, *model); !saved.ok()) {
    observe::LogWarn("fraud model not persisted", {{"shop", shop}, {"error", saved.ToString()}});
  }
  SetModelVersionMetric(s, model->version());
  return result;
}

int FraudHub::RetrainDue() {
  if (options_.retrain_interval_ms <= 0) return 0;
  std::vector<Shop*> due;
  const int64_t now = clock_->NowMillis();
  {
    absl::ReaderMutexLock lock(&mu_);
    for (auto& [name, s] : shops_) {
      absl::MutexLock shop_lock(&s->mu);
      if (now - s->last_retrain_ms >= options_.retrain_interval_ms) due.push_back(s.get());
    }
  }
  for (Shop* s : due) {
    auto r = Retrain(s->name);
    observe::LogInfo("fraud retrain",
                     {{"shop", s->name},
                      {"result", r.ok() ? (r->swapped ? "swapped" : "kept")
                                        : std::string(r.status().message())}});
  }
  return static_cast<int>(due.size());
}

void FraudHub::StartScheduler() {
  if (options_.retrain_interval_ms <= 0) return;
  scheduler_.Start(std::chrono::milliseconds(options_.scheduler_tick_ms), [this] { RetrainDue(); },
                   TaskPriority::kBackground);
}

void FraudHub::StopScheduler() { scheduler_.Stop(); }

void FraudHub::OnOrder(std::string_view shop, const json& order) {
  auto parsed = OrderFromJson(order);
  if (!parsed.ok()) {
    if (bad_records_ != nullptr) bad_records_->Inc();
    return;
  }
  ScoreOrder(std::string(shop), *parsed).IgnoreError();
}

void FraudHub::ForgetShop(const std::string& shop) {
  Shop* s = ShopFor(shop);
  {
    absl::ReaderMutexLock lock(&buffer_mu_);
    if (order_records_ != nullptr) order_records_->Drop(shop);
  }
  std::lock_guard<std::mutex> no_retrain(s->retrain_mu);
  s->engine->ForgetAll();
  if (default_model_ != nullptr) s->engine->SetModel(default_model_).IgnoreError();
  {
    absl::MutexLock lock(&s->mu);
    s->rules_text.clear();
  }
  if (!options_.model_dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(std::filesystem::path(options_.model_dir) / shop, ec);
    if (ec) {
      observe::LogWarn("cannot remove a redacted shop's fraud models",
                       {{"shop", shop}, {"error", ec.message()}});
    }
  }
  if (default_model_ != nullptr) SetModelVersionMetric(s, default_model_->version());
}

}  // namespace storepilot::fraud

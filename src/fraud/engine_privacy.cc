// FraudEngine: forgetting and exporting a customer (customers/redact,
// customers/data_request) and a whole shop (shop/redact).
#include <algorithm>
#include <utility>

#include "fraud/engine.h"

namespace storepilot::fraud {
namespace {

// Whether an order's email names the hashed address: orders from the webhook
// path store "<keyed hash>@<domain>".
bool EmailMatches(const std::string& email, const std::string& email_hash) {
  if (email_hash.empty() || email.empty()) return false;
  return email == email_hash || email.substr(0, email.find('@')) == email_hash;
}

bool OrderOf(const Order& o, const std::string& customer_id, const std::string& email_hash,
             const std::vector<std::string>& order_ids) {
  return (!customer_id.empty() && o.customer_id == customer_id) ||
         EmailMatches(o.email, email_hash) ||
         std::find(order_ids.begin(), order_ids.end(), o.order_id) != order_ids.end();
}

}  // namespace

int FraudEngine::ForgetCustomer(const std::string& customer_id, const std::string& email_hash,
                                const std::vector<std::string>& order_ids) {
  absl::MutexLock lock(&store_mu_);
  std::vector<std::string> emails;  // as the windows key them
  int forgotten = 0;
  for (auto it = orders_.begin(); it != orders_.end();) {
    const Order& o = it->second.order;
    if (!OrderOf(o, customer_id, email_hash, order_ids)) {
      ++it;
      continue;
    }
    store_.Forget(o);
    if (!o.email.empty()) emails.push_back(o.email);
    store_.ForgetCustomerPairs(o.customer_id);
    orders_.erase(it++);
    ++forgotten;
  }
  if (forgotten > 0) {
    std::erase_if(order_fifo_, [&](const std::string& id) { return !orders_.contains(id); });
  }
  // Orders aged out of the remembered set still count in these windows.
  if (!customer_id.empty()) {
    store_.ForgetKeys(EntityKind::kCustomer,
                      [&](const std::string& key) { return key == customer_id; });
    store_.ForgetCustomerPairs(customer_id);
  }
  store_.ForgetKeys(EntityKind::kEmail, [&](const std::string& key) {
    return EmailMatches(key, email_hash) ||
           std::find(emails.begin(), emails.end(), key) != emails.end();
  });
  return forgotten;
}

nlohmann::json FraudEngine::ExportCustomer(const std::string& customer_id,
                                           const std::string& email_hash,
                                           const std::vector<std::string>& order_ids) const {
  absl::ReaderMutexLock lock(&store_mu_);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [id, r] : orders_) {
    if (!OrderOf(r.order, customer_id, email_hash, order_ids)) continue;
    nlohmann::json o = {{"order_id", id}, {"time_ms", r.order.time_ms},
                        {"amount", r.order.amount}};
    o["label"] = r.label.has_value() ? nlohmann::json(*r.label ? "fraud" : "genuine")
                                     : nlohmann::json(nullptr);
    if (r.assessment.has_value()) {
      const RiskAssessment& a = *r.assessment;
      nlohmann::json reasons = nlohmann::json::array();
      for (const Reason& reason : a.reasons) reasons.push_back(reason.message);
      o["risk"] = {{"score", a.score},
                   {"level", RiskLevelName(a.level)},
                   {"model_version", a.model_version},
                   {"reasons", std::move(reasons)}};
    }
    out.push_back(std::move(o));
  }
  std::sort(out.begin(), out.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    return std::make_pair(a["time_ms"].get<int64_t>(), a["order_id"].get<std::string>()) <
           std::make_pair(b["time_ms"].get<int64_t>(), b["order_id"].get<std::string>());
  });
  return out;
}

void FraudEngine::ForgetAll() {
  {
    absl::MutexLock lock(&store_mu_);
    store_ = FeatureStore(options_.features);
    orders_.clear();
    order_fifo_.clear();
  }
  {
    absl::MutexLock lock(&stats_mu_);
    stats_ = EngineStats();
  }
  absl::MutexLock lock(&snapshot_mu_);
  model_.reset();
  rules_ = std::make_shared<RuleSet>();
}

}  // namespace storepilot::fraud

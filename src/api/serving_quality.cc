#include "api/serving_quality.h"

#include "absl/strings/str_cat.h"

namespace storepilot::api {

void ServingQuality::Served(const std::string& request_id, const std::string& surface,
                            const std::string& placement, const std::string& model) {
  const std::string key = absl::StrCat(surface, "\x1f", placement, "\x1f", model);
  absl::MutexLock lock(&mu_);
  auto [it, fresh] = row_index_.try_emplace(key, static_cast<uint32_t>(rows_.size()));
  if (fresh) rows_.push_back({surface, placement, model});
  ++rows_[it->second].served;
  if (request_id.empty() || !requests_.try_emplace(request_id, it->second).second) return;
  order_.push_back(request_id);
  while (order_.size() > max_remembered_) {
    requests_.erase(order_.front());
    order_.pop_front();
  }
}

bool ServingQuality::Record(const std::string& request_id, Outcome outcome) {
  absl::MutexLock lock(&mu_);
  auto it = requests_.find(request_id);
  if (it == requests_.end()) return false;
  QualityRow& row = rows_[it->second];
  switch (outcome) {
    case Outcome::kImpression: ++row.impressions; break;
    case Outcome::kClick: ++row.clicks; break;
    case Outcome::kPurchase: ++row.purchases; break;
  }
  return true;
}

std::vector<QualityRow> ServingQuality::Rows(const std::string& surface) const {
  absl::MutexLock lock(&mu_);
  std::vector<QualityRow> out;
  for (const QualityRow& r : rows_) {
    if (surface.empty() || r.surface == surface) out.push_back(r);
  }
  return out;
}

}  // namespace storepilot::api

// RecommendEngine: forgetting and exporting a shopper (customers/redact,
// customers/data_request, shop/redact).
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "recommend/engine.h"

namespace storepilot::recommend {
namespace {

bool Named(const std::vector<std::string>& list, const std::string& v) {
  return !v.empty() && std::find(list.begin(), list.end(), v) != list.end();
}

}  // namespace

bool RecommendEngine::ForgetShopper(const std::string& user_id,
                                    const std::vector<std::string>& session_ids) {
  absl::MutexLock lock(&mu_);
  bool held = !user_id.empty() && users_.erase(user_id) > 0;
  const std::string user_key = absl::StrCat("u:", user_id);
  auto concerns = [&](const std::string& key, const SessionState& s) {
    if (!user_id.empty() && (key == user_key || Named(s.users, user_id))) return true;
    return key.starts_with("s:") && Named(session_ids, key.substr(2));
  };
  absl::flat_hash_set<std::string> forgotten;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (concerns(it->first, it->second)) {
      forgotten.insert(it->first);
      sessions_.erase(it++);
    } else {
      ++it;
    }
  }
  // The idle-session queue names sessions by key ("u:<user_id>" holds the id).
  std::erase_if(activity_, [&](const auto& entry) { return forgotten.contains(entry.second); });
  return held || !forgotten.empty();
}

RecommendEngine::ShopperState RecommendEngine::ExportShopper(
    const std::string& user_id, const std::vector<std::string>& session_ids) const {
  absl::ReaderMutexLock lock(&mu_);
  ShopperState out;
  auto names = [&](const auto& items, std::vector<std::string>* dst) {
    for (ItemIndex item : items) dst->push_back(vocab_.Name(item));
    std::sort(dst->begin(), dst->end());
  };
  if (auto u = users_.find(user_id); !user_id.empty() && u != users_.end()) {
    for (auto it = u->second.history.rbegin(); it != u->second.history.rend(); ++it) {
      out.recent_items.push_back(vocab_.Name(*it));
    }
    names(u->second.purchased, &out.purchased);
    names(u->second.cart, &out.cart);
  }
  const std::string user_key = absl::StrCat("u:", user_id);
  for (const auto& [key, s] : sessions_) {
    const bool mine = (!user_id.empty() && (key == user_key || Named(s.users, user_id))) ||
                      (key.starts_with("s:") && Named(session_ids, key.substr(2)));
    if (!mine) continue;
    // A session keyed by the user is listed without its key (it is their id).
    out.sessions.push_back(key.starts_with("s:") ? key.substr(2) : kSessionByUser);
  }
  std::sort(out.sessions.begin(), out.sessions.end());
  return out;
}

void RecommendEngine::ForgetAllShoppers() {
  absl::MutexLock lock(&mu_);
  users_.clear();
  sessions_.clear();
  activity_.clear();
  // Everything learnt from the shop's events goes with the shop.
  knn_ = SessionKnn(options_.knn);
  rules_ = SequentialRules(options_.rules);
  rules_.Finalize();
  viewed_ = CoVisitation(options_.covisit_half_life_ms);
  bought_ = CoVisitation(options_.covisit_half_life_ms);
  user_model_.reset();
  absl::MutexLock trending_lock(&trending_mu_);
  trending_ = ContextTrending(options_.trending_half_life_ms, options_.trending_refresh_ms);
}

}  // namespace storepilot::recommend

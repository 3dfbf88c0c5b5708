// RecommendEngine: state updates (catalog, rules, events) and model
// retraining. The request path is in engine_recommend.cc.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "recommend/engine.h"
#include "recommend/ranking_metrics.h"

namespace storepilot::recommend {
namespace {

// Interaction weights for trending: a purchase says more than a view.
constexpr double kViewWeight = 1.0, kCartWeight = 2.0, kPurchaseWeight = 3.0;

std::string SessionKey(const Event& e) {
  return e.session_id.empty() ? absl::StrCat("u:", e.user_id) : absl::StrCat("s:", e.session_id);
}

}  // namespace

RecommendEngine::RecommendEngine(const Clock* clock, EngineOptions options)
    : clock_(clock),
      options_(options),
      knn_(options.knn),
      rules_(options.rules),
      viewed_(options.covisit_half_life_ms),
      bought_(options.covisit_half_life_ms),
      trending_(options.trending_half_life_ms, options.trending_refresh_ms) {}

const Product* RecommendEngine::Lookup(ItemIndex item) const {
  if (item < 0 || item >= static_cast<ItemIndex>(products_.size())) return nullptr;
  return products_[item].has_value() ? &*products_[item] : nullptr;
}

absl::Status RecommendEngine::UpsertProduct(const Product& product) {
  if (product.id.empty()) return absl::InvalidArgumentError("product id is empty");
  absl::MutexLock lock(&mu_);
  const ItemIndex item = vocab_.Intern(product.id);
  if (item >= static_cast<ItemIndex>(products_.size())) products_.resize(item + 1);
  if (products_[item].has_value() && products_[item]->in_stock) --in_stock_count_;
  products_[item] = product;
  if (product.in_stock) ++in_stock_count_;
  const uint64_t generation = content_.generation();
  absl::Status status = content_.Upsert(item, product);
  // Price and stock updates, most of a catalog's traffic, keep the cached
  // content neighbours (recomputing them is an HNSW search per product).
  if (content_.generation() != generation) {
    absl::MutexLock cache_lock(&content_cache_mu_);
    content_cache_.clear();
  }
  return status;
}

void RecommendEngine::RemoveProduct(const std::string& product_id) {
  absl::MutexLock lock(&mu_);
  const ItemIndex item = vocab_.Find(product_id);
  if (item == kNoItem || item >= static_cast<ItemIndex>(products_.size()) ||
      !products_[item].has_value()) {
    return;
  }
  if (products_[item]->in_stock) --in_stock_count_;
  products_[item].reset();
}

std::vector<std::string> RecommendEngine::RecentProducts(const std::string& user_id,
                                                         const std::string& session_id,
                                                         int max) const {
  absl::ReaderMutexLock lock(&mu_);
  const std::vector<ItemIndex>* items = nullptr;
  if (!session_id.empty()) {
    auto it = sessions_.find(absl::StrCat("s:", session_id));
    if (it != sessions_.end()) items = &it->second.items;
  }
  if (items == nullptr && !user_id.empty()) {
    auto it = users_.find(user_id);
    if (it != users_.end()) items = &it->second.history;
  }
  std::vector<std::string> out;
  if (items == nullptr) return out;
  for (auto it = items->rbegin(); it != items->rend() && static_cast<int>(out.size()) < max;
       ++it) {
    out.push_back(vocab_.Name(*it));
  }
  return out;
}

absl::Status RecommendEngine::SetMerchandising(const MerchandisingRules& rules) {
  if (rules.max_per_brand < 0 || rules.max_per_category < 0) {
    return absl::InvalidArgumentError("diversity caps must be >= 0");
  }
  absl::MutexLock lock(&mu_);
  merchandising_ = rules;
  return absl::OkStatus();
}

absl::Status RecommendEngine::SetCalendar(const std::vector<CalendarEntry>& entries) {
  for (const CalendarEntry& e : entries) {
    if (e.end_ms < e.start_ms) {
      return absl::InvalidArgumentError(absl::StrCat("calendar entry '", e.name,
                                                     "' ends before it starts"));
    }
    if (e.boost <= -1.0) {
      return absl::InvalidArgumentError(absl::StrCat("calendar entry '", e.name,
                                                     "' has boost <= -1"));
    }
  }
  absl::MutexLock lock(&mu_);
  calendar_ = entries;
  return absl::OkStatus();
}

void RecommendEngine::LearnView(SessionState* s, ItemIndex item, int64_t time_ms) {
  const int n = static_cast<int>(s->items.size());
  for (int d = 1; d <= options_.covisit_window && d <= n; ++d) {
    viewed_.Add(s->items[n - d], item, 1.0 / d, time_ms);
  }
  if (n == 0 || s->items.back() != item) s->items.push_back(item);
  if (static_cast<int>(s->items.size()) > options_.max_history) {
    s->items.erase(s->items.begin());
  }
}

void RecommendEngine::LearnPurchase(SessionState* s, UserState* u, ItemIndex item,
                                    int64_t time_ms) {
  for (ItemIndex other : s->purchased) bought_.Add(other, item, 1.0, time_ms);
  for (ItemIndex other : s->cart) bought_.Add(other, item, 0.5, time_ms);
  s->purchased.insert(item);
  s->cart.erase(item);
  if (u != nullptr) {
    u->purchased.insert(item);
    u->cart.erase(item);
  }
}

void RecommendEngine::AddTrending(ItemIndex item, double weight, int64_t time_ms,
                                  const Context& context) {
  absl::MutexLock lock(&trending_mu_);
  trending_.Add(item, weight, time_ms, context);
}

absl::Status RecommendEngine::Observe(const Event& event) {
  if (event.product_id.empty()) return absl::InvalidArgumentError("event has no product_id");
  if (event.user_id.empty() && event.session_id.empty()) {
    return absl::InvalidArgumentError("event has neither user_id nor session_id");
  }
  absl::MutexLock lock(&mu_);
  const int64_t t = event.time_ms > 0 ? event.time_ms : clock_->NowMillis();
  const ItemIndex item = vocab_.Intern(event.product_id);
  if (item >= static_cast<ItemIndex>(products_.size())) products_.resize(item + 1);
  const std::string key = SessionKey(event);
  SessionState& s = sessions_[key];
  s.last_ms = std::max(s.last_ms, t);
  if (!event.user_id.empty() &&
      std::find(s.users.begin(), s.users.end(), event.user_id) == s.users.end()) {
    s.users.push_back(event.user_id);
  }
  activity_.emplace_back(s.last_ms, key);
  UserState* u = event.user_id.empty() ? nullptr : &users_[event.user_id];
  switch (event.type) {
    case EventType::kView:
      LearnView(&s, item, t);
      AddTrending(item, kViewWeight, t, event.context);
      break;
    case EventType::kAddToCart:
      LearnView(&s, item, t);
      s.cart.insert(item);
      if (u != nullptr) u->cart.insert(item);
      AddTrending(item, kCartWeight, t, event.context);
      break;
    case EventType::kRemoveFromCart:
      s.cart.erase(item);
      if (u != nullptr) u->cart.erase(item);
      break;
    case EventType::kPurchase:
      LearnPurchase(&s, u, item, t);
      AddTrending(item, kPurchaseWeight, t, event.context);
      break;
  }
  if (u != nullptr && event.type != EventType::kRemoveFromCart &&
      (u->history.empty() || u->history.back() != item)) {
    u->history.push_back(item);
    ++u->added;
    if (static_cast<int>(u->history.size()) > options_.max_history) {
      u->history.erase(u->history.begin());
    }
  }
  FlushIdleLocked(t);
  return absl::OkStatus();
}

void RecommendEngine::FlushIdleSessions() {
  absl::MutexLock lock(&mu_);
  FlushIdleLocked(clock_->NowMillis());
}

void RecommendEngine::FlushIdleLocked(int64_t now_ms) {
  bool added = false;
  while (!activity_.empty() && activity_.front().first + options_.session_timeout_ms < now_ms) {
    const std::string key = std::move(activity_.front().second);
    activity_.pop_front();
    auto it = sessions_.find(key);
    if (it == sessions_.end() || it->second.last_ms + options_.session_timeout_ms >= now_ms) {
      continue;  // gone already, or active again since
    }
    if (it->second.items.size() >= 2) {
      knn_.AddSession(it->second.items);
      rules_.AddSession(it->second.items);
      added = true;
    }
    sessions_.erase(it);
  }
  if (added) rules_.Finalize();
}

absl::StatusOr<RetrainReport> RecommendEngine::RetrainUserModel() {
  std::vector<std::vector<ItemIndex>> rows;
  std::vector<std::pair<std::string, int64_t>> added;  // user, items appended so far
  std::vector<bool> fresh_user;  // active since the serving model was trained
  int32_t num_items = 0;
  std::shared_ptr<const UserModel> serving;
  {
    absl::MutexLock lock(&mu_);
    serving = user_model_;
    for (const auto& [id, u] : users_) {
      if (u.history.empty()) continue;
      rows.push_back(u.history);
      added.emplace_back(id, u.added);
      fresh_user.push_back(!serving || u.added > u.model_seen);
    }
    num_items = vocab_.size();
  }
  // Held-out validation on recent events: the newest item of each fresh
  // user, which the candidate is trained without and the serving model never
  // saw (comparing on items it was trained on would favour it).
  std::vector<std::vector<ItemIndex>> cut = rows;
  std::vector<ItemIndex> targets(rows.size(), kNoItem);
  int64_t cases = 0;
  for (size_t r = 0; r < cut.size(); ++r) {
    if (cut[r].size() < 3 || !fresh_user[r]) continue;
    targets[r] = cut[r].back();
    cut[r].pop_back();
    ++cases;
  }
  const int64_t needed = serving ? std::max(2, options_.retrain_min_validation_users) : 2;
  if (cases < needed) {
    return absl::FailedPreconditionError(absl::StrCat(
        "need ", needed, " users with 3+ items and new activity to validate a retrain, have ",
        cases));
  }
  SequenceRecommender candidate(options_.user_model);
  candidate.Fit(cut, num_items);
  RankingMetrics cand_metrics({10}), serving_metrics({10});
  SequenceScratch scratch;
  for (size_t r = 0; r < cut.size(); ++r) {
    if (targets[r] == kNoItem) continue;
    cand_metrics.Add(candidate.Recommend(cut[r], 10, &scratch), targets[r]);
    if (serving) serving_metrics.Add(serving->model.Recommend(cut[r], 10, &scratch), targets[r]);
  }
  RetrainReport report;
  report.users = static_cast<int64_t>(rows.size());
  report.validation_users = cases;
  report.candidate_ndcg = cand_metrics.Summary()[0].ndcg;
  if (serving) report.serving_ndcg = serving_metrics.Summary()[0].ndcg;
  report.replaced = !serving || report.candidate_ndcg >= report.serving_ndcg;
  if (!report.replaced) return report;
  auto fresh = std::make_shared<UserModel>();
  fresh->model = SequenceRecommender(options_.user_model);
  fresh->model.Fit(rows, num_items);
  fresh->num_items = num_items;
  absl::MutexLock lock(&mu_);
  user_model_ = std::move(fresh);
  for (const auto& [id, count] : added) {
    auto it = users_.find(id);
    if (it != users_.end()) it->second.model_seen = count;
  }
  return report;
}

}  // namespace storepilot::recommend

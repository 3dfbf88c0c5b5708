#include "search/query_signals.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace storepilot::search {
namespace {

// Clicks a session can have pending conversion; older ones are dropped.
constexpr size_t kMaxPendingPerSession = 16;

}  // namespace

bool ServedSearch::clicked() const {
  return std::any_of(grades.begin(), grades.end(), [](uint8_t g) { return g > 0; });
}

QuerySignals::QuerySignals(QuerySignalsOptions options) : options_(options) {}

double QuerySignals::DecayFactor(int64_t from_ms, int64_t to_ms) const {
  if (to_ms <= from_ms || options_.half_life_ms <= 0) return 1.0;
  return std::exp2(-static_cast<double>(to_ms - from_ms) /
                   static_cast<double>(options_.half_life_ms));
}

QuerySignal* QuerySignals::Touch(const std::string& key, int64_t time_ms) {
  now_ms_ = std::max(now_ms_, time_ms);
  auto it = queries_.find(key);
  if (it == queries_.end()) {
    if (queries_.size() >= options_.max_queries && !lru_.empty()) {
      queries_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.push_front(key);
    it = queries_.emplace(key, QueryEntry{QuerySignal{}, lru_.begin()}).first;
    it->second.signal.last_ms = now_ms_;
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
  }
  QuerySignal& q = it->second.signal;
  // Counts are kept decayed to last_ms, so ratios between them need no
  // decay on read.
  const double decay = DecayFactor(q.last_ms, now_ms_);
  if (decay != 1.0) {
    q.searches *= decay;
    for (auto& [id, p] : q.products) {
      p.clicks *= decay;
      p.conversions *= decay;
    }
  }
  q.last_ms = std::max(q.last_ms, now_ms_);
  return &q;
}

void QuerySignals::Trim(QuerySignal* q) {
  while (q->products.size() > options_.max_products_per_query) {
    auto weakest = q->products.begin();
    for (auto it = q->products.begin(); it != q->products.end(); ++it) {
      const double w = it->second.clicks + 2 * it->second.conversions;
      const double weakest_w = weakest->second.clicks + 2 * weakest->second.conversions;
      if (w < weakest_w || (w == weakest_w && it->first < weakest->first)) weakest = it;
    }
    q->products.erase(weakest);
  }
}

ServedSearch* QuerySignals::FindRequest(const std::string& request_id) {
  auto it = request_seq_.find(request_id);
  if (it == request_seq_.end()) return nullptr;
  return &served_[it->second - served_base_];
}

void QuerySignals::Served(const std::string& request_id, std::string_view query,
                          const std::string& key, std::vector<std::string> products,
                          int64_t time_ms) {
  if (request_id.empty() || key.empty()) return;
  if (products.size() > options_.max_products_per_request) {
    products.resize(options_.max_products_per_request);
  }
  if (ServedSearch* known = FindRequest(request_id)) {
    if (known->products.empty() && !products.empty()) {
      known->grades.assign(products.size(), 0);
      known->products = std::move(products);
    }
    return;
  }
  Touch(key, time_ms)->searches += 1;
  ServedSearch s;
  s.request_id = request_id;
  s.query = std::string(query);
  s.key = key;
  s.time_ms = time_ms;
  s.grades.assign(products.size(), 0);
  s.products = std::move(products);
  served_.push_back(std::move(s));
  request_seq_[request_id] = served_base_ + served_.size() - 1;
  while (served_.size() > options_.max_requests) {
    request_seq_.erase(served_.front().request_id);
    served_.pop_front();
    ++served_base_;
  }
}

bool QuerySignals::Click(const std::string& request_id, const std::string& product_id,
                         const std::string& session_id, int64_t time_ms) {
  if (product_id.empty()) return false;
  ServedSearch* s = FindRequest(request_id);
  if (s == nullptr) return false;
  auto pos = std::find(s->products.begin(), s->products.end(), product_id);
  if (pos != s->products.end()) {
    uint8_t& grade = s->grades[pos - s->products.begin()];
    grade = std::max<uint8_t>(grade, 1);
  }
  const std::string key = s->key;  // Touch may not move served_, but be safe.
  QuerySignal* q = Touch(key, time_ms);
  q->products[product_id].clicks += 1;
  Trim(q);
  ++clicks_;
  if (session_id.empty()) return true;
  auto [it, fresh] = sessions_.try_emplace(session_id);
  if (fresh) {
    session_order_.push_back(session_id);
    while (sessions_.size() > options_.max_sessions) {
      sessions_.erase(session_order_.front());
      session_order_.pop_front();
    }
    it = sessions_.find(session_id);
    if (it == sessions_.end()) return true;  // max_sessions of 0.
  }
  std::vector<PendingClick>& pending = it->second;
  pending.push_back({request_id, key, product_id, time_ms, false});
  if (pending.size() > kMaxPendingPerSession) pending.erase(pending.begin());
  return true;
}

void QuerySignals::ForgetSessions(const std::vector<std::string>& session_ids) {
  for (const std::string& id : session_ids) {
    if (sessions_.erase(id) == 0) continue;
    session_order_.erase(std::remove(session_order_.begin(), session_order_.end(), id),
                         session_order_.end());
  }
}

bool QuerySignals::Conversion(const std::string& session_id, const std::string& product_id,
                              int64_t time_ms) {
  auto it = sessions_.find(session_id);
  if (session_id.empty() || it == sessions_.end()) return false;
  for (auto p = it->second.rbegin(); p != it->second.rend(); ++p) {
    if (p->converted || p->product_id != product_id) continue;
    if (time_ms < p->time_ms || time_ms - p->time_ms > options_.attribution_window_ms) {
      continue;
    }
    p->converted = true;
    QuerySignal* q = Touch(p->key, time_ms);
    q->products[product_id].conversions += 1;
    Trim(q);
    ++conversions_;
    if (ServedSearch* s = FindRequest(p->request_id)) {
      auto pos = std::find(s->products.begin(), s->products.end(), product_id);
      if (pos != s->products.end()) s->grades[pos - s->products.begin()] = 2;
    }
    return true;
  }
  return false;
}

const QuerySignal* QuerySignals::Find(std::string_view key, double* decay) const {
  auto it = queries_.find(absl::string_view(key.data(), key.size()));
  if (it == queries_.end()) return nullptr;
  *decay = DecayFactor(it->second.signal.last_ms, now_ms_);
  return &it->second.signal;
}

std::vector<ServedSearch> QuerySignals::LabelledSearches() const {
  std::vector<ServedSearch> out;
  for (const ServedSearch& s : served_) {
    if (s.clicked()) out.push_back(s);
  }
  return out;
}

QuerySignalsStats QuerySignals::Stats() const {
  QuerySignalsStats stats;
  stats.queries = queries_.size();
  stats.requests = served_.size();
  for (const ServedSearch& s : served_) stats.labelled_requests += s.clicked() ? 1 : 0;
  stats.clicks = clicks_;
  stats.conversions = conversions_;
  return stats;
}

}  // namespace storepilot::search

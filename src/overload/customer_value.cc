#include "overload/customer_value.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace storepilot::overload {
namespace {

std::string SessionKey(std::string_view shop, std::string_view session) {
  std::string key;
  key.reserve(shop.size() + 1 + session.size());
  key.append(shop).push_back('\n');
  key.append(session);
  return key;
}

// The 20/40/60/80% quantiles of `values` (which it reorders).
std::array<double, 4> QuintileCuts(std::vector<double>& values) {
  std::array<double, 4> cuts{};
  if (values.empty()) return cuts;
  for (int i = 0; i < 4; ++i) {
    size_t k = std::min(values.size() - 1, values.size() * (i + 1) / 5);
    std::nth_element(values.begin(), values.begin() + k, values.end());
    cuts[i] = values[k];
  }
  std::sort(cuts.begin(), cuts.end());
  return cuts;
}

// 1 + the number of cut points strictly below `v`: 1..5.
int Quintile(const std::array<double, 4>& cuts, double v) {
  int q = 1;
  for (double c : cuts) q += c < v ? 1 : 0;
  return q;
}

}  // namespace

CustomerValueModel::CustomerValueModel(CustomerValueOptions options) : options_(options) {}

void CustomerValueModel::ObservePurchase(std::string_view shop_name, std::string_view customer,
                                         int64_t ts_ms, double amount) {
  if (customer.empty()) return;
  absl::MutexLock lock(&mu_);
  Shop& shop = shops_[std::string(shop_name)];
  auto [it, inserted] = shop.customers.try_emplace(std::string(customer));
  if (inserted) ++total_customers_;
  Customer& c = it->second;
  ++c.orders;
  c.monetary += std::max(0.0, amount);
  c.last_ms = std::max(c.last_ms, ts_ms);
  const uint32_t every =
      std::max<uint32_t>(options_.refit_every, static_cast<uint32_t>(shop.customers.size() / 10));
  if (!shop.cuts.fitted || ++shop.since_refit >= every ||
      total_customers_ > options_.max_customers) {
    RefitLocked(shop);
  }
}

void CustomerValueModel::RefitLocked(Shop& shop) {
  std::vector<double> orders, monetary, last;
  orders.reserve(shop.customers.size());
  monetary.reserve(shop.customers.size());
  last.reserve(shop.customers.size());
  for (const auto& [id, c] : shop.customers) {
    orders.push_back(c.orders);
    monetary.push_back(c.monetary);
    last.push_back(static_cast<double>(c.last_ms));
  }
  shop.cuts.orders = QuintileCuts(orders);
  shop.cuts.monetary = QuintileCuts(monetary);
  shop.cuts.last_ms = QuintileCuts(last);
  shop.cuts.fitted = true;
  shop.since_refit = 0;
  if (total_customers_ <= options_.max_customers) return;
  // Full: forget this shop's customers whose last purchase is in the oldest
  // quintile (they would score R = 1 anyway).
  const double oldest_cut = shop.cuts.last_ms[0];
  for (auto it = shop.customers.begin(); it != shop.customers.end();) {
    if (static_cast<double>(it->second.last_ms) <= oldest_cut && shop.customers.size() > 1) {
      it = shop.customers.erase(it);
      --total_customers_;
    } else {
      ++it;
    }
  }
}

CustomerValue CustomerValueModel::ValueLocked(const Shop& shop,
                                              std::string_view customer) const {
  CustomerValue v;
  auto it = shop.customers.find(std::string(customer));
  if (it == shop.customers.end()) return v;
  const Customer& c = it->second;
  v.known = true;
  v.orders = c.orders;
  v.monetary = c.monetary;
  v.last_purchase_ms = c.last_ms;
  v.recency = Quintile(shop.cuts.last_ms, static_cast<double>(c.last_ms));
  v.frequency = Quintile(shop.cuts.orders, c.orders);
  v.monetary_score = Quintile(shop.cuts.monetary, c.monetary);
  v.score = (v.recency + v.frequency + v.monetary_score - 3) / 12.0;
  return v;
}

CustomerValue CustomerValueModel::Value(std::string_view shop, std::string_view customer) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = shops_.find(std::string(shop));
  return it == shops_.end() ? CustomerValue{} : ValueLocked(it->second, customer);
}

SessionSignals* CustomerValueModel::MutableSessionLocked(std::string_view shop,
                                                         std::string_view session) {
  std::string key = SessionKey(shop, session);
  auto it = sessions_.find(key);
  if (it != sessions_.end()) return &it->second;
  if (sessions_.size() >= std::max<size_t>(1, options_.max_sessions / 2)) {
    old_sessions_ = std::move(sessions_);
    sessions_.clear();
  }
  SessionSignals start;
  if (auto old = old_sessions_.find(key); old != old_sessions_.end()) {
    start = old->second;
    old_sessions_.erase(old);
  }
  return &sessions_.emplace(std::move(key), start).first->second;
}

void CustomerValueModel::ObserveCart(std::string_view shop, std::string_view session,
                                     int64_t delta) {
  if (session.empty()) return;
  absl::MutexLock lock(&mu_);
  SessionSignals* s = MutableSessionLocked(shop, session);
  s->cart_items = std::max<int64_t>(0, s->cart_items + delta);
}

void CustomerValueModel::ObserveCheckout(std::string_view shop, std::string_view session) {
  if (session.empty()) return;
  absl::MutexLock lock(&mu_);
  MutableSessionLocked(shop, session)->checkout_started = true;
}

void CustomerValueModel::ObserveOrderPlaced(std::string_view shop, std::string_view session) {
  if (session.empty()) return;
  absl::MutexLock lock(&mu_);
  *MutableSessionLocked(shop, session) = SessionSignals{};
}

SessionSignals CustomerValueModel::SessionLocked(std::string_view shop,
                                                 std::string_view session) const {
  std::string key = SessionKey(shop, session);
  if (auto it = sessions_.find(key); it != sessions_.end()) return it->second;
  if (auto it = old_sessions_.find(key); it != old_sessions_.end()) return it->second;
  return {};
}

SessionSignals CustomerValueModel::Session(std::string_view shop,
                                           std::string_view session) const {
  if (session.empty()) return {};
  absl::ReaderMutexLock lock(&mu_);
  return SessionLocked(shop, session);
}

int CustomerValueModel::UserPriority(const Identity& who) const {
  int priority = 0;
  absl::ReaderMutexLock lock(&mu_);
  if (!who.customer_id.empty()) {
    priority = 2;
    auto it = shops_.find(who.shop);
    if (it != shops_.end()) {
      CustomerValue v = ValueLocked(it->second, who.customer_id);
      if (v.known) priority = 3 + static_cast<int>(std::lround(4 * v.score));
    }
  }
  if (!who.session_id.empty()) {
    SessionSignals s = SessionLocked(who.shop, who.session_id);
    int session_priority = s.checkout_started ? 4
                           : s.cart_items >= 3 ? 2
                           : s.cart_items > 0  ? 1
                                               : 0;
    priority = std::max(priority, session_priority);
  }
  return std::min(priority, kMaxUserPriority);
}

bool CustomerValueModel::Forget(std::string_view shop, std::string_view customer,
                                const std::vector<std::string>& sessions) {
  absl::MutexLock lock(&mu_);
  bool held = false;
  if (auto it = shops_.find(std::string(shop)); it != shops_.end() && !customer.empty()) {
    if (it->second.customers.erase(std::string(customer)) > 0) {
      --total_customers_;
      held = true;
    }
  }
  for (const std::string& session : sessions) {
    const std::string key = SessionKey(shop, session);
    held |= sessions_.erase(key) > 0;
    held |= old_sessions_.erase(key) > 0;
  }
  return held;
}

void CustomerValueModel::ForgetShop(std::string_view shop) {
  absl::MutexLock lock(&mu_);
  if (auto it = shops_.find(std::string(shop)); it != shops_.end()) {
    total_customers_ -= it->second.customers.size();
    shops_.erase(it);
  }
  const std::string prefix = SessionKey(shop, "");
  for (auto* map : {&sessions_, &old_sessions_}) {
    std::erase_if(*map, [&](const auto& entry) { return entry.first.starts_with(prefix); });
  }
}

size_t CustomerValueModel::customers() const {
  absl::ReaderMutexLock lock(&mu_);
  return total_customers_;
}

size_t CustomerValueModel::sessions() const {
  absl::ReaderMutexLock lock(&mu_);
  return sessions_.size() + old_sessions_.size();
}

}  // namespace storepilot::overload

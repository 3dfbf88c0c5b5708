#include "fraud/feature_store.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "fraud/internal/window_features.h"

namespace storepilot::fraud {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr const char* kEntityNames[kNumEntityKinds] = {
    "customer", "card", "email", "ip", "ip_prefix", "device", "address", "terminal"};
constexpr const char* kGlobalNames[] = {
    "amount",           "hour_of_day",       "day_of_week",
    "is_weekend",       "is_night",          "billing_shipping_mismatch",
    "ip_shipping_mismatch", "ip_shipping_km", "payment_attempts",
    "discount_ratio",   "customer_new_device", "customer_new_ip",
    "customer_new_address", "customer_new_terminal"};
constexpr int kNumGlobal = sizeof(kGlobalNames) / sizeof(kGlobalNames[0]);
// After the per-entity features: the terminal's known frauds whose card had no
// other known fraud (a common point of purchase, e.g. a skimmed terminal, as
// opposed to a stolen card used there among other places), in the 7 and 30
// days of known labels.
constexpr const char* kMerchantNames[] = {"terminal_cpp_frauds_7d",
                                          "terminal_cpp_frauds_30d"};
constexpr int kNumMerchant = sizeof(kMerchantNames) / sizeof(kMerchantNames[0]);
// First-seen pairs: which order field is paired with the customer.
enum PairSlot { kPairDevice = 0, kPairIp, kPairAddress, kPairTerminal };

// FNV-1a: a stable 32-bit fingerprint of an order id.
uint32_t OrderHash(const std::string& id) {
  uint32_t h = 2166136261u;
  for (unsigned char c : id) h = (h ^ c) * 16777619u;
  return h;
}

// The payer of an order: its card when known, else its customer; 0 when
// neither is (a real payer hashing to 0 is taken as 1).
uint32_t PayerKeyHash(const std::string& key) {
  if (key.empty()) return 0;
  const uint32_t h = OrderHash(key);
  return h == 0 ? 1 : h;
}
uint32_t PayerHash(const Order& order) {
  return PayerKeyHash(order.card_fingerprint.empty() ? order.customer_id
                                                     : order.card_fingerprint);
}

// "a.b.c.d" -> "a.b.c"; empty when `ip` is not dotted IPv4.
std::string Ipv4Prefix(const std::string& ip) {
  size_t dot = ip.rfind('.');
  if (dot == std::string::npos || std::count(ip.begin(), ip.end(), '.') != 3) return "";
  return ip.substr(0, dot);
}

double HaversineKm(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kRad = M_PI / 180.0;
  const double dlat = (lat2 - lat1) * kRad, dlon = (lon2 - lon1) * kRad;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * kRad) * std::cos(lat2 * kRad) *
                       std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * 6371.0 * std::asin(std::min(1.0, std::sqrt(a)));
}

float Mismatch(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return kNaN;
  return a == b ? 0.0f : 1.0f;
}

std::string PairKey(const std::string& customer, int slot, const std::string& value) {
  return absl::StrCat(customer, "\x1f", slot, "\x1f", value);
}

}  // namespace

FeatureStore::FeatureStore(FeatureStoreOptions options) : options_(options) {
  options_.max_events_per_key = std::max<size_t>(options_.max_events_per_key, 1);
}

const std::vector<std::string>& FeatureStore::FeatureNames() {
  static const std::vector<std::string>* const kNames = [] {
    auto* names = new std::vector<std::string>(std::begin(kGlobalNames),
                                               std::end(kGlobalNames));
    for (const char* entity : kEntityNames) {
      for (const std::string& suffix : internal::WindowFeatureSuffixes()) {
        names->push_back(absl::StrCat(entity, "_", suffix));
      }
    }
    names->insert(names->end(), std::begin(kMerchantNames), std::end(kMerchantNames));
    return names;
  }();
  return *kNames;
}

std::string FeatureStore::SchemaVersion() {
  return absl::StrCat("fs1-", NumFeatures());
}

int64_t FeatureStore::RetentionMs() const {
  return 30 * kMillisPerDay + options_.label_delay_ms + kMillisPerDay;
}

std::array<std::string, kNumEntityKinds> FeatureStore::Keys(const Order& order) const {
  std::array<std::string, kNumEntityKinds> keys;
  keys[static_cast<int>(EntityKind::kCustomer)] = order.customer_id;
  keys[static_cast<int>(EntityKind::kCard)] = order.card_fingerprint;
  keys[static_cast<int>(EntityKind::kEmail)] = order.email;
  keys[static_cast<int>(EntityKind::kIp)] = order.ip;
  keys[static_cast<int>(EntityKind::kIpPrefix)] = Ipv4Prefix(order.ip);
  keys[static_cast<int>(EntityKind::kDevice)] = order.device_id;
  keys[static_cast<int>(EntityKind::kAddress)] = order.shipping_address;
  keys[static_cast<int>(EntityKind::kTerminal)] = order.terminal_id;
  return keys;
}

std::vector<float> FeatureStore::Compute(const Order& order) const {
  std::vector<float> out(NumFeatures());
  Compute(order, out.data());
  return out;
}

void FeatureStore::Compute(const Order& order, float* out) const {
  const int64_t t = order.time_ms;
  const int64_t day = t >= 0 ? t / kMillisPerDay : (t - kMillisPerDay + 1) / kMillisPerDay;
  const int hour = static_cast<int>((t - day * kMillisPerDay) / kMillisPerHour);
  const int weekday = static_cast<int>(((day + 3) % 7 + 7) % 7);  // 1970-01-01: Thursday.
  out[0] = static_cast<float>(order.amount);
  out[1] = hour;
  out[2] = weekday;
  out[3] = weekday >= 5;
  out[4] = hour < 6;
  out[5] = Mismatch(order.billing_country, order.shipping_country);
  out[6] = Mismatch(order.ip_country, order.shipping_country);
  out[7] = std::isnan(order.ip_lat) || std::isnan(order.shipping_lat)
               ? kNaN
               : static_cast<float>(HaversineKm(order.ip_lat, order.ip_lon,
                                                order.shipping_lat, order.shipping_lon));
  out[8] = order.payment_attempts < 0 ? kNaN : order.payment_attempts;
  out[9] = std::isnan(order.discount_amount) || order.amount + order.discount_amount <= 0
               ? kNaN
               : static_cast<float>(order.discount_amount /
                                    (order.amount + order.discount_amount));
  const std::string* pair_values[4] = {&order.device_id, &order.ip,
                                       &order.shipping_address, &order.terminal_id};
  for (int slot = 0; slot < 4; ++slot) {
    float& f = out[10 + slot];
    f = kNaN;
    if (order.customer_id.empty() || pair_values[slot]->empty()) continue;
    auto it = pairs_last_seen_.find(PairKey(order.customer_id, slot, *pair_values[slot]));
    f = it == pairs_last_seen_.end() || it->second > t ? 1.0f : 0.0f;
  }

  const auto keys = Keys(order);
  const size_t per_entity = internal::WindowFeatureSuffixes().size();
  const EntityHistory kEmpty;
  for (int k = 0; k < kNumEntityKinds; ++k) {
    float* dst = out + kNumGlobal + k * per_entity;
    const EntityHistory* history = nullptr;
    if (!keys[k].empty()) {
      auto it = histories_[k].find(keys[k]);
      history = it == histories_[k].end() ? &kEmpty : &it->second;
    }
    internal::ComputeWindowFeatures(history, order.amount, t, options_.label_delay_ms,
                                    dst);
  }
  const std::string& terminal = keys[static_cast<int>(EntityKind::kTerminal)];
  const EntityHistory* terminal_history = nullptr;
  if (!terminal.empty()) {
    const HistoryMap& map = histories_[static_cast<int>(EntityKind::kTerminal)];
    auto it = map.find(terminal);
    terminal_history = it == map.end() ? &kEmpty : &it->second;
  }
  ComputeMerchantFeatures(terminal_history, t,
                          out + kNumGlobal + kNumEntityKinds * per_entity);
}

void FeatureStore::ComputeMerchantFeatures(const EntityHistory* terminal, int64_t now_ms,
                                           float* out) const {
  if (terminal == nullptr) {
    std::fill(out, out + kNumMerchant, kNaN);
    return;
  }
  // Same known window as the risk features: orders at least `delay` old.
  const int64_t risk_end = now_ms - options_.label_delay_ms;
  float cpp_7d = 0, cpp_30d = 0;
  for (const HistoryEvent& e : terminal->events()) {
    if (e.time_ms > risk_end || risk_end - e.time_ms >= 30 * kMillisPerDay) continue;
    if (e.label != Label::kFraud || e.label_usable_ms > now_ms || e.payer_hash == 0) {
      continue;
    }
    bool elsewhere = false;
    if (auto it = payer_frauds_.find(e.payer_hash); it != payer_frauds_.end()) {
      for (const FraudMark& m : it->second) {
        if (m.order_hash != e.order_hash && m.usable_ms <= now_ms) {
          elsewhere = true;
          break;
        }
      }
    }
    if (elsewhere) continue;
    cpp_30d += 1;
    if (risk_end - e.time_ms < 7 * kMillisPerDay) cpp_7d += 1;
  }
  out[0] = cpp_7d;
  out[1] = cpp_30d;
}

void FeatureStore::MarkPayerFraud(const Order& order, bool fraud, int64_t usable_ms) {
  const uint32_t payer = PayerHash(order);
  if (payer == 0) return;
  const uint32_t hash = OrderHash(order.order_id);
  auto it = payer_frauds_.find(payer);
  if (it != payer_frauds_.end()) {
    std::erase_if(it->second, [&](const FraudMark& m) {
      return m.order_hash == hash && m.time_ms == order.time_ms;
    });
    if (!fraud && it->second.empty()) payer_frauds_.erase(it);
  }
  if (!fraud) return;
  std::vector<FraudMark>& marks = payer_frauds_[payer];
  // Bounded like a history: a payer's oldest marks go first.
  if (marks.size() >= options_.max_events_per_key) marks.erase(marks.begin());
  marks.push_back({order.time_ms, usable_ms, hash});
}

void FeatureStore::Observe(const Order& order, std::optional<bool> label,
                           std::optional<int64_t> label_time_ms) {
  const int64_t t = order.time_ms;
  HistoryEvent event;
  event.time_ms = t;
  event.amount = static_cast<float>(order.amount);
  event.order_hash = OrderHash(order.order_id);
  event.payer_hash = PayerHash(order);
  if (label.has_value()) {
    event.label = *label ? Label::kFraud : Label::kGenuine;
    event.label_usable_ms =
        std::max(label_time_ms.value_or(t), t + options_.label_delay_ms);
    if (*label) MarkPayerFraud(order, true, event.label_usable_ms);
  }
  const int64_t oldest = t - RetentionMs();
  const auto keys = Keys(order);
  event.amount_ratio = NAN;
  for (EntityKind owner : {EntityKind::kCustomer, EntityKind::kCard}) {
    const std::string& key = keys[static_cast<int>(owner)];
    if (key.empty()) continue;
    auto it = histories_[static_cast<int>(owner)].find(key);
    if (it == histories_[static_cast<int>(owner)].end()) break;
    const float median = it->second.MedianAmount(t);
    if (median > 0) event.amount_ratio = static_cast<float>(order.amount / median);
    break;
  }
  for (int k = 0; k < kNumEntityKinds; ++k) {
    if (keys[k].empty()) continue;
    EntityHistory& history = histories_[k][keys[k]];
    history.PruneBefore(oldest);
    history.Add(event, options_.max_events_per_key);
  }
  const std::string* pair_values[4] = {&order.device_id, &order.ip,
                                       &order.shipping_address, &order.terminal_id};
  for (int slot = 0; slot < 4; ++slot) {
    if (order.customer_id.empty() || pair_values[slot]->empty()) continue;
    int64_t& seen = pairs_last_seen_[PairKey(order.customer_id, slot, *pair_values[slot])];
    seen = std::max(seen, t);
  }
  if (t - last_sweep_ms_ >= kMillisPerDay) Sweep(t);
}

int FeatureStore::AddLabel(const Order& order, bool fraud, int64_t label_time_ms) {
  const int64_t usable = std::max(label_time_ms, order.time_ms + options_.label_delay_ms);
  const uint32_t hash = OrderHash(order.order_id);
  const auto keys = Keys(order);
  int updated = 0;
  for (int k = 0; k < kNumEntityKinds; ++k) {
    if (keys[k].empty()) continue;
    auto it = histories_[k].find(keys[k]);
    if (it == histories_[k].end()) continue;
    updated += it->second.SetLabel(hash, order.time_ms,
                                   fraud ? Label::kFraud : Label::kGenuine, usable);
  }
  if (updated > 0) MarkPayerFraud(order, fraud, usable);
  return updated;
}

void FeatureStore::Forget(const Order& order) {
  const uint32_t hash = OrderHash(order.order_id);
  const auto keys = Keys(order);
  MarkPayerFraud(order, false, 0);
  if (const std::string& terminal = keys[static_cast<int>(EntityKind::kTerminal)];
      !terminal.empty()) {
    auto it = histories_[static_cast<int>(EntityKind::kTerminal)].find(terminal);
    if (it != histories_[static_cast<int>(EntityKind::kTerminal)].end()) {
      it->second.ClearPayer(hash, order.time_ms);
    }
  }
  for (int k = 0; k < kNumEntityKinds; ++k) {
    if (keys[k].empty() || k == static_cast<int>(EntityKind::kTerminal)) continue;
    auto it = histories_[k].find(keys[k]);
    if (it == histories_[k].end()) continue;
    it->second.Remove(hash, order.time_ms);
    if (it->second.empty()) histories_[k].erase(it);
  }
}

void FeatureStore::ForgetKeys(EntityKind kind,
                              const std::function<bool(const std::string&)>& matches) {
  const bool payer = kind == EntityKind::kCustomer || kind == EntityKind::kCard;
  absl::erase_if(histories_[static_cast<int>(kind)], [&](const auto& entry) {
    if (!matches(entry.first)) return false;
    // The payer's fraud marks go with it. (Its orders' payer fingerprints
    // in terminal histories stay, unlinkable without these marks.)
    if (payer) payer_frauds_.erase(PayerKeyHash(entry.first));
    return true;
  });
}

void FeatureStore::ForgetCustomerPairs(const std::string& customer_id) {
  if (customer_id.empty()) return;
  const std::string prefix = absl::StrCat(customer_id, "\x1f");
  absl::erase_if(pairs_last_seen_,
                 [&](const auto& entry) { return entry.first.starts_with(prefix); });
}

void FeatureStore::Sweep(int64_t now_ms) {
  last_sweep_ms_ = now_ms;
  const int64_t oldest = now_ms - RetentionMs();
  for (HistoryMap& map : histories_) {
    for (auto it = map.begin(); it != map.end();) {
      it->second.PruneBefore(oldest);
      if (it->second.empty()) {
        map.erase(it++);
      } else {
        ++it;
      }
    }
  }
  absl::erase_if(pairs_last_seen_,
                 [&](const auto& entry) { return entry.second < oldest; });
  absl::erase_if(payer_frauds_, [&](auto& entry) {
    std::erase_if(entry.second, [&](const FraudMark& m) { return m.time_ms < oldest; });
    return entry.second.empty();
  });
}

FeatureStore::MemoryStats FeatureStore::Memory() const {
  MemoryStats stats;
  for (const HistoryMap& map : histories_) {
    stats.tracked_keys += map.size();
    stats.bytes += map.capacity() * (sizeof(HistoryMap::value_type) + 1);
    for (const auto& [key, history] : map) {
      stats.bytes += history.ApproxBytes() - sizeof(EntityHistory);
      if (key.capacity() > 15) stats.bytes += key.capacity() + 1;
    }
  }
  stats.bytes +=
      payer_frauds_.capacity() * (sizeof(decltype(payer_frauds_)::value_type) + 1);
  for (const auto& [payer, marks] : payer_frauds_) {
    stats.bytes += marks.capacity() * sizeof(FraudMark);
  }
  stats.tracked_keys += pairs_last_seen_.size();
  stats.bytes += pairs_last_seen_.capacity() *
                 (sizeof(decltype(pairs_last_seen_)::value_type) + 1);
  return stats;
}

}  // namespace storepilot::fraud

#include "ingest/shop_stats.h"

#include "ingest/event.h"

namespace storepilot::ingest {
namespace {

uint64_t Hash(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

}  // namespace

void ShopStats::Apply(const store::LogRecord& record) {
  if (record.type != store::RecordType::kEvent) return;
  auto event = DecodeEvent(record.payload);
  if (!event.ok()) return;
  ApplyEvent(record, *event);
}

void ShopStats::ApplyEvent(const store::LogRecord& record, const Event& event) {
  std::lock_guard<std::mutex> lock(mu_);
  PerShop& s = shops_[std::string(record.shop)];
  ++s.events;
  if (!event.session_id.empty()) s.sessions.insert(Hash(event.session_id));
  if (!event.user_id.empty()) s.users.insert(Hash(event.user_id));
}

uint64_t ShopStats::Sessions(const std::string& shop) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = shops_.find(shop);
  return it == shops_.end() ? 0 : it->second.sessions.size();
}

uint64_t ShopStats::Users(const std::string& shop) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = shops_.find(shop);
  return it == shops_.end() ? 0 : it->second.users.size();
}

uint64_t ShopStats::Events(const std::string& shop) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = shops_.find(shop);
  return it == shops_.end() ? 0 : it->second.events;
}

void ShopStats::Forget(const std::string& shop, const std::string& user_id,
                       const std::vector<std::string>& session_ids) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = shops_.find(shop);
  if (it == shops_.end()) return;
  if (!user_id.empty()) it->second.users.erase(Hash(user_id));
  for (const std::string& session : session_ids) it->second.sessions.erase(Hash(session));
}

void ShopStats::ForgetShop(const std::string& shop) {
  std::lock_guard<std::mutex> lock(mu_);
  shops_.erase(shop);
}

}  // namespace storepilot::ingest

#include "catalog/catalog.h"

#include <mutex>

namespace storepilot::catalog {

void Catalog::Apply(const store::LogRecord& record) {
  const std::string shop(record.shop);
  if (record.type == store::RecordType::kProductDelete) {
    const std::string id(record.payload);
    {
      std::unique_lock lock(mu_);
      auto it = shops_.find(shop);
      if (it == shops_.end() || it->second.erase(id) == 0) return;
    }
    for (const Listener& l : listeners_) l(shop, id, nullptr);
    return;
  }
  if (record.type != store::RecordType::kProductUpsert) return;
  // The payload was validated before it was appended; a record that no longer
  // parses (e.g. written by a newer version) is skipped.
  auto json = nlohmann::json::parse(record.payload, nullptr, /*allow_exceptions=*/false);
  auto parsed = ParseProduct(json, "");
  if (!parsed.ok()) return;
  auto product = std::make_shared<const Product>(std::move(*parsed));
  {
    std::unique_lock lock(mu_);
    auto& slot = shops_[shop][product->id];
    // Out-of-order updates: an older version never overwrites a newer one.
    if (slot && product->updated_at_ms > 0 && slot->updated_at_ms > product->updated_at_ms) {
      return;
    }
    slot = product;
  }
  for (const Listener& l : listeners_) l(shop, product->id, product);
}

void Catalog::EraseShop(const std::string& shop) {
  Products removed;
  {
    std::unique_lock lock(mu_);
    auto it = shops_.find(shop);
    if (it == shops_.end()) return;
    removed.swap(it->second);
    shops_.erase(it);
  }
  for (const auto& [id, product] : removed) {
    for (const Listener& l : listeners_) l(shop, id, nullptr);
  }
}

std::shared_ptr<const Product> Catalog::Get(const std::string& shop,
                                            const std::string& id) const {
  std::shared_lock lock(mu_);
  auto it = shops_.find(shop);
  if (it == shops_.end()) return nullptr;
  auto p = it->second.find(id);
  return p == it->second.end() ? nullptr : p->second;
}

size_t Catalog::Count(const std::string& shop) const {
  std::shared_lock lock(mu_);
  auto it = shops_.find(shop);
  return it == shops_.end() ? 0 : it->second.size();
}

void Catalog::ForEach(const std::string& shop,
                      const std::function<void(const Product&)>& fn) const {
  std::shared_lock lock(mu_);
  auto it = shops_.find(shop);
  if (it == shops_.end()) return;
  for (const auto& [id, p] : it->second) fn(*p);
}

}  // namespace storepilot::catalog

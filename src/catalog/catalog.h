#ifndef STOREPILOT_CATALOG_CATALOG_H_
#define STOREPILOT_CATALOG_CATALOG_H_

// The in-memory catalog of every shop, built from the log's product records.
// Thread safety: Apply runs on partition strands; the readers may be called
// from any thread and see each product as an immutable snapshot.

#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "catalog/product.h"
#include "store/log_record.h"

namespace storepilot::catalog {

class Catalog : public store::RecordSink {
 public:
  // Called (on the partition's strand) after a product changed or was
  // deleted (`product` null); engines that index products subscribe here.
  using Listener = std::function<void(const std::string& shop, const std::string& id,
                                      std::shared_ptr<const Product> product)>;
  void AddListener(Listener listener) { listeners_.push_back(std::move(listener)); }

  void Apply(const store::LogRecord& record) override;

  // Removes every product of `shop` (shop/redact), telling the listeners.
  void EraseShop(const std::string& shop);

  std::shared_ptr<const Product> Get(const std::string& shop, const std::string& id) const;
  size_t Count(const std::string& shop) const;
  // Calls `fn` for every product of `shop` (under a shared lock: keep it short).
  void ForEach(const std::string& shop,
               const std::function<void(const Product&)>& fn) const;

 private:
  using Products = std::unordered_map<std::string, std::shared_ptr<const Product>>;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Products> shops_;  // guarded by mu_
  std::vector<Listener> listeners_;  // set before the log opens
};

}  // namespace storepilot::catalog

#endif  // STOREPILOT_CATALOG_CATALOG_H_

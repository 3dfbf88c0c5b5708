#ifndef STOREPILOT_INGEST_SHOP_REGISTRY_H_
#define STOREPILOT_INGEST_SHOP_REGISTRY_H_

// The tenants: every shop, its API token (stored only as a SHA-256 hash) and
// its webhook secret. Shops are created through the log (kShopCreate records)
// or declared in the config file. Thread-safe.

#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "store/log_record.h"

namespace storepilot::ingest {

struct ShopInfo {
  std::string shop;          // e.g. "demo-store.myshopify.com"
  std::string token_sha256;  // hex SHA-256 of the API token
  std::string webhook_secret;
  int64_t created_ms = 0;
};

class ShopRegistry : public store::RecordSink {
 public:
  // Shop names: 1-255 chars of [a-z0-9.-_], starting with a letter or digit.
  static absl::Status ValidateShopName(const std::string& shop);
  // The kShopCreate payload for `info`.
  static std::string EncodeCreate(const ShopInfo& info);

  void Apply(const store::LogRecord& record) override;
  // Declares a shop from the config file (not persisted in the log).
  void AddFromConfig(const std::string& shop, const std::string& api_token,
                     const std::string& webhook_secret);

  std::optional<ShopInfo> Find(const std::string& shop) const;
  bool Exists(const std::string& shop) const { return Find(shop).has_value(); }
  // True when `token` is the shop's API token (compared in constant time).
  bool CheckToken(const std::string& shop, const std::string& token) const;
  // The shop whose API token `token` is, if any.
  std::optional<std::string> ShopForToken(const std::string& token) const;
  std::vector<std::string> List() const;

 private:
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, ShopInfo> shops_;            // guarded by mu_
  std::unordered_map<std::string, std::string> token_to_shop_;  // guarded by mu_
};

}  // namespace storepilot::ingest

#endif  // STOREPILOT_INGEST_SHOP_REGISTRY_H_

#include "ingest/shop_registry.h"

#include <algorithm>
#include <mutex>

#include "common/crypto.h"
#include "nlohmann/json.hpp"

namespace storepilot::ingest {

absl::Status ShopRegistry::ValidateShopName(const std::string& shop) {
  auto ok_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
           c == '_';
  };
  if (shop.empty() || shop.size() > 255 || !std::all_of(shop.begin(), shop.end(), ok_char) ||
      shop[0] == '.' || shop[0] == '-' || shop[0] == '_') {
    return absl::InvalidArgumentError(
        "shop: 1-255 characters of a-z, 0-9, '.', '-', '_', starting with a letter or "
        "digit");
  }
  return absl::OkStatus();
}

std::string ShopRegistry::EncodeCreate(const ShopInfo& info) {
  return nlohmann::json{{"shop", info.shop},
                        {"token_sha256", info.token_sha256},
                        {"webhook_secret", info.webhook_secret},
                        {"created_ms", info.created_ms}}
      .dump();
}

void ShopRegistry::Apply(const store::LogRecord& record) {
  if (record.type != store::RecordType::kShopCreate) return;
  auto j = nlohmann::json::parse(record.payload, nullptr, false);
  if (!j.is_object()) return;
  ShopInfo info;
  info.shop = j.value("shop", "");
  info.token_sha256 = j.value("token_sha256", "");
  info.webhook_secret = j.value("webhook_secret", "");
  info.created_ms = j.value("created_ms", int64_t{0});
  if (info.shop != record.shop) return;
  std::unique_lock lock(mu_);
  if (shops_.count(info.shop) > 0) return;  // the first creation wins
  token_to_shop_[info.token_sha256] = info.shop;
  shops_.emplace(info.shop, std::move(info));
}

void ShopRegistry::AddFromConfig(const std::string& shop, const std::string& api_token,
                                 const std::string& webhook_secret) {
  std::unique_lock lock(mu_);
  shops_[shop] = ShopInfo{shop, Sha256Hex(api_token), webhook_secret, 0};
  token_to_shop_[shops_[shop].token_sha256] = shop;
}

std::optional<ShopInfo> ShopRegistry::Find(const std::string& shop) const {
  std::shared_lock lock(mu_);
  auto it = shops_.find(shop);
  if (it == shops_.end()) return std::nullopt;
  return it->second;
}

bool ShopRegistry::CheckToken(const std::string& shop, const std::string& token) const {
  const std::string presented = Sha256Hex(token);
  std::shared_lock lock(mu_);
  auto it = shops_.find(shop);
  if (it == shops_.end()) return false;
  return ConstantTimeEquals(presented, it->second.token_sha256);
}

std::optional<std::string> ShopRegistry::ShopForToken(const std::string& token) const {
  // Looking up the hash, not the token, leaks nothing useful through timing.
  const std::string hash = Sha256Hex(token);
  std::shared_lock lock(mu_);
  auto it = token_to_shop_.find(hash);
  if (it == token_to_shop_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> ShopRegistry::List() const {
  std::shared_lock lock(mu_);
  std::vector<std::string> out;
  for (const auto& [name, info] : shops_) out.push_back(name);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace storepilot::ingest

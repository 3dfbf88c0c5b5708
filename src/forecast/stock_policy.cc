#include "forecast/stock_policy.h"

#include "absl/strings/str_cat.h"

namespace storepilot::forecast {
namespace {

using nlohmann::json;

// Reads the optional fields of one policy object; `where` names it in errors.
absl::StatusOr<StockPolicyOverride> ParseOverride(const json& object, const std::string& where) {
  if (!object.is_object()) {
    return absl::InvalidArgumentError(absl::StrCat(where, "must be an object"));
  }
  StockPolicyOverride out;
  if (auto it = object.find("lead_time_days"); it != object.end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > 366) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, "lead_time_days must be an integer in [1, 366]"));
    }
    out.lead_time_days = it->get<int>();
  }
  if (auto it = object.find("service_level"); it != object.end()) {
    if (!it->is_number() || !(it->get<double>() >= 0.5 && it->get<double>() <= 0.9999)) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, "service_level must be a number in [0.5, 0.9999]"));
    }
    out.service_level = it->get<double>();
  }
  if (auto it = object.find("threshold"); it != object.end()) {
    if (!it->is_number() || !(it->get<double>() >= 0 && it->get<double>() <= 0.99)) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, "threshold must be a number in [0, 0.99]"));
    }
    out.threshold = it->get<double>();
  }
  return out;
}

json OverrideToJson(const StockPolicyOverride& o) {
  json out = json::object();
  if (o.lead_time_days) out["lead_time_days"] = *o.lead_time_days;
  if (o.service_level) out["service_level"] = *o.service_level;
  if (o.threshold) out["threshold"] = *o.threshold;
  return out;
}

}  // namespace

StockPolicy StockPolicyOverride::Over(StockPolicy base) const {
  if (lead_time_days) base.lead_time_days = *lead_time_days;
  if (service_level) base.service_level = *service_level;
  if (threshold) base.threshold = *threshold;
  return base;
}

StockPolicy ShopStockPolicy::For(const std::string& product_id, StockPolicy base) const {
  base = shop.Over(base);
  auto it = products.find(product_id);
  return it == products.end() ? base : it->second.Over(base);
}

absl::StatusOr<ShopStockPolicy> ParseStockPolicy(const json& document) {
  if (!document.is_object()) return absl::InvalidArgumentError("the policy must be a JSON object");
  for (const auto& [key, value] : document.items()) {
    if (key != "lead_time_days" && key != "service_level" && key != "threshold" &&
        key != "products") {
      return absl::InvalidArgumentError(absl::StrCat("unknown field \"", key, "\""));
    }
  }
  ShopStockPolicy out;
  auto shop = ParseOverride(document, "");
  if (!shop.ok()) return shop.status();
  out.shop = *shop;
  if (auto it = document.find("products"); it != document.end()) {
    if (!it->is_object()) return absl::InvalidArgumentError("products must be an object");
    if (it->size() > kMaxPolicyProducts) {
      return absl::InvalidArgumentError(
          absl::StrCat("at most ", kMaxPolicyProducts, " products per policy"));
    }
    for (const auto& [id, value] : it->items()) {
      if (id.empty()) return absl::InvalidArgumentError("empty product id in products");
      auto product = ParseOverride(value, absl::StrCat("products[\"", id, "\"]: "));
      if (!product.ok()) return product.status();
      out.products[id] = *product;
    }
  }
  return out;
}

json StockPolicyToJson(const ShopStockPolicy& policy) {
  const StockPolicy effective = policy.shop.Over({});
  json products = json::object();
  for (const auto& [id, o] : policy.products) products[id] = OverrideToJson(o);
  return {{"lead_time_days", effective.lead_time_days},
          {"service_level", effective.service_level},
          {"threshold", effective.threshold},
          {"products", std::move(products)}};
}

store::AppendItem StockPolicyRecord(const json& document) {
  store::AppendItem item;
  item.type = store::RecordType::kInventoryPolicy;
  item.payload = document.dump();
  return item;
}

}  // namespace storepilot::forecast

#include "ingest/internal/shopify_json.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/time_util.h"

namespace storepilot::ingest {

using json = nlohmann::json;

KnownTopic ClassifyTopic(std::string_view t) {
  if (t == "orders/create" || t == "orders/updated" || t == "orders/paid" ||
      t == "orders/cancelled" || t == "orders/fulfilled" || t == "orders/partially_fulfilled") {
    return KnownTopic::kOrder;
  }
  if (t == "refunds/create") return KnownTopic::kRefund;
  if (t == "products/create" || t == "products/update") return KnownTopic::kProductUpsert;
  if (t == "products/delete") return KnownTopic::kProductDelete;
  if (t == "inventory_levels/update") return KnownTopic::kInventoryLevel;
  if (t == "carts/create" || t == "carts/update") return KnownTopic::kCart;
  if (t == "checkouts/create" || t == "checkouts/update") return KnownTopic::kCheckout;
  if (t == "customers/create" || t == "customers/update") return KnownTopic::kCustomer;
  if (t == "customers/data_request") return KnownTopic::kCustomersDataRequest;
  if (t == "customers/redact") return KnownTopic::kCustomersRedact;
  if (t == "shop/redact") return KnownTopic::kShopRedact;
  if (t == "app/uninstalled") return KnownTopic::kAppUninstalled;
  return KnownTopic::kUnknown;
}

const char* TopicLabel(KnownTopic topic) {
  switch (topic) {
    case KnownTopic::kOrder: return "orders";
    case KnownTopic::kRefund: return "refunds";
    case KnownTopic::kProductUpsert:
    case KnownTopic::kProductDelete: return "products";
    case KnownTopic::kInventoryLevel: return "inventory_levels";
    case KnownTopic::kCart: return "carts";
    case KnownTopic::kCheckout: return "checkouts";
    case KnownTopic::kCustomer: return "customers";
    case KnownTopic::kCustomersDataRequest: return "customers/data_request";
    case KnownTopic::kCustomersRedact: return "customers/redact";
    case KnownTopic::kShopRedact: return "shop/redact";
    case KnownTopic::kAppUninstalled: return "app/uninstalled";
    case KnownTopic::kUnknown: break;
  }
  return "other";
}

int64_t TimeMillis(std::string_view s) {
  auto ms = ParseRfc3339Millis(s);
  return ms.ok() ? *ms : 0;
}

int64_t JsonMillis(const json& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_string()) return TimeMillis(v.get_ref<const std::string&>());
  return 0;
}

std::string IdString(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  return "";
}

double NumberOf(const json& v) {
  if (v.is_number()) return v.get<double>();
  double d = 0;
  if (v.is_string() && absl::SimpleAtod(v.get_ref<const std::string&>(), &d)) return d;
  return 0;
}

json SplitTags(const json& v) {
  json out = json::array();
  if (v.is_array()) {
    for (const json& t : v) {
      if (t.is_string()) out.push_back(t);
    }
    return out;
  }
  if (!v.is_string()) return out;
  for (absl::string_view t : absl::StrSplit(v.get_ref<const std::string&>(), ',')) {
    t = absl::StripAsciiWhitespace(t);
    if (!t.empty() && out.size() < 256) out.push_back(std::string(t.substr(0, 256)));
  }
  return out;
}

double RefundAmount(const json& refund) {
  double total = 0;
  bool any = false;
  if (auto it = refund.find("transactions"); it != refund.end() && it->is_array()) {
    for (const json& t : *it) {
      if (t.value("kind", "refund") != "refund") continue;
      const std::string status = t.value("status", "success");
      if (status == "failure" || status == "error") continue;
      total += NumberOf(t.value("amount", json(0)));
      any = true;
    }
  }
  if (any) return total;
  if (auto it = refund.find("refund_line_items"); it != refund.end() && it->is_array()) {
    for (const json& li : *it) total += NumberOf(li.value("subtotal", json(0)));
  }
  return total;
}

std::map<std::string, LineItem> CartLines(const json& cart) {
  std::map<std::string, LineItem> out;
  auto it = cart.find("line_items");
  if (it == cart.end() || !it->is_array()) return out;
  for (const json& li : *it) {
    if (!li.is_object()) continue;
    LineItem item;
    item.product_id = IdString(li.value("product_id", json(nullptr)));
    std::string key = IdString(li.value("variant_id", json(nullptr)));
    if (key.empty()) key = item.product_id;
    if (key.empty()) continue;
    item.quantity = li.value("quantity", int64_t{1});
    item.price = NumberOf(li.value("price", json(0)));
    LineItem& slot = out[key];
    if (slot.product_id.empty()) {
      slot = item;
    } else {
      slot.quantity += item.quantity;
    }
  }
  return out;
}

std::vector<Event> DiffCart(const std::map<std::string, LineItem>& before,
                            const std::map<std::string, LineItem>& after) {
  std::vector<Event> out;
  auto emit = [&out](const LineItem& li, int64_t delta) {
    if (delta == 0 || li.product_id.empty()) return;
    Event e;
    e.type = delta > 0 ? EventType::kAddToCart : EventType::kRemoveFromCart;
    e.product_id = li.product_id;
    e.quantity = delta > 0 ? delta : -delta;
    e.price = li.price;
    out.push_back(std::move(e));
  };
  for (const auto& [key, li] : after) {
    auto old = before.find(key);
    emit(li, li.quantity - (old == before.end() ? 0 : old->second.quantity));
  }
  for (const auto& [key, li] : before) {
    if (after.count(key) == 0) emit(li, -li.quantity);
  }
  return out;
}

}  // namespace storepilot::ingest

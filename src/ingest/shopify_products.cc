// The catalog part of the Shopify translator: products/* and
// inventory_levels/update into catalog::Product records.
#include <algorithm>
#include <limits>

#include "ingest/internal/shopify_json.h"
#include "ingest/shopify_translator.h"

namespace storepilot::ingest {

using json = nlohmann::json;

namespace {

std::string ImageUrl(const json& body) {
  if (auto it = body.find("image"); it != body.end() && it->is_object()) {
    if (auto src = it->find("src"); src != it->end() && src->is_string()) return *src;
  }
  if (auto it = body.find("images"); it != body.end() && it->is_array() && !it->empty()) {
    const json& first = (*it)[0];
    if (first.is_object() && first.contains("src") && first["src"].is_string()) {
      return first["src"];
    }
  }
  return "";
}

}  // namespace

void ShopifyTranslator::ApplyProduct(const std::string& shop, const json& body) {
  const std::string id = IdString(body.value("id", json(nullptr)));
  if (id.empty()) return Count("products", "invalid");
  const int64_t version = JsonMillis(body.value("updated_at", json(nullptr)));
  ProductState next;
  next.version_ms = version;
  json p = {{"id", id},
            {"title", body.value("title", json("")).is_string() ? body.value("title", "") : ""},
            {"description", body.value("body_html", json("")).is_string()
                                ? body.value("body_html", "").substr(0, 64 * 1024)
                                : ""},
            {"brand", body.value("vendor", json("")).is_string() ? body.value("vendor", "") : ""},
            {"product_type", body.value("product_type", json("")).is_string()
                                 ? body.value("product_type", "")
                                 : ""},
            {"tags", SplitTags(body.value("tags", json(nullptr)))},
            {"image_url", ImageUrl(body)}};
  if (p["title"].get<std::string>().empty()) p["title"] = "Product " + id;
  if (!p["product_type"].get<std::string>().empty()) {
    p["category"] = json::array({p["product_type"]});
  }
  double min_price = std::numeric_limits<double>::infinity();
  std::string variant_ids, skus;
  if (auto it = body.find("variants"); it != body.end() && it->is_array()) {
    for (const json& v : *it) {
      if (!v.is_object()) continue;
      Variant variant;
      variant.id = IdString(v.value("id", json(nullptr)));
      variant.inventory_item_id = IdString(v.value("inventory_item_id", json(nullptr)));
      if (v.contains("inventory_quantity") && v["inventory_quantity"].is_number_integer()) {
        variant.quantity = v["inventory_quantity"].get<int64_t>();
      }
      if (v.contains("price")) min_price = std::min(min_price, NumberOf(v["price"]));
      variant_ids += (variant_ids.empty() ? "" : ",") + variant.id;
      if (v.contains("sku") && v["sku"].is_string() && !v["sku"].get<std::string>().empty()) {
        skus += (skus.empty() ? "" : ",") + v["sku"].get<std::string>();
      }
      next.variants.push_back(std::move(variant));
    }
  }
  p["price"] = std::isfinite(min_price) && min_price >= 0 ? min_price : 0.0;
  json attributes = {{"variant_count", next.variants.size()},
                     {"variant_ids", variant_ids.substr(0, 256)}};
  if (!skus.empty()) attributes["skus"] = skus.substr(0, 256);
  for (const char* f : {"handle", "status"}) {
    if (body.contains(f) && body[f].is_string()) attributes[f] = body[f];
  }
  p["attributes"] = std::move(attributes);
  if (body.value("status", "active") != "active") p["in_stock"] = false;
  next.product = std::move(p);
  ProductState published;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ShopState& state = shops_[shop];
    ProductState& slot = state.products[id];
    if (slot.version_ms > version) return Count("products", "stale");
    // Location levels reported after this product version stay valid.
    for (Variant& v : next.variants) {
      for (const Variant& old : slot.variants) {
        if (old.id != v.id) continue;
        for (const auto& [loc, level] : old.levels) {
          if (level.first > version) v.levels[loc] = level;
        }
      }
      if (!v.inventory_item_id.empty()) {
        state.inventory_items[v.inventory_item_id] = {id, &v - next.variants.data()};
      }
    }
    next.inventory_ms = slot.inventory_ms;
    slot = std::move(next);
    published = slot;
  }
  PublishProduct(shop, id, published);
}

void ShopifyTranslator::ApplyProductDelete(const std::string& shop, const json& body,
                                           int64_t ms) {
  const std::string id = IdString(body.value("id", json(nullptr)));
  if (id.empty()) return Count("products", "invalid");
  {
    std::lock_guard<std::mutex> lock(mu_);
    ProductState& slot = shops_[shop].products[id];
    if (slot.version_ms > ms && ms > 0) return Count("products", "stale");
    // A tombstone: a late, older update must not bring the product back.
    slot = ProductState();
    slot.version_ms = ms;
    slot.deleted = true;
  }
  store::LogRecord rec;
  rec.type = store::RecordType::kProductDelete;
  rec.shop = shop;
  rec.payload = id;
  deps_.catalog->Apply(rec);
}

void ShopifyTranslator::ApplyInventoryLevel(const std::string& shop, const json& body) {
  const std::string item = IdString(body.value("inventory_item_id", json(nullptr)));
  const std::string location = IdString(body.value("location_id", json(nullptr)));
  const int64_t version = JsonMillis(body.value("updated_at", json(nullptr)));
  if (item.empty() || !body.contains("available") || !body["available"].is_number_integer()) {
    return Count("inventory_levels", "invalid");
  }
  std::string product_id;
  ProductState published;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ShopState& state = shops_[shop];
    auto it = state.inventory_items.find(item);
    if (it == state.inventory_items.end()) return Count("inventory_levels", "unknown_item");
    product_id = it->second.first;
    ProductState& p = state.products[product_id];
    if (p.deleted || it->second.second >= p.variants.size()) {
      return Count("inventory_levels", "unknown_item");
    }
    auto& level = p.variants[it->second.second].levels[location];
    if (level.first > version) return Count("inventory_levels", "stale");
    level = {version, body["available"].get<int64_t>()};
    p.inventory_ms = std::max(p.inventory_ms, version);
    published = p;
  }
  PublishProduct(shop, product_id, published);
}

void ShopifyTranslator::PublishProduct(const std::string& shop, const std::string& id,
                                       const ProductState& p) {
  json product = p.product;
  bool known = false;
  int64_t inventory = 0;
  for (const Variant& v : p.variants) {
    if (!v.levels.empty()) {
      for (const auto& [loc, level] : v.levels) inventory += level.second;
      known = true;
    } else if (v.quantity) {
      inventory += *v.quantity;
      known = true;
    }
  }
  if (known) {
    product["inventory"] = inventory;
    if (!product.contains("in_stock")) product["in_stock"] = inventory > 0;
  }
  // Monotonic per product, so the catalog's own ordering check agrees.
  product["updated_at"] = std::max(p.version_ms, p.inventory_ms);
  const std::string payload = product.dump();
  store::LogRecord rec;
  rec.type = store::RecordType::kProductUpsert;
  rec.shop = shop;
  rec.payload = payload;
  deps_.catalog->Apply(rec);
  (void)id;
}

}  // namespace storepilot::ingest

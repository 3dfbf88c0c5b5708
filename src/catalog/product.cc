#include "catalog/product.h"

#include <cmath>

#include "absl/status/status.h"
#include "common/time_util.h"
#include "common/utf8.h"

namespace storepilot::catalog {
namespace {

constexpr size_t kMaxId = 256;
constexpr size_t kMaxText = 64 * 1024;
constexpr size_t kMaxListItems = 256;
constexpr size_t kMaxEmbedding = 4096;

absl::Status Bad(const std::string& field, const std::string& problem) {
  return absl::InvalidArgumentError(field + ": " + problem);
}

absl::Status ReadString(const nlohmann::json& body, const char* field, size_t max,
                        std::string* out) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_string()) return Bad(field, "must be a string");
  const auto& s = it->get_ref<const std::string&>();
  if (s.size() > max) return Bad(field, "longer than " + std::to_string(max) + " bytes");
  *out = s;
  return absl::OkStatus();
}

absl::Status ReadStringList(const nlohmann::json& body, const char* field,
                            std::vector<std::string>* out) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_array() || it->size() > kMaxListItems) {
    return Bad(field, "must be an array of at most 256 strings");
  }
  for (const auto& v : *it) {
    if (!v.is_string() || v.get_ref<const std::string&>().size() > kMaxId) {
      return Bad(field, "must contain strings of at most 256 bytes");
    }
    out->push_back(v.get<std::string>());
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Product> ParseProduct(const nlohmann::json& body, std::string_view path_id) {
  if (!body.is_object()) return Bad("body", "a product must be a JSON object");
  Product p;
  auto id = body.find("id");
  if (id != body.end() && id->is_number_integer()) {
    p.id = std::to_string(id->get<int64_t>());
  } else if (absl::Status s = ReadString(body, "id", kMaxId, &p.id); !s.ok()) {
    return s;
  }
  if (!path_id.empty()) {
    if (!p.id.empty() && p.id != path_id) return Bad("id", "does not match the URL");
    p.id = std::string(path_id);
  }
  if (p.id.empty()) return Bad("id", "required");
  if (p.id.size() > kMaxId) return Bad("id", "longer than 256 bytes");
  if (!IsValidUtf8(p.id)) return Bad("id", "must be valid UTF-8");
  for (auto [field, out, max] :
       {std::tuple{"title", &p.title, kMaxText}, {"description", &p.description, kMaxText},
        {"brand", &p.brand, kMaxId}, {"product_type", &p.product_type, kMaxId},
        {"currency", &p.currency, size_t{8}}, {"image_url", &p.image_url, kMaxText}}) {
    if (absl::Status s = ReadString(body, field, max, out); !s.ok()) return s;
  }
  if (p.title.empty()) return Bad("title", "required");
  if (auto s = ReadStringList(body, "category", &p.category); !s.ok()) return s;
  if (auto s = ReadStringList(body, "tags", &p.tags); !s.ok()) return s;
  if (auto it = body.find("price"); it != body.end() && !it->is_null()) {
    if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0) {
      return Bad("price", "must be a non-negative number");
    }
    p.price = it->get<double>();
  }
  for (auto [field, out] : {std::pair{"in_stock", &p.in_stock}, {"repeatable", &p.repeatable}}) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) continue;
    if (!it->is_boolean()) return Bad(field, "must be true or false");
    *out = it->get<bool>();
  }
  if (auto it = body.find("inventory"); it != body.end() && !it->is_null()) {
    if (!it->is_number_integer()) return Bad("inventory", "must be an integer");
    p.inventory = it->get<int64_t>();
    if (body.find("in_stock") == body.end()) p.in_stock = *p.inventory > 0;
  }
  if (auto it = body.find("attributes"); it != body.end() && !it->is_null()) {
    if (!it->is_object() || it->size() > kMaxListItems) {
      return Bad("attributes", "must be an object of at most 256 entries");
    }
    for (const auto& [k, v] : it->items()) {
      if (!v.is_primitive() || k.size() > kMaxId) {
        return Bad("attributes." + k, "must be a string, number or boolean");
      }
    }
    p.attributes = *it;
  }
  if (auto it = body.find("embedding"); it != body.end() && !it->is_null()) {
    if (!it->is_array() || it->size() > kMaxEmbedding) {
      return Bad("embedding", "must be an array of at most 4096 numbers");
    }
    for (const auto& v : *it) {
      if (!v.is_number() || !std::isfinite(v.get<double>())) {
        return Bad("embedding", "must contain finite numbers");
      }
      p.embedding.push_back(v.get<float>());
    }
  }
  if (auto it = body.find("updated_at"); it != body.end() && !it->is_null()) {
    if (it->is_number_integer()) {
      p.updated_at_ms = it->get<int64_t>();
    } else if (it->is_string()) {
      auto ms = ParseRfc3339Millis(it->get<std::string>());
      if (!ms.ok()) return Bad("updated_at", "must be RFC 3339 or epoch milliseconds");
      p.updated_at_ms = *ms;
    } else {
      return Bad("updated_at", "must be RFC 3339 or epoch milliseconds");
    }
  }
  return p;
}

nlohmann::json ProductToJson(const Product& p) {
  nlohmann::json j = {{"id", p.id},
                      {"title", p.title},
                      {"description", p.description},
                      {"brand", p.brand},
                      {"category", p.category},
                      {"product_type", p.product_type},
                      {"price", p.price},
                      {"currency", p.currency},
                      {"in_stock", p.in_stock},
                      {"repeatable", p.repeatable},
                      {"tags", p.tags},
                      {"attributes", p.attributes},
                      {"image_url", p.image_url}};
  if (p.inventory) j["inventory"] = *p.inventory;
  if (!p.embedding.empty()) j["embedding"] = p.embedding;
  if (p.updated_at_ms > 0) j["updated_at"] = p.updated_at_ms;
  return j;
}

}  // namespace storepilot::catalog

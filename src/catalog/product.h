#ifndef STOREPILOT_CATALOG_PRODUCT_H_
#define STOREPILOT_CATALOG_PRODUCT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace storepilot::catalog {

// A catalog product (the fields every engine reads). Immutable once built;
// shared as shared_ptr<const Product>.
struct Product {
  std::string id;
  std::string title;
  std::string description;
  std::string brand;
  std::vector<std::string> category;  // broadest first: ["Home", "Lighting", "Lamps"]
  std::string product_type;
  double price = 0.0;
  std::string currency;
  bool in_stock = true;
  std::optional<int64_t> inventory;
  bool repeatable = false;  // may be recommended again after a purchase
  std::vector<std::string> tags;
  nlohmann::json attributes = nlohmann::json::object();  // string -> scalar
  std::string image_url;
  std::vector<float> embedding;
  int64_t updated_at_ms = 0;  // for ordering out-of-order updates; 0 = unknown
};

// Parses and validates a product from JSON. When `path_id` is non-empty it is
// the product id from the URL: the body's "id" may be absent or must match.
// InvalidArgument with a message naming the field on bad input.
absl::StatusOr<Product> ParseProduct(const nlohmann::json& body, std::string_view path_id);

// The canonical JSON form (what GET returns and the log stores).
nlohmann::json ProductToJson(const Product& product);

}  // namespace storepilot::catalog

#endif  // STOREPILOT_CATALOG_PRODUCT_H_

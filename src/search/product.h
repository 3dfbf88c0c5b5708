#ifndef STOREPILOT_SEARCH_PRODUCT_H_
#define STOREPILOT_SEARCH_PRODUCT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace storepilot::search {

// The part of a catalog product that search indexes, filters and facets on.
struct Product {
  std::string id;  // Required, unique within a shop.
  std::string title;
  std::string description;
  std::string brand;
  std::vector<std::string> category;  // Broadest first.
  std::string product_type;
  std::vector<std::string> tags;
  std::vector<std::pair<std::string, std::string>> attributes;  // name, value
  std::vector<std::string> variants;  // Variant titles / option values.
  double price = 0.0;
  bool in_stock = true;
  int64_t created_at_ms = 0;  // For "newest" sorting.
  double popularity = 0.0;    // Sales or clicks; for "best_selling" and ranking.
};

// Parses one product in the catalog JSON schema: `id` (string or integer) and
// `title` are required; `description`, `brand`, `category` (array or string),
// `product_type`, `tags` (array), `attributes` (object of scalars or arrays),
// `variants` (array of objects with `title` / `options`, or strings), `price`,
// `in_stock`, `created_at_ms` and `popularity` are optional. Unknown fields are
// ignored. Returns InvalidArgument naming the field on malformed input.
absl::StatusOr<Product> ParseProductJson(std::string_view json);

}  // namespace storepilot::search

#endif  // STOREPILOT_SEARCH_PRODUCT_H_

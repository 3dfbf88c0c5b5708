#ifndef STOREPILOT_SEARCH_MERCHANDISING_H_
#define STOREPILOT_SEARCH_MERCHANDISING_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "search/fields.h"

namespace storepilot::search {

// A merchant's rule for search results: pin or hide products for a query,
// boost or bury products by attribute, optionally within a time window.
struct MerchandisingRule {
  enum class QueryMatch { kExact, kContains, kAny };

  struct Boost {
    FacetKind kind;
    std::string value;  // For kAttribute: "name:value".
    float multiplier;   // > 1 boosts, < 1 buries.
  };

  std::string id;
  std::string query;  // Compared in normalised form (NormalizeText).
  QueryMatch match = QueryMatch::kExact;
  // (product id, 1-based position). Pinned products appear there even when
  // they do not match the query, if they pass the request's filters.
  std::vector<std::pair<std::string, size_t>> pins;
  std::vector<std::string> hides;
  std::vector<Boost> boosts;
  std::optional<int64_t> start_ms;  // Inclusive; epoch milliseconds.
  std::optional<int64_t> end_ms;    // Exclusive.

  // Whether the rule applies to `normalized_query` at `now_ms`.
  bool AppliesTo(std::string_view normalized_query, int64_t now_ms) const;
};

// Parses the API's JSON: {"rules": [{"id", "query", "match": "exact" |
// "contains" | "any", "pins": [{"product_id", "position"}], "hides": [ids],
// "boosts": [{"field": "brand" | "category" | "product_type" | "tags" |
// "attributes", "value", "multiplier"}], "start_ms", "end_ms"}]}.
// InvalidArgument (naming the rule) on malformed input.
absl::StatusOr<std::vector<MerchandisingRule>> ParseMerchandisingRules(
    std::string_view json);

}  // namespace storepilot::search

#endif  // STOREPILOT_SEARCH_MERCHANDISING_H_

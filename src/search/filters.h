#ifndef STOREPILOT_SEARCH_FILTERS_H_
#define STOREPILOT_SEARCH_FILTERS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "search/fields.h"
#include "search/inverted_index.h"

namespace storepilot::search {

// Conditions a result must meet; all given conditions must hold, and within
// one list any value may match. Values compare by their normalised text.
struct Filters {
  std::vector<std::string> categories;  // Any level of the category path.
  std::vector<std::string> brands;
  std::vector<std::string> product_types;
  std::vector<std::string> tags;
  // Each (name, value) must hold; several values of one name are OR-ed.
  std::vector<std::pair<std::string, std::string>> attributes;
  std::optional<double> min_price;  // Inclusive.
  std::optional<double> max_price;  // Inclusive.
  bool in_stock_only = false;

  bool empty() const;
};

// Parses the compact filter syntax of the search API, conditions separated
// by ';': "brand:Acme|Globex;category:Lamps;product_type:Desk Lamps;
// tags:sale;attr.color:blue|red;price:10..50;in_stock:true". Either price
// bound may be left out ("price:..50"). InvalidArgument on unknown keys,
// bad numbers or an empty value.
absl::StatusOr<Filters> ParseFilters(std::string_view text);

// Filters resolved against one index's value pools, for fast checks.
class CompiledFilters {
 public:
  // Reads the index: the caller holds its lock.
  CompiledFilters(const InvertedIndex& index, const Filters& filters);
  bool Matches(const DocInfo& doc) const;
  // True when there is no condition (every live document matches).
  bool trivial() const { return trivial_; }

 private:
  struct IdSet {
    bool active = false;
    absl::flat_hash_set<uint32_t> ids;  // Empty + active: matches nothing.
  };
  IdSet categories_, brands_, types_, tags_;
  std::vector<IdSet> attributes_;  // One per attribute name.
  Filters filters_;
  bool trivial_;  // No condition: only liveness is checked.
};

// Counts of one facet's values over a set of documents, most frequent first.
struct FacetValueCount {
  std::string value;
  uint32_t count;
};
struct FacetResult {
  std::string name;  // A kFacetNames entry.
  std::vector<FacetValueCount> values;
};

// Parses a facet name from kFacetNames. InvalidArgument if unknown.
absl::StatusOr<FacetKind> ParseFacetKind(std::string_view name);

// Counts the values of `kind` over `docs`, keeping the `max_values` largest
// (ties by value). Reads the index: the caller holds its lock.
FacetResult CountFacet(const InvertedIndex& index, FacetKind kind,
                       const std::vector<DocId>& docs, size_t max_values);

}  // namespace storepilot::search

#endif  // STOREPILOT_SEARCH_FILTERS_H_

#ifndef STOREPILOT_SEARCH_FIELDS_H_
#define STOREPILOT_SEARCH_FIELDS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace storepilot::search {

// The indexed text fields of a product. The order is the postings order.
enum class Field : uint8_t {
  kTitle = 0,
  kBrand,
  kProductType,
  kCategory,  // Every level of the category path.
  kTags,
  kAttributes,  // Attribute values.
  kVariants,
  kDescription,
};
inline constexpr size_t kFieldCount = 8;

inline constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "title", "brand", "product_type", "category",
    "tags",  "attributes", "variants", "description"};

inline constexpr size_t FieldIndex(Field field) {
  return static_cast<size_t>(field);
}

// The facetable product properties; each has its own pool of values.
enum class FacetKind : uint8_t {
  kBrand = 0,
  kCategory,
  kProductType,
  kTag,
  kAttribute,  // Values are "name:value".
};
inline constexpr size_t kFacetKindCount = 5;

inline constexpr std::array<std::string_view, kFacetKindCount> kFacetNames = {
    "brand", "category", "product_type", "tags", "attributes"};

}  // namespace storepilot::search

#endif  // STOREPILOT_SEARCH_FIELDS_H_

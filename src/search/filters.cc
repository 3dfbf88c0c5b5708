#include "search/filters.h"

#include <algorithm>
#include <charconv>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace storepilot::search {
namespace {

absl::Status Bad(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("bad filter: ", what));
}

absl::StatusOr<std::optional<double>> ParseBound(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty()) return std::optional<double>();
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Bad(absl::StrCat("price bound '", text, "'"));
  }
  return std::optional<double>(value);
}

absl::Status ParseCondition(absl::string_view condition, Filters* filters) {
  const size_t colon = condition.find(':');
  if (colon == absl::string_view::npos) return Bad(condition);
  const absl::string_view key = absl::StripAsciiWhitespace(condition.substr(0, colon));
  const absl::string_view value = absl::StripAsciiWhitespace(condition.substr(colon + 1));
  if (value.empty()) return Bad(absl::StrCat("empty value for '", key, "'"));
  std::vector<std::string> values = absl::StrSplit(value, '|', absl::SkipWhitespace());
  if (key == "price") {
    const size_t dots = value.find("..");
    if (dots == absl::string_view::npos) return Bad("price needs min..max");
    absl::StatusOr<std::optional<double>> lo = ParseBound(value.substr(0, dots));
    if (!lo.ok()) return lo.status();
    absl::StatusOr<std::optional<double>> hi = ParseBound(value.substr(dots + 2));
    if (!hi.ok()) return hi.status();
    filters->min_price = *lo;
    filters->max_price = *hi;
  } else if (key == "in_stock") {
    if (value != "true" && value != "false") return Bad("in_stock must be true or false");
    filters->in_stock_only = value == "true";
  } else if (key == "brand") {
    filters->brands = std::move(values);
  } else if (key == "category") {
    filters->categories = std::move(values);
  } else if (key == "product_type") {
    filters->product_types = std::move(values);
  } else if (key == "tags") {
    filters->tags = std::move(values);
  } else if (absl::StartsWith(key, "attr.") && key.size() > 5) {
    for (std::string& v : values) {
      filters->attributes.emplace_back(std::string(key.substr(5)), std::move(v));
    }
  } else {
    return Bad(absl::StrCat("unknown key '", key, "'"));
  }
  return absl::OkStatus();
}

}  // namespace

bool Filters::empty() const {
  return categories.empty() && brands.empty() && product_types.empty() &&
         tags.empty() && attributes.empty() && !min_price && !max_price &&
         !in_stock_only;
}

absl::StatusOr<Filters> ParseFilters(std::string_view text) {
  Filters filters;
  for (absl::string_view condition :
       absl::StrSplit(absl::string_view(text.data(), text.size()), ';',
                      absl::SkipWhitespace())) {
    if (absl::Status s = ParseCondition(condition, &filters); !s.ok()) return s;
  }
  return filters;
}

CompiledFilters::CompiledFilters(const InvertedIndex& index,
                                 const Filters& filters)
    : filters_(filters), trivial_(filters.empty()) {
  auto compile = [&](FacetKind kind, const std::vector<std::string>& values,
                     IdSet* set) {
    if (values.empty()) return;
    set->active = true;
    for (const std::string& v : values) {
      if (auto id = index.pool(kind).Find(v)) set->ids.insert(*id);
    }
  };
  compile(FacetKind::kCategory, filters.categories, &categories_);
  compile(FacetKind::kBrand, filters.brands, &brands_);
  compile(FacetKind::kProductType, filters.product_types, &types_);
  compile(FacetKind::kTag, filters.tags, &tags_);
  // Group attribute conditions by name: values of one name are OR-ed.
  absl::flat_hash_map<std::string, std::vector<std::string>> by_name;
  for (const auto& [name, value] : filters.attributes) {
    by_name[name].push_back(name + ":" + value);
  }
  for (const auto& [name, values] : by_name) {
    attributes_.emplace_back();
    compile(FacetKind::kAttribute, values, &attributes_.back());
  }
}

bool CompiledFilters::Matches(const DocInfo& doc) const {
  if (!doc.live) return false;
  if (trivial_) return true;
  if (filters_.in_stock_only && !doc.in_stock) return false;
  if (filters_.min_price && doc.price < *filters_.min_price) return false;
  if (filters_.max_price && doc.price > *filters_.max_price) return false;
  auto any = [](const IdSet& set, const std::vector<uint32_t>& ids) {
    if (!set.active) return true;
    for (uint32_t id : ids) {
      if (set.ids.contains(id)) return true;
    }
    return false;
  };
  if (brands_.active && !brands_.ids.contains(doc.brand)) return false;
  if (types_.active && !types_.ids.contains(doc.product_type)) return false;
  if (!any(categories_, doc.categories) || !any(tags_, doc.tags)) return false;
  for (const IdSet& set : attributes_) {
    if (!any(set, doc.attributes)) return false;
  }
  return true;
}

absl::StatusOr<FacetKind> ParseFacetKind(std::string_view name) {
  for (size_t i = 0; i < kFacetKindCount; ++i) {
    if (kFacetNames[i] == name) return static_cast<FacetKind>(i);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown facet '", absl::string_view(name.data(), name.size()), "'"));
}

FacetResult CountFacet(const InvertedIndex& index, FacetKind kind,
                       const std::vector<DocId>& docs, size_t max_values) {
  const ValuePool& pool = index.pool(kind);
  std::vector<uint32_t> counts(pool.size(), 0);
  auto add = [&](uint32_t id) {
    if (id < counts.size()) ++counts[id];
  };
  for (DocId id : docs) {
    for (uint32_t value : index.facet_values(kind, id)) add(value);
  }
  FacetResult result;
  result.name = std::string(kFacetNames[static_cast<size_t>(kind)]);
  for (uint32_t id = 0; id < counts.size(); ++id) {
    if (counts[id] > 0) result.values.push_back({pool.display(id), counts[id]});
  }
  std::sort(result.values.begin(), result.values.end(),
            [](const FacetValueCount& a, const FacetValueCount& b) {
              if (a.count != b.count) return a.count > b.count;
              return a.value < b.value;
            });
  if (result.values.size() > max_values) result.values.resize(max_values);
  return result;
}

}  // namespace storepilot::search

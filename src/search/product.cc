#include "search/product.h"

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace storepilot::search {
namespace {

using Json = nlohmann::json;

absl::Status FieldError(std::string_view field, std::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(
      "product field '", absl::string_view(field.data(), field.size()), "': ",
      absl::string_view(problem.data(), problem.size())));
}

// A scalar rendered as text (strings as is, numbers and booleans printed).
absl::StatusOr<std::string> ScalarText(const Json& value,
                                       std::string_view field) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number() || value.is_boolean()) return value.dump();
  return FieldError(field, "expected a string or number");
}

absl::StatusOr<std::vector<std::string>> StringList(const Json& value,
                                                    std::string_view field) {
  std::vector<std::string> out;
  if (value.is_string()) {
    out.push_back(value.get<std::string>());
    return out;
  }
  if (!value.is_array()) return FieldError(field, "expected an array");
  for (const Json& item : value) {
    if (!item.is_string()) return FieldError(field, "expected strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

absl::Status ParseAttributes(const Json& value, Product* product) {
  if (!value.is_object()) return FieldError("attributes", "expected an object");
  for (const auto& [name, v] : value.items()) {
    if (v.is_null()) continue;
    if (v.is_array()) {
      for (const Json& item : v) {
        absl::StatusOr<std::string> text = ScalarText(item, "attributes");
        if (!text.ok()) return text.status();
        product->attributes.emplace_back(name, *std::move(text));
      }
      continue;
    }
    absl::StatusOr<std::string> text = ScalarText(v, "attributes");
    if (!text.ok()) return text.status();
    product->attributes.emplace_back(name, *std::move(text));
  }
  return absl::OkStatus();
}

absl::Status ParseVariants(const Json& value, Product* product) {
  if (!value.is_array()) return FieldError("variants", "expected an array");
  for (const Json& variant : value) {
    if (variant.is_string()) {
      product->variants.push_back(variant.get<std::string>());
      continue;
    }
    if (!variant.is_object()) return FieldError("variants", "bad variant");
    if (auto it = variant.find("title"); it != variant.end() && it->is_string()) {
      product->variants.push_back(it->get<std::string>());
    }
    if (auto it = variant.find("options"); it != variant.end()) {
      if (it->is_object()) {
        for (const auto& [unused, option] : it->items()) {
          if (option.is_string()) product->variants.push_back(option);
        }
      } else if (it->is_array()) {
        for (const Json& option : *it) {
          if (option.is_string()) product->variants.push_back(option);
        }
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ParseFields(const Json& doc, Product* product) {
  if (!doc.is_object()) return FieldError("", "expected a JSON object");
  auto id = doc.find("id");
  if (id == doc.end() || !(id->is_string() || id->is_number_integer())) {
    return FieldError("id", "required string or integer");
  }
  product->id = id->is_string() ? id->get<std::string>() : id->dump();
  if (product->id.empty()) return FieldError("id", "must not be empty");
  auto title = doc.find("title");
  if (title == doc.end() || !title->is_string()) {
    return FieldError("title", "required string");
  }
  product->title = title->get<std::string>();
  for (const auto& [key, value] : doc.items()) {
    if (value.is_null()) continue;
    if (key == "description" || key == "brand" || key == "product_type") {
      if (!value.is_string()) return FieldError(key, "expected a string");
      std::string& target = key == "description" ? product->description
                            : key == "brand"     ? product->brand
                                                 : product->product_type;
      target = value.get<std::string>();
    } else if (key == "category" || key == "tags") {
      absl::StatusOr<std::vector<std::string>> list = StringList(value, key);
      if (!list.ok()) return list.status();
      (key == "category" ? product->category : product->tags) = *std::move(list);
    } else if (key == "attributes") {
      if (absl::Status s = ParseAttributes(value, product); !s.ok()) return s;
    } else if (key == "variants") {
      if (absl::Status s = ParseVariants(value, product); !s.ok()) return s;
    } else if (key == "price" || key == "popularity") {
      if (!value.is_number()) return FieldError(key, "expected a number");
      (key == "price" ? product->price : product->popularity) = value.get<double>();
    } else if (key == "in_stock") {
      if (!value.is_boolean()) return FieldError(key, "expected a boolean");
      product->in_stock = value.get<bool>();
    } else if (key == "created_at_ms") {
      if (!value.is_number_integer()) return FieldError(key, "expected an integer");
      product->created_at_ms = value.get<int64_t>();
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Product> ParseProductJson(std::string_view json) {
  Json doc = Json::parse(json.begin(), json.end(), nullptr,
                         /*allow_exceptions=*/false);
  if (doc.is_discarded()) return absl::InvalidArgumentError("malformed JSON");
  Product product;
  try {
    if (absl::Status s = ParseFields(doc, &product); !s.ok()) return s;
  } catch (const Json::exception& e) {  // E.g. a number out of range.
    return absl::InvalidArgumentError(absl::StrCat("bad product: ", e.what()));
  }
  return product;
}

}  // namespace storepilot::search

#include "search/merchandising.h"

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "search/filters.h"
#include "search/text_normalizer.h"

namespace storepilot::search {
namespace {

using Json = nlohmann::json;

absl::Status RuleError(size_t index, absl::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("merchandising rule ", index, ": ", problem));
}

absl::StatusOr<MerchandisingRule> ParseRule(const Json& j, size_t index) {
  if (!j.is_object()) return RuleError(index, "expected an object");
  MerchandisingRule rule;
  rule.id = j.value("id", absl::StrCat("rule-", index));
  rule.query = NormalizeText(j.value("query", std::string()));
  const std::string match = j.value("match", std::string("exact"));
  if (match == "exact") {
    rule.match = MerchandisingRule::QueryMatch::kExact;
  } else if (match == "contains") {
    rule.match = MerchandisingRule::QueryMatch::kContains;
  } else if (match == "any") {
    rule.match = MerchandisingRule::QueryMatch::kAny;
  } else {
    return RuleError(index, "match must be exact, contains or any");
  }
  if (rule.match != MerchandisingRule::QueryMatch::kAny && rule.query.empty()) {
    return RuleError(index, "a query is required unless match is any");
  }
  for (const Json& pin : j.value("pins", Json::array())) {
    if (!pin.is_object() || !pin.contains("product_id") ||
        !pin["product_id"].is_string() || !pin.contains("position") ||
        !pin["position"].is_number_integer() || pin["position"].get<int64_t>() < 1) {
      return RuleError(index, "a pin needs product_id and position >= 1");
    }
    rule.pins.emplace_back(pin["product_id"].get<std::string>(),
                           pin["position"].get<size_t>());
  }
  for (const Json& hide : j.value("hides", Json::array())) {
    if (!hide.is_string()) return RuleError(index, "hides must be product ids");
    rule.hides.push_back(hide.get<std::string>());
  }
  for (const Json& boost : j.value("boosts", Json::array())) {
    if (!boost.is_object() || !boost.contains("field") || !boost["field"].is_string() ||
        !boost.contains("value") || !boost["value"].is_string() ||
        !boost.contains("multiplier") || !boost["multiplier"].is_number() ||
        boost["multiplier"].get<double>() <= 0) {
      return RuleError(index, "a boost needs field, value and multiplier > 0");
    }
    absl::StatusOr<FacetKind> kind =
        ParseFacetKind(boost["field"].get<std::string>());
    if (!kind.ok()) return RuleError(index, kind.status().message());
    rule.boosts.push_back({*kind, boost["value"].get<std::string>(),
                           boost["multiplier"].get<float>()});
  }
  for (const char* key : {"start_ms", "end_ms"}) {
    if (!j.contains(key)) continue;
    if (!j[key].is_number_integer()) return RuleError(index, "times are epoch ms");
    (std::string(key) == "start_ms" ? rule.start_ms : rule.end_ms) =
        j[key].get<int64_t>();
  }
  return rule;
}

}  // namespace

bool MerchandisingRule::AppliesTo(std::string_view normalized_query,
                                  int64_t now_ms) const {
  if (start_ms && now_ms < *start_ms) return false;
  if (end_ms && now_ms >= *end_ms) return false;
  switch (match) {
    case QueryMatch::kAny:
      return true;
    case QueryMatch::kExact:
      return normalized_query == query;
    case QueryMatch::kContains: {
      // Whole words: "lamp" is in "desk lamp" but not in "lampshade".
      const std::string padded = absl::StrCat(
          " ", absl::string_view(normalized_query.data(), normalized_query.size()),
          " ");
      return absl::StrContains(padded, absl::StrCat(" ", query, " "));
    }
  }
  return false;
}

absl::StatusOr<std::vector<MerchandisingRule>> ParseMerchandisingRules(
    std::string_view json) {
  Json doc = Json::parse(json.begin(), json.end(), nullptr, false);
  if (doc.is_discarded()) return absl::InvalidArgumentError("malformed JSON");
  if (!doc.is_object() || !doc.contains("rules") || !doc["rules"].is_array()) {
    return absl::InvalidArgumentError("expected {\"rules\": [...]}");
  }
  std::vector<MerchandisingRule> rules;
  try {
    for (size_t i = 0; i < doc["rules"].size(); ++i) {
      absl::StatusOr<MerchandisingRule> rule = ParseRule(doc["rules"][i], i);
      if (!rule.ok()) return rule.status();
      rules.push_back(*std::move(rule));
    }
  } catch (const Json::exception& e) {  // A wrongly typed optional field.
    return absl::InvalidArgumentError(absl::StrCat("bad rules: ", e.what()));
  }
  return rules;
}

}  // namespace storepilot::search

#include "api/merchandising_doc.h"

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace storepilot::api {
namespace {

using Json = nlohmann::json;

absl::Status ReadIds(const Json& doc, const char* key, std::vector<std::string>* out) {
  if (!doc.contains(key)) return absl::OkStatus();
  const Json& list = doc[key];
  if (!list.is_array()) return absl::InvalidArgumentError(absl::StrCat(key, " must be an array"));
  for (const Json& id : list) {
    if (!id.is_string() || id.get_ref<const std::string&>().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(key, " must hold product ids"));
    }
    out->push_back(id.get<std::string>());
  }
  return absl::OkStatus();
}

absl::Status ReadCap(const Json& doc, const char* key, int* out) {
  if (!doc.contains(key)) return absl::OkStatus();
  const Json& v = doc[key];
  if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 1000) {
    return absl::InvalidArgumentError(absl::StrCat(key, " must be an integer in [0, 1000]"));
  }
  *out = v.get<int>();
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<MerchandisingDoc> ParseMerchandisingDoc(std::string_view json) {
  Json doc = Json::parse(json.begin(), json.end(), nullptr, false);
  if (doc.is_discarded()) return absl::InvalidArgumentError("malformed JSON");
  if (!doc.is_object()) return absl::InvalidArgumentError("expected a JSON object");
  MerchandisingDoc out;
  recommend::MerchandisingRules& rec = out.recommend;
  if (absl::Status s = ReadIds(doc, "pinned", &rec.pinned); !s.ok()) return s;
  if (absl::Status s = ReadIds(doc, "hidden", &rec.hidden); !s.ok()) return s;
  if (absl::Status s = ReadCap(doc, "max_per_brand", &rec.max_per_brand); !s.ok()) return s;
  if (absl::Status s = ReadCap(doc, "max_per_category", &rec.max_per_category); !s.ok()) {
    return s;
  }
  Json rules = doc.contains("rules") ? doc["rules"] : Json::array();
  auto parsed = search::ParseMerchandisingRules(Json{{"rules", rules}}.dump());
  if (!parsed.ok()) return parsed.status();
  out.search = *std::move(parsed);
  if (!rec.hidden.empty()) {
    search::MerchandisingRule hide;
    hide.id = "global-hidden";
    hide.match = search::MerchandisingRule::QueryMatch::kAny;
    hide.hides = rec.hidden;
    out.search.push_back(std::move(hide));
  }
  if (!rec.pinned.empty()) {
    search::MerchandisingRule pin;
    pin.id = "global-pinned";
    pin.match = search::MerchandisingRule::QueryMatch::kExact;  // query "": browsing
    for (size_t i = 0; i < rec.pinned.size(); ++i) pin.pins.emplace_back(rec.pinned[i], i + 1);
    out.search.push_back(std::move(pin));
  }
  out.canonical_json = Json{{"pinned", rec.pinned},
                            {"hidden", rec.hidden},
                            {"max_per_brand", rec.max_per_brand},
                            {"max_per_category", rec.max_per_category},
                            {"rules", rules}}
                           .dump();
  return out;
}

}  // namespace storepilot::api

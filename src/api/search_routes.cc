// Search: GET .../search (typo-tolerant, faceted, merchandised, personalised
// with the shopper's recent products), suggestions, and synonyms.
#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "api/config_append.h"
#include "api/search_learning.h"
#include "api/service.h"
#include "api/shop_engines.h"
#include "api/status_http.h"
#include "search/synonyms.h"

namespace storepilot::api {
namespace {

// Recent products that shape a shopper's affinities.
constexpr int kAffinityItems = 20;
constexpr size_t kMaxSuggestions = 50;

absl::Status ParseCount(const HttpRequest& req, const char* name, size_t* out) {
  const std::string text = req.Query(name);
  if (text.empty()) return absl::OkStatus();
  if (!absl::SimpleAtoi(text, out)) {
    return absl::InvalidArgumentError(std::string(name) + " must be a positive integer");
  }
  return absl::OkStatus();
}

absl::StatusOr<search::SearchRequest> ParseSearchRequest(const HttpRequest& req) {
  search::SearchRequest out;
  out.query = req.Query("q");
  auto filters = search::ParseFilters(req.Query("filter"));
  if (!filters.ok()) return filters.status();
  out.filters = *std::move(filters);
  const std::string facets = req.Query("facets");
  for (absl::string_view f : absl::StrSplit(facets, ',', absl::SkipEmpty())) {
    out.facets.emplace_back(f);
  }
  auto sort = search::ParseSortOrder(req.Query("sort"));
  if (!sort.ok()) return sort.status();
  out.sort = *sort;
  if (absl::Status s = ParseCount(req, "page", &out.page); !s.ok()) return s;
  if (absl::Status s = ParseCount(req, "per_page", &out.per_page); !s.ok()) return s;
  const std::string typo = req.Query("typo_tolerance");
  if (typo == "false" || typo == "0") out.typo_tolerance = false;
  return out;
}

// Brand and category affinities (share of the recent products, the most
// frequent = 1) and the price band of what the shopper looked at.
search::Affinities AffinitiesFor(const catalog::Catalog& catalog, const std::string& shop,
                                 const std::vector<std::string>& recent) {
  search::Affinities out;
  std::map<std::string, float> brands, categories;
  std::vector<double> prices;
  for (const std::string& id : recent) {
    auto p = catalog.Get(shop, id);
    if (p == nullptr) continue;
    if (!p->brand.empty()) brands[p->brand] += 1;
    if (!p->category.empty()) categories[p->category.back()] += 1;
    if (p->price > 0) prices.push_back(p->price);
  }
  auto normalise = [](const std::map<std::string, float>& counts,
                      std::vector<std::pair<std::string, float>>* out) {
    float max = 0;
    for (const auto& [k, c] : counts) max = std::max(max, c);
    for (const auto& [k, c] : counts) out->emplace_back(k, c / max);
  };
  normalise(brands, &out.brands);
  normalise(categories, &out.categories);
  if (prices.size() >= 3) {
    auto [lo, hi] = std::minmax_element(prices.begin(), prices.end());
    out.price_low = *lo;
    out.price_high = *hi;
  }
  return out;
}

}  // namespace

void ApiService::Search(CallPtr call) {
  auto engines = EnginesFor(call);
  if (!engines.ok()) return call->respond(ErrorResponse(engines.status()));
  auto request = ParseSearchRequest(call->req);
  if (!request.ok()) return call->respond(ErrorResponse(request.status()));
  // Under overload (docs/overload.md): exact words only, no relaxation and
  // no personalisation, the cheaper ranking.
  const bool degraded = call->req.degrade;
  if (degraded) {
    request->typo_tolerance = false;
    request->min_results = 0;
  }
  const std::string user = call->req.Query("user_id");
  const std::string session = call->req.Query("session_id");
  if (!degraded && (!user.empty() || !session.empty())) {
    std::vector<std::string> recent =
        (*engines)->recommend->RecentProducts(user, session, kAffinityItems);
    search::Affinities a = AffinitiesFor(*deps_.catalog, call->Param("shop"), recent);
    if (!a.empty()) request->affinities = std::move(a);
  }
  auto response = (*engines)->search->Search(*request);
  if (!response.ok()) return call->respond(ErrorResponse(response.status()));
  if (!request->query.empty()) {
    // A corrected typo is suggested in its corrected form.
    (*engines)->search->RecordQuery(
        response->corrected_query.empty() ? request->query : response->corrected_query,
        response->total);
  }
  std::string model = "bm25f";
  if (response->conversion_boost) model += "+conversion";
  if (response->ranker_version > 0) model += "+ltr";
  if (request->affinities) model += "+personalised";
  (*engines)->quality.Served(call->req.request_id, "search", "search", model);
  nlohmann::json items = nlohmann::json::array();
  for (const search::SearchHit& hit : response->hits) {
    items.push_back(
        {{"product_id", hit.product_id}, {"score", hit.score}, {"highlights", hit.highlights}});
  }
  nlohmann::json facets = nlohmann::json::object();
  for (const search::FacetResult& f : response->facets) {
    nlohmann::json values = nlohmann::json::array();
    for (const search::FacetValueCount& v : f.values) {
      values.push_back({{"value", v.value}, {"count", v.count}});
    }
    facets[f.name] = std::move(values);
  }
  nlohmann::json body = {{"request_id", call->req.request_id},
                         {"total", response->total},
                         {"items", std::move(items)},
                         {"facets", std::move(facets)},
                         {"corrected_query", nullptr},
                         {"relaxed", response->relaxed},
                         {"degraded", degraded},
                         {"model", model}};
  if (!response->corrected_query.empty()) body["corrected_query"] = response->corrected_query;
  if (!request->query.empty() && request->page == 1 && !response->hits.empty()) {
    // The served list is the learning-to-rank stage's impression
    // (api/search_learning.h); appended before the answer, so a click
    // citing it follows it in the log; nobody waits for it.
    std::vector<std::string> served;
    for (const search::SearchHit& hit : response->hits) served.push_back(hit.product_id);
    std::vector<store::AppendItem> items;
    items.push_back(SearchServedRecord(call->req.request_id, request->query,
                                       deps_.clock->NowMillis(), served));
    deps_.log->Append(call->Param("shop"), std::move(items),
                      [](absl::StatusOr<store::AppendResult>) {});
  }
  call->respond(JsonResponse(200, body));
}

void ApiService::SearchSuggest(CallPtr call) {
  auto engines = EnginesFor(call);
  if (!engines.ok()) return call->respond(ErrorResponse(engines.status()));
  size_t limit = 10;
  if (absl::Status s = ParseCount(call->req, "limit", &limit); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  if (limit == 0 || limit > kMaxSuggestions) {
    return call->respond(ErrorResponse(absl::InvalidArgumentError("limit must be in [1, 50]")));
  }
  const std::string q = call->req.Query("q");
  if (q.size() > 256) {
    return call->respond(ErrorResponse(absl::InvalidArgumentError("q longer than 256 bytes")));
  }
  call->respond(JsonResponse(
      200, {{"q", q}, {"suggestions", (*engines)->search->Suggest(q, limit)}}));
}

void ApiService::PutSynonyms(CallPtr call) {
  auto engines = EnginesFor(call);
  if (!engines.ok()) return call->respond(ErrorResponse(engines.status()));
  auto synonyms = search::SynonymSet::FromJson(call->req.body);
  if (!synonyms.ok()) return call->respond(ErrorResponse(synonyms.status()));
  // Stored compactly; FromJson accepted it, so it parses.
  std::string payload = nlohmann::json::parse(call->req.body).dump();
  AppendConfigAndAnswer(deps_.log, call->Param("shop"), store::RecordType::kSearchSynonyms,
                        std::move(payload), call,
                        JsonResponse(200, {{"rules", synonyms->size()}}));
}

void ApiService::GetSynonyms(CallPtr call) {
  auto engines = EnginesFor(call);
  if (!engines.ok()) return call->respond(ErrorResponse(engines.status()));
  HttpResponse r;
  {
    absl::MutexLock lock(&(*engines)->config_mu);
    r.body = (*engines)->synonyms_json;
  }
  if (r.body.empty()) r.body = R"({"synonyms":[]})";
  call->respond(std::move(r));
}

}  // namespace storepilot::api

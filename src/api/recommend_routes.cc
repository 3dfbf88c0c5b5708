// Recommendations: GET .../recommendations, its online quality, and the
// merchandising document shared with search.
#include <map>

#include "absl/strings/numbers.h"
#include "api/config_append.h"
#include "api/merchandising_doc.h"
#include "api/service.h"
#include "api/shop_engines.h"
#include "api/status_http.h"

namespace storepilot::api {
namespace {

constexpr std::string_view kSurface = "recommendations";

absl::StatusOr<recommend::RecommendRequest> ParseRecommendRequest(const HttpRequest& req) {
  recommend::RecommendRequest out;
  const std::string placement = req.Query("placement");
  if (!placement.empty() && !recommend::ParsePlacement(placement, &out.placement)) {
    return absl::InvalidArgumentError("placement must be home, product, cart or checkout");
  }
  const std::string n = req.Query("n");
  if (!n.empty() && !absl::SimpleAtoi(n, &out.n)) {
    return absl::InvalidArgumentError("n must be an integer");
  }
  out.user_id = req.Query("user_id");
  out.session_id = req.Query("session_id");
  out.product_id = req.Query("product_id");
  out.category = req.Query("category");
  out.context.country = req.Query("country");
  out.context.device = req.Query("device");
  return out;
}

nlohmann::json ItemJson(const recommend::RecommendedItem& item) {
  nlohmann::json reason = {{"type", recommend::ReasonTypeName(item.reason.type)},
                           {"text", recommend::DescribeReason(item.reason)}};
  if (!item.reason.product_id.empty()) reason["product_id"] = item.reason.product_id;
  if (!item.reason.detail.empty()) reason["detail"] = item.reason.detail;
  return {{"product_id", item.product_id}, {"score", item.score}, {"reason", std::move(reason)}};
}

}  // namespace

absl::StatusOr<ShopEngineSet*> ApiService::EnginesFor(const CallPtr& call) {
  const std::string shop = call->Param("shop");
  if (absl::Status s = AuthorizeShop(call->req, shop); !s.ok()) return s;
  if (deps_.engines == nullptr) {
    return absl::UnavailableError("recommendations and search are not enabled");
  }
  return deps_.engines->ForShop(shop);
}

void ApiService::GetRecommendations(CallPtr call) {
  auto engines = EnginesFor(call);
  if (!engines.ok()) return call->respond(ErrorResponse(engines.status()));
  auto request = ParseRecommendRequest(call->req);
  if (!request.ok()) return call->respond(ErrorResponse(request.status()));
  // Under overload (docs/overload.md) the shopper's session and history are
  // left out: the answer comes from the cheap context-trending and item
  // sources instead of the session and sequence models.
  const bool degraded = call->req.degrade;
  if (degraded) {
    request->user_id.clear();
    request->session_id.clear();
  }
  auto response = (*engines)->recommend->Recommend(*request);
  if (!response.ok()) return call->respond(ErrorResponse(response.status()));
  const std::string placement(recommend::PlacementName(request->placement));
  (*engines)->quality.Served(call->req.request_id, std::string(kSurface), placement,
                             response->model);
  nlohmann::json items = nlohmann::json::array();
  for (const recommend::RecommendedItem& item : response->items) items.push_back(ItemJson(item));
  call->respond(JsonResponse(200, {{"request_id", call->req.request_id},
                                   {"model", response->model},
                                   {"placement", placement},
                                   {"degraded", degraded},
                                   {"items", std::move(items)}}));
}

void ApiService::GetRecommendationQuality(CallPtr call) {
  auto engines = EnginesFor(call);
  if (!engines.ok()) return call->respond(ErrorResponse(engines.status()));
  auto ratio = [](uint64_t num, uint64_t den) { return den == 0 ? 0.0 : double(num) / den; };
  nlohmann::json rows = nlohmann::json::array();
  std::map<std::string, QualityRow> by_placement;
  for (const QualityRow& r : (*engines)->quality.Rows(std::string(kSurface))) {
    rows.push_back({{"placement", r.placement}, {"model", r.model}, {"served", r.served},
                    {"impressions", r.impressions}, {"clicks", r.clicks},
                    {"purchases", r.purchases},
                    {"ctr", ratio(r.clicks, r.impressions > 0 ? r.impressions : r.served)},
                    {"conversion", ratio(r.purchases, r.served)}});
    QualityRow& total = by_placement[r.placement];
    total.served += r.served;
    total.impressions += r.impressions;
    total.clicks += r.clicks;
    total.purchases += r.purchases;
  }
  nlohmann::json placements = nlohmann::json::object();
  for (const auto& [name, r] : by_placement) {
    placements[name] = {{"served", r.served}, {"impressions", r.impressions},
                        {"clicks", r.clicks}, {"purchases", r.purchases},
                        {"ctr", ratio(r.clicks, r.impressions > 0 ? r.impressions : r.served)},
                        {"conversion", ratio(r.purchases, r.served)}};
  }
  call->respond(JsonResponse(200, {{"models", std::move(rows)},
                                   {"placements", std::move(placements)}}));
}

void ApiService::PostRecommendationRetrain(CallPtr call) {
  auto engines = EnginesFor(call);
  if (!engines.ok()) return call->respond(ErrorResponse(engines.status()));
  auto report = deps_.engines->Retrain(call->Param("shop"));
  if (!report.ok()) return call->respond(ErrorResponse(report.status()));
  nlohmann::json body = {{"replaced", report->replaced},
                         {"users", report->users},
                         {"validation_users", report->validation_users},
                         {"candidate_ndcg", report->candidate_ndcg}};
  body["serving_ndcg"] = report->serving_ndcg >= 0 ? nlohmann::json(report->serving_ndcg)
                                                   : nlohmann::json(nullptr);
  call->respond(JsonResponse(200, std::move(body)));
}

void ApiService::PutMerchandising(CallPtr call) {
  auto engines = EnginesFor(call);
  if (!engines.ok()) return call->respond(ErrorResponse(engines.status()));
  auto doc = ParseMerchandisingDoc(call->req.body);
  if (!doc.ok()) return call->respond(ErrorResponse(doc.status()));
  HttpResponse ok = JsonResponse(200, nlohmann::json::parse(doc->canonical_json));
  AppendConfigAndAnswer(deps_.log, call->Param("shop"), store::RecordType::kMerchandisingRules,
                        doc->canonical_json, call, std::move(ok));
}

void ApiService::GetMerchandising(CallPtr call) {
  auto engines = EnginesFor(call);
  if (!engines.ok()) return call->respond(ErrorResponse(engines.status()));
  std::string json;
  {
    absl::MutexLock lock(&(*engines)->config_mu);
    json = (*engines)->merchandising_json;
  }
  if (json.empty()) json = ParseMerchandisingDoc("{}")->canonical_json;
  HttpResponse r;
  r.body = std::move(json);
  call->respond(std::move(r));
}

}  // namespace storepilot::api

// GET /v1/shops/{shop}/search/quality: the learned ranking's state (the
// learning-to-rank model in service, its last training, the query signals)
// and the online click-through of search responses per ranking model.
#include "api/search_learning.h"
#include "api/service.h"
#include "api/shop_engines.h"
#include "api/status_http.h"

namespace storepilot::api {

void ApiService::GetSearchQuality(CallPtr call) {
  auto engines = EnginesFor(call);
  if (!engines.ok()) return call->respond(ErrorResponse(engines.status()));
  const search::SearchEngine& engine = *(*engines)->search;
  const search::RankerStatus ranker = engine.Ranker();
  const search::QuerySignalsStats signals = engine.SignalStats();
  nlohmann::json last = nullptr;
  if (deps_.search_learning != nullptr) {
    if (auto a = deps_.search_learning->LastAttempt(call->Param("shop"))) {
      last = {{"time_ms", a->time_ms},
              {"outcome", a->outcome},
              {"message", a->message},
              {"seconds", a->seconds},
              {"labelled_searches", a->report.labelled_searches},
              {"training_searches", a->report.training_searches},
              {"validation_searches", a->report.validation_searches},
              {"validation_ndcg_at_10", a->report.validation_ndcg},
              {"serving_ndcg_at_10", a->report.serving_ndcg}};
    }
  }
  auto ratio = [](uint64_t num, uint64_t den) { return den == 0 ? 0.0 : double(num) / den; };
  nlohmann::json online = nlohmann::json::array();
  for (const QualityRow& r : (*engines)->quality.Rows("search")) {
    online.push_back({{"model", r.model}, {"served", r.served}, {"clicks", r.clicks},
                      {"purchases", r.purchases},
                      {"ctr", ratio(r.clicks, r.impressions > 0 ? r.impressions : r.served)},
                      {"conversion", ratio(r.purchases, r.served)}});
  }
  nlohmann::json body = {
      {"ranker",
       {{"active", ranker.version > 0},
        {"version", ranker.version},
        {"trained_at_ms", ranker.trained_at_ms},
        {"training_searches", ranker.training_searches},
        {"validation_searches", ranker.validation_searches},
        {"validation_ndcg_at_10", ranker.validation_ndcg},
        {"replaced_ndcg_at_10", ranker.serving_ndcg}}},
      {"last_training", std::move(last)},
      {"signals",
       {{"queries", signals.queries},
        {"served_searches", signals.requests},
        {"labelled_searches", signals.labelled_requests},
        {"clicks", signals.clicks},
        {"conversions", signals.conversions}}},
      {"online", std::move(online)}};
  call->respond(JsonResponse(200, body));
}

}  // namespace storepilot::api

// The fraud API: on-demand order risk, labels and merchant rules. Scoring runs
// on the server thread that took the request (requests are scored in
// parallel; each score is single-threaded); labels and rules go through the
// log and are answered once applied. See docs/fraud.md.
#include <cmath>

#include "absl/strings/ascii.h"
#include "api/service.h"
#include "api/status_http.h"
#include "common/time_util.h"
#include "fraud/fraud_hub.h"
#include "fraud/order_json.h"

namespace storepilot::api {
namespace {

using nlohmann::json;

double Round1(double v) { return std::round(v * 10) / 10; }

json AssessmentJson(const fraud::RiskAssessment& a) {
  json facts = json::array();
  for (const fraud::Reason& r : a.reasons) {
    json fact = {{"description", r.message},
                 {"sentiment", fraud::SentimentName(r.sentiment)},
                 {"feature", r.feature},
                 {"contribution", Round1(r.contribution)}};
    fact["value"] = std::isnan(r.value) ? json() : json(r.value);
    facts.push_back(std::move(fact));
  }
  return {{"order_id", a.order_id},
          {"score", Round1(a.score)},
          {"level", fraud::RiskLevelName(a.level)},
          {"recommendation", fraud::RecommendationName(a.recommendation)},
          {"rules_fired", a.fired_rules},
          {"facts", std::move(facts)},
          {"base_score", Round1(a.base_score)},
          {"model_version", a.model_version}};
}

bool BlankBody(const std::string& body) {
  return absl::StripAsciiWhitespace(body).empty();
}

// Appends `items` for `shop`; answers `success` once every sink applied them.
void AppendThenAnswer(store::EventLog* log, const std::string& shop, store::AppendItem item,
                      ApiService::CallPtr call, HttpResponse success) {
  std::vector<store::AppendItem> items;
  items.push_back(std::move(item));
  log->Append(
      shop, std::move(items),
      [call, success = std::move(success)](absl::StatusOr<store::AppendResult> r) mutable {
        call->respond(r.ok() ? std::move(success) : ErrorResponse(r.status()));
      },
      /*wait_applied=*/true);
}

}  // namespace

absl::Status ApiService::AuthorizeFraud(const HttpRequest& req, const std::string& shop) const {
  if (deps_.fraud == nullptr) return absl::UnimplementedError("fraud scoring is not enabled");
  return AuthorizeShop(req, shop);
}

void ApiService::PostOrderRisk(CallPtr call) {
  const std::string shop = call->Param("shop");
  const std::string order_id = call->Param("order_id");
  if (absl::Status s = AuthorizeFraud(call->req, shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  if (BlankBody(call->req.body)) {
    auto stored = deps_.fraud->Rescore(shop, order_id);
    if (!stored.ok()) return call->respond(ErrorResponse(stored.status()));
    return call->respond(JsonResponse(200, AssessmentJson(*stored)));
  }
  json body = json::parse(call->req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return call->respond(
        ErrorResponse(absl::InvalidArgumentError("the body must be an order JSON object")));
  }
  if (!body.contains("id") || body["id"].is_null()) body["id"] = order_id;
  auto order = fraud::OrderFromJson(body);
  if (!order.ok()) return call->respond(ErrorResponse(order.status()));
  if (order_id.find_first_of("\r\n") != std::string::npos) {
    return call->respond(
        ErrorResponse(absl::InvalidArgumentError("order ids cannot contain line breaks")));
  }
  if (order->order_id != order_id) {
    return call->respond(ErrorResponse(absl::InvalidArgumentError(
        "the body's id '" + order->order_id + "' is not the path's '" + order_id + "'")));
  }
  const bool known = deps_.fraud->KnowsOrder(shop, order_id);
  auto assessment = deps_.fraud->ScoreOrder(shop, *order);
  // A new order is recorded through the log so that a restart observes it
  // again. The score is answered without waiting for the fsync: it is a read
  // of the engine's state, and the engine has recorded the order already.
  if (!known) deps_.log->Append(shop, {fraud::FraudOrderRecord(order_id, body)}, [](auto) {});
  if (!assessment.ok()) return call->respond(ErrorResponse(assessment.status()));
  call->respond(JsonResponse(200, AssessmentJson(*assessment)));
}

void ApiService::GetOrderRisk(CallPtr call) {
  const std::string shop = call->Param("shop");
  if (absl::Status s = AuthorizeFraud(call->req, shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  auto stored = deps_.fraud->StoredAssessment(shop, call->Param("order_id"));
  if (!stored.ok()) return call->respond(ErrorResponse(stored.status()));
  call->respond(JsonResponse(200, AssessmentJson(*stored)));
}

void ApiService::PostOrderLabel(CallPtr call) {
  const std::string shop = call->Param("shop");
  const std::string order_id = call->Param("order_id");
  if (absl::Status s = AuthorizeFraud(call->req, shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  json body = json::parse(call->req.body, nullptr, false);
  if (!body.is_object() || !body.value("fraud", json()).is_boolean()) {
    return call->respond(ErrorResponse(absl::InvalidArgumentError(
        "expected {\"fraud\": true|false, \"source\": \"chargeback\"}")));
  }
  const json source = body.value("source", json("manual"));
  if (!source.is_string() || source.get<std::string>().size() > 64) {
    return call->respond(ErrorResponse(
        absl::InvalidArgumentError("source must be a string of at most 64 characters")));
  }
  if (!deps_.fraud->KnowsOrder(shop, order_id)) {
    return call->respond(ErrorResponse(absl::NotFoundError(
        "order " + order_id + " is not known to the fraud engine (score it first)")));
  }
  const bool fraud = body["fraud"].get<bool>();
  const int64_t now = deps_.clock->NowMillis();
  json answer = {{"order_id", order_id},
                 {"fraud", fraud},
                 {"source", source},
                 {"labelled_at", FormatRfc3339Millis(now)}};
  AppendThenAnswer(deps_.log, shop,
                   fraud::FraudLabelRecord(order_id, fraud, source.get<std::string>(), now), call,
                   JsonResponse(200, answer));
}

void ApiService::PutFraudRules(CallPtr call) {
  const std::string shop = call->Param("shop");
  if (absl::Status s = AuthorizeFraud(call->req, shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  auto rules = fraud::RuleSet::Parse(call->req.body);
  if (!rules.ok()) return call->respond(ErrorResponse(rules.status()));
  json texts = json::array();
  for (size_t i = 0; i < rules->size(); ++i) texts.push_back(rules->text(i));
  AppendThenAnswer(deps_.log, shop, fraud::FraudRulesRecord(call->req.body), call,
                   JsonResponse(200, {{"rules", std::move(texts)}}));
}

void ApiService::GetFraudRules(CallPtr call) {
  const std::string shop = call->Param("shop");
  if (absl::Status s = AuthorizeFraud(call->req, shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  HttpResponse r;
  r.content_type = "text/plain; charset=utf-8";
  r.body = deps_.fraud->RulesText(shop);
  call->respond(std::move(r));
}

void ApiService::PostFraudRetrain(CallPtr call) {
  const std::string shop = call->Param("shop");
  if (absl::Status s = AuthorizeFraud(call->req, shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  auto result = deps_.fraud->Retrain(shop);
  if (!result.ok()) return call->respond(ErrorResponse(result.status()));
  call->respond(JsonResponse(200, {{"swapped", result->swapped},
                                   {"candidate_version", result->version},
                                   {"model_version", deps_.fraud->EngineFor(shop)->model()
                                                         ? deps_.fraud->EngineFor(shop)
                                                               ->model()
                                                               ->version()
                                                         : ""},
                                   {"train_rows", result->train_rows},
                                   {"validation_rows", result->validation_rows}}));
}

}  // namespace storepilot::api

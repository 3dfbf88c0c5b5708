// The fraud API: on-demand order risk, labels and merchant rules. Scoring runs
// on the server thread that took the request (requests are scored in
// parallel; each score is single-threaded); labels and rules go through the
// log and are answered once applied. See docs/fraud.md.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "api/service.h"
#include "api/status_http.h"
#include "common/time_util.h"
#include "fraud/fraud_hub.h"
#include "fraud/order_json.h"

namespace storepilot::api {
namespace {

using nlohmann::json;

double Round1(double v) { return std::round(v * 10) / 10; }

// The risk answer is written directly rather than built as a JSON document and
// dumped: it is on the scoring path of every order (a DOM of ~40 nodes cost
// as much as the feature lookup). Output is what nlohmann::json's dump gave.
void AppendJsonString(std::string* out, std::string_view s) {
  const bool plain = std::all_of(s.begin(), s.end(), [](char c) {
    return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
  });
  if (plain) {
    out->push_back('"');
    out->append(s);
    out->push_back('"');
    return;
  }
  // Escapes, and invalid UTF-8 replaced, as everywhere else (JsonResponse).
  out->append(json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace));
}

// Shortest round-trip form, with ".0" on integral values as nlohmann::json.
void AppendJsonNumber(std::string* out, double v) {
  if (!std::isfinite(v)) {
    out->append("null");
    return;
  }
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  std::string_view text(buf, ec == std::errc() ? static_cast<size_t>(end - buf) : 0);
  out->append(text);
  if (text.find_first_of(".e") == std::string_view::npos) out->append(".0");
}

std::string AssessmentBody(const fraud::RiskAssessment& a) {
  std::string out;
  out.reserve(512 + 160 * a.reasons.size());
  out.append("{\"base_score\":");
  AppendJsonNumber(&out, Round1(a.base_score));
  out.append(",\"facts\":[");
  for (size_t i = 0; i < a.reasons.size(); ++i) {
    const fraud::Reason& r = a.reasons[i];
    out.append(i == 0 ? "{\"contribution\":" : ",{\"contribution\":");
    AppendJsonNumber(&out, Round1(r.contribution));
    out.append(",\"description\":");
    AppendJsonString(&out, r.message);
    out.append(",\"feature\":");
    AppendJsonString(&out, r.feature);
    absl::StrAppend(&out, ",\"sentiment\":\"", fraud::SentimentName(r.sentiment), "\",\"value\":");
    AppendJsonNumber(&out, r.value);  // NaN (missing) is null.
    out.push_back('}');
  }
  absl::StrAppend(&out, "],\"level\":\"", fraud::RiskLevelName(a.level),
                  "\",\"model_version\":");
  AppendJsonString(&out, a.model_version);
  out.append(",\"order_id\":");
  AppendJsonString(&out, a.order_id);
  absl::StrAppend(&out, ",\"recommendation\":\"", fraud::RecommendationName(a.recommendation),
                  "\",\"rules_fired\":[");
  for (size_t i = 0; i < a.fired_rules.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendJsonString(&out, a.fired_rules[i]);
  }
  out.append("],\"score\":");
  AppendJsonNumber(&out, Round1(a.score));
  out.push_back('}');
  return out;
}

HttpResponse AssessmentResponse(const fraud::RiskAssessment& a) {
  HttpResponse r;
  r.status = 200;
  r.body = AssessmentBody(a);
  return r;
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
    return call->respond(AssessmentResponse(*stored));
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
  // again, in batches (FraudHub::RecordOrder). The score is answered without
  // waiting for the fsync: it is a read of the engine's state, and the engine
  // has recorded the order already. The record is the body as received.
  if (!known) deps_.fraud->RecordOrder(shop, fraud::FraudOrderRecordFromText(order_id, call->req.body));
  if (!assessment.ok()) return call->respond(ErrorResponse(assessment.status()));
  call->respond(AssessmentResponse(*assessment));
}

void ApiService::GetOrderRisk(CallPtr call) {
  const std::string shop = call->Param("shop");
  if (absl::Status s = AuthorizeFraud(call->req, shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  auto stored = deps_.fraud->StoredAssessment(shop, call->Param("order_id"));
  if (!stored.ok()) return call->respond(ErrorResponse(stored.status()));
  call->respond(AssessmentResponse(*stored));
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
  // The order's own record, if still batched, goes to the log first.
  deps_.fraud->FlushOrderRecords();
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

// Admission control on the wire: the server's hook (decided on a request's
// head), POST /v1/admission/decide for gateways protecting other services,
// and GET /v1/shops/{shop}/customers/{id}/value.

#include <array>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "api/admission_http.h"
#include "api/service.h"
#include "api/status_http.h"
#include "nlohmann/json.hpp"

namespace storepilot::api {

HttpResponse ShedResponse(const overload::Decision& d) {
  const bool critical = d.cls == overload::RequestClass::kCritical;
  const std::string cls(overload::ClassName(d.cls));
  absl::Status status =
      critical ? absl::UnavailableError(absl::StrCat("overloaded: even critical requests are "
                                                     "being shed; retry after ",
                                                     d.retry_after_s, " s"))
               : absl::ResourceExhaustedError(absl::StrCat("overloaded: ", cls,
                                                           " requests are being shed; retry after ",
                                                           d.retry_after_s, " s"));
  HttpResponse r = ErrorResponse(
      status, nlohmann::json::array({{{"class", cls},
                                      {"reason", std::string(overload::ReasonName(d.reason))},
                                      {"retry_after_s", d.retry_after_s}}}));
  r.headers.emplace_back("Retry-After", std::to_string(d.retry_after_s));
  return r;
}

AdmissionHook MakeAdmissionHook(overload::AdmissionController* controller, bool queue_heavy) {
  // The shed answers depend only on the class and the reason (level, limit,
  // queue): built once, so that refusing a request costs a copy, not a JSON
  // serialisation.
  using Reason = overload::Decision::Reason;
  constexpr std::array<Reason, 3> kReasons = {Reason::kLevel, Reason::kLimit, Reason::kQueue};
  using Answers = std::array<std::array<HttpResponse, kReasons.size()>, overload::kNumClasses>;
  auto answers = std::make_shared<Answers>();
  for (int c = 0; c < overload::kNumClasses; ++c) {
    for (size_t r = 0; r < kReasons.size(); ++r) {
      overload::Decision d;
      d.admit = false;
      d.cls = static_cast<overload::RequestClass>(c);
      d.reason = kReasons[r];
      d.retry_after_s = controller->options().retry_after_s[c];
      (*answers)[c][r] = ShedResponse(d);
    }
  }
  return [controller, answers, queue_heavy](const HttpRequest& head) {
    overload::Classification c =
        overload::Classify(head.method, head.Path(), head.Header("x-storepilot-priority"));
    overload::Identity who = overload::ExtractIdentity(
        head.target, head.Header("x-storepilot-customer"), head.Header("x-storepilot-session"));
    std::unique_ptr<overload::AdmissionController::Ticket> ticket;
    overload::Decision d = controller->Admit(c, who, &ticket);
    AdmissionVerdict v;
    v.admit = d.admit;
    v.priority_class = std::string(overload::ClassName(d.cls));
    v.degrade = d.degrade;
    v.queue = d.admit && queue_heavy && !d.exempt &&
              (d.cls == overload::RequestClass::kNormal || d.cls == overload::RequestClass::kLow);
    if (!d.admit || v.queue) {
      v.rejection = (*answers)[static_cast<int>(d.cls)]
                               [!d.admit ? (d.reason == Reason::kLimit ? 1 : 0) : 2];
      std::string_view id = head.Header("x-request-id");
      if (!id.empty() && id.size() <= 128) v.rejection.headers.emplace_back("X-Request-Id", id);
    }
    if (v.queue) {
      v.priority = d.priority;
      if (ticket) ticket->SkipLatencySample();
      // Dropped from the queue: counted as shed (it was counted admitted at the door).
      auto cls = d.cls;
      v.on_expired = [controller, cls] { controller->OnQueueExpired(cls); };
    }
    v.slot = std::shared_ptr<overload::AdmissionController::Ticket>(std::move(ticket));
    return v;
  };
}

namespace {

std::string StringField(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  return it != body.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

void ApiService::AdmissionDecide(CallPtr call) {
  nlohmann::json body = nlohmann::json::parse(call->req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return call->respond(ErrorResponse(absl::InvalidArgumentError("body must be a JSON object")));
  }
  nlohmann::json problems = nlohmann::json::array();
  for (const char* field : {"service", "class", "customer_id", "session_id", "shop"}) {
    if (body.contains(field) && !body[field].is_string() && !body[field].is_null()) {
      problems.push_back({{"field", field}, {"problem", "must be a string"}});
    }
  }
  const std::string service = StringField(body, "service");
  if (service.empty()) problems.push_back({{"field", "service"}, {"problem", "required"}});
  auto cls = overload::ParseClass(StringField(body, "class"));
  if (!cls) {
    problems.push_back({{"field", "class"}, {"problem", "must be critical, high, normal or low"}});
  }
  if (!problems.empty()) {
    return call->respond(
        ErrorResponse(absl::InvalidArgumentError("invalid decide request"), problems));
  }
  overload::Identity who{StringField(body, "shop"), StringField(body, "customer_id"),
                         StringField(body, "session_id")};
  // A shop's token decides for its own shop's customers; the admin token for any.
  if (absl::Status s = AuthorizeAdmin(call->req); !s.ok()) {
    if (who.shop.empty() || !AuthorizeShop(call->req, who.shop).ok()) {
      return call->respond(ErrorResponse(s));
    }
  }
  if (deps_.admission == nullptr) {
    return call->respond(
        ErrorResponse(absl::FailedPreconditionError("admission control is not configured")));
  }
  overload::Decision d = deps_.admission->DecideExternal({*cls, false}, who);
  nlohmann::json out = {{"decision", d.admit ? "admit" : "shed"},
                        {"admit", d.admit},
                        {"service", service},
                        {"class", std::string(overload::ClassName(d.cls))},
                        {"user_priority", d.user_priority},
                        {"priority", d.priority},
                        {"level", d.level},
                        {"degrade", d.degrade},
                        {"reason", std::string(overload::ReasonName(d.reason))},
                        {"retry_after_s", d.retry_after_s}};
  // ?enforce=1: the status itself carries the decision (Envoy, Lua), 429 or
  // 503; ?enforce=403: 403 for NGINX auth_request, which only knows 2xx/401/403.
  const std::string enforce = call->req.Query("enforce");
  HttpResponse r = JsonResponse(200, out);
  if (!d.admit && !enforce.empty() && enforce != "0") {
    r.status = enforce == "403" ? 403 : d.cls == overload::RequestClass::kCritical ? 503 : 429;
    r.headers.emplace_back("Retry-After", std::to_string(d.retry_after_s));
  }
  r.headers.emplace_back("X-Admission", d.admit ? "admit" : "shed");
  call->respond(std::move(r));
}

void ApiService::CustomerValue(CallPtr call) {
  const std::string shop = call->Param("shop");
  if (absl::Status s = AuthorizeShop(call->req, shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  if (deps_.customer_values == nullptr) {
    return call->respond(
        ErrorResponse(absl::FailedPreconditionError("customer values are not configured")));
  }
  const std::string id = call->Param("id");
  overload::CustomerValue v = deps_.customer_values->Value(shop, id);
  call->respond(JsonResponse(
      200, {{"customer_id", id},
            {"known", v.known},
            {"orders", v.orders},
            {"monetary", v.monetary},
            {"last_purchase_ms", v.last_purchase_ms},
            {"recency", v.recency},
            {"frequency", v.frequency},
            {"monetary_score", v.monetary_score},
            {"score", v.score},
            {"user_priority", deps_.customer_values->UserPriority({shop, id, ""})}}));
}

}  // namespace storepilot::api

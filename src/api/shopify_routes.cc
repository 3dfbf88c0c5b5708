// The Shopify webhook receiver, the platform-neutral orders API and the
// privacy admin API (data-request exports, redaction audit).
//
// The receiver does no JSON parsing: it checks the signature over the raw
// body, appends the delivery to the log (deduplicated on the Shopify event
// id) and answers 200 once it is durable; ingest::ShopifyTranslator turns it
// into orders, products and events from the log.
#include "api/service.h"
#include "api/status_http.h"
#include "fraud/fraud_hub.h"
#include "ingest/order.h"
#include "ingest/shopify_delivery.h"
#include "ingest/shopify_translator.h"

namespace storepilot::api {
namespace {

// A Shopify header by its lower-cased name with the "x-" prefix:
// "X-Shopify-<name>" or the newer unprefixed "Shopify-<name>" (names are
// lower-cased by the server).
std::string_view ShopifyHeader(const HttpRequest& req, std::string_view prefixed) {
  std::string_view v = req.Header(prefixed);
  return v.empty() ? req.Header(prefixed.substr(2)) : v;
}

}  // namespace

void ApiService::CountWebhook(WebhookResult result) {
  std::atomic<observe::Counter*>& slot = webhook_counters_[size_t(result)];
  observe::Counter* counter = slot.load(std::memory_order_acquire);
  if (counter == nullptr) {
    static constexpr const char* kLabels[] = {"accepted", "duplicate", "unauthenticated",
                                              "bad_request"};
    static_assert(std::size(kLabels) == size_t(WebhookResult::kCount));
    // Two threads may both look it up: the registry returns the same series.
    counter = deps_.metrics->GetCounter("storepilot_shopify_webhooks_total",
                                        "Shopify deliveries received, by result",
                                        {{"result", kLabels[size_t(result)]}});
    slot.store(counter, std::memory_order_release);
  }
  counter->Inc();
}

void ApiService::ShopifyWebhook(CallPtr call) {
  const HttpRequest& req = call->req;
  ingest::ShopifyDelivery d;
  d.shop_domain = ShopifyHeader(req, "x-shopify-shop-domain");
  const std::string_view signature = ShopifyHeader(req, "x-shopify-hmac-sha256");
  if (signature.empty()) {
    CountWebhook(WebhookResult::kUnauthenticated);
    return call->respond(ErrorResponse(absl::UnauthenticatedError("missing HMAC signature")));
  }
  auto shop = ingest::ResolveShopDomain(*deps_.shops, d.shop_domain);
  if (!shop) {
    CountWebhook(WebhookResult::kUnauthenticated);
    return call->respond(ErrorResponse(absl::UnauthenticatedError("unknown shop domain")));
  }
  if (req.body.empty()) {
    CountWebhook(WebhookResult::kBadRequest);
    return call->respond(ErrorResponse(absl::InvalidArgumentError("empty body")));
  }
  if (!webhook_verifier_.Verify(shop->webhook_secret, req.body, signature)) {
    CountWebhook(WebhookResult::kUnauthenticated);
    return call->respond(ErrorResponse(absl::UnauthenticatedError("invalid HMAC signature")));
  }
  d.topic = ShopifyHeader(req, "x-shopify-topic");
  if (d.topic.empty() || d.topic.size() > 128) {
    CountWebhook(WebhookResult::kBadRequest);
    return call->respond(ErrorResponse(absl::InvalidArgumentError("missing topic header")));
  }
  d.webhook_id = ShopifyHeader(req, "x-shopify-webhook-id");
  d.event_id = ShopifyHeader(req, "x-shopify-event-id");
  d.triggered_at = ShopifyHeader(req, "x-shopify-triggered-at");
  d.api_version = ShopifyHeader(req, "x-shopify-api-version");
  d.body = std::move(call->req.body);
  // Orders scored on demand reach the log through the fraud hub's short
  // buffer, after they were answered. A redaction must come after every order
  // acknowledged before it arrived (or a buffered one would be applied after
  // the redaction and bring the order back), so those go to the log first.
  if (deps_.fraud != nullptr && (d.topic == "shop/redact" || d.topic == "customers/redact")) {
    deps_.fraud->FlushOrderRecords();
  }
  std::vector<store::AppendItem> items(1);
  items[0].type = store::RecordType::kWebhook;
  items[0].dedup_key = ingest::DeliveryDedupKey(d);
  items[0].payload = ingest::EncodeDelivery(d);
  deps_.log->Append(shop->shop, std::move(items),
                    [this, call](absl::StatusOr<store::AppendResult> r) {
                      if (!r.ok()) return call->respond(ErrorResponse(r.status()));
                      const bool duplicate = r->duplicates > 0;
                      CountWebhook(duplicate ? WebhookResult::kDuplicate : WebhookResult::kAccepted);
                      HttpResponse ok;
                      ok.body = duplicate ? R"({"status":"duplicate"})" : R"({"status":"ok"})";
                      call->respond(std::move(ok));
                    });
}

void ApiService::PostOrder(CallPtr call) {
  const std::string shop = call->Param("shop");
  if (absl::Status s = AuthorizeShop(call->req, shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  auto body = nlohmann::json::parse(call->req.body, nullptr, false);
  if (body.is_discarded()) {
    return call->respond(ErrorResponse(absl::InvalidArgumentError("malformed JSON")));
  }
  if (deps_.shopify == nullptr) {
    return call->respond(ErrorResponse(absl::UnimplementedError("orders are not enabled")));
  }
  auto order = ingest::CanonicalOrder(body, shop, deps_.shopify->hasher());
  if (!order.ok()) return call->respond(ErrorResponse(order.status()));
  std::vector<store::AppendItem> items(1);
  items[0].type = store::RecordType::kOrderUpsert;
  // Idempotent per order version: a repeat changes nothing, a newer
  // updated_at replaces the stored order.
  items[0].dedup_key = "order:" + (*order)["id"].get<std::string>() + "@" +
                       std::to_string(ingest::OrderVersionMillis(*order));
  items[0].payload = order->dump();
  deps_.log->Append(
      shop, std::move(items),
      [call, order = std::move(*order)](absl::StatusOr<store::AppendResult> r) {
        if (!r.ok()) return call->respond(ErrorResponse(r.status()));
        call->respond(JsonResponse(r->duplicates > 0 ? 200 : 201,
                                   {{"duplicate", r->duplicates > 0}, {"order", order}}));
      },
      /*wait_applied=*/true);
}

void ApiService::GetOrder(CallPtr call) {
  const std::string shop = call->Param("shop");
  if (absl::Status s = AuthorizeShop(call->req, shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  auto order = deps_.orders->Get(shop, call->Param("id"));
  if (!order) return call->respond(ErrorResponse(absl::NotFoundError("no such order")));
  call->respond(JsonResponse(200, *order));
}

void ApiService::GetCustomer(CallPtr call) {
  const std::string shop = call->Param("shop");
  if (absl::Status s = AuthorizeShop(call->req, shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  auto customer = deps_.shopify->Customer(shop, call->Param("id"));
  if (!customer) return call->respond(ErrorResponse(absl::NotFoundError("no such customer")));
  call->respond(JsonResponse(200, *customer));
}

void ApiService::GetDataRequest(CallPtr call) {
  if (absl::Status s = AuthorizeAdmin(call->req); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  auto out = deps_.shopify->DataRequest(call->Param("shop"), call->Param("id"));
  if (!out) return call->respond(ErrorResponse(absl::NotFoundError("no such data request")));
  call->respond(JsonResponse(200, *out));
}

void ApiService::GetRedactions(CallPtr call) {
  if (absl::Status s = AuthorizeAdmin(call->req); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  call->respond(JsonResponse(200, {{"redactions", deps_.shopify->Audit(call->Param("shop"))}}));
}

}  // namespace storepilot::api

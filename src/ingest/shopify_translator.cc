#include "ingest/shopify_translator.h"

#include <algorithm>

#include "common/time_util.h"
#include "ingest/internal/shopify_json.h"
#include "ingest/internal/shopify_order_decoder.h"

namespace storepilot::ingest {

using json = nlohmann::json;

ShopifyTranslator::ShopifyTranslator(ShopifyTranslatorDeps deps)
    : deps_(std::move(deps)), hasher_(deps_.shops) {
  for (store::RecordSink* sink : deps_.event_sinks) {
    decoded_sinks_.push_back(dynamic_cast<EventSink*>(sink));
  }
  if (deps_.metrics) {
    unknown_topics_ = deps_.metrics->GetCounter(
        "storepilot_shopify_unknown_topic_total",
        "Shopify deliveries with a topic storepilot does not translate (stored and acked)");
    redaction_seconds_ = deps_.metrics->GetHistogram(
        "storepilot_redaction_seconds", "Time to rewrite and compact the log for a redaction",
        {0.1, 0.5, 1, 2, 5, 10, 30, 60, 120});
  }
}

ShopifyTranslator::~ShopifyTranslator() { Stop(); }

void ShopifyTranslator::Count(const char* topic, const char* result) {
  if (!deps_.metrics) return;
  std::string key = std::string(topic) + "|" + result;
  std::lock_guard<std::mutex> lock(metrics_mu_);
  auto& c = counters_[key];
  if (!c) {
    c = deps_.metrics->GetCounter("storepilot_shopify_translated_total",
                                  "Shopify deliveries applied from the log, by topic and result",
                                  {{"topic", topic}, {"result", result}});
  }
  c->Inc();
}

void ShopifyTranslator::Apply(const store::LogRecord& record) {
  if (record.type == store::RecordType::kOrderUpsert) {
    auto order = json::parse(record.payload, nullptr, false);
    if (order.is_object()) ApplyOrder(record, order);
    return;
  }
  if (record.type == store::RecordType::kRedactionAudit) {
    auto entry = json::parse(record.payload, nullptr, false);
    std::lock_guard<std::mutex> lock(mu_);
    shops_[std::string(record.shop)].audit.push_back(std::move(entry));
    return;
  }
  if (record.type != store::RecordType::kWebhook) return;
  auto d = DecodeDelivery(record.payload);
  if (!d.ok()) return Count("other", "corrupt");
  ApplyDelivery(record, *d);
}

void ShopifyTranslator::ApplyDelivery(const store::LogRecord& record, const ShopifyDelivery& d) {
  const std::string shop(record.shop);
  const KnownTopic topic = ClassifyTopic(d.topic);
  const char* name = TopicLabel(topic);
  if (topic == KnownTopic::kUnknown) {
    if (unknown_topics_) unknown_topics_->Inc();
    return Count(name, "unknown_topic");
  }
  const bool compliance = topic == KnownTopic::kCustomersDataRequest ||
                          topic == KnownTopic::kCustomersRedact ||
                          topic == KnownTopic::kShopRedact;
  if (!compliance && Uninstalled(shop)) return Count(name, "ignored_uninstalled");
  if (topic == KnownTopic::kOrder) {
    if (std::optional<json> order = DecodeOrder(d, shop)) {
      ApplyOrder(record, *order);
      return Count(name, "applied");
    }
  }
  json body = json::parse(d.body, nullptr, false);
  if (!body.is_object()) return Count(name, "malformed");
  switch (topic) {
    case KnownTopic::kOrder:
      ApplyOrderWebhook(record, d, body);
      break;
    case KnownTopic::kRefund:
      ApplyRefund(record, body);
      break;
    case KnownTopic::kProductUpsert:
      ApplyProduct(shop, body);
      break;
    case KnownTopic::kProductDelete:
      ApplyProductDelete(shop, body, TimeMillis(d.triggered_at));
      break;
    case KnownTopic::kInventoryLevel:
      ApplyInventoryLevel(shop, body);
      break;
    case KnownTopic::kCart:
      ApplyCart(record, body, /*checkout=*/false);
      break;
    case KnownTopic::kCheckout:
      ApplyCart(record, body, /*checkout=*/true);
      break;
    case KnownTopic::kCustomer:
      ApplyCustomer(shop, body);
      break;
    case KnownTopic::kCustomersDataRequest:
      ApplyDataRequest(record, d, body);
      break;
    case KnownTopic::kCustomersRedact:
      ApplyCustomerRedact(record, d, body);
      break;
    case KnownTopic::kShopRedact:
      ApplyShopRedact(record, d);
      break;
    case KnownTopic::kAppUninstalled: {
      std::lock_guard<std::mutex> lock(mu_);
      shops_[shop].uninstalled = true;
      break;
    }
    case KnownTopic::kUnknown:
      break;
  }
  Count(name, "applied");
}

void ShopifyTranslator::Emit(const store::LogRecord& source, const Event& event) {
  store::LogRecord rec = source;
  rec.type = store::RecordType::kEvent;
  rec.payload = {};
  std::string payload;  // encoded only for a sink that cannot take the event as it is
  for (size_t i = 0; i < deps_.event_sinks.size(); ++i) {
    if (EventSink* decoded = decoded_sinks_[i]) {
      decoded->ApplyEvent(rec, event);
      continue;
    }
    if (payload.empty()) EncodeEvent(event, &payload);
    rec.payload = payload;
    deps_.event_sinks[i]->Apply(rec);
  }
}

std::optional<json> ShopifyTranslator::DecodeOrder(const ShopifyDelivery& d,
                                                 std::string_view shop) {
  std::unique_ptr<ShopifyOrderDecoder> decoder;
  {
    std::lock_guard<std::mutex> lock(decoders_mu_);
    if (!decoders_.empty()) {
      decoder = std::move(decoders_.back());
      decoders_.pop_back();
    }
  }
  if (decoder == nullptr) decoder = std::make_unique<ShopifyOrderDecoder>();
  std::optional<json> order = decoder->Decode(d.body, d.topic, d.triggered_at, shop, hasher_);
  std::lock_guard<std::mutex> lock(decoders_mu_);
  decoders_.push_back(std::move(decoder));
  return order;
}

void ShopifyTranslator::ApplyOrderWebhook(const store::LogRecord& record,
                                          const ShopifyDelivery& d, const json& body) {
  auto order = CanonicalShopifyOrder(body, d.topic, d.triggered_at, record.shop, hasher_);
  if (!order.ok()) return Count("orders", "invalid");
  ApplyOrder(record, *order);
}

void ShopifyTranslator::ApplyOrder(const store::LogRecord& record, const json& order) {
  bool created = false;
  if (!deps_.orders->Upsert(record.shop, order, &created)) return Count("orders", "stale");
  if (!created) return;
  // A new order: one purchase event per line item.
  Event e;
  e.type = EventType::kPurchase;
  e.ts_ms = OrderVersionMillis(order);
  if (auto it = order.find("created_at"); it != order.end() && it->is_string()) {
    e.ts_ms = TimeMillis(it->get<std::string>());
  }
  e.user_id = order.value("customer_id", "");
  e.session_id = order.value("cart_token", order.value("checkout_token", ""));
  e.currency = order.value("currency", "");
  e.order_id = order.value("id", "");
  if (auto it = order.find("shipping_address"); it != order.end() && it->is_object()) {
    e.context.country = it->value("country_code", "");
  }
  const json& items = order["line_items"];
  for (size_t i = 0; i < items.size(); ++i) {
    const json& li = items[i];
    Event item = e;
    item.event_id = "order-" + e.order_id + "-" + std::to_string(i);
    item.product_id = li.value("product_id", "");
    item.quantity = li.value("quantity", int64_t{1});
    item.price = li.value("price", 0.0);
    if (item.product_id.empty()) continue;
    Emit(record, item);
  }
}

void ShopifyTranslator::ApplyRefund(const store::LogRecord& record, const json& body) {
  if (!body.contains("order_id")) return Count("refunds/create", "invalid");
  const std::string order_id = IdString(body["order_id"]);
  auto order = deps_.orders->Get(record.shop, order_id);
  if (!order) return Count("refunds/create", "unknown_order");
  const std::string refund_id = body.contains("id") ? IdString(body["id"]) : "";
  json& ids = (*order)["refund_ids"];
  if (!ids.is_array()) ids = json::array();
  if (!refund_id.empty() && std::find(ids.begin(), ids.end(), refund_id) != ids.end()) return;
  if (!refund_id.empty()) ids.push_back(refund_id);
  const double refunded = order->value("refunded_amount", 0.0) + RefundAmount(body);
  (*order)["refunded_amount"] = refunded;
  (*order)["financial_status"] =
      refunded + 0.005 >= order->value("total_price", 0.0) ? "refunded" : "partially_refunded";
  int64_t refund_ms = body.contains("created_at") && body["created_at"].is_string()
                          ? TimeMillis(body["created_at"].get<std::string>())
                          : 0;
  (*order)["updated_at"] = FormatRfc3339Millis(std::max(OrderVersionMillis(*order), refund_ms));
  deps_.orders->Upsert(record.shop, *order);
}

void ShopifyTranslator::ApplyCustomer(const std::string& shop, const json& body) {
  if (!body.contains("id")) return Count("customers", "invalid");
  json profile = {{"id", IdString(body["id"])}};
  if (body.contains("email") && body["email"].is_string()) {
    profile["email_hash"] = hasher_.HashEmail(shop, body["email"].get<std::string>());
  }
  profile["orders_count"] = body.value("orders_count", int64_t{0});
  profile["total_spent"] = body.contains("total_spent") ? NumberOf(body["total_spent"]) : 0.0;
  profile["tags"] = body.contains("tags") ? SplitTags(body["tags"]) : json::array();
  const int64_t version = body.contains("updated_at") && body["updated_at"].is_string()
                              ? TimeMillis(body["updated_at"].get<std::string>())
                              : 0;
  profile["updated_at"] = FormatRfc3339Millis(version);
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = shops_[shop].customers[profile["id"].get<std::string>()];
  if (slot.is_object() && TimeMillis(slot.value("updated_at", "")) > version) return;
  slot = std::move(profile);
}

void ShopifyTranslator::ApplyCart(const store::LogRecord& record, const json& body,
                                  bool checkout) {
  const std::string token = IdString(body.value("token", json(nullptr)));
  std::string cart_token = checkout ? IdString(body.value("cart_token", json(nullptr))) : token;
  if (cart_token.empty()) cart_token = token;
  if (token.empty()) return Count(checkout ? "checkouts" : "carts", "invalid");
  const int64_t version = JsonMillis(body.value("updated_at", json(nullptr)));
  std::map<std::string, LineItem> lines = CartLines(body);
  std::string customer_id;
  if (body.contains("customer") && body["customer"].is_object() && body["customer"].contains("id")) {
    customer_id = IdString(body["customer"]["id"]);
  }
  std::vector<Event> events;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ShopState& state = shops_[std::string(record.shop)];
    Cart& cart = state.carts[cart_token];
    if (version < cart.version_ms) return Count(checkout ? "checkouts" : "carts", "stale");
    cart.version_ms = version;
    if (!customer_id.empty()) cart.customer_id = customer_id;
    events = DiffCart(cart.lines, lines);
    cart.lines = std::move(lines);
    if (checkout && state.checkouts.insert(token).second) {
      Event c;
      c.type = EventType::kCheckout;
      for (const auto& [key, li] : cart.lines) c.items.push_back(li);
      events.push_back(std::move(c));
    }
    customer_id = cart.customer_id;
  }
  for (size_t i = 0; i < events.size(); ++i) {
    Event& e = events[i];
    e.event_id = (checkout ? "checkout-" : "cart-") + token + "-" + std::to_string(version) +
                 "-" + std::to_string(i);
    e.ts_ms = version;
    e.session_id = cart_token;
    e.user_id = customer_id;
    e.currency = body.value("currency", body.value("presentment_currency", ""));
    Emit(record, e);
  }
}

std::optional<json> ShopifyTranslator::Customer(const std::string& shop,
                                                const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto s = shops_.find(shop);
  if (s == shops_.end()) return std::nullopt;
  auto it = s->second.customers.find(id);
  if (it == s->second.customers.end()) return std::nullopt;
  return it->second;
}

bool ShopifyTranslator::Uninstalled(const std::string& shop) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto s = shops_.find(shop);
  return s != shops_.end() && s->second.uninstalled;
}

}  // namespace storepilot::ingest

#include "overload/customer_value_sink.h"

#include "ingest/event.h"

namespace storepilot::overload {

void CustomerValueSink::Apply(const store::LogRecord& record) {
  if (record.type != store::RecordType::kEvent) return;
  auto event = ingest::DecodeEvent(record.payload);
  if (!event.ok()) return;
  ApplyEvent(record, *event);
}

void CustomerValueSink::ApplyEvent(const store::LogRecord& record, const ingest::Event& e) {
  switch (e.type) {
    case ingest::EventType::kPurchase: {
      double amount = 0.0;
      for (const ingest::LineItem& item : e.items) amount += item.quantity * item.price;
      if (e.items.empty() && e.price) amount = *e.price * std::max<int64_t>(1, e.quantity);
      model_->ObservePurchase(record.shop, e.user_id, e.ts_ms, amount);
      model_->ObserveOrderPlaced(record.shop, e.session_id);
      break;
    }
    case ingest::EventType::kAddToCart:
      model_->ObserveCart(record.shop, e.session_id, std::max<int64_t>(1, e.quantity));
      break;
    case ingest::EventType::kRemoveFromCart:
      model_->ObserveCart(record.shop, e.session_id, -std::max<int64_t>(1, e.quantity));
      break;
    case ingest::EventType::kCheckout:
      model_->ObserveCheckout(record.shop, e.session_id);
      break;
    default:
      break;
  }
}

}  // namespace storepilot::overload

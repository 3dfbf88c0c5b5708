#include "ingest/event.h"

#include <array>
#include <cstring>

#include "absl/status/status.h"
#include "common/binary_codec.h"

namespace storepilot::ingest {
namespace {

constexpr std::array<std::string_view, kNumEventTypes> kTypeNames = {
    "view",     "search",   "click", "add_to_cart", "remove_from_cart",
    "checkout", "purchase", "login", "impression"};

// Encoding version; bump when the layout changes and keep decoding old ones.
constexpr uint8_t kEventFormat = 1;

}  // namespace

std::string_view EventTypeName(EventType type) {
  return kTypeNames[static_cast<size_t>(type)];
}

std::optional<EventType> EventTypeFromName(std::string_view name) {
  for (size_t i = 0; i < kTypeNames.size(); ++i) {
    if (kTypeNames[i] == name) return static_cast<EventType>(i);
  }
  return std::nullopt;
}

void EncodeEvent(const Event& e, std::string* out) {
  BinaryWriter w(out);
  w.PutU8(kEventFormat);
  w.PutString(e.event_id);
  w.PutU8(static_cast<uint8_t>(e.type));
  w.PutVarint(static_cast<uint64_t>(e.ts_ms));
  w.PutString(e.session_id);
  w.PutString(e.user_id);
  w.PutString(e.product_id);
  w.PutString(e.query);
  w.PutVarint(static_cast<uint64_t>(e.quantity));
  w.PutU8(e.price.has_value() ? 1 : 0);
  if (e.price) w.PutDouble(*e.price);
  w.PutString(e.currency);
  w.PutString(e.order_id);
  w.PutString(e.request_id);
  w.PutVarint(e.items.size());
  for (const LineItem& item : e.items) {
    w.PutString(item.product_id);
    w.PutVarint(static_cast<uint64_t>(item.quantity));
    w.PutDouble(item.price);
  }
  w.PutString(e.context.device);
  w.PutString(e.context.country);
  w.PutString(e.context.ip);
  w.PutString(e.context.referrer);
}

absl::StatusOr<Event> DecodeEvent(std::string_view data) {
  BinaryReader r(data);
  Event e;
  uint8_t format = 0, type = 0, has_price = 0;
  uint64_t ts = 0, quantity = 0, n_items = 0;
  bool ok = r.GetU8(&format) && format == kEventFormat && r.GetString(&e.event_id) &&
            r.GetU8(&type) && type < kNumEventTypes && r.GetVarint(&ts) &&
            r.GetString(&e.session_id) && r.GetString(&e.user_id) &&
            r.GetString(&e.product_id) && r.GetString(&e.query) &&
            r.GetVarint(&quantity) && r.GetU8(&has_price);
  if (ok && has_price) {
    double price = 0;
    ok = r.GetDouble(&price);
    e.price = price;
  }
  ok = ok && r.GetString(&e.currency) && r.GetString(&e.order_id) &&
       r.GetString(&e.request_id) && r.GetVarint(&n_items) && n_items <= data.size();
  for (uint64_t i = 0; ok && i < n_items; ++i) {
    LineItem item;
    uint64_t q = 0;
    ok = r.GetString(&item.product_id) && r.GetVarint(&q) && r.GetDouble(&item.price);
    item.quantity = static_cast<int64_t>(q);
    e.items.push_back(std::move(item));
  }
  ok = ok && r.GetString(&e.context.device) && r.GetString(&e.context.country) &&
       r.GetString(&e.context.ip) && r.GetString(&e.context.referrer) && r.AtEnd();
  if (!ok) return absl::DataLossError("corrupt event record");
  e.type = static_cast<EventType>(type);
  e.ts_ms = static_cast<int64_t>(ts);
  e.quantity = static_cast<int64_t>(quantity);
  return e;
}

}  // namespace storepilot::ingest

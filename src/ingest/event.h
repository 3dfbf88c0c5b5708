#ifndef STOREPILOT_INGEST_EVENT_H_
#define STOREPILOT_INGEST_EVENT_H_

// The shop event schema shared by every engine, and its compact binary
// encoding in the event log.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace storepilot::ingest {

enum class EventType : uint8_t {
  kView = 0,
  kSearch,
  kClick,
  kAddToCart,
  kRemoveFromCart,
  kCheckout,
  kPurchase,
  kLogin,
  kImpression,
};
inline constexpr int kNumEventTypes = 9;

// "view", "add_to_cart", ... (the wire names).
std::string_view EventTypeName(EventType type);
std::optional<EventType> EventTypeFromName(std::string_view name);

struct LineItem {
  std::string product_id;
  int64_t quantity = 1;
  double price = 0.0;
  bool operator==(const LineItem&) const = default;
};

struct EventContext {
  std::string device;
  std::string country;
  std::string ip;
  std::string referrer;
  bool operator==(const EventContext&) const = default;
};

struct Event {
  std::string event_id;
  EventType type = EventType::kView;
  int64_t ts_ms = 0;  // epoch milliseconds
  std::string session_id;
  std::string user_id;
  std::string product_id;
  std::string query;
  int64_t quantity = 0;
  std::optional<double> price;
  std::string currency;
  std::string order_id;
  // The request_id of the recommendation or search response this event cites.
  std::string request_id;
  std::vector<LineItem> items;  // purchase line items
  EventContext context;

  bool operator==(const Event&) const = default;
};

// Appends the binary encoding of `event` to `out`.
void EncodeEvent(const Event& event, std::string* out);
// Decodes what EncodeEvent wrote. DataLoss on truncated or corrupt input.
absl::StatusOr<Event> DecodeEvent(std::string_view data);

}  // namespace storepilot::ingest

#endif  // STOREPILOT_INGEST_EVENT_H_

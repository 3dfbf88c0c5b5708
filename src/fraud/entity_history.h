#ifndef STOREPILOT_FRAUD_ENTITY_HISTORY_H_
#define STOREPILOT_FRAUD_ENTITY_HISTORY_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace storepilot::fraud {

// Label state of one past event.
enum class Label : int8_t { kUnknown = 0, kGenuine = 1, kFraud = 2 };

// One past order of an entity (a customer, an IP, a terminal...).
struct HistoryEvent {
  int64_t time_ms = 0;
  // When the label may first be used by features: max(label arrival, time_ms +
  // label delay). Meaningless while `label` is kUnknown.
  int64_t label_usable_ms = 0;
  uint32_t order_hash = 0;  // Identifies the order for late labels.
  float amount = 0;
  // amount / the customer's median amount when the order arrived (NaN when
  // the customer had no history): tells frauds that drained a card from
  // frauds with ordinary amounts (e.g. at a skimmed terminal).
  float amount_ratio = 0;
  // Fingerprint of the paying card (else customer) of the order; 0 when
  // unknown or forgotten. Lets a merchant's known frauds be told apart by
  // whether their cards were defrauded elsewhere too.
  uint32_t payer_hash = 0;
  Label label = Label::kUnknown;
};

// The recent orders of one entity, oldest first, bounded in both age and
// count so that memory per tracked key is bounded: at most `max_events`
// events of HistoryEvent size (24 bytes) plus the vector header. Not
// thread-safe.
class EntityHistory {
 public:
  // Appends an event. REQUIRES: events arrive in non-decreasing time order
  // (an out-of-order event is inserted at its place, which costs O(n)).
  // Drops the oldest event when more than `max_events` are held.
  void Add(const HistoryEvent& event, size_t max_events);

  // Drops events older than `oldest_kept_ms`.
  void PruneBefore(int64_t oldest_kept_ms);

  // Sets the label of the event with `order_hash` at `time_ms`. Returns false
  // when that event is no longer (or was never) held.
  bool SetLabel(uint32_t order_hash, int64_t time_ms, Label label,
                int64_t usable_ms);

  // Removes the event with `order_hash` at `time_ms` (privacy: a redacted
  // customer's order). Returns whether it was held.
  bool Remove(uint32_t order_hash, int64_t time_ms);

  // Clears the payer of the event with `order_hash` at `time_ms` (privacy: the
  // event stays in a merchant aggregate without its customer). Returns whether
  // it was held.
  bool ClearPayer(uint32_t order_hash, int64_t time_ms);

  const std::vector<HistoryEvent>& events() const { return events_; }
  // Median amount of the events not after `now_ms`; NaN when there is none.
  float MedianAmount(int64_t now_ms) const;
  bool empty() const { return events_.empty(); }
  // Bytes held by this history (header plus reserved event storage).
  size_t ApproxBytes() const {
    return sizeof(*this) + events_.capacity() * sizeof(HistoryEvent);
  }

 private:
  std::vector<HistoryEvent> events_;
};

}  // namespace storepilot::fraud

#endif  // STOREPILOT_FRAUD_ENTITY_HISTORY_H_

#ifndef STOREPILOT_INGEST_EVENT_SINK_H_
#define STOREPILOT_INGEST_EVENT_SINK_H_

// A log consumer that can also take an event already decoded.
//
// Events derived in memory (the Shopify translator's purchases, cart and
// checkout events) are handed to such a sink as they are, instead of being
// encoded once and decoded again by every consumer: on the webhook path that
// round trip was a tenth of the events' cost.

#include "ingest/event.h"
#include "store/log_record.h"

namespace storepilot::ingest {

class EventSink : public store::RecordSink {
 public:
  // Has exactly the effect Apply has for a kEvent record whose payload is
  // EncodeEvent(event). `record` carries the shop, partition and sequence
  // number; its type is kEvent and its payload is unspecified (possibly
  // empty): read `event`. Same threading as Apply.
  virtual void ApplyEvent(const store::LogRecord& record, const Event& event) = 0;
};

}  // namespace storepilot::ingest

#endif  // STOREPILOT_INGEST_EVENT_SINK_H_

#ifndef STOREPILOT_OVERLOAD_CUSTOMER_VALUE_SINK_H_
#define STOREPILOT_OVERLOAD_CUSTOMER_VALUE_SINK_H_

// Feeds a CustomerValueModel from the event log: purchases (value = the sum
// of the line items, or quantity x price), add/remove to cart and checkout
// events. Other records are ignored; undecodable ones are skipped.

#include "ingest/event_sink.h"
#include "overload/customer_value.h"
#include "store/log_record.h"

namespace storepilot::overload {

class CustomerValueSink : public ingest::EventSink {
 public:
  // `model` must outlive the sink.
  explicit CustomerValueSink(CustomerValueModel* model) : model_(model) {}
  void Apply(const store::LogRecord& record) override;
  void ApplyEvent(const store::LogRecord& record, const ingest::Event& event) override;

 private:
  CustomerValueModel* model_;
};

}  // namespace storepilot::overload

#endif  // STOREPILOT_OVERLOAD_CUSTOMER_VALUE_SINK_H_

#ifndef STOREPILOT_FRAUD_ORDER_RECORD_BUFFER_H_
#define STOREPILOT_FRAUD_ORDER_RECORD_BUFFER_H_

// Batches the log records of orders scored on demand (kFraudOrder) into one
// event-log append per shop every `delay`, instead of one per order. An order
// is answered without waiting for its record anyway (the score is a read of
// the engine, which has recorded the order already), so batching only
// widens what a crash can lose from "the orders of the last group commit" to
// "the orders of the last `delay` plus that group commit"; what it saves is a
// hand-off to the log's committer, syncer and apply threads per order (about
// three context switches each on the request path's cores).

#include <chrono>
#include <cstddef>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "observe/metrics.h"
#include "store/event_log.h"

namespace storepilot::fraud {

class OrderRecordBuffer {
 public:
  // `log` must outlive the buffer; `lost` (may be null) counts records whose
  // append failed. Starts the flushing thread, which sleeps while nothing is
  // buffered.
  OrderRecordBuffer(store::EventLog* log, std::chrono::milliseconds delay,
                    observe::Counter* lost);
  // Flushes what is buffered and stops the thread.
  ~OrderRecordBuffer();
  OrderRecordBuffer(const OrderRecordBuffer&) = delete;
  OrderRecordBuffer& operator=(const OrderRecordBuffer&) = delete;

  // Buffers `item` for `shop`; it is appended within `delay` (or at the next
  // Flush), after every item added before it. Thread-safe.
  void Add(const std::string& shop, store::AppendItem item);
  // Hands every buffered item to the log now. A record the caller appends
  // after Flush returns is ordered after them in the shop's partition (a
  // label after the order it labels). Thread-safe.
  void Flush();
  // Forgets the buffered items of `shop` without appending them (a shop
  // redaction). Thread-safe.
  void Drop(const std::string& shop);
  // Items buffered now.
  size_t pending() const;

 private:
  void FlushLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Run();

  store::EventLog* const log_;
  const std::chrono::milliseconds delay_;
  observe::Counter* const lost_;
  mutable absl::Mutex mu_;
  // Per shop, in the order shops were first buffered since the last flush.
  std::vector<std::pair<std::string, std::vector<store::AppendItem>>> pending_
      ABSL_GUARDED_BY(mu_);
  size_t count_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace storepilot::fraud

#endif  // STOREPILOT_FRAUD_ORDER_RECORD_BUFFER_H_

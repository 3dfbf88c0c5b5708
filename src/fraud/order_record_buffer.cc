#include "fraud/order_record_buffer.h"

#include <algorithm>

namespace storepilot::fraud {

OrderRecordBuffer::OrderRecordBuffer(store::EventLog* log, std::chrono::milliseconds delay,
                                     observe::Counter* lost)
    : log_(log), delay_(delay), lost_(lost) {
  thread_ = std::thread([this] { Run(); });
}

OrderRecordBuffer::~OrderRecordBuffer() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
  Flush();
}

void OrderRecordBuffer::Add(const std::string& shop, store::AppendItem item) {
  absl::MutexLock lock(&mu_);
  auto it = std::find_if(pending_.begin(), pending_.end(),
                         [&](const auto& entry) { return entry.first == shop; });
  if (it == pending_.end()) {
    pending_.emplace_back(shop, std::vector<store::AppendItem>{});
    it = pending_.end() - 1;
  }
  it->second.push_back(std::move(item));
  ++count_;
}

void OrderRecordBuffer::Flush() {
  absl::MutexLock lock(&mu_);
  FlushLocked();
}

// Appends while holding mu_: a concurrent Flush (the caller's, before it
// appends a label) returns only once these items are in the log's queue, so
// log order follows Add order. EventLog::Append only enqueues (its callback
// runs on the committer thread, or inline with Unavailable after Shutdown,
// and never re-enters this buffer).
void OrderRecordBuffer::FlushLocked() {
  for (auto& [shop, items] : pending_) {
    const size_t n = items.size();
    log_->Append(shop, std::move(items), [lost = lost_, n](absl::StatusOr<store::AppendResult> r) {
      if (!r.ok() && lost != nullptr) lost->Inc(static_cast<double>(n));
    });
  }
  pending_.clear();
  count_ = 0;
}

void OrderRecordBuffer::Drop(const std::string& shop) {
  absl::MutexLock lock(&mu_);
  auto it = std::find_if(pending_.begin(), pending_.end(),
                         [&](const auto& entry) { return entry.first == shop; });
  if (it == pending_.end()) return;
  count_ -= it->second.size();
  pending_.erase(it);
}

size_t OrderRecordBuffer::pending() const {
  absl::MutexLock lock(&mu_);
  return count_;
}

void OrderRecordBuffer::Run() {
  absl::MutexLock lock(&mu_);
  auto has_work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || count_ > 0;
  };
  auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; };
  while (true) {
    // Asleep until the first item of a batch arrives...
    mu_.Await(absl::Condition(&has_work));
    if (stopping_) return;
    // ...then gathers the batch for `delay` and appends it in one go.
    mu_.AwaitWithTimeout(absl::Condition(&stopping),
                         absl::FromChrono(delay_));
    if (stopping_) return;
    FlushLocked();
  }
}

}  // namespace storepilot::fraud

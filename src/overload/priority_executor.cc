#include "overload/priority_executor.h"

#include <algorithm>

#include "common/periodic_task.h"

namespace storepilot::overload {

PriorityExecutor::PriorityExecutor(PriorityExecutorOptions options, const Clock* clock,
                                   observe::MetricsRegistry* metrics)
    : options_(options), clock_(clock) {
  if (metrics) {
    queued_gauge_ = metrics->GetGauge("storepilot_overload_queued_requests",
                                      "Requests waiting in the priority queue for a worker");
    expired_total_ = metrics->GetCounter(
        "storepilot_overload_queue_expired_total",
        "Queued requests answered 429 instead of run (waited too long, or the queue was full)");
    ran_total_ = metrics->GetCounter("storepilot_overload_queue_ran_total",
                                     "Queued requests run by a worker");
    sojourn_ = metrics->GetHistogram("storepilot_overload_queue_seconds",
                                     "Time a request waited in the priority queue",
                                     observe::LatencyBuckets());
  }
}

PriorityExecutor::~PriorityExecutor() { Stop(); }

void PriorityExecutor::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_ || !workers_.empty()) return;
  for (int i = 0; i < std::max(1, options_.threads); ++i) {
    workers_.emplace_back([this] { Work(); });
  }
}

void PriorityExecutor::Submit(int priority, Task task) {
  Task refused;
  bool queued = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) {
      refused = std::move(task);
    } else {
      const Key key{-priority, next_seq_++};
      if (queue_.size() >= std::max<size_t>(1, options_.max_queued)) {
        auto lowest = std::prev(queue_.end());
        if (lowest->first < key) {  // the new task ranks lowest: refuse it
          refused = std::move(task);
        } else {
          refused = std::move(lowest->second.task);
          enqueued_at_.erase(lowest->first.second);
          queue_.erase(lowest);
        }
      }
      if (task) {
        const int64_t now = clock_->NowMicros();
        queue_.emplace(key, Item{now, std::move(task)});
        enqueued_at_.emplace(key.second, now);
        queued = true;
      }
      Publish();
    }
  }
  if (queued) cv_.notify_one();
  if (refused) {
    if (expired_total_) expired_total_->Inc();
    refused(true);
  }
}

void PriorityExecutor::Work() {
  if (options_.nice > 0) LowerThreadPriority(options_.nice);
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping
    auto first = queue_.begin();
    Item item = std::move(first->second);
    enqueued_at_.erase(first->first.second);
    queue_.erase(first);
    Publish();
    const int64_t waited = clock_->NowMicros() - item.enqueued_us;
    const bool expired = waited > options_.max_queue_delay_us;
    if (!expired && (min_sojourn_us_ < 0 || waited < min_sojourn_us_)) {
      min_sojourn_us_ = std::max<int64_t>(0, waited);
    }
    lock.unlock();
    if (sojourn_) sojourn_->Observe(static_cast<double>(std::max<int64_t>(0, waited)) / 1e6);
    if (expired) {
      if (expired_total_) expired_total_->Inc();
    } else if (ran_total_) {
      ran_total_->Inc();
    }
    item.task(expired);
    item.task = nullptr;  // whatever it captured is released outside the lock
    lock.lock();
  }
}

void PriorityExecutor::Stop() {
  std::map<Key, Item> left;
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    left.swap(queue_);
    enqueued_at_.clear();
    workers.swap(workers_);
    Publish();
  }
  cv_.notify_all();
  for (auto& [key, item] : left) {
    if (expired_total_) expired_total_->Inc();
    item.task(true);
  }
  for (auto& t : workers) t.join();
}

size_t PriorityExecutor::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

int64_t PriorityExecutor::OldestAgeUs() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (enqueued_at_.empty()) return 0;
  return std::max<int64_t>(0, clock_->NowMicros() - enqueued_at_.begin()->second);
}

int64_t PriorityExecutor::TakeStandingDelayUs() {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t delay = min_sojourn_us_;
  min_sojourn_us_ = -1;
  if (delay >= 0) return delay;
  if (enqueued_at_.empty()) return 0;
  return std::max<int64_t>(0, clock_->NowMicros() - enqueued_at_.begin()->second);
}

void PriorityExecutor::Publish() {
  if (queued_gauge_) queued_gauge_->Set(static_cast<double>(queue_.size()));
}

}  // namespace storepilot::overload

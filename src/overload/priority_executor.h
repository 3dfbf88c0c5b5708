#ifndef STOREPILOT_OVERLOAD_PRIORITY_EXECUTOR_H_
#define STOREPILOT_OVERLOAD_PRIORITY_EXECUTOR_H_

// The execution stage of admission control: a pool of worker threads that
// runs queued work highest priority first (first come, first served among
// equals). The HTTP threads read and classify every request and answer the
// cheap, important ones (critical and high: durable writes that wait for
// their fsync without holding a thread) at once; the CPU-heavy rest
// (recommendations, search, analytics batches) waits here. So a checkout
// never queues behind a hundred searches in the event loop's arrival order,
// and when the queue stands, the work that waits is the least valuable.
//
// Shedding from the queue (CoDel's and DAGOR's "drop rather than serve late"):
// a task that waited longer than `max_queue_delay_us` is not run but expired
// (its callback gets expired = true and answers 429 at once), and when the
// queue is full the lowest-priority task is expired to make room (or the new
// one, when it ranks lowest). The age of the oldest queued task is the
// standing-queue signal the admission level is driven by.
//
// Thread-safe. Every submitted task is called exactly once: run, or expired
// (on a worker, on the submitting thread when refused at once, or by Stop).

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "observe/metrics.h"

namespace storepilot::overload {

struct PriorityExecutorOptions {
  int threads = 2;
  // Workers' CPU priority (nice, 0-19) below the HTTP threads, which read,
  // shed and answer the critical requests.
  int nice = 0;
  int64_t max_queue_delay_us = 500'000;
  size_t max_queued = 4096;
};

class PriorityExecutor {
 public:
  // `expired`: true when the task was dropped instead of run.
  using Task = std::function<void(bool expired)>;

  // `clock` must outlive the executor; `metrics` may be null.
  PriorityExecutor(PriorityExecutorOptions options, const Clock* clock,
                   observe::MetricsRegistry* metrics);
  ~PriorityExecutor();
  PriorityExecutor(const PriorityExecutor&) = delete;
  PriorityExecutor& operator=(const PriorityExecutor&) = delete;

  // Starts the workers. Tasks submitted before wait for them.
  void Start();
  // Queues `task` at `priority` (higher runs first).
  void Submit(int priority, Task task);
  // Expires every queued task and joins the workers. Idempotent; tasks
  // submitted afterwards are expired at once.
  void Stop();

  size_t queued() const;
  // How long the oldest queued task has waited (0 when none), in µs.
  int64_t OldestAgeUs() const;
  // The queue's standing delay since the last call (CoDel's signal): the
  // shortest wait of the tasks started since then; when none started, the
  // oldest queued task's age (0 when the queue is empty). With priorities
  // this is the wait of the most important queued work: low-priority tasks
  // that wait behind it are not overload (they run when the workers have
  // time, or expire), a queue where even the first in line waits is.
  int64_t TakeStandingDelayUs();

 private:
  struct Item {
    int64_t enqueued_us;
    Task task;
  };
  // Key: (-priority, sequence): the map's first entry runs next, its last is
  // the lowest-ranked (shed first when full).
  using Key = std::pair<int, uint64_t>;

  void Work();
  void Publish();  // metrics; mu_ held

  const PriorityExecutorOptions options_;
  const Clock* clock_;
  observe::Gauge* queued_gauge_ = nullptr;
  observe::Counter* expired_total_ = nullptr;
  observe::Counter* ran_total_ = nullptr;
  observe::Histogram* sojourn_ = nullptr;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<Key, Item> queue_;                 // guarded by mu_
  std::map<uint64_t, int64_t> enqueued_at_;   // sequence -> enqueue time, for the oldest
  uint64_t next_seq_ = 0;
  int64_t min_sojourn_us_ = -1;  // since the last TakeStandingDelayUs; -1: none
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace storepilot::overload

#endif  // STOREPILOT_OVERLOAD_PRIORITY_EXECUTOR_H_

#ifndef STOREPILOT_COMMON_PERIODIC_TASK_H_
#define STOREPILOT_COMMON_PERIODIC_TASK_H_

// A background thread that calls a function every `tick` of real time until
// stopped: the heartbeat of schedulers whose decisions themselves read an
// injected Clock (so tests call the function directly on a FakeClock).
//
// Model training runs on these threads. Started with
// TaskPriority::kBackground, the thread runs at the lowest CPU priority
// (nice 19; threads it creates inherit it), so a retraining that takes a core
// for tens of seconds yields to the request threads instead of adding
// its time to their latency.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include <sys/resource.h>
#include <unistd.h>

namespace storepilot {

enum class TaskPriority {
  kNormal,
  kBackground,  // nice 19: runs when request threads leave a core idle
};

// A lower CPU priority (by default the lowest, nice 19) for the calling
// thread only. Lowering a priority needs no privilege; false when the kernel
// refused.
inline bool LowerThreadPriority(int nice = 19) {
  return setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice) == 0;
}

class PeriodicTask {
 public:
  PeriodicTask() = default;
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;
  ~PeriodicTask() { Stop(); }

  // Starts calling `fn` every `tick` (the first call after one tick). No-op
  // when already running.
  void Start(std::chrono::milliseconds tick, std::function<void()> fn,
             TaskPriority priority = TaskPriority::kNormal) {
    std::lock_guard<std::mutex> lock(mu_);
    if (thread_.joinable()) return;
    stop_ = false;
    thread_ = std::thread([this, tick, priority, fn = std::move(fn)] {
      if (priority == TaskPriority::kBackground) LowerThreadPriority();
      std::unique_lock<std::mutex> lock(mu_);
      while (!cv_.wait_for(lock, tick, [this] { return stop_; })) {
        lock.unlock();
        fn();
        lock.lock();
      }
    });
  }

  // Waits for a call in progress to return, then stops. Idempotent.
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace storepilot

#endif  // STOREPILOT_COMMON_PERIODIC_TASK_H_

#include "common/periodic_task.h"

#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "gtest/gtest.h"

namespace storepilot {
namespace {

// The nice value of the calling thread.
int ThreadNice() { return getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())); }

// Runs one call of a task started with `priority` and returns the nice value
// the call ran at and that of a thread the call created.
std::pair<int, int> NiceSeenByTask(TaskPriority priority) {
  std::atomic<int> own{-100};
  std::atomic<int> child{-100};
  std::atomic<bool> done{false};
  PeriodicTask task;
  task.Start(
      std::chrono::milliseconds(1),
      [&] {
        if (done.load()) return;
        own = ThreadNice();
        std::thread t([&] { child = ThreadNice(); });
        t.join();
        done = true;
      },
      priority);
  while (!done.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  task.Stop();
  return {own.load(), child.load()};
}

TEST(PeriodicTaskTest, BackgroundTaskRunsAtLowestPriorityAndItsThreadsInheritIt) {
  const int before = ThreadNice();
  auto [own, child] = NiceSeenByTask(TaskPriority::kBackground);
  EXPECT_EQ(own, 19);
  EXPECT_EQ(child, 19);
  // Only the task's thread was lowered.
  EXPECT_EQ(ThreadNice(), before);
}

TEST(PeriodicTaskTest, NormalTaskKeepsTheProcessPriority) {
  auto [own, child] = NiceSeenByTask(TaskPriority::kNormal);
  EXPECT_EQ(own, ThreadNice());
  EXPECT_EQ(child, ThreadNice());
}

TEST(PeriodicTaskTest, CallsRepeatedlyUntilStopped) {
  std::atomic<int> calls{0};
  PeriodicTask task;
  task.Start(std::chrono::milliseconds(1), [&] { ++calls; });
  while (calls.load() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  task.Stop();
  const int after_stop = calls.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(calls.load(), after_stop);
  task.Stop();  // idempotent
}

}  // namespace
}  // namespace storepilot

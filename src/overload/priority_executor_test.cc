#include "overload/priority_executor.h"

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace storepilot::overload {
namespace {

// Records the order in which tasks run or expire.
struct Log {
  std::mutex mu;
  std::vector<std::string> events;
  void Add(std::string e) {
    std::lock_guard<std::mutex> lock(mu);
    events.push_back(std::move(e));
  }
  std::vector<std::string> Get() {
    std::lock_guard<std::mutex> lock(mu);
    return events;
  }
};

PriorityExecutor::Task Record(Log* log, std::string name) {
  return [log, name](bool expired) { log->Add((expired ? "expired:" : "ran:") + name); };
}

PriorityExecutorOptions OneWorker() {
  PriorityExecutorOptions o;
  o.threads = 1;
  return o;
}

TEST(PriorityExecutorTest, RunsHighestPriorityFirstAndFifoAmongEquals) {
  FakeClock clock(1'000'000);
  Log log;
  {
    PriorityExecutor ex(OneWorker(), &clock, nullptr);
    // Queued before the worker starts, so the order is the queue's alone.
    ex.Submit(10, Record(&log, "low-a"));
    ex.Submit(200, Record(&log, "critical"));
    ex.Submit(100, Record(&log, "normal-a"));
    ex.Submit(10, Record(&log, "low-b"));
    ex.Submit(100, Record(&log, "normal-b"));
    EXPECT_EQ(ex.queued(), 5u);
    std::promise<void> done;
    ex.Submit(0, [&done](bool) { done.set_value(); });
    ex.Start();
    done.get_future().wait();
  }
  EXPECT_EQ(log.Get(), (std::vector<std::string>{"ran:critical", "ran:normal-a", "ran:normal-b",
                                                 "ran:low-a", "ran:low-b"}));
}

TEST(PriorityExecutorTest, ExpiresTasksThatWaitedTooLong) {
  FakeClock clock(0);
  PriorityExecutorOptions o = OneWorker();
  o.max_queue_delay_us = 100'000;
  Log log;
  PriorityExecutor ex(o, &clock, nullptr);
  ex.Submit(50, Record(&log, "old"));
  clock.AdvanceMicros(60'000);
  ex.Submit(50, Record(&log, "young"));
  EXPECT_EQ(ex.OldestAgeUs(), 60'000);
  clock.AdvanceMicros(50'000);  // "old" has waited 110 ms, "young" 50 ms
  std::promise<void> done;
  ex.Submit(0, [&done](bool) { done.set_value(); });
  ex.Start();
  done.get_future().wait();
  EXPECT_EQ(log.Get(), (std::vector<std::string>{"expired:old", "ran:young"}));
  EXPECT_EQ(ex.OldestAgeUs(), 0);
}

// The standing delay is the shortest wait of the work started since the
// last look (low-priority work waiting behind it is not overload), or the
// oldest waiting task's age when nothing started.
TEST(PriorityExecutorTest, StandingDelayIsTheShortestWaitOfStartedWork) {
  FakeClock clock(0);
  PriorityExecutor ex(OneWorker(), &clock, nullptr);
  EXPECT_EQ(ex.TakeStandingDelayUs(), 0);  // empty
  std::atomic<int> ran{0};
  ex.Submit(10, [&ran](bool) { ran.fetch_add(1); });  // low, waits the longest
  clock.AdvanceMicros(30'000);
  EXPECT_EQ(ex.TakeStandingDelayUs(), 30'000);  // nothing started: the oldest's age
  ex.Submit(200, [&ran](bool) { ran.fetch_add(1); });
  clock.AdvanceMicros(5'000);
  ex.Start();
  for (int i = 0; i < 1000 && ran.load() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(ran.load(), 2);
  EXPECT_EQ(ex.TakeStandingDelayUs(), 5'000);  // the high one's wait, not the low one's 35 ms
  EXPECT_EQ(ex.TakeStandingDelayUs(), 0);      // nothing since, queue empty
}

TEST(PriorityExecutorTest, FullQueueShedsTheLowestRanked) {
  FakeClock clock(0);
  PriorityExecutorOptions o = OneWorker();
  o.max_queued = 2;
  Log log;
  PriorityExecutor ex(o, &clock, nullptr);
  ex.Submit(100, Record(&log, "normal"));
  ex.Submit(10, Record(&log, "low"));
  ex.Submit(150, Record(&log, "high"));  // full: "low" makes room, at once
  EXPECT_EQ(log.Get(), (std::vector<std::string>{"expired:low"}));
  ex.Submit(5, Record(&log, "lowest"));  // ranks below everything queued: refused
  EXPECT_EQ(log.Get(), (std::vector<std::string>{"expired:low", "expired:lowest"}));
  EXPECT_EQ(ex.queued(), 2u);
  ex.Stop();  // the queued ones are expired, none is lost
  EXPECT_EQ(log.Get(), (std::vector<std::string>{"expired:low", "expired:lowest", "expired:high",
                                                 "expired:normal"}));
  ex.Submit(255, Record(&log, "after-stop"));
  EXPECT_EQ(log.Get().back(), "expired:after-stop");
}

TEST(PriorityExecutorTest, EveryTaskIsCalledExactlyOnceUnderConcurrency) {
  FakeClock clock(0);
  PriorityExecutorOptions o;
  o.threads = 2;
  o.max_queued = 64;
  std::atomic<int> ran{0}, expired{0};
  constexpr int kPerThread = 2000;
  {
    PriorityExecutor ex(o, &clock, nullptr);
    ex.Start();
    std::vector<std::thread> submitters;
    for (int t = 0; t < 3; ++t) {
      submitters.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          ex.Submit((i * 7 + t) % 256, [&](bool e) { (e ? expired : ran).fetch_add(1); });
        }
      });
    }
    for (auto& s : submitters) s.join();
    // On a busy machine the submitters can fill and overflow the queue
    // before a worker gets a core; what is still queued now must be run
    // (the fake clock never ages it), not expired.
    const size_t left = ex.queued();
    for (int i = 0; i < 10'000 && ex.queued() > 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_EQ(ex.queued(), 0u);
    ex.Stop();
    EXPECT_GE(ran.load(), static_cast<int>(left));
  }
  EXPECT_EQ(ran.load() + expired.load(), 3 * kPerThread);
  EXPECT_GT(ran.load(), 0);
}

}  // namespace
}  // namespace storepilot::overload

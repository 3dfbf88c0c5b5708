#include "store/event_log.h"

#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include <sys/resource.h>
#include <unistd.h>
#include <cerrno>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "common/temp_dir.h"
#include "rocksdb/db.h"

namespace storepilot::store {
namespace {

using storepilot::testing::TempDir;

// Records what it is given, checking per-partition order.
class RecordingSink : public RecordSink {
 public:
  void Apply(const LogRecord& r) override {
    std::lock_guard<std::mutex> lock(mu_);
    EXPECT_EQ(r.seq, last_seq_[r.partition] + 1) << "partition " << r.partition;
    last_seq_[r.partition] = r.seq;
    payloads_.emplace_back(std::string(r.shop), std::string(r.payload));
  }
  std::vector<std::pair<std::string, std::string>> payloads() {
    std::lock_guard<std::mutex> lock(mu_);
    return payloads_;
  }

 private:
  std::mutex mu_;
  std::map<uint16_t, uint64_t> last_seq_;
  std::vector<std::pair<std::string, std::string>> payloads_;
};

std::vector<AppendItem> Items(std::initializer_list<std::string> ids) {
  std::vector<AppendItem> items;
  for (const std::string& id : ids) items.push_back({RecordType::kEvent, id, "p-" + id});
  return items;
}

EventLogOptions Options(const std::string& dir) {
  EventLogOptions o;
  o.dir = dir;
  o.partitions = 4;
  return o;
}

TEST(EventLog, AppendsDeduplicatesAndCounts) {
  TempDir dir;
  SystemClock clock;
  RecordingSink sink;
  observe::MetricsRegistry metrics;
  auto log = EventLog::Open(Options(dir.path()), {&sink}, &clock, &metrics);
  ASSERT_TRUE(log.ok()) << log.status();
  auto r1 = (*log)->AppendSync("shop-a", Items({"e1", "e2", "e1"}), true);
  ASSERT_TRUE(r1.ok()) << r1.status();
  EXPECT_EQ(r1->accepted, 2u);
  EXPECT_EQ(r1->duplicates, 1u);
  EXPECT_THAT(r1->duplicate, ::testing::ElementsAre(false, false, true));
  auto r2 = (*log)->AppendSync("shop-a", Items({"e2", "e3"}), true);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->accepted, 1u);
  EXPECT_EQ(r2->duplicates, 1u);
  // The same id in another shop is another event.
  auto r3 = (*log)->AppendSync("shop-b", Items({"e1"}), true);
  EXPECT_EQ(r3->accepted, 1u);
  EXPECT_EQ((*log)->EventCount("shop-a"), 3u);
  EXPECT_EQ((*log)->EventCount("shop-b"), 1u);
  EXPECT_EQ((*log)->EventCount("shop-c"), 0u);
  EXPECT_EQ(sink.payloads().size(), 4u);
  EXPECT_THAT(metrics.RenderText(), ::testing::HasSubstr("storepilot_log_fsync_batch_records_count"));
}

TEST(EventLog, ReplaysIntoSinksAndKeepsIdempotencyAcrossRestarts) {
  TempDir dir;
  SystemClock clock;
  {
    RecordingSink sink;
    auto log = EventLog::Open(Options(dir.path()), {&sink}, &clock, nullptr);
    ASSERT_TRUE(log.ok());
    ASSERT_TRUE((*log)->AppendSync("s1", Items({"a", "b"})).ok());
    ASSERT_TRUE((*log)->AppendSync("s2", Items({"c"})).ok());
  }
  RecordingSink sink;
  auto log = EventLog::Open(Options(dir.path()), {&sink}, &clock, nullptr);
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE((*log)->WaitReady(10'000));
  EXPECT_EQ(sink.payloads().size(), 3u);
  auto r = (*log)->AppendSync("s1", Items({"a", "d"}), true);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->accepted, 1u);
  EXPECT_EQ(r->duplicates, 1u);
  EXPECT_EQ((*log)->EventCount("s1"), 3u);
  EXPECT_EQ(sink.payloads().size(), 4u);
}

TEST(EventLog, RewrittenRecordsStayDuplicatesAcrossRestarts) {
  TempDir dir;
  SystemClock clock;
  {
    RecordingSink sink;
    auto log = EventLog::Open(Options(dir.path()), {&sink}, &clock, nullptr);
    ASSERT_TRUE(log.ok());
    ASSERT_TRUE((*log)->AppendSync("s1", Items({"a", "b"}), true).ok());
    auto replaced = (*log)->RewriteShop("s1", [](const LogRecord& rec) {
      return rec.payload == "p-a" ? std::optional<EventLog::Replacement>(EventLog::Replacement{})
                                  : std::nullopt;
    });
    ASSERT_TRUE(replaced.ok());
    EXPECT_EQ(*replaced, 1u);
  }
  RecordingSink sink;
  auto log = EventLog::Open(Options(dir.path()), {&sink}, &clock, nullptr);
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE((*log)->WaitReady(10'000));
  std::vector<RecordType> types;
  (*log)->ForEachRecord("s1", [&](const LogRecord& rec) { types.push_back(rec.type); });
  EXPECT_THAT(types, ::testing::ElementsAre(RecordType::kRedacted, RecordType::kEvent));
  auto r = (*log)->AppendSync("s1", Items({"a", "b", "c"}), true);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(r->duplicate, ::testing::ElementsAre(true, true, false));
}

// Records written before they carried their idempotency digest (type byte
// without the high bit) still replay.
TEST(EventLog, ReplaysRecordsWithoutDigest) {
  TempDir dir;
  SystemClock clock;
  EventLogOptions options = Options(dir.path());
  options.partitions = 1;
  {
    auto log = EventLog::Open(options, {}, &clock, nullptr);
    ASSERT_TRUE(log.ok());
  }
  {
    rocksdb::DB* raw = nullptr;
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::Options o;
    auto s = rocksdb::DB::Open(o, dir.path(),
                               {{rocksdb::kDefaultColumnFamilyName, {}}, {"dedup", {}}},
                               &handles, &raw);
    ASSERT_TRUE(s.ok()) << s.ToString();
    std::unique_ptr<rocksdb::DB> db(raw);
    std::string key = "L";
    key.append({0, 0, 0, 0, 0, 0, 0, 0, 0, 1});  // partition 0, seq 1
    std::string value = {static_cast<char>(RecordType::kEvent), 2, 'o', 'l'};
    value += "old-payload";
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), key, value).ok());
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  }
  RecordingSink sink;
  auto log = EventLog::Open(options, {&sink}, &clock, nullptr);
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE((*log)->WaitReady(10'000));
  auto r = (*log)->AppendSync("ol", Items({"new"}), true);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(sink.payloads(),
              ::testing::ElementsAre(std::pair<std::string, std::string>("ol", "old-payload"),
                                     std::pair<std::string, std::string>("ol", "p-new")));
}

TEST(EventLog, ConcurrentWritersShareGroupCommits) {
  TempDir dir;
  SystemClock clock;
  RecordingSink sink;
  observe::MetricsRegistry metrics;
  auto log = EventLog::Open(Options(dir.path()), {&sink}, &clock, &metrics);
  ASSERT_TRUE(log.ok());
  constexpr int kThreads = 8, kPerThread = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string id = std::to_string(t) + "-" + std::to_string(i);
        auto r = (*log)->AppendSync("shop-" + std::to_string(t % 3), Items({id}));
        EXPECT_TRUE(r.ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  (*log)->Shutdown();
  EXPECT_EQ(sink.payloads().size(), static_cast<size_t>(kThreads * kPerThread));
  observe::Histogram* groups = metrics.GetHistogram(
      "storepilot_log_fsync_batch_records", "", observe::SizeBuckets());
  // Fewer synced writes than appends means writers shared them.
  EXPECT_LT(groups->Count(), static_cast<uint64_t>(kThreads * kPerThread));
}

// The apply threads can run below the request threads' CPU priority: every
// record is applied on a thread at the configured nice value.
class PrioritySink : public RecordSink {
 public:
  void Apply(const LogRecord&) override {
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
    std::lock_guard<std::mutex> lock(mu_);
    seen_.push_back(nice);
  }
  std::vector<int> seen() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }

 private:
  std::mutex mu_;
  std::vector<int> seen_;
};

TEST(EventLog, AppliesAtTheConfiguredCpuPriority) {
  TempDir dir;
  SystemClock clock;
  PrioritySink sink;
  EventLogOptions o = Options(dir.path());
  o.apply_threads = 2;
  o.apply_nice = 7;
  auto log = EventLog::Open(o, {&sink}, &clock, nullptr);
  ASSERT_TRUE(log.ok()) << log.status();
  for (int i = 0; i < 20; ++i) {
    auto r = (*log)->AppendSync("shop-" + std::to_string(i), Items({"e" + std::to_string(i)}),
                                /*wait_applied=*/true);
    ASSERT_TRUE(r.ok()) << r.status();
  }
  std::vector<int> seen = sink.seen();
  ASSERT_EQ(seen.size(), 20u);
  for (int nice : seen) EXPECT_EQ(nice, 7);
}

TEST(EventLog, AppendAfterShutdownIsUnavailable) {
  TempDir dir;
  SystemClock clock;
  auto log = EventLog::Open(Options(dir.path()), {}, &clock, nullptr);
  ASSERT_TRUE(log.ok());
  (*log)->Shutdown();
  auto r = (*log)->AppendSync("s", Items({"x"}));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
}

TEST(EventLog, RejectsBadOptions) {
  SystemClock clock;
  EventLogOptions o;
  o.dir = "/nonexistent/dir/that/cannot/be/created";
  o.partitions = 0;
  EXPECT_EQ(EventLog::Open(o, {}, &clock, nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
  o.partitions = 2;
  EXPECT_EQ(EventLog::Open(o, {}, &clock, nullptr).status().code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace storepilot::store

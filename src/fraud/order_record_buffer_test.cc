#include "fraud/order_record_buffer.h"

#include <chrono>
#include <filesystem>
#include <mutex>
#include <random>
#include <thread>

#include "gtest/gtest.h"
#include "common/temp_dir.h"

namespace storepilot::fraud {
namespace {

using std::chrono::milliseconds;

using storepilot::testing::TempDir;

// Payloads applied, per shop, in log order.
class Sink : public store::RecordSink {
 public:
  void Apply(const store::LogRecord& r) override {
    std::lock_guard<std::mutex> lock(mu_);
    applied_[std::string(r.shop)].push_back(std::string(r.payload));
  }
  std::vector<std::string> Of(const std::string& shop) {
    std::lock_guard<std::mutex> lock(mu_);
    return applied_[shop];
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::vector<std::string>> applied_;
};

store::AppendItem Item(const std::string& payload) {
  store::AppendItem item;
  item.type = store::RecordType::kFraudOrder;
  item.payload = payload;
  return item;
}

class OrderRecordBufferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::EventLogOptions options;
    options.dir = dir_.path();
    options.partitions = 2;
    options.sync = false;
    auto log = store::EventLog::Open(options, {&sink_}, &clock_, &metrics_);
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
  }
  // Appends a marker for `shop` and waits until the sinks applied it (and so
  // everything the log took before it for that shop).
  void Mark(const std::string& shop, const std::string& marker) {
    ASSERT_TRUE(log_->AppendSync(shop, {Item(marker)}, /*wait_applied=*/true).ok());
  }

  TempDir dir_;
  SystemClock clock_;
  observe::MetricsRegistry metrics_;
  Sink sink_;
  std::unique_ptr<store::EventLog> log_;
};

constexpr milliseconds kNever{3'600'000};  // Only Flush appends.

TEST_F(OrderRecordBufferTest, FlushAppendsInAddOrderBeforeALaterAppend) {
  OrderRecordBuffer buffer(log_.get(), kNever, nullptr);
  buffer.Add("a", Item("o1"));
  buffer.Add("b", Item("o3"));
  buffer.Add("a", Item("o2"));
  EXPECT_EQ(buffer.pending(), 3u);
  Mark("a", "before");  // Nothing was appended yet.
  EXPECT_EQ(sink_.Of("a"), std::vector<std::string>{"before"});
  buffer.Flush();
  EXPECT_EQ(buffer.pending(), 0u);
  Mark("a", "label");
  Mark("b", "label");
  EXPECT_EQ(sink_.Of("a"), (std::vector<std::string>{"before", "o1", "o2", "label"}));
  EXPECT_EQ(sink_.Of("b"), (std::vector<std::string>{"o3", "label"}));
}

TEST_F(OrderRecordBufferTest, AppendsByItselfAfterTheDelay) {
  OrderRecordBuffer buffer(log_.get(), milliseconds(1), nullptr);
  buffer.Add("a", Item("o1"));
  // Bounded wait for the flushing thread (no assertion on how long it took).
  for (int i = 0; i < 1000 && buffer.pending() > 0; ++i) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_EQ(buffer.pending(), 0u);
  Mark("a", "m");
  EXPECT_EQ(sink_.Of("a"), (std::vector<std::string>{"o1", "m"}));
  buffer.Add("a", Item("o2"));  // The thread sleeps between batches and wakes again.
  for (int i = 0; i < 1000 && buffer.pending() > 0; ++i) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_EQ(buffer.pending(), 0u);
  Mark("a", "n");
  EXPECT_EQ(sink_.Of("a"), (std::vector<std::string>{"o1", "m", "o2", "n"}));
}

TEST_F(OrderRecordBufferTest, DropForgetsOneShopsRecords) {
  OrderRecordBuffer buffer(log_.get(), kNever, nullptr);
  buffer.Add("a", Item("o1"));
  buffer.Add("b", Item("o2"));
  buffer.Drop("a");
  buffer.Drop("unknown");
  EXPECT_EQ(buffer.pending(), 1u);
  buffer.Flush();
  Mark("a", "m");
  Mark("b", "m");
  EXPECT_EQ(sink_.Of("a"), std::vector<std::string>{"m"});
  EXPECT_EQ(sink_.Of("b"), (std::vector<std::string>{"o2", "m"}));
}

TEST_F(OrderRecordBufferTest, DestructionFlushes) {
  {
    OrderRecordBuffer buffer(log_.get(), kNever, nullptr);
    buffer.Add("a", Item("o1"));
  }
  Mark("a", "m");
  EXPECT_EQ(sink_.Of("a"), (std::vector<std::string>{"o1", "m"}));
}

TEST_F(OrderRecordBufferTest, CountsRecordsTheLogRefuses) {
  observe::Counter* lost = metrics_.GetCounter("lost_total", "test");
  OrderRecordBuffer buffer(log_.get(), kNever, lost);
  log_->Shutdown();
  buffer.Add("a", Item("o1"));
  buffer.Add("a", Item("o2"));
  buffer.Flush();
  EXPECT_EQ(lost->Value(), 2);
}

}  // namespace
}  // namespace storepilot::fraud

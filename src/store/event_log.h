#ifndef STOREPILOT_STORE_EVENT_LOG_H_
#define STOREPILOT_STORE_EVENT_LOG_H_

// The durable, shop-partitioned event log on embedded RocksDB.
//
// Writers call Append with a shop's records; a single committer thread groups
// every append waiting at that moment into one RocksDB write, checking
// idempotency keys and writing the new ones in the same atomic batch; a syncer thread fsyncs the WAL
// for all groups written so far and only then calls back (group commit:
// concurrent writers share one fsync, and the next group is written while the
// previous one syncs). Committed records are handed to the RecordSinks
// through P partitions (shop -> partition by hash), each applied in order on
// its own Asio strand. On Open the log is replayed into the sinks before any
// new append is committed.
//
// Key layout (one key space):
//   'L' partition(u16 BE) seq(u64 BE)  -> type(u8, high bit: has digest)
//                                         shop(string) [digest128] payload
//   'D' digest128(shop, dedup_key)      -> "" (column family "dedup": the
//                                         idempotency keys of logs written
//                                         before records carried them)
//   'C' shop                            -> u64 count of accepted events
//
// Idempotency: a record appended with a dedup key carries the key's 128-bit
// digest, in the same RocksDB write. Every digest is also held in memory
// (store/digest_set.h, 23-46 bytes per distinct id ever accepted), rebuilt at
// open from the "dedup" family and the replay, and duplicates are found
// there: RocksDB answers no point lookup on the write path. A digest joins the
// in-memory set only once the write holding it succeeded (a failed write
// leaves none). Redaction rewrites keep a record's digest.
//
// Thread safety: Append and the accessors are thread-safe.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/clock.h"
#include "observe/metrics.h"
#include "store/log_record.h"

namespace rocksdb {
class DB;
}

namespace storepilot::store {

struct Digest128;

struct EventLogOptions {
  std::string dir;            // created when missing
  int partitions = 8;         // fixed for the life of a data directory
  int apply_threads = 2;      // threads applying partitions to sinks
  bool sync = true;           // fsync every group commit (false only in tests)
  size_t max_group_records = 20'000;  // records in one group commit at most
  // CPU priority (nice, 0-19) of the threads applying records to the sinks:
  // above 0 the request threads go first and the engines catch up when they
  // leave CPU idle (records are durable once committed; only the engines'
  // view lags).
  int apply_nice = 0;
  // RocksDB's flush and compaction threads at the lowest CPU priority, so a
  // compaction does not take a core from the requests waiting for their
  // group commit (writes slow down at RocksDB's own L0 triggers if it falls
  // behind).
  bool background_low_priority = true;
};

struct AppendItem {
  RecordType type = RecordType::kEvent;
  std::string dedup_key;  // empty: no idempotency check
  std::string payload;
};

struct AppendResult {
  size_t accepted = 0;
  size_t duplicates = 0;
  std::vector<bool> duplicate;  // per item
};

using AppendCallback = std::function<void(absl::StatusOr<AppendResult>)>;

class EventLog {
 public:
  // Opens (or creates) the log, recovers each partition's sequence number and
  // starts the committer, which first replays the log into `sinks`. The sinks
  // must outlive the EventLog. `metrics` may be null.
  static absl::StatusOr<std::unique_ptr<EventLog>> Open(
      const EventLogOptions& options, std::vector<RecordSink*> sinks, const Clock* clock,
      observe::MetricsRegistry* metrics);
  ~EventLog();  // Shutdown()

  // Appends `items` for `shop` atomically: all of them or none. `done` runs
  // on the committer thread once the records are durable (or when the write
  // failed), or, with `wait_applied`, once every sink has applied them; it
  // must be quick and must not call Append synchronously... it may post work.
  // After Shutdown, `done` gets Unavailable.
  void Append(const std::string& shop, std::vector<AppendItem> items,
              AppendCallback done, bool wait_applied = false);

  // Blocking convenience wrapper around Append.
  absl::StatusOr<AppendResult> AppendSync(const std::string& shop,
                                          std::vector<AppendItem> items,
                                          bool wait_applied = false);

  // True once the startup replay has been applied to every sink.
  bool ready() const { return ready_.load(); }
  // Blocks until ready() or `timeout_ms` passes; returns ready().
  bool WaitReady(int timeout_ms) const;
  // Durable count of accepted (non-duplicate) events of `shop`.
  uint64_t EventCount(const std::string& shop) const;
  int partitions() const { return options_.partitions; }
  int PartitionOf(const std::string& shop) const;
  // Bytes of SST and WAL files on disk (approximate).
  uint64_t DiskBytes() const;

  // Redaction support. Calls `fn` for each record of `shop` (in its
  // partition, in sequence order) that is in the log when the call starts;
  // when `fn` returns a value the record is replaced in place by it (same
  // sequence number, so partitions stay dense). Returns the number of records
  // replaced. Safe to call concurrently with Append (it touches only existing
  // records) but not during the startup replay (wait for ready()).
  struct Replacement {
    RecordType type = RecordType::kRedacted;
    std::string payload;
  };
  using RewriteFn = std::function<std::optional<Replacement>(const LogRecord&)>;
  absl::StatusOr<size_t> RewriteShop(const std::string& shop, const RewriteFn& fn);
  // Read-only scan of `shop`'s records, in sequence order.
  void ForEachRecord(const std::string& shop,
                     const std::function<void(const LogRecord&)>& fn) const;
  // Flushes every memtable and compacts the whole store, so that replaced
  // values leave the disk (old SST and WAL files are deleted).
  absl::Status CompactAll();

  // Stops taking appends, commits what is queued, waits for the sinks to
  // apply it, and closes the database. Idempotent.
  void Shutdown();

 private:
  struct Pending;
  struct Impl;
  explicit EventLog(const EventLogOptions& options);
  void CommitLoop();
  void CommitGroup(std::vector<std::unique_ptr<Pending>>& group);
  void SyncLoop();
  void Replay();
  // ForEachRecord with each record's idempotency digest (null when it has none).
  void ScanShop(const std::string& shop,
                const std::function<void(const LogRecord&, const Digest128*)>& fn) const;

  EventLogOptions options_;
  std::unique_ptr<Impl> impl_;
  std::atomic<bool> ready_{false};
  std::thread committer_;
  std::thread syncer_;
};

}  // namespace storepilot::store

#endif  // STOREPILOT_STORE_EVENT_LOG_H_

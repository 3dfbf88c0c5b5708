#include "store/event_log.h"

#include <chrono>
#include <cstring>
#include <future>
#include <latch>
#include <memory>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "boost/asio/post.hpp"
#include "boost/asio/strand.hpp"
#include "boost/asio/thread_pool.hpp"
#include "common/binary_codec.h"
#include "common/periodic_task.h"
#include "common/status_macros.h"
#include "store/digest_set.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/memtablerep.h"
#include "rocksdb/write_batch.h"

namespace storepilot::store {
namespace {

using Strand = boost::asio::strand<boost::asio::thread_pool::executor_type>;

std::string LogKey(uint16_t partition, uint64_t seq) {
  std::string key = "L";
  BinaryWriter w(&key);
  w.PutFixed16BE(partition);
  w.PutFixed64BE(seq);
  return key;
}

// 64-bit multiply-xorshift mixing over 8-byte words (MurmurHash-style
// finaliser); two lanes with different seeds give a 128-bit digest.
uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

uint64_t HashLane(std::string_view a, std::string_view b, uint64_t seed) {
  uint64_t h = seed ^ (a.size() * 0x9e3779b97f4a7c15ull) ^ (b.size() << 32);
  for (std::string_view part : {a, b}) {
    size_t i = 0;
    for (; i + 8 <= part.size(); i += 8) {
      uint64_t w;
      std::memcpy(&w, part.data() + i, 8);
      h = Mix(h ^ w) * 0x9e3779b97f4a7c15ull;
    }
    uint64_t tail = 0;
    std::memcpy(&tail, part.data() + i, part.size() - i);
    h = Mix(h ^ tail ^ 0xa5a5a5a5a5a5a5a5ull);
  }
  return h;
}

// The idempotency digest of (shop, key): short, uniformly spread, and a
// false duplicate needs a 128-bit collision within one shop.
Digest128 DedupDigest(const std::string& shop, const std::string& key) {
  return {HashLane(shop, key, 0x243f6a8885a308d3ull),
          HashLane(shop, key, 0x13198a2e03707344ull)};
}

// Keys of the "dedup" column family, where logs written before records
// carried their digest kept it: 'D' and the digest.
constexpr size_t kDedupKeyBytes = 17;

std::string CountKey(const std::string& shop) { return "C" + shop; }

// A record's value: type(u8) shop(string) [digest(16 bytes)] payload. The
// type's high bit says that the record carries the idempotency digest of the
// item it stores (records written before it did have theirs in the "dedup"
// column family); the replay rebuilds the in-memory index from it.
constexpr uint8_t kHasDigest = 0x80;

std::string EncodeValue(RecordType type, const std::string& shop, std::string_view payload,
                        const Digest128* digest) {
  std::string v;
  v.reserve(2 + shop.size() + 16 + payload.size() + 4);
  BinaryWriter w(&v);
  w.PutU8(static_cast<uint8_t>(type) | (digest ? kHasDigest : 0));
  w.PutString(shop);
  if (digest) {
    w.PutFixed64BE(digest->hi);
    w.PutFixed64BE(digest->lo);
  }
  v.append(payload);
  return v;
}

// Decodes `value` into `rec` and, when the record carries one, `*digest`
// (`*has_digest` says whether it did).
bool DecodeValue(std::string_view value, LogRecord* rec, Digest128* digest,
                 bool* has_digest) {
  BinaryReader r(value);
  uint8_t type = 0;
  if (!r.GetU8(&type) || !r.GetStringView(&rec->shop)) return false;
  *has_digest = (type & kHasDigest) != 0;
  if (*has_digest && !(r.GetFixed64BE(&digest->hi) && r.GetFixed64BE(&digest->lo))) {
    return false;
  }
  rec->type = static_cast<RecordType>(type & ~kHasDigest);
  rec->payload = r.rest();
  return true;
}

absl::Status FromRocks(const rocksdb::Status& s, const char* what) {
  if (s.ok()) return absl::OkStatus();
  return absl::UnavailableError(absl::StrCat(what, ": ", s.ToString()));
}

int64_t ElapsedMicros(const Clock* clock, int64_t since) {
  return clock->NowMicros() - since;
}

}  // namespace

struct EventLog::Pending {
  std::string shop;
  std::vector<AppendItem> items;
  AppendCallback done;
  bool wait_applied = false;
  int64_t enqueued_us = 0;
  AppendResult result;  // filled by the committer
};

struct EventLog::Impl {
  std::unique_ptr<rocksdb::DB> db;
  rocksdb::ColumnFamilyHandle* default_cf = nullptr;
  rocksdb::ColumnFamilyHandle* dedup_cf = nullptr;  // idempotency keys
  // Every idempotency digest (dedup_cf's and the records'), loaded by the
  // committer before it commits anything: duplicates are found here, never
  // by reading RocksDB.
  DigestSet dedup;  // committer thread only
  std::vector<RecordSink*> sinks;
  const Clock* clock = nullptr;
  std::unique_ptr<boost::asio::thread_pool> pool;
  std::vector<Strand> strands;

  std::mutex mu;
  std::condition_variable cv;
  std::condition_variable ready_cv;
  std::deque<std::unique_ptr<Pending>> queue;  // guarded by mu
  bool stopping = false;                       // guarded by mu

  std::mutex sync_mu;
  std::condition_variable sync_cv;
  std::vector<std::unique_ptr<Pending>> sync_queue;  // guarded by sync_mu
  size_t sync_records = 0;                            // guarded by sync_mu
  bool sync_stopping = false;                         // guarded by sync_mu

  std::vector<uint64_t> next_seq;  // committer thread only
  std::vector<std::unique_ptr<std::atomic<uint64_t>>> applied_seq;
  std::vector<std::unique_ptr<std::atomic<uint64_t>>> committed_seq;

  mutable std::mutex counts_mu;
  std::unordered_map<std::string, uint64_t> counts;  // guarded by counts_mu

  observe::Histogram* append_latency = nullptr;
  observe::Histogram* group_size = nullptr;
  observe::Histogram* fsync_latency = nullptr;
  observe::Histogram* commit_write_latency = nullptr;
  observe::Counter* corrupt_records = nullptr;
  std::vector<observe::Gauge*> lag;  // per partition; empty without metrics
  observe::Gauge* disk_bytes = nullptr;
  observe::Gauge* dedup_keys = nullptr;
  observe::Gauge* dedup_bytes = nullptr;
  int64_t disk_bytes_updated_us = 0;  // committer thread only

  void UpdateLag(int partition) {
    if (lag.empty()) return;
    lag[partition]->Set(static_cast<double>(committed_seq[partition]->load() -
                                            applied_seq[partition]->load()));
  }

  // Applies one record to every sink; with `index`, also adds its digest
  // to `dedup` (the replay, on the committer thread).
  void ApplyOne(uint16_t partition, uint64_t seq, std::string_view value,
                bool index = false) {
    LogRecord rec;
    rec.partition = partition;
    rec.seq = seq;
    Digest128 digest;
    bool has_digest = false;
    if (!DecodeValue(value, &rec, &digest, &has_digest)) {
      if (corrupt_records) corrupt_records->Inc();
      return;
    }
    if (index && has_digest) dedup.Insert(digest);
    for (RecordSink* sink : sinks) sink->Apply(rec);
  }

  // Reads every shop's event count once at open (an iterator over the 'C'
  // keys): the log's vector memtable must not be searched key by key.
  void LoadCounts() {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), default_cf));
    for (it->Seek("C"); it->Valid() && it->key().starts_with("C"); it->Next()) {
      uint64_t n = 0;
      BinaryReader r(std::string_view(it->value().data(), it->value().size()));
      r.GetFixed64BE(&n);
      counts[it->key().ToString().substr(1)] = n;
    }
  }

  // Fills `dedup` from the dedup column family (one sequential scan); the
  // replay adds the digests carried by the records.
  void LoadDedup() {
    uint64_t estimate = 0;
    db->GetIntProperty(dedup_cf, "rocksdb.estimate-num-keys", &estimate);
    dedup.Reserve(static_cast<size_t>(estimate));
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), dedup_cf));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (it->key().size() != kDedupKeyBytes) continue;
      BinaryReader r(std::string_view(it->key().data() + 1, kDedupKeyBytes - 1));
      Digest128 d;
      r.GetFixed64BE(&d.hi);
      r.GetFixed64BE(&d.lo);
      dedup.Insert(d);
    }
  }
};

EventLog::EventLog(const EventLogOptions& options)
    : options_(options), impl_(std::make_unique<Impl>()) {}

absl::StatusOr<std::unique_ptr<EventLog>> EventLog::Open(
    const EventLogOptions& options, std::vector<RecordSink*> sinks, const Clock* clock,
    observe::MetricsRegistry* metrics) {
  if (options.partitions < 1 || options.partitions > 4096) {
    return absl::InvalidArgumentError("partitions must be from 1 to 4096");
  }
  std::unique_ptr<EventLog> log(new EventLog(options));
  Impl& impl = *log->impl_;
  impl.sinks = std::move(sinks);
  impl.clock = clock;

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.IncreaseParallelism(2);
  db_options.max_background_jobs = 2;
  // Flushes and compactions write their files out to disk as they go, 1 MiB
  // at a time, instead of leaving tens of MiB dirty in the page cache: on
  // ext4 the committer's WAL fsync would otherwise wait for a whole new
  // table file to reach the disk (one journal commit carries both), and the
  // acknowledgement of every request in that group commit with it.
  db_options.bytes_per_sync = 1 << 20;
  // One committer thread writes; the memtables below need this off.
  db_options.allow_concurrent_memtable_write = false;
  // Neither family is read by key while the log runs (the log by iterators,
  // the idempotency keys only by the scan at open), so no bloom filters:
  // building them would cost flush CPU for nothing.
  rocksdb::ColumnFamilyOptions base_cf;
  base_cf.write_buffer_size = 32 << 20;
  // Up to three full memtables may wait for their flush before writes stop
  // (RocksDB's default allows one): under sustained batch ingest a flush,
  // which runs below the request threads' CPU priority, can take longer than
  // the next memtable takes to fill, and a write stop holds every group
  // commit, and so every acknowledgement, until it ends (the 25-50 ms tail of
  // the half-load benchmark). Bounded: at most 128 MiB of memtables.
  base_cf.max_write_buffer_number = 4;
  // The log and counters: records are appended and read back by iterators
  // (replay), so the memtable is a vector sorted once at flush, in the
  // background, instead of a skip list searched on the committer thread for
  // every insert (the committer's largest cost in profiles of batch ingest).
  rocksdb::ColumnFamilyOptions log_cf = base_cf;
  log_cf.memtable_factory = std::make_shared<rocksdb::VectorRepFactory>();
  // Idempotency digests now travel inside the log records and are checked
  // against the in-memory DigestSet. This family only holds the digests of
  // data directories written before that (read once, at open): it used to
  // take a random 17-byte key per event, and rebuilding its hashed memtable
  // into a skip list at flush was a quarter of the server's CPU under batch
  // ingest.
  rocksdb::ColumnFamilyOptions dedup_cf = base_cf;
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, log_cf}, {"dedup", dedup_cf}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, options.dir, families, &handles, &raw);
  if (!s.ok()) {
    return absl::UnavailableError(
        absl::StrCat("cannot open the event log in ", options.dir, ": ", s.ToString()));
  }
  impl.db.reset(raw);
  impl.default_cf = handles[0];
  impl.dedup_cf = handles[1];

  impl.LoadCounts();
  const int p = options.partitions;
  impl.next_seq.assign(p, 0);
  for (int i = 0; i < p; ++i) {
    impl.applied_seq.push_back(std::make_unique<std::atomic<uint64_t>>(0));
    impl.committed_seq.push_back(std::make_unique<std::atomic<uint64_t>>(0));
    // The last key of the partition holds its sequence number.
    std::unique_ptr<rocksdb::Iterator> it(impl.db->NewIterator(rocksdb::ReadOptions()));
    it->SeekForPrev(LogKey(static_cast<uint16_t>(i), UINT64_MAX));
    const std::string prefix = LogKey(static_cast<uint16_t>(i), 0).substr(0, 3);
    if (it->Valid() && it->key().starts_with(prefix)) {
      BinaryReader r(std::string_view(it->key().data() + 3, it->key().size() - 3));
      r.GetFixed64BE(&impl.next_seq[i]);
    }
    impl.committed_seq[i]->store(impl.next_seq[i]);
  }

  impl.pool = std::make_unique<boost::asio::thread_pool>(std::max(1, options.apply_threads));
  if (options.apply_nice > 0) {
    // One task per pool thread, each waiting for the others, so every
    // thread lowers its own priority exactly once before any record runs.
    // The latch is shared: a pool thread may still be inside its wait when
    // this one returns from its own.
    const int n = std::max(1, options.apply_threads);
    auto all = std::make_shared<std::latch>(n);
    for (int i = 0; i < n; ++i) {
      boost::asio::post(*impl.pool, [all, nice = std::min(options.apply_nice, 19)] {
        LowerThreadPriority(nice);
        all->arrive_and_wait();
      });
    }
    all->wait();
  }
  if (options.background_low_priority) {
    // Env::Default() is the process's; every log opened here wants the same.
    rocksdb::Env::Default()->LowerThreadPoolCPUPriority(rocksdb::Env::Priority::LOW,
                                                        rocksdb::CpuPriority::kLow);
    rocksdb::Env::Default()->LowerThreadPoolCPUPriority(rocksdb::Env::Priority::HIGH,
                                                        rocksdb::CpuPriority::kLow);
  }
  for (int i = 0; i < p; ++i) impl.strands.emplace_back(impl.pool->get_executor());

  if (metrics) {
    impl.append_latency = metrics->GetHistogram(
        "storepilot_log_append_seconds", "Time from Append to durable commit",
        observe::LatencyBuckets());
    impl.group_size = metrics->GetHistogram(
        "storepilot_log_fsync_batch_records", "Records per group commit (one fsync)",
        observe::SizeBuckets());
    impl.fsync_latency = metrics->GetHistogram(
        "storepilot_log_write_seconds", "Duration of one synced RocksDB write",
        observe::LatencyBuckets());
    impl.commit_write_latency = metrics->GetHistogram(
        "storepilot_log_commit_write_seconds",
        "Duration of the committer's (unsynced) RocksDB write of one group",
        observe::LatencyBuckets());
    impl.corrupt_records = metrics->GetCounter(
        "storepilot_log_corrupt_records_total", "Log records that could not be decoded");
    for (int i = 0; i < p; ++i) {
      impl.lag.push_back(metrics->GetGauge(
          "storepilot_partition_lag_records", "Committed but not yet applied records",
          {{"partition", std::to_string(i)}}));
    }
    impl.disk_bytes = metrics->GetGauge(
        "storepilot_store_disk_bytes",
        "Bytes of the embedded store (SST files + memtables), refreshed each second");
    impl.dedup_keys = metrics->GetGauge(
        "storepilot_log_dedup_keys",
        "Idempotency keys (event and webhook ids) held in memory, refreshed each second");
    impl.dedup_bytes = metrics->GetGauge(
        "storepilot_log_dedup_memory_bytes",
        "Bytes of the in-memory idempotency index, refreshed each second");
  }
  log->committer_ = std::thread([raw_log = log.get()] { raw_log->CommitLoop(); });
  log->syncer_ = std::thread([raw_log = log.get()] { raw_log->SyncLoop(); });
  return log;
}

EventLog::~EventLog() { Shutdown(); }

int EventLog::PartitionOf(const std::string& shop) const {
  // FNV-1a: stable across runs and builds, unlike std::hash.
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : shop) h = (h ^ c) * 1099511628211ull;
  return static_cast<int>(h % static_cast<uint64_t>(options_.partitions));
}

void EventLog::Append(const std::string& shop, std::vector<AppendItem> items,
                      AppendCallback done, bool wait_applied) {
  auto pending = std::make_unique<Pending>();
  pending->shop = shop;
  pending->items = std::move(items);
  pending->done = std::move(done);
  pending->wait_applied = wait_applied;
  pending->enqueued_us = impl_->clock->NowMicros();
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (!impl_->stopping) {
      impl_->queue.push_back(std::move(pending));
      impl_->cv.notify_one();
      return;
    }
  }
  pending->done(absl::UnavailableError("the event log is shutting down"));
}

absl::StatusOr<AppendResult> EventLog::AppendSync(const std::string& shop,
                                                  std::vector<AppendItem> items,
                                                  bool wait_applied) {
  std::promise<absl::StatusOr<AppendResult>> promise;
  auto future = promise.get_future();
  Append(
      shop, std::move(items),
      [&promise](absl::StatusOr<AppendResult> r) { promise.set_value(std::move(r)); },
      wait_applied);
  return future.get();
}

bool EventLog::WaitReady(int timeout_ms) const {
  std::unique_lock<std::mutex> lock(impl_->mu);
  impl_->ready_cv.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                           [this] { return ready_.load(); });
  return ready_.load();
}

uint64_t EventLog::EventCount(const std::string& shop) const {
  std::lock_guard<std::mutex> lock(impl_->counts_mu);
  auto it = impl_->counts.find(shop);
  return it == impl_->counts.end() ? 0 : it->second;
}

uint64_t EventLog::DiskBytes() const {
  if (!impl_->db) return 0;
  uint64_t sst = 0, mem = 0;
  impl_->db->GetIntProperty("rocksdb.total-sst-files-size", &sst);
  impl_->db->GetIntProperty("rocksdb.cur-size-all-mem-tables", &mem);
  return sst + mem;
}

void EventLog::Replay() {
  Impl& impl = *impl_;
  for (int p = 0; p < options_.partitions; ++p) {
    std::string prefix = LogKey(static_cast<uint16_t>(p), 0).substr(0, 3);
    std::unique_ptr<rocksdb::Iterator> it(impl.db->NewIterator(rocksdb::ReadOptions()));
    uint64_t last = 0;
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      BinaryReader r(std::string_view(it->key().data() + 3, it->key().size() - 3));
      r.GetFixed64BE(&last);
      impl.ApplyOne(static_cast<uint16_t>(p), last,
                    std::string_view(it->value().data(), it->value().size()),
                    /*index=*/true);
    }
    impl.applied_seq[p]->store(last);
  }
  {
    std::lock_guard<std::mutex> lock(impl.mu);
    ready_.store(true);
  }
  impl.ready_cv.notify_all();
}

void EventLog::CommitLoop() {
  Impl& impl = *impl_;
  impl.LoadDedup();
  Replay();
  std::vector<std::unique_ptr<Pending>> group;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(impl.mu);
      impl.cv.wait(lock, [&] { return impl.stopping || !impl.queue.empty(); });
      if (impl.queue.empty() && impl.stopping) return;
      size_t records = 0;
      while (!impl.queue.empty() &&
             (group.empty() || records + impl.queue.front()->items.size() <=
                                   options_.max_group_records)) {
        records += impl.queue.front()->items.size();
        group.push_back(std::move(impl.queue.front()));
        impl.queue.pop_front();
      }
    }
    CommitGroup(group);
    group.clear();
  }
}

void EventLog::CommitGroup(std::vector<std::unique_ptr<Pending>>& group) {
  Impl& impl = *impl_;
  rocksdb::WriteBatch batch;
  // This group's new digests; they join impl.dedup once the write succeeded.
  DigestSet group_keys;
  std::vector<uint64_t> saved_seq = impl.next_seq;
  std::unordered_map<std::string, uint64_t> new_counts;
  struct Staged {
    uint64_t seq;
    std::string value;
  };
  std::vector<std::vector<Staged>> by_partition(options_.partitions);
  std::vector<Digest128> new_digests;
  size_t total_records = 0;

  for (size_t g = 0; g < group.size(); ++g) {
    Pending& p = *group[g];
    const int partition = PartitionOf(p.shop);
    AppendResult& result = p.result;
    result.duplicate.assign(p.items.size(), false);
    uint64_t* count = nullptr;
    for (size_t i = 0; i < p.items.size(); ++i) {
      AppendItem& item = p.items[i];
      if (!item.dedup_key.empty()) {
        const Digest128 digest = DedupDigest(p.shop, item.dedup_key);
        if (impl.dedup.Contains(digest) || !group_keys.Insert(digest)) {
          result.duplicate[i] = true;
          ++result.duplicates;
          continue;
        }
        new_digests.push_back(digest);
      }
      const uint64_t seq = ++impl.next_seq[partition];
      std::string value = EncodeValue(item.type, p.shop, item.payload,
                                      item.dedup_key.empty() ? nullptr : &new_digests.back());
      batch.Put(LogKey(static_cast<uint16_t>(partition), seq), value);
      by_partition[partition].push_back({seq, std::move(value)});
      ++result.accepted;
      ++total_records;
      if (item.type == RecordType::kEvent) {
        if (count == nullptr) {
          auto [it, inserted] = new_counts.try_emplace(p.shop, 0);
          if (inserted) it->second = EventCount(p.shop);
          count = &it->second;
        }
        ++*count;
      }
    }
  }
  for (const auto& [shop, n] : new_counts) {
    std::string v;
    BinaryWriter(&v).PutFixed64BE(n);
    batch.Put(CountKey(shop), v);
  }

  // The write itself is not synced: the syncer thread fsyncs the WAL for every
  // group written so far and only then acknowledges, so the next group is
  // prepared and written while the previous one is being synced.
  rocksdb::WriteOptions wo;
  wo.sync = false;
  const int64_t write_start = impl.clock->NowMicros();
  rocksdb::Status s =
      batch.Count() > 0 ? impl.db->Write(wo, &batch) : rocksdb::Status::OK();
  if (!s.ok()) {
    impl.next_seq = saved_seq;
    absl::Status error = FromRocks(s, "event log write failed");
    for (auto& p : group) p->done(error);
    return;
  }
  if (impl.commit_write_latency) {
    impl.commit_write_latency->Observe(ElapsedMicros(impl.clock, write_start) / 1e6);
  }
  for (const Digest128& d : new_digests) impl.dedup.Insert(d);
  {
    std::lock_guard<std::mutex> lock(impl.counts_mu);
    for (const auto& [shop, n] : new_counts) impl.counts[shop] = n;
  }
  if (impl.disk_bytes && write_start - impl.disk_bytes_updated_us > 1'000'000) {
    impl.disk_bytes_updated_us = write_start;
    impl.disk_bytes->Set(static_cast<double>(DiskBytes()));
    impl.dedup_keys->Set(static_cast<double>(impl.dedup.size()));
    impl.dedup_bytes->Set(static_cast<double>(impl.dedup.MemoryBytes()));
  }
  for (int partition = 0; partition < options_.partitions; ++partition) {
    if (by_partition[partition].empty()) continue;
    impl.committed_seq[partition]->store(impl.next_seq[partition]);
    impl.UpdateLag(partition);
    boost::asio::post(impl.strands[partition],
                      [&impl, partition, records = std::move(by_partition[partition])] {
                        uint64_t last = 0;
                        for (const Staged& r : records) {
                          impl.ApplyOne(static_cast<uint16_t>(partition), r.seq, r.value);
                          last = r.seq;
                        }
                        if (last > 0) impl.applied_seq[partition]->store(last);
                        impl.UpdateLag(partition);
                      });
  }
  std::lock_guard<std::mutex> lock(impl.sync_mu);
  for (auto& p : group) impl.sync_queue.push_back(std::move(p));
  impl.sync_records += total_records;
  impl.sync_cv.notify_one();
}

void EventLog::SyncLoop() {
  Impl& impl = *impl_;
  std::vector<std::unique_ptr<Pending>> acks;
  while (true) {
    size_t records = 0;
    {
      std::unique_lock<std::mutex> lock(impl.sync_mu);
      impl.sync_cv.wait(lock, [&] { return impl.sync_stopping || !impl.sync_queue.empty(); });
      if (impl.sync_queue.empty()) return;  // stopping, nothing left
      acks.swap(impl.sync_queue);
      records = impl.sync_records;
      impl.sync_records = 0;
    }
    const int64_t start = impl.clock->NowMicros();
    // Everything written before this call is durable when it returns.
    rocksdb::Status s = options_.sync ? impl.db->SyncWAL() : rocksdb::Status::OK();
    if (impl.fsync_latency) {
      impl.fsync_latency->Observe(ElapsedMicros(impl.clock, start) / 1e6);
      impl.group_size->Observe(static_cast<double>(records));
    }
    absl::Status error = s.ok() ? absl::OkStatus() : FromRocks(s, "event log sync failed");
    for (auto& p : acks) {
      if (impl.append_latency) {
        impl.append_latency->Observe(ElapsedMicros(impl.clock, p->enqueued_us) / 1e6);
      }
      if (!error.ok()) {
        p->done(error);
      } else if (p->wait_applied) {
        // Answered from the partition's strand, after its records are applied.
        const int partition = PartitionOf(p->shop);
        boost::asio::post(impl.strands[partition],
                          [p = std::move(p)] { p->done(std::move(p->result)); });
      } else {
        p->done(std::move(p->result));
      }
    }
    acks.clear();
  }
}

void EventLog::ForEachRecord(const std::string& shop,
                             const std::function<void(const LogRecord&)>& fn) const {
  ScanShop(shop, [&fn](const LogRecord& rec, const Digest128*) { fn(rec); });
}

void EventLog::ScanShop(
    const std::string& shop,
    const std::function<void(const LogRecord&, const Digest128*)>& fn) const {
  Impl& impl = *impl_;
  const uint16_t partition = static_cast<uint16_t>(PartitionOf(shop));
  const std::string prefix = LogKey(partition, 0).substr(0, 3);
  std::unique_ptr<rocksdb::Iterator> it(impl.db->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    LogRecord rec;
    rec.partition = partition;
    BinaryReader r(std::string_view(it->key().data() + 3, it->key().size() - 3));
    r.GetFixed64BE(&rec.seq);
    Digest128 digest;
    bool has_digest = false;
    if (!DecodeValue(std::string_view(it->value().data(), it->value().size()), &rec, &digest,
                     &has_digest)) {
      continue;
    }
    if (rec.shop != shop) continue;
    fn(rec, has_digest ? &digest : nullptr);
  }
}

absl::StatusOr<size_t> EventLog::RewriteShop(const std::string& shop, const RewriteFn& fn) {
  Impl& impl = *impl_;
  rocksdb::WriteBatch batch;
  size_t replaced = 0;
  // A replaced record keeps its idempotency digest (a hash of the shop and
  // the event or delivery id, no personal data), so a redacted event sent
  // again after a restart is still a duplicate.
  ScanShop(shop, [&](const LogRecord& rec, const Digest128* digest) {
    std::optional<Replacement> r = fn(rec);
    if (!r) return;
    batch.Put(LogKey(rec.partition, rec.seq), EncodeValue(r->type, shop, r->payload, digest));
    ++replaced;
  });
  if (replaced == 0) return replaced;
  rocksdb::WriteOptions wo;
  wo.sync = options_.sync;
  RETURN_IF_ERROR(FromRocks(impl.db->Write(wo, &batch), "log rewrite failed"));
  return replaced;
}

absl::Status EventLog::CompactAll() {
  Impl& impl = *impl_;
  // Flushing both families retires every WAL file written so far; the full
  // compaction (bottommost level included) drops the overwritten values.
  rocksdb::FlushOptions fo;
  fo.wait = true;
  RETURN_IF_ERROR(FromRocks(impl.db->Flush(fo, {impl.default_cf, impl.dedup_cf}), "flush"));
  rocksdb::CompactRangeOptions co;
  co.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  co.exclusive_manual_compaction = false;
  for (auto* cf : {impl.default_cf, impl.dedup_cf}) {
    RETURN_IF_ERROR(FromRocks(impl.db->CompactRange(co, cf, nullptr, nullptr), "compact"));
  }
  return absl::OkStatus();
}

void EventLog::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->stopping && !committer_.joinable()) return;
    impl_->stopping = true;
    impl_->cv.notify_all();
  }
  if (committer_.joinable()) committer_.join();
  {
    std::lock_guard<std::mutex> lock(impl_->sync_mu);
    impl_->sync_stopping = true;
    impl_->sync_cv.notify_all();
  }
  if (syncer_.joinable()) syncer_.join();
  if (impl_->pool) impl_->pool->join();
  if (impl_->db) {
    impl_->db->SyncWAL();
    for (auto* h : {impl_->default_cf, impl_->dedup_cf}) impl_->db->DestroyColumnFamilyHandle(h);
    impl_->db->Close();
    impl_->db.reset();
  }
}

}  // namespace storepilot::store

#ifndef STOREPILOT_STORE_DIGEST_SET_H_
#define STOREPILOT_STORE_DIGEST_SET_H_

// A set of 128-bit digests in one flat array (open addressing, linear
// probing): the event log's in-memory index of idempotency keys. The digests
// are uniformly spread hashes, so their low bits pick the slot directly.
//
// Memory: 16 bytes per slot, between 1.4 and 2.8 slots per digest (the table
// doubles when it is 70% full), so 23-46 bytes per digest held, and the old
// table's too while a doubling is under way.
//
// Growth is incremental: when the table is full a new one of twice the size
// is allocated (zeroed lazily by the kernel, not written), and every later
// Insert moves the next few slots of the old table into it; lookups check
// both until the move is done. The committer thread never stops to rehash
// millions of digests at once (a 4 M-digest doubling took ~100 ms, a stall
// every request in flight waited for).
//
// Not thread-safe: the event log's committer thread owns it.

#include <cstddef>
#include <cstdint>

namespace storepilot::store {

struct Digest128 {
  uint64_t hi = 0;
  uint64_t lo = 0;
  bool operator==(const Digest128&) const = default;
};

class DigestSet {
 public:
  DigestSet() = default;
  ~DigestSet();
  DigestSet(const DigestSet&) = delete;
  DigestSet& operator=(const DigestSet&) = delete;

  // True when `d` is in the set.
  bool Contains(const Digest128& d) const;
  // Adds `d`; returns false (and changes nothing) when it was already there.
  bool Insert(const Digest128& d);
  // Makes room for `n` digests without growing again.
  void Reserve(size_t n);

  size_t size() const { return size_ + (has_zero_ ? 1 : 0); }
  size_t MemoryBytes() const { return (table_.capacity + old_.capacity) * sizeof(Digest128); }
  // True while the slots of a smaller, older table are still being moved.
  bool resizing() const { return old_.slots != nullptr; }

 private:
  // A power-of-two array of slots from calloc: fresh pages come zeroed from
  // the kernel, so a large table costs no up-front writes.
  struct Table {
    Digest128* slots = nullptr;
    size_t capacity = 0;
    // Index of `d`'s slot, or of the empty slot where it would go.
    size_t Probe(const Digest128& d) const;
    bool Holds(const Digest128& d) const;
  };
  static Table Allocate(size_t capacity);
  static void Free(Table* t);
  // Moves up to `n` slots of old_ into table_; frees old_ when done.
  void Migrate(size_t n);
  // Grows to `capacity` at once (Reserve).
  void Rehash(size_t capacity);

  // The all-zero digest marks an empty slot, so it is kept aside.
  Table table_;
  Table old_;            // during a doubling: the previous table
  size_t migrated_ = 0;  // slots of old_ already moved
  size_t size_ = 0;      // distinct non-zero digests held
  bool has_zero_ = false;
};

}  // namespace storepilot::store

#endif  // STOREPILOT_STORE_DIGEST_SET_H_

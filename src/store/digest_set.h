#ifndef STOREPILOT_STORE_DIGEST_SET_H_
#define STOREPILOT_STORE_DIGEST_SET_H_

// A set of 128-bit digests in one flat array (open addressing, linear
// probing): the event log's in-memory index of idempotency keys. The digests
// are uniformly spread hashes, so their low bits pick the slot directly.
//
// Memory: 16 bytes per slot, between 1.4 and 2.8 slots per digest (the table
// doubles when it is 70% full), so 23-46 bytes per digest held.
//
// Not thread-safe: the event log's committer thread owns it.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace storepilot::store {

struct Digest128 {
  uint64_t hi = 0;
  uint64_t lo = 0;
  bool operator==(const Digest128&) const = default;
};

class DigestSet {
 public:
  DigestSet() = default;

  // True when `d` is in the set.
  bool Contains(const Digest128& d) const;
  // Adds `d`; returns false (and changes nothing) when it was already there.
  bool Insert(const Digest128& d);
  // Makes room for `n` digests without growing again.
  void Reserve(size_t n);

  size_t size() const { return size_ + (has_zero_ ? 1 : 0); }
  size_t MemoryBytes() const { return slots_.size() * sizeof(Digest128); }

 private:
  // Index of `d`'s slot, or of the empty slot where it would go.
  size_t Probe(const Digest128& d) const;
  void Rehash(size_t capacity);

  // The all-zero digest marks an empty slot, so it is kept aside.
  std::vector<Digest128> slots_;  // size is 0 or a power of two
  size_t size_ = 0;               // non-zero digests in slots_
  bool has_zero_ = false;
};

}  // namespace storepilot::store

#endif  // STOREPILOT_STORE_DIGEST_SET_H_

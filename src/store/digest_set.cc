#include "store/digest_set.h"

namespace storepilot::store {
namespace {

constexpr size_t kMinCapacity = 1024;
// Grow past 70% full: linear probing's misses (the common case, a new id)
// stay at a few slots, mostly in the same cache line.
bool OverLoaded(size_t size, size_t capacity) { return size * 10 > capacity * 7; }

bool IsZero(const Digest128& d) { return d.hi == 0 && d.lo == 0; }

}  // namespace

size_t DigestSet::Probe(const Digest128& d) const {
  const size_t mask = slots_.size() - 1;
  size_t i = static_cast<size_t>(d.lo) & mask;
  while (!IsZero(slots_[i]) && !(slots_[i] == d)) i = (i + 1) & mask;
  return i;
}

bool DigestSet::Contains(const Digest128& d) const {
  if (IsZero(d)) return has_zero_;
  if (slots_.empty()) return false;
  return !IsZero(slots_[Probe(d)]);
}

bool DigestSet::Insert(const Digest128& d) {
  if (IsZero(d)) {
    const bool inserted = !has_zero_;
    has_zero_ = true;
    return inserted;
  }
  if (slots_.empty() || OverLoaded(size_ + 1, slots_.size())) {
    Rehash(slots_.empty() ? kMinCapacity : slots_.size() * 2);
  }
  Digest128& slot = slots_[Probe(d)];
  if (!IsZero(slot)) return false;
  slot = d;
  ++size_;
  return true;
}

void DigestSet::Reserve(size_t n) {
  size_t capacity = slots_.empty() ? kMinCapacity : slots_.size();
  while (OverLoaded(n, capacity)) capacity *= 2;
  if (capacity > slots_.size()) Rehash(capacity);
}

void DigestSet::Rehash(size_t capacity) {
  std::vector<Digest128> old;
  old.swap(slots_);
  slots_.assign(capacity, Digest128{});
  for (const Digest128& d : old) {
    if (!IsZero(d)) slots_[Probe(d)] = d;
  }
}

}  // namespace storepilot::store

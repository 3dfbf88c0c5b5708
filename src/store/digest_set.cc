#include "store/digest_set.h"

#include <cstdlib>
#include <new>

namespace storepilot::store {
namespace {

constexpr size_t kMinCapacity = 1024;
// Slots of the old table moved per insert while doubling: the new table (twice
// the size) is filled to 70% only after 0.7x the old capacity of inserts, and
// the move is done after old capacity / 8, long before.
constexpr size_t kMigratePerInsert = 8;
// Grow past 70% full: linear probing's misses (the common case, a new id)
// stay at a few slots, mostly in the same cache line.
bool OverLoaded(size_t size, size_t capacity) { return size * 10 > capacity * 7; }

bool IsZero(const Digest128& d) { return d.hi == 0 && d.lo == 0; }

}  // namespace

size_t DigestSet::Table::Probe(const Digest128& d) const {
  const size_t mask = capacity - 1;
  size_t i = static_cast<size_t>(d.lo) & mask;
  while (!IsZero(slots[i]) && !(slots[i] == d)) i = (i + 1) & mask;
  return i;
}

bool DigestSet::Table::Holds(const Digest128& d) const {
  return slots != nullptr && !IsZero(slots[Probe(d)]);
}

DigestSet::Table DigestSet::Allocate(size_t capacity) {
  Table t;
  t.slots = static_cast<Digest128*>(std::calloc(capacity, sizeof(Digest128)));
  if (t.slots == nullptr) throw std::bad_alloc();
  t.capacity = capacity;
  return t;
}

void DigestSet::Free(Table* t) {
  std::free(t->slots);
  *t = Table{};
}

DigestSet::~DigestSet() {
  Free(&table_);
  Free(&old_);
}

bool DigestSet::Contains(const Digest128& d) const {
  if (IsZero(d)) return has_zero_;
  return table_.Holds(d) || old_.Holds(d);
}

bool DigestSet::Insert(const Digest128& d) {
  if (IsZero(d)) {
    const bool inserted = !has_zero_;
    has_zero_ = true;
    return inserted;
  }
  if (table_.slots == nullptr) table_ = Allocate(kMinCapacity);
  // A digest not yet moved from the old table is a member too.
  if (old_.Holds(d)) return false;
  size_t i = table_.Probe(d);
  if (!IsZero(table_.slots[i])) return false;
  if (OverLoaded(size_ + 1, table_.capacity)) {
    Migrate(old_.capacity);  // finish a doubling still under way (not expected)
    old_ = table_;
    table_ = Allocate(old_.capacity * 2);
    migrated_ = 0;
    i = table_.Probe(d);
  }
  table_.slots[i] = d;
  ++size_;
  Migrate(kMigratePerInsert);
  return true;
}

void DigestSet::Migrate(size_t n) {
  if (old_.slots == nullptr) return;
  for (size_t k = 0; k < n && migrated_ < old_.capacity; ++k, ++migrated_) {
    const Digest128& d = old_.slots[migrated_];
    if (!IsZero(d)) table_.slots[table_.Probe(d)] = d;
  }
  if (migrated_ == old_.capacity) Free(&old_);
}

void DigestSet::Reserve(size_t n) {
  size_t capacity = table_.slots == nullptr ? kMinCapacity : table_.capacity;
  while (OverLoaded(n, capacity)) capacity *= 2;
  if (table_.slots == nullptr || capacity > table_.capacity) Rehash(capacity);
}

void DigestSet::Rehash(size_t capacity) {
  Migrate(old_.capacity);
  Table old = table_;
  table_ = Allocate(capacity);
  for (size_t i = 0; i < old.capacity; ++i) {
    if (!IsZero(old.slots[i])) table_.slots[table_.Probe(old.slots[i])] = old.slots[i];
  }
  Free(&old);
}

}  // namespace storepilot::store

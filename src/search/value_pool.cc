#include "search/value_pool.h"

#include "search/text_normalizer.h"

namespace storepilot::search {

uint32_t ValuePool::Intern(std::string_view display) {
  std::string key = NormalizeText(display);
  auto [it, inserted] =
      ids_.try_emplace(std::move(key), static_cast<uint32_t>(display_.size()));
  if (inserted) display_.emplace_back(display);
  return it->second;
}

std::optional<uint32_t> ValuePool::Find(std::string_view value) const {
  auto it = ids_.find(NormalizeText(value));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

size_t ValuePool::MemoryBytes() const {
  size_t bytes = ids_.capacity() * (sizeof(std::string) + sizeof(uint32_t) + 1);
  for (const std::string& s : display_) bytes += sizeof(std::string) + 2 * s.capacity();
  return bytes;
}

}  // namespace storepilot::search

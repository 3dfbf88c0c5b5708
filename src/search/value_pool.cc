#include "search/value_pool.h"

#include "search/text_normalizer.h"

namespace storepilot::search {

uint32_t ValuePool::Intern(std::string_view display) {
  const absl::string_view raw(display.data(), display.size());
  if (auto it = by_display_.find(raw); it != by_display_.end()) return it->second;
  std::string key = NormalizeText(display);
  auto [it, inserted] =
      ids_.try_emplace(std::move(key), static_cast<uint32_t>(display_.size()));
  if (inserted) display_.emplace_back(display);
  by_display_.emplace(std::string(display), it->second);
  return it->second;
}

std::optional<uint32_t> ValuePool::Find(std::string_view value) const {
  auto it = ids_.find(NormalizeText(value));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

size_t ValuePool::MemoryBytes() const {
  size_t bytes = (ids_.capacity() + by_display_.capacity()) *
                 (sizeof(std::string) + sizeof(uint32_t) + 1);
  for (const std::string& s : display_) bytes += sizeof(std::string) + 2 * s.capacity();
  return bytes;
}

}  // namespace storepilot::search

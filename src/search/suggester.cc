#include "search/suggester.h"

#include <algorithm>
#include <utility>

#include "search/text_normalizer.h"

namespace storepilot::search {

namespace {
// Bounds the log of one shop; the least searched entries go first.
constexpr size_t kMaxEntries = 100000;
}  // namespace

void QueryLog::Record(std::string_view query, size_t results) {
  std::string key = NormalizeText(query);
  if (key.empty()) return;
  if (counts_.size() >= kMaxEntries && !counts_.contains(key)) {
    // Evict singletons to make room; rare once a shop's log is warm.
    for (auto it = counts_.begin(); it != counts_.end();) {
      if (it->second.searches <= 1) {
        counts_.erase(it++);
      } else {
        ++it;
      }
    }
    if (counts_.size() >= kMaxEntries) return;
  }
  Entry& entry = counts_[key];
  ++entry.searches;
  entry.had_results = entry.had_results || results > 0;
}

std::vector<std::string> QueryLog::Complete(std::string_view prefix,
                                            size_t limit) const {
  const std::string key = NormalizeText(prefix);
  std::vector<std::pair<uint32_t, std::string>> found;
  for (const auto& [query, entry] : counts_) {
    if (!entry.had_results || query.compare(0, key.size(), key) != 0) continue;
    found.emplace_back(entry.searches, query);
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first > b.first;
    return a.second < b.second;
  });
  std::vector<std::string> out;
  for (size_t i = 0; i < found.size() && i < limit; ++i) {
    out.push_back(std::move(found[i].second));
  }
  return out;
}

}  // namespace storepilot::search

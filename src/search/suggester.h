#ifndef STOREPILOT_SEARCH_SUGGESTER_H_
#define STOREPILOT_SEARCH_SUGGESTER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace storepilot::search {

// Autocomplete from a shop's query log: normalised queries with how often
// they were searched and how many results they had. Queries that found
// nothing are never suggested. Not thread-safe (SearchEngine locks it).
class QueryLog {
 public:
  // Records one search of `query` that matched `results` products.
  void Record(std::string_view query, size_t results);

  // Logged queries starting with the normalised `prefix`, most searched
  // first (ties alphabetical), at most `limit`.
  std::vector<std::string> Complete(std::string_view prefix, size_t limit) const;

  size_t size() const { return counts_.size(); }

 private:
  struct Entry {
    uint32_t searches = 0;
    bool had_results = false;
  };
  absl::flat_hash_map<std::string, Entry> counts_;
};

}  // namespace storepilot::search

#endif  // STOREPILOT_SEARCH_SUGGESTER_H_
